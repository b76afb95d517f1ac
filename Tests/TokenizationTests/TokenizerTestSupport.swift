import Foundation

@testable import Tokenization

/// Shared helpers for the tokenizer and token shard tests.
enum TokenizerTestSupport {
    /// The folder of committed tokenizer fixtures (made by scripts/make_tokenizer_fixtures.sh).
    static var fixtures: String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/tokenizer").path
    }

    /// A fixture file's path.
    static func fixture(_ name: String) -> String { fixtures + "/" + name }

    /// A fixture file decoded as JSON.
    static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture(name))))
    }

    /// The golden texts.
    static func goldenTexts() throws -> [String] {
        try json("golden_texts.json") as! [String]
    }

    /// A small tokenizer trained on the golden texts, in memory.
    static func trainedTokenizer(vocabularySize: Int = 600) throws -> Tokenizer {
        var trainer = try BPETrainer(options: BPETrainer.Options(vocabularySize: vocabularySize))
        for text in try goldenTexts() { trainer.add(text) }
        return try trainer.train()
    }
}

/// A temporary folder removed when the value goes away.
final class TokenizerTestDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "factory-tokenizer-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A tiny deterministic generator for test inputs.
struct TokenizerTestRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
