import Documents
import FactoryCore

/// Produces the documents of one resolved source in its sampling order, so that a cap on
/// documents or bytes takes an unbiased, deterministic subset:
/// file sources visit their files ordered by SHA-256 of `"sample\0" + name/relative-path`; WordNet
/// and command sources order their records by SHA-256 of `"sample\0" + id` (the prefix keeps this
/// order independent of ``ValidationSplit``'s hash); JSON Lines files are visited in
/// hash order and read line by line; synthetic problems come in index order.
struct CorpusSourceReader {
    let source: CorpusSourceConfig
    let selection: FileSelection?
    let license: String
    /// Called once per file or record consumed, for progress.
    let advance: (Int) -> Void
    /// Called when a command's output reached `max_output_bytes` and was cut there.
    let outputCut: () -> Void

    /// Feeds documents to `emit` until the source is exhausted or `emit` returns false.
    func read(_ emit: (Document) throws -> Bool) throws {
        switch source.kind {
        case .files:
            try readFiles(emit)
        case .jsonl:
            try readJSONLines(emit)
        case .wordnet:
            let entries = try WordNetReader.entries(directory: selection!.root)
            let documents = entries.map { entry in
                document(
                    id: "\(source.name)/\(entry.partOfSpeech)/\(entry.offset)", text: entry.text, path: entry.path,
                    extra: ["part_of_speech": entry.partOfSpeech, "synset_offset": entry.offset])
            }
            try emitInHashOrder(documents, emit)
        case .command:
            let command = source.command!
            let output = try CommandRunner.run(command, limit: source.outputLimit)
            if output.cut { outputCut() }
            let pieces = TextSplitter.split(output.text, mode: source.split ?? .file, delimiter: source.delimiter)
            let documents = pieces.enumerated().map { index, text in
                document(
                    id: "\(source.name)#\(index + 1)", text: text, path: nil,
                    extra: ["command": command.joined(separator: " "), "part": "\(index + 1)"])
            }
            try emitInHashOrder(documents, emit)
        case .syntheticMath:
            let seed = UInt64(bitPattern: Int64(source.seed ?? 0))
            for index in 0..<source.count! {
                var problem = SyntheticMath.document(index: index, seed: seed, sourceName: source.name, domain: source.domain)
                problem.license = license
                advance(1)
                guard try emit(problem) else { return }
            }
        }
    }

    private func readFiles(_ emit: (Document) throws -> Bool) throws {
        let selection = selection!
        let mode = source.split ?? .file
        for relative in hashOrder(selection.files) {
            let path = FileSelection.join(selection.root, relative)
            let raw = try SourceFileText.read(path: path)
            let text: String
            switch source.format ?? .text {
            case .text: text = raw
            case .html: text = HTMLText.convert(raw)
            case .roff: text = RoffText.convert(raw)
            }
            let pieces = TextSplitter.split(text, mode: mode, delimiter: source.delimiter)
            advance(1)
            for (index, piece) in pieces.enumerated() {
                let id = mode == .file ? "\(source.name)/\(relative)" : "\(source.name)/\(relative)#\(index + 1)"
                let extra = mode == .file ? [:] : ["part": "\(index + 1)"]
                guard try emit(document(id: id, text: piece, path: path, extra: extra)) else { return }
            }
        }
    }

    private func readJSONLines(_ emit: (Document) throws -> Bool) throws {
        let selection = selection!
        for relative in hashOrder(selection.files) {
            let path = FileSelection.join(selection.root, relative)
            let reader = try JSONLinesReader(path: path)
            while let object = try reader.nextObject() {
                guard let text = object["text"]?.string else {
                    throw FactoryError.corrupt(path: path, reason: "line \(reader.lineNumber): field 'text' is missing or not a string")
                }
                var extra = [String: String]()
                for (key, value) in object where !["id", "text", "license", "metadata"].contains(key) {
                    extra[key] = value.metadataText
                }
                if case .object(let nested)? = object["metadata"] {
                    for (key, value) in nested { extra[key] = value.metadataText }
                }
                extra["line"] = "\(reader.lineNumber)"
                var record = document(
                    id: object["id"]?.string ?? "\(source.name)/\(relative):\(reader.lineNumber)",
                    text: text, path: path, extra: extra)
                if let ownLicense = object["license"]?.string { record.license = ownLicense }
                guard try emit(record) else { return }
            }
            advance(1)
        }
    }

    private func document(id: String, text: String, path: String?, extra: [String: String]) -> Document {
        var metadata = extra
        if let package = source.package { metadata[Document.MetadataKey.package] = package }
        if let path { metadata[Document.MetadataKey.path] = path }
        return Document(id: id, text: text, domain: source.domain, source: source.name, license: license, metadata: metadata)
    }

    private func hashOrder(_ files: [String]) -> [String] {
        files.map { (Digest.of("sample\u{0}\(source.name)/\($0)"), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    private func emitInHashOrder(_ documents: [Document], _ emit: (Document) throws -> Bool) throws {
        for (_, document) in documents.map({ (Digest.of("sample\u{0}" + $0.id), $0) }).sorted(by: { $0.0 < $1.0 }) {
            advance(1)
            guard try emit(document) else { return }
        }
    }
}
