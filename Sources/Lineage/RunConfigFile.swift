import FactoryCore
import Foundation

/// Reads a run configuration from a `.toml` or `.json` file.
public enum RunConfigFile {
    /// The configuration in the file at `path`; the extension picks the format (TOML unless `.json`).
    public static func load(_ path: String) throws -> RunConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FactoryError.config(file: path, keyPath: "", line: nil, message: "the file is not valid UTF-8")
        }
        return path.lowercased().hasSuffix(".json") ? try RunConfig(json: text, source: path) : try RunConfig(toml: text, source: path)
    }
}
