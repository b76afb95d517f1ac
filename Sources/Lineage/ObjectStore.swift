import FactoryCore
import Foundation

/// Content-addressed files: the object with digest `abcdef…` lives at `ROOT/ab/abcdef…`.
///
/// Objects are written atomically (temporary file, then rename), so a reader never sees a
/// partial object and concurrent writers of the same bytes simply replace each other. Storing
/// the same bytes twice stores them once.
public struct ObjectStore: Sendable {
    /// The `objects` directory.
    public let root: String

    /// An object store rooted at `root` (created when missing).
    public init(root: String) throws {
        self.root = root
        try FileSystem.createDirectory(root)
    }

    /// Where the object with `digest` lives (whether or not it exists).
    public func path(for digest: Digest) -> String {
        let hex = digest.hex
        return "\(root)/\(hex.prefix(2))/\(hex)"
    }

    /// Whether the object with `digest` is present.
    public func contains(_ digest: Digest) -> Bool {
        FileManager.default.fileExists(atPath: path(for: digest))
    }

    /// Stores bytes and returns their digest.
    @discardableResult
    public func put<Bytes: DataProtocol>(_ bytes: Bytes) throws -> Digest {
        let digest = Digest.of(bytes)
        guard !contains(digest) else { return digest }
        let destination = path(for: digest)
        try FileSystem.createDirectory((destination as NSString).deletingLastPathComponent)
        try AtomicFile.write(bytes, toPath: destination)
        return digest
    }

    /// Copies a file into the store and returns its digest and size.
    ///
    /// - Throws: `FactoryError.corrupt` when the file changes while it is being copied.
    public func putFile(atPath source: String) throws -> (digest: Digest, size: Int64) {
        let digest = try Digest.ofFile(atPath: source)
        let size = try FileSystem.size(ofFile: source)
        guard !contains(digest) else { return (digest, size) }
        let destination = path(for: digest)
        try FileSystem.createDirectory((destination as NSString).deletingLastPathComponent)
        guard let input = FileHandle(forReadingAtPath: source) else { throw FactoryError.fileNotFound(path: source) }
        defer { try? input.close() }
        try AtomicFile.write(toPath: destination) { sink in
            var hasher = DigestHasher()
            while let chunk = try FileSystem.read(input, path: source), !chunk.isEmpty {
                hasher.update(chunk)
                try sink.write(chunk)
            }
            guard hasher.finalize() == digest else {
                throw FactoryError.corrupt(path: source, reason: "the file changed while it was being stored")
            }
        }
        return (digest, size)
    }

    /// Stores every regular file under `directory` and the manifest listing them; returns the
    /// manifest (whose digest is the directory artifact's digest).
    ///
    /// - Throws: `FactoryError.invalidArgument` for symbolic links or other non-regular files,
    ///   which a manifest cannot describe faithfully.
    public func putDirectory(atPath directory: String) throws -> DirectoryManifest {
        var entries = [DirectoryManifest.Entry]()
        for relative in try FileSystem.regularFiles(under: directory) {
            let stored = try putFile(atPath: "\(directory)/\(relative)")
            entries.append(.init(path: relative, digest: stored.digest, size: stored.size))
        }
        let manifest = try DirectoryManifest(entries: entries)
        try put(Array(manifest.canonicalText.utf8))
        return manifest
    }

    /// The bytes of a stored object.
    public func read(_ digest: Digest) throws -> Data {
        let location = path(for: digest)
        guard let data = FileManager.default.contents(atPath: location) else { throw FactoryError.fileNotFound(path: location) }
        return data
    }

    /// The manifest stored under a directory artifact's digest.
    public func manifest(_ digest: Digest) throws -> DirectoryManifest {
        let location = path(for: digest)
        let manifest = try DirectoryManifest(parsing: String(decoding: read(digest), as: UTF8.self), source: location)
        guard manifest.digest == digest else {
            throw FactoryError.corrupt(path: location, reason: "the manifest's digest is \(manifest.digest.hex), expected \(digest.hex)")
        }
        return manifest
    }

    /// Re-hashes the object (and, for a directory, the manifest and every member) and lists
    /// what is missing or does not match its digest. An empty list means intact.
    public func verify(_ digest: Digest, layout: ArtifactLayout) -> [FactoryError] {
        if let problem = verifyObject(digest) { return [problem] }
        guard layout == .directory else { return [] }
        let manifest: DirectoryManifest
        do {
            manifest = try self.manifest(digest)
        } catch let error as FactoryError {
            return [error]
        } catch {
            return [.corrupt(path: path(for: digest), reason: "\(error)")]
        }
        return manifest.entries.compactMap { entry in
            verifyObject(entry.digest).map { problem in
                .corrupt(path: path(for: entry.digest), reason: "member '\(entry.path)': \(problem)")
            }
        }
    }

    private func verifyObject(_ digest: Digest) -> FactoryError? {
        let location = path(for: digest)
        guard FileManager.default.fileExists(atPath: location) else { return .fileNotFound(path: location) }
        do {
            let actual = try Digest.ofFile(atPath: location)
            return actual == digest ? nil : .corrupt(path: location, reason: "its bytes hash to \(actual.hex), expected \(digest.hex)")
        } catch let error as FactoryError {
            return error
        } catch {
            return .io(path: location, operation: "read", reason: "\(error)")
        }
    }
}
