import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files so that readers see either the old contents or the complete new contents, never
/// a half-written file: the bytes go to a temporary file in the same folder, are flushed to disk
/// with `fsync`, and the temporary file is renamed over the destination.
public enum AtomicFile {
    /// Replaces (or creates) the file at `path` with `data`.
    public static func write<Bytes: DataProtocol>(_ data: Bytes, toPath path: String) throws {
        try write(toPath: path) { sink in try sink.write(data) }
    }

    /// Replaces (or creates) the file at `path` with what `body` writes into the sink.
    ///
    /// If `body` throws, the temporary file is removed, the destination is untouched, and the
    /// error is rethrown.
    public static func write(toPath path: String, _ body: (FileSink) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory) else {
            throw FactoryError.fileNotFound(path: directory)
        }
        var template = Array("\(directory)/.\(url.lastPathComponent).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw FactoryError.io(path: path, operation: "create a temporary file", reason: Self.lastErrorText())
        }
        let temporaryPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let sink = FileSink(descriptor: descriptor, path: temporaryPath)
        do {
            try body(sink)
            try sink.synchronize()
            sink.close()
            try Self.setDefaultPermissions(temporaryPath)
            guard rename(temporaryPath, path) == 0 else {
                throw FactoryError.io(path: path, operation: "rename \(temporaryPath) into place", reason: Self.lastErrorText())
            }
        } catch {
            sink.close()
            unlink(temporaryPath)
            throw error
        }
        Self.synchronizeDirectory(directory)
    }

    /// `mkstemp` creates files readable only by their owner; artifacts follow the umask instead.
    private static func setDefaultPermissions(_ path: String) throws {
        let mask = umask(0)
        umask(mask)
        guard chmod(path, 0o666 & ~mask) == 0 else {
            throw FactoryError.io(path: path, operation: "set permissions", reason: lastErrorText())
        }
    }

    /// Makes the rename durable; a failure here does not undo a completed write, so it is ignored.
    private static func synchronizeDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        SystemCall.close(descriptor)
    }

    static func lastErrorText() -> String { String(cString: strerror(errno)) }
}

/// The writable end of an atomic write.
public final class FileSink {
    private let descriptor: Int32
    private var isOpen = true
    /// The temporary path being written, for error messages.
    public let path: String
    /// Bytes written so far.
    public private(set) var bytesWritten = 0

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Appends bytes.
    public func write<Bytes: DataProtocol>(_ data: Bytes) throws {
        for region in data.regions {
            try region.withUnsafeBytes { try write(rawBytes: $0) }
        }
    }

    /// Appends a string's UTF-8 bytes.
    public func write(_ string: String) throws {
        var copy = string
        try copy.withUTF8 { try write(rawBytes: UnsafeRawBufferPointer($0)) }
    }

    /// Appends raw memory.
    public func write(rawBytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < rawBytes.count {
            let written = SystemCall.write(descriptor, rawBytes.baseAddress! + offset, rawBytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FactoryError.io(path: path, operation: "write", reason: AtomicFile.lastErrorText())
            }
            offset += written
        }
        bytesWritten += rawBytes.count
    }

    func synchronize() throws {
        guard fsync(descriptor) == 0 else {
            throw FactoryError.io(path: path, operation: "fsync", reason: AtomicFile.lastErrorText())
        }
    }

    func close() {
        guard isOpen else { return }
        isOpen = false
        SystemCall.close(descriptor)
    }
}

/// The C library's `close` and `write`, named apart from `FileSink`'s own methods.
private enum SystemCall {
    static func close(_ descriptor: Int32) {
        #if canImport(Glibc)
            _ = Glibc.close(descriptor)
        #else
            _ = Darwin.close(descriptor)
        #endif
    }

    static func write(_ descriptor: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.write(descriptor, pointer, count)
        #else
            Darwin.write(descriptor, pointer, count)
        #endif
    }
}
