import FactoryCore
import Foundation

/// `factory.json`, the part of a checkpoint directory that only the factory reads: its version,
/// free-form metadata (lineage ids, seed, step) and the size and SHA-256 of every other file in
/// the directory, so a damaged or partial copy is caught before it is used.
public struct FactoryCheckpointManifest: Codable, Equatable, Sendable {
    /// One file of the checkpoint, by path relative to the directory.
    public struct File: Codable, Equatable, Sendable {
        /// Relative path, `/`-separated.
        public var path: String
        /// Size in bytes.
        public var size: Int
        /// SHA-256 of the contents.
        public var sha256: Digest

        /// Describes one file.
        public init(path: String, size: Int, sha256: Digest) {
            self.path = path
            self.size = size
            self.sha256 = sha256
        }
    }

    /// The manifest's file name inside a checkpoint directory.
    public static let fileName = "factory.json"
    /// The value of `format` this version writes and reads.
    public static let formatName = "factory-checkpoint/1"

    /// Always `formatName`.
    public var format: String
    /// The factory version that wrote the checkpoint.
    public var factoryVersion: String
    /// Caller-supplied strings (lineage ids, seed, step).
    public var metadata: [String: String]
    /// Every file in the directory but the manifest, sorted by path.
    public var files: [File]

    private enum CodingKeys: String, CodingKey {
        case format
        case factoryVersion = "factory_version"
        case metadata
        case files
    }

    /// A manifest of the files currently in `directory` (all but `factory.json`, recursively),
    /// hashing each one.
    public static func describing(directory: String, metadata: [String: String]) throws -> FactoryCheckpointManifest {
        var files: [File] = []
        for path in try regularFiles(in: directory) where path != fileName {
            let full = directory + "/" + path
            files.append(File(path: path, size: try fileSize(full), sha256: try Digest.ofFile(atPath: full)))
        }
        return FactoryCheckpointManifest(
            format: formatName, factoryVersion: FactoryVersion.current, metadata: metadata, files: files)
    }

    /// The manifest of `directory`, or `nil` when it has no `factory.json` (a checkpoint saved by
    /// `transformers`, say). Throws `FactoryError.config` naming the key when the file is malformed.
    public static func read(directory: String) throws -> FactoryCheckpointManifest? {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw FactoryError.io(path: path, operation: "read", reason: "the file cannot be opened")
            }
            return nil
        }
        let manifest = try ConfigLoader.decode(
            FactoryCheckpointManifest.self, from: ConfigValue.parseJSON(Array(data), source: path, nullMembers: .reject), source: path)
        try manifest.validate(source: path)
        return manifest
    }

    /// The manifest as JSON, keys sorted and indented.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Checks that every listed file in `directory` exists with the listed size and SHA-256.
    ///
    /// Throws `FactoryError.corrupt` naming the file: missing, of another size (truncated or
    /// grown), or with other contents. Files the manifest does not list are not checked.
    public func verify(directory: String) throws {
        for file in files {
            let path = directory + "/" + file.path
            guard FileManager.default.fileExists(atPath: path) else {
                throw FactoryError.corrupt(path: path, reason: "the file is missing but \(Self.fileName) lists it (\(file.size) bytes)")
            }
            let size = try Self.fileSize(path)
            guard size == file.size else {
                let kind = size < file.size ? "truncated: " : ""
                throw FactoryError.corrupt(path: path, reason: "\(kind)the file has \(size) bytes, \(Self.fileName) lists \(file.size)")
            }
            let digest = try Digest.ofFile(atPath: path)
            guard digest == file.sha256 else {
                throw FactoryError.corrupt(
                    path: path, reason: "digest mismatch: SHA-256 \(digest), \(Self.fileName) lists \(file.sha256)")
            }
        }
    }

    /// Whether the manifest lists `path`.
    public func lists(_ path: String) -> Bool { files.contains { $0.path == path } }

    private func validate(source: String) throws {
        guard format == Self.formatName else {
            throw FactoryError.config(
                file: source, keyPath: "format", line: nil, message: "expected \"\(Self.formatName)\", got \"\(format)\"")
        }
        var seen = Set<String>()
        for (index, file) in files.enumerated() {
            let components = file.path.split(separator: "/", omittingEmptySubsequences: false)
            guard !file.path.hasPrefix("/"), !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
                throw FactoryError.config(
                    file: source, keyPath: "files[\(index)].path", line: nil, message: "'\(file.path)' is not a plain relative path")
            }
            guard seen.insert(file.path).inserted else {
                throw FactoryError.config(file: source, keyPath: "files[\(index)].path", line: nil, message: "'\(file.path)' is listed twice")
            }
            guard file.size >= 0 else {
                throw FactoryError.config(file: source, keyPath: "files[\(index)].size", line: nil, message: "negative size \(file.size)")
            }
        }
    }

    /// Regular files under `directory`, as sorted relative paths.
    private static func regularFiles(in directory: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw FactoryError.fileNotFound(path: directory)
        }
        var paths: [String] = []
        while let path = enumerator.nextObject() as? String {
            if enumerator.fileAttributes?[.type] as? FileAttributeType == .typeRegular { paths.append(path) }
        }
        return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private static func fileSize(_ path: String) throws -> Int {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            return (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch {
            throw FactoryError.io(path: path, operation: "stat", reason: "\(error.localizedDescription)")
        }
    }
}
