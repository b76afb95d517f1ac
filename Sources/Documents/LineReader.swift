import FactoryCore
import Foundation

/// Reads a file line by line in fixed-size chunks, so memory stays flat for large files.
///
/// Lines end at `\n`; a preceding `\r` is dropped, and a last line without a newline is still
/// returned. Line numbers count from 1.
public final class LineReader {
    private let handle: FileHandle
    private let path: String
    private let chunkSize: Int
    private var buffer = [UInt8]()
    private var start = 0
    private var atEndOfFile = false
    /// The number of the line most recently returned.
    public private(set) var lineNumber = 0

    /// Opens `path`, which must be a regular file (a device or a FIFO would never end).
    public init(path: String, chunkSize: Int = 1 << 20) throws {
        try FileKind.requireRegularFile(path, name: "input file")
        guard let handle = FileHandle(forReadingAtPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw FactoryError.io(path: path, operation: "open for reading", reason: "permission denied")
            }
            throw FactoryError.fileNotFound(path: path)
        }
        self.handle = handle
        self.path = path
        self.chunkSize = chunkSize
    }

    deinit { try? handle.close() }

    /// The next line's bytes without its terminator, or `nil` at the end of the file.
    public func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = buffer[start..<end]
                start = newline + 1
                lineNumber += 1
                return line
            }
            if atEndOfFile {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                lineNumber += 1
                return line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            }
            try refill()
        }
    }

    private func refill() throws {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let chunk: Data?
        do {
            chunk = try handle.read(upToCount: chunkSize)
        } catch {
            throw FactoryError.io(path: path, operation: "read", reason: "\(error)")
        }
        if let chunk, !chunk.isEmpty {
            buffer.append(contentsOf: chunk)
        } else {
            atEndOfFile = true
        }
    }
}
