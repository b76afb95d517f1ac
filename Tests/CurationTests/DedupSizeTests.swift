import FactoryCore
import Foundation
import Testing

@testable import Curation

/// MinHash sizes are bounded before any signature is allocated: `bands = 1e9` in a curation file
/// or on the command line is a refusal naming the key, not an allocation abort.
@Suite struct DedupSizeTests {
    private func load(_ toml: String) throws -> (path: String, error: FactoryError?) {
        let path = NSTemporaryDirectory() + "dedup-size-\(UUID().uuidString).toml"
        try Data(toml.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try CurationConfig.load(path: path)
            return (path, nil)
        } catch let error as FactoryError {
            return (path, error)
        }
    }

    @Test func curationFileSizesAreNamedByKey() throws {
        let cases: [(String, String, String)] = [
            (
                "bands = 1_000_000_000", "dedup.bands",
                "1000000000 bands × 8 rows is more than 65536 hash functions per document (each costs 8 bytes per document; 14 × 8 is the usual choice)"
            ),
            (
                "bands = 4_611_686_018_427_387_904\nrows = 4", "dedup.bands",
                "4611686018427387904 bands × 4 rows is more than 65536 hash functions per document (each costs 8 bytes per document; 14 × 8 is the usual choice)"
            ),
            ("rows = 0", "dedup.rows", "must be at least 1, found 0"),
            ("ngram_size = -3", "dedup.ngram_size", "must be at least 1, found -3"),
            ("ngram_size = 5000", "dedup.ngram_size", "must be at most 1024 words, found 5000"),
        ]
        for (body, keyPath, message) in cases {
            let (path, error) = try load("[information]\npositive_sources = [\"a\"]\n\n[dedup]\n" + body)
            #expect(error == .config(file: path, keyPath: keyPath, line: nil, message: message), "\(body)")
        }
        #expect(try load("[information]\npositive_sources = [\"a\"]\n\n[dedup]\nbands = 256\nrows = 256").error == nil)
    }

    @Test func theLibraryRefusesTheSameSizes() {
        #expect(throws: FactoryError.invalidArgument(name: "minhash.rows", message: "must be at least 1, found 0")) {
            try MinHashParameters(bands: 2, rows: 0)
        }
        #expect(throws: FactoryError.self) { try MinHashParameters(bands: 1_000_000_000, rows: 8) }
        #expect(MinHashParameters.problem(bands: 8192, rows: 8, ngramSize: 5) == nil)
        #expect(MinHashParameters.problem(bands: 8193, rows: 8, ngramSize: 5)?.field == .bands)
    }
}
