import FactoryCore

/// Streams documents as JSON Lines into a file sink (usually one opened by `AtomicFile.write`),
/// buffering writes and keeping a running SHA-256 of everything written.
public final class JSONLinesWriter {
    private let sink: FileSink
    private var buffer = [UInt8]()
    private var hasher = DigestHasher()
    private let flushThreshold: Int

    /// Documents written so far.
    public private(set) var documentCount = 0
    /// UTF-8 bytes of document text written so far (the `text` fields only).
    public private(set) var textBytes = 0

    /// - Parameters:
    ///   - sink: where the lines go.
    ///   - bufferSize: bytes collected before each write to the sink.
    public init(sink: FileSink, bufferSize: Int = 1 << 20) {
        self.sink = sink
        self.flushThreshold = max(bufferSize, 1)
        buffer.reserveCapacity(flushThreshold)
    }

    /// Appends one document as one line.
    public func write(_ document: Document) throws {
        JSONText.encode(document, to: &buffer)
        documentCount += 1
        textBytes += document.text.utf8.count
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Writes what is buffered and returns the digest of the complete output.
    public func finish() throws -> Digest {
        try flush()
        return hasher.finalize()
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        hasher.update(buffer)
        try sink.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

extension JSONLinesWriter {
    /// Writes `documents` atomically to `path` and returns the output's digest.
    public static func write<S: Sequence>(_ documents: S, toPath path: String) throws -> Digest
    where S.Element == Document {
        var digest: Digest?
        try AtomicFile.write(toPath: path) { sink in
            let writer = JSONLinesWriter(sink: sink)
            for document in documents { try writer.write(document) }
            digest = try writer.finish()
        }
        return digest!
    }
}

extension JSONText {
    /// One document as a single-line JSON object, keys in a fixed order: `id`, `text`, `domain`,
    /// `source`, `license`, then `metadata` with its keys sorted.
    static func encode(_ document: Document, to out: inout [UInt8]) {
        func field(_ name: String, _ value: String, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
            appendString(value, to: &out)
        }
        out.append(UInt8(ascii: "{"))
        field("id", document.id, first: true)
        field("text", document.text)
        field("domain", document.domain)
        field("source", document.source)
        field("license", document.license)
        out.append(contentsOf: Array(",\"metadata\":{".utf8))
        for (index, key) in document.metadata.keys.sorted().enumerated() {
            field(key, document.metadata[key]!, first: index == 0)
        }
        out.append(contentsOf: Array("}}\n".utf8))
    }
}
