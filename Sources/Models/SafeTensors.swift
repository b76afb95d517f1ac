import FactoryCore
import Tensors

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if _endian(big)
    #error("safetensors data is little-endian and is read and written here without byte swapping")
#endif

/// The tensors and string metadata of one safetensors file, the checkpoint format of Hugging Face.
///
/// The format is an 8-byte little-endian header length `N`, `N` bytes of JSON header (see
/// `SafeTensorsHeader`), then the tensors' bytes back to back. Reading converts F32, BF16, F16,
/// F64 and F8_E4M3 tensors to `Float`; writing stores every tensor as F32 or BF16.
public struct SafeTensorsFile: Equatable, Sendable {
    /// The element types `write(to:dtype:)` can store.
    public enum StoredDType: String, Sendable, CaseIterable {
        /// IEEE-754 single precision, lossless.
        case f32 = "F32"
        /// bfloat16, rounded to nearest even (see `BFloat16`).
        case bf16 = "BF16"

        var headerDType: SafeTensorsDType {
            switch self {
            case .f32: return .f32
            case .bf16: return .bf16
            }
        }
    }

    /// The tensors by name.
    public var tensors: [String: Tensor]
    /// The free-form `__metadata__` strings (Hugging Face writes `"format": "pt"`).
    public var metadata: [String: String]

    /// A file's contents.
    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads and validates the file at `path`.
    ///
    /// Throws `FactoryError.fileNotFound` or `.io` when the file cannot be read, and
    /// `FactoryError.corrupt` naming the file (and the tensor, where one is at fault) when it is
    /// truncated, its header is not valid JSON or repeats a name, a dtype is unknown, or the
    /// offsets disagree with the shapes or do not tile the data section exactly.
    public static func read(path: String) throws -> SafeTensorsFile {
        let reader = try FileReader(path: path)
        defer { reader.close() }
        let size = try reader.size()
        guard size >= 8 else {
            throw FactoryError.corrupt(path: path, reason: "the file has \(size) bytes, fewer than the 8-byte header length")
        }
        var lengthField: UInt64 = 0
        try withUnsafeMutableBytes(of: &lengthField) { try reader.read(into: $0, at: 0) }
        let headerLength = UInt64(littleEndian: lengthField)
        guard headerLength <= UInt64(SafeTensorsHeader.maximumLength) else {
            throw FactoryError.corrupt(
                path: path,
                reason: "the header length \(headerLength) exceeds the \(SafeTensorsHeader.maximumLength)-byte limit")
        }
        guard 8 + Int(headerLength) <= size else {
            throw FactoryError.corrupt(
                path: path, reason: "the header length \(headerLength) runs past the end of the file (\(size) bytes); the file is truncated")
        }
        let headerBytes = try [UInt8](unsafeUninitializedCapacity: Int(headerLength)) { buffer, initialized in
            try reader.read(into: UnsafeMutableRawBufferPointer(buffer), at: 8)
            initialized = buffer.count
        }
        let dataStart = 8 + Int(headerLength)
        let header = try SafeTensorsHeader(parsing: headerBytes, dataSize: size - dataStart, path: path)

        var tensors: [String: Tensor] = [:]
        for entry in header.entries {
            let storage = try entry.dtype.decode(count: entry.elementCount) { buffer in
                try reader.read(into: buffer, at: dataStart + entry.range.lowerBound)
            }
            tensors[entry.name] = try Tensor(shape: entry.shape, storage: storage)
        }
        return SafeTensorsFile(tensors: tensors, metadata: header.metadata)
    }

    /// Writes the file to `path` atomically (see `AtomicFile`), every tensor stored as `dtype`.
    ///
    /// Tensors are laid out in byte order of their names, the header padded with spaces to a
    /// multiple of 8 bytes, as the reference implementation writes a single-dtype file; the bytes
    /// are streamed to disk tensor by tensor. Throws `FactoryError.invalidArgument` for a tensor
    /// named `__metadata__`, and the errors of `AtomicFile` when the file cannot be written.
    public func write(to path: String, dtype: StoredDType = .f32) throws {
        guard tensors[SafeTensorsHeader.metadataKey] == nil else {
            throw FactoryError.invalidArgument(
                name: "tensor name", message: "'\(SafeTensorsHeader.metadataKey)' is reserved for metadata in \(path)")
        }
        let names = tensors.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let header = SafeTensorsHeader(
            layingOut: names.map { (name: $0, shape: tensors[$0]!.shape) },
            dtype: dtype.headerDType, metadata: metadata)
        let headerBytes = header.encoded()
        try AtomicFile.write(toPath: path) { sink in
            var length = UInt64(headerBytes.count).littleEndian
            try withUnsafeBytes(of: &length) { try sink.write(rawBytes: $0) }
            try headerBytes.withUnsafeBytes { try sink.write(rawBytes: $0) }
            for name in names {
                try tensors[name]!.withUnsafeBufferPointer { elements in
                    switch dtype {
                    case .f32: try sink.write(rawBytes: UnsafeRawBufferPointer(elements))
                    case .bf16: try Self.writeBFloat16(elements, to: sink)
                    }
                }
            }
        }
    }

    /// Rounds `elements` to bfloat16 and writes them in chunks, so memory stays flat.
    private static func writeBFloat16(_ elements: UnsafeBufferPointer<Float>, to sink: FileSink) throws {
        let chunkSize = 1 << 16
        var chunk = [UInt16](repeating: 0, count: min(chunkSize, elements.count))
        var start = 0
        while start < elements.count {
            let count = min(chunkSize, elements.count - start)
            try chunk.withUnsafeMutableBufferPointer { buffer in
                let destination = UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
                BFloat16.convert(UnsafeBufferPointer(rebasing: elements[start..<start + count]), to: destination)
                try sink.write(rawBytes: UnsafeRawBufferPointer(destination))
            }
            start += count
        }
    }
}

/// Positioned reads from one open file, with errors that name it.
private struct FileReader {
    let path: String
    let descriptor: Int32

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw FactoryError.fileNotFound(path: path) }
            throw FactoryError.io(path: path, operation: "open for reading", reason: String(cString: strerror(errno)))
        }
    }

    func size() throws -> Int {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw FactoryError.io(path: path, operation: "stat", reason: String(cString: strerror(errno)))
        }
        return Int(status.st_size)
    }

    /// Fills `buffer` with the bytes at `offset`.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if count < 0 {
                if errno == EINTR { continue }
                throw FactoryError.io(path: path, operation: "read", reason: String(cString: strerror(errno)))
            }
            guard count > 0 else {
                throw FactoryError.corrupt(path: path, reason: "the file ended at byte \(offset + done) while being read")
            }
            done += count
        }
    }

    func close() {
        #if canImport(Glibc)
            _ = Glibc.close(descriptor)
        #else
            _ = Darwin.close(descriptor)
        #endif
    }
}
