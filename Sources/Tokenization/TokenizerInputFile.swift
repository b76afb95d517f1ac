import FactoryCore
import Foundation

/// The bytes a tokenizer command reads: a regular file, or standard input for `-`.
public enum TokenizerInputFile {
    /// The whole contents of `path` (`-`: standard input, to its end).
    ///
    /// - Parameter name: the option that gave the path (`--file`), named in errors.
    /// - Throws: ``FactoryError/fileNotFound(path:)``, ``FactoryError/invalidArgument(name:message:)``
    ///   naming `name` for a device, FIFO or socket (which could hang or never end), and
    ///   ``FactoryError/io(path:operation:reason:)`` when reading fails.
    public static func bytes(_ path: String, name: String) throws -> [UInt8] {
        if path == "-" { return [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
        try FileKind.requireRegularFile(path, name: name)
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw FactoryError.io(path: path, operation: "read", reason: error.localizedDescription)
        }
    }
}
