import FactoryCore
import Testing

@testable import FactoryCLI

/// `factory model init --max-shard-size` reads sizes as `huggingface_hub`'s `parse_size_to_int`.
@Suite struct MaxShardSizeTests {
    @Test func readsDecimalUnitsAndPlainBytes() throws {
        #expect(try ModelInitCommand.bytes("30KB") == 30_000)
        #expect(try ModelInitCommand.bytes("1.5mb") == 1_500_000)
        #expect(try ModelInitCommand.bytes(" 50GB ") == 50_000_000_000)
        #expect(try ModelInitCommand.bytes("4096") == 4096)
    }

    @Test func refusesWhatIsNotASize() {
        for text in ["", "KB", "ten MB", "-5MB", "5PB", "0"] {
            #expect(throws: FactoryError.self, "\(text)") { try ModelInitCommand.bytes(text) }
        }
    }
}
