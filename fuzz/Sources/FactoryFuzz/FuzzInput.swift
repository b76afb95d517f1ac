import FactoryCore
import Foundation

/// One input from libFuzzer, and the rule every target enforces on it: a parser may accept the input
/// or refuse it with a `FactoryError` (which names the file and the field); any other error, like a
/// trap, is a finding.
struct FuzzInput {
    /// The input's bytes (copied: libFuzzer owns its buffer).
    let bytes: [UInt8]

    init(_ data: UnsafePointer<UInt8>?, _ count: Int) {
        bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    }

    /// The bytes as text, invalid UTF-8 replaced, as the readers that take `String` see a file.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The bytes as `Data`.
    var data: Data { Data(bytes) }

    /// Runs `parse`, returning 0 (libFuzzer's "keep going") on success and on a `FactoryError`; stops
    /// the process with the error otherwise, so libFuzzer saves the input as a crash.
    static func expectingFactoryErrors(_ parse: () throws -> Void) -> Int32 {
        do {
            try parse()
        } catch is FactoryError {
        } catch {
            fatalError("refused with an error that is not a FactoryError (names no file or field): \(error)")
        }
        return 0
    }
}
