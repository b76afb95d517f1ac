import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file for the readers that take a path: each input is written to it before parsing. One per
/// process and target, in the temporary folder; written in place with POSIX calls
/// (`FileManager.createFile` writes a temporary file and renames it, several times slower).
enum FuzzScratchFile {
    /// Writes `bytes` to this process's scratch file for `target` and returns its path.
    static func store(_ bytes: [UInt8], target: String) -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("factory-fuzz-\(getpid())-\(target)")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { fatalError("cannot open the scratch file \(path): errno \(errno)") }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { fatalError("cannot write the scratch file \(path): errno \(errno)") }
        return path
    }
}
