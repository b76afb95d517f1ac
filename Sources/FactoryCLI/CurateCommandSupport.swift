import FactoryCore
import Foundation
import Lineage

/// What the `factory curate` quality and run commands share.
enum CurateCommandSupport {
    /// The curation file's settings as a run configuration for the lineage store.
    static func runConfig(path: String) throws -> RunConfig {
        guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
            throw FactoryError.fileNotFound(path: path)
        }
        return try RunConfig(toml: text, source: path)
    }

    /// Creates `path` and its parents when missing.
    static func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FactoryError.io(path: path, operation: "create the folder", reason: error.localizedDescription)
        }
    }
}
