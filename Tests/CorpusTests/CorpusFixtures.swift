import Foundation

/// Paths of the committed test fixtures and scratch folders for tests that write.
enum CorpusFixtures {
    /// The `Fixtures/corpus` folder copied into the test bundle.
    static var root: String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("corpus").path
    }

    /// A fixture file's path.
    static func path(_ relative: String) -> String { "\(root)/\(relative)" }

    /// A fresh, empty temporary folder.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "corpus-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
