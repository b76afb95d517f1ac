import Documents
import FactoryCore
import Foundation

/// Builds a corpus from a ``CorpusConfig``: for each domain, the documents of its sources are
/// capped and filtered, assigned to train or validation by ``ValidationSplit``, and streamed to
/// `DOMAIN/train.jsonl` and `DOMAIN/validation.jsonl` (atomic writes); `manifest.json` records
/// counts, digests and provenance.
///
/// Every source is resolved before any text is read, so a missing path fails in a moment with
/// the configuration file, the source's key path and the path in the message.
public struct CorpusBuilder {
    /// The corpus description.
    public let config: CorpusConfig
    /// The file it came from, named in errors and recorded in the manifest.
    public let configFile: String
    /// A cap on documents per source on top of each source's own `max_docs`.
    public let maxDocsPerSource: Int?
    /// Where progress lines and notices go (standard error by default).
    let progressOutput: @Sendable (String) -> Void

    /// Prepares a build.
    public init(
        config: CorpusConfig, configFile: String, maxDocsPerSource: Int? = nil,
        progressOutput: @escaping @Sendable (String) -> Void = ProgressReporter.writeToStandardError
    ) {
        self.config = config
        self.configFile = configFile
        self.maxDocsPerSource = maxDocsPerSource
        self.progressOutput = progressOutput
    }

    /// Builds the corpus into `outputDirectory` (created if needed) and returns its manifest.
    @discardableResult
    public func build(outputDirectory: String) throws -> CorpusManifest {
        if let maxDocsPerSource, maxDocsPerSource <= 0 {
            throw FactoryError.invalidArgument(name: "--max-docs-per-source", message: "must be positive, found \(maxDocsPerSource)")
        }
        let plans = try plans()
        for plan in plans {
            if let reason = plan.missingReason { progressOutput("corpus \(plan.source.name): optional source skipped: \(reason)\n") }
        }
        try createDirectory(outputDirectory)
        let split = ValidationSplit(fraction: config.split.validationFraction)
        var sourceStats = [CorpusManifest.SourceStats?](repeating: nil, count: plans.count)
        var domains = [String: CorpusManifest.DomainStats]()
        for domain in Set(plans.map(\.source.domain)).sorted() {
            let members = plans.filter { $0.source.domain == domain }
            try createDirectory(FileSelection.join(outputDirectory, domain))
            let trainFile = "\(domain)/train.jsonl"
            let validationFile = "\(domain)/validation.jsonl"
            var train: CorpusManifest.FileStats?
            var validation: CorpusManifest.FileStats?
            try AtomicFile.write(toPath: FileSelection.join(outputDirectory, trainFile)) { trainSink in
                let trainWriter = JSONLinesWriter(sink: trainSink)
                try AtomicFile.write(toPath: FileSelection.join(outputDirectory, validationFile)) { validationSink in
                    let validationWriter = JSONLinesWriter(sink: validationSink)
                    for plan in members {
                        sourceStats[plan.index] = try build(plan, split: split, train: trainWriter, validation: validationWriter)
                    }
                    validation = stats(validationWriter, file: validationFile, digest: try validationWriter.finish())
                }
                train = stats(trainWriter, file: trainFile, digest: try trainWriter.finish())
            }
            domains[domain] = CorpusManifest.DomainStats(train: train!, validation: validation!, sources: members.map(\.source.name))
        }
        let manifest = CorpusManifest(
            factoryVersion: FactoryVersion.current, config: configFile,
            configDigest: (try? Digest.ofFile(atPath: configFile).hex) ?? "",
            validationFraction: split.fraction, maxDocsPerSource: maxDocsPerSource,
            domains: domains, sources: sourceStats.map { $0! })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(manifest) + Data("\n".utf8), toPath: FileSelection.join(outputDirectory, "manifest.json"))
        return manifest
    }

    /// The manifest entry of a finished output file.
    private func stats(_ writer: JSONLinesWriter, file: String, digest: Digest) -> CorpusManifest.FileStats {
        CorpusManifest.FileStats(file: file, documents: writer.documentCount, textBytes: writer.textBytes, digest: digest.hex)
    }

    /// A source checked against the machine: its files (or program) exist and its license is known.
    struct Plan {
        let index: Int
        let source: CorpusSourceConfig
        let selection: FileSelection?
        let license: String
        /// Why an optional source is skipped; `nil` when it is built.
        let missingReason: String?
    }

    /// Every source checked against the machine, in configuration order; nothing is read yet.
    func plans() throws -> [Plan] {
        try config.sources.enumerated().map { try plan(index: $0.offset, source: $0.element) }
    }

    private func plan(index: Int, source: CorpusSourceConfig) throws -> Plan {
        let prefix = "sources[\(index)]"
        func fail(_ key: String, _ message: String) -> FactoryError {
            .config(file: configFile, keyPath: "\(prefix).\(key)", line: nil, message: message)
        }
        let installHint = source.package.map { " (it comes with the Debian package '\($0)'; `make setup` installs it)" } ?? ""
        let license =
            source.license ?? source.package.flatMap { DebianPackage.license(of: $0) }
            ?? (source.kind == .syntheticMath ? "CC0-1.0" : "unknown")
        var selection: FileSelection?
        switch source.kind {
        case .files, .jsonl, .wordnet:
            let path = source.path!
            if let refusal = FileSelection.refusal(of: path) { throw fail("path", "\(path) \(refusal)") }
            var allowed: Set<String>?
            if source.packageFilesOnly == true {
                guard let files = DebianPackage.installedFiles(of: source.package!) else {
                    if source.optional == true { return missingPlan(index, source, license, "package \(source.package!) is not installed") }
                    throw fail("package", "the Debian package '\(source.package!)' is not installed (`make setup` installs it)")
                }
                allowed = files
            }
            let include = (source.include ?? []).map(Glob.init)
            let exclude = (source.exclude ?? []).map(Glob.init)
            guard let resolved = try FileSelection.resolve(path: path, include: include, exclude: exclude, allowedPaths: allowed) else {
                if source.optional == true { return missingPlan(index, source, license, "no such file or directory: \(path)") }
                throw fail("path", "no such file or directory: \(path)\(installHint)")
            }
            if resolved.files.isEmpty {
                if source.optional == true { return missingPlan(index, source, license, "no files match \(path)") }
                throw fail("path", "no files under \(path) match the source's globs\(installHint)")
            }
            selection = resolved
        case .command:
            let program = source.command![0]
            if ChildProcess.locate(program) == nil {
                if source.optional == true { return missingPlan(index, source, license, "program \(program) not found") }
                throw fail("command", "the program '\(program)' is not installed or not in PATH\(installHint)")
            }
        case .syntheticMath:
            break
        }
        return Plan(index: index, source: source, selection: selection, license: license, missingReason: nil)
    }

    private func missingPlan(_ index: Int, _ source: CorpusSourceConfig, _ license: String, _ reason: String) -> Plan {
        Plan(index: index, source: source, selection: nil, license: license, missingReason: reason)
    }

    private func build(
        _ plan: Plan, split: ValidationSplit, train: JSONLinesWriter, validation: JSONLinesWriter
    ) throws -> CorpusManifest.SourceStats {
        let source = plan.source
        var stats = CorpusManifest.SourceStats(
            name: source.name, domain: source.domain, kind: source.kind.rawValue, package: source.package,
            license: plan.license, origin: source.path ?? source.command?.joined(separator: " "),
            status: plan.missingReason == nil ? "built" : "missing", files: plan.selection?.files.count, documents: 0, textBytes: 0,
            validationDocuments: 0, skippedShort: 0, skippedLong: 0, capped: false)
        guard plan.missingReason == nil else { return stats }
        let maxDocs = [source.maxDocs, maxDocsPerSource].compactMap { $0 }.min()
        let minimumBytes = source.minDocBytes ?? 1
        let total: Int? =
            switch source.kind {
            case .files, .jsonl: plan.selection?.files.count
            case .syntheticMath: maxDocs.map { min($0, source.count!) } ?? source.count
            case .wordnet, .command: nil
            }
        let unit = source.kind == .files || source.kind == .jsonl ? "files" : "docs"
        let progress = ProgressReporter(label: "corpus \(source.name)", total: total, unit: unit, write: progressOutput)
        var outputCut = false
        let reader = CorpusSourceReader(
            source: source, selection: plan.selection, license: plan.license, advance: { progress.advance(by: $0) },
            outputCut: { outputCut = true })
        try reader.read { document in
            let size = document.text.utf8.count
            if size < minimumBytes {
                stats.skippedShort += 1
                return true
            }
            if let limit = source.maxDocBytes, size > limit {
                stats.skippedLong += 1
                return true
            }
            if split.isValidation(id: document.id) {
                try validation.write(document)
                stats.validationDocuments += 1
            } else {
                try train.write(document)
            }
            stats.documents += 1
            stats.textBytes += size
            let reachedDocs = maxDocs.map { stats.documents >= $0 } ?? false
            let reachedBytes = source.maxBytes.map { stats.textBytes >= $0 } ?? false
            if reachedDocs || reachedBytes {
                stats.capped = true
                return false
            }
            return true
        }
        progress.finish()
        if outputCut {
            stats.capped = true
            progressOutput(
                "corpus \(source.name): the program's output reached max_output_bytes (\(source.outputLimit) bytes); it was stopped and its output cut at the last line end\n"
            )
        }
        return stats
    }

    private func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FactoryError.io(path: path, operation: "create the folder", reason: "\(error)")
        }
    }
}
