import FactoryCore

/// The files one corpus source reads from disk, as resolved on this machine: what a build's
/// lineage records as its inputs.
public struct CorpusSourceFiles: Sendable, Equatable {
    /// The source's name.
    public var source: String
    /// The source's kind.
    public var kind: CorpusSourceConfig.Kind
    /// The Debian package the files come from, if any.
    public var package: String?
    /// The license its documents carry.
    public var license: String
    /// The files.
    public var selection: FileSelection

    /// The source's kind, license and package as a table, to record with its files.
    public var provenance: ConfigValue {
        var table: [String: ConfigValue] = ["source_kind": .string(kind.rawValue), "license": .string(license)]
        if let package { table["package"] = .string(package) }
        return .table(table)
    }
}

extension CorpusBuilder {
    /// The files each file-based source (`files`, `jsonl`, `wordnet`) reads, in configuration
    /// order. Command and synthetic sources read no files, and a missing optional source is
    /// left out; the errors are those of ``build(outputDirectory:)`` for a missing path.
    public func sourceFiles() throws -> [CorpusSourceFiles] {
        try plans().compactMap { plan in
            plan.selection.map {
                CorpusSourceFiles(
                    source: plan.source.name, kind: plan.source.kind, package: plan.source.package, license: plan.license,
                    selection: $0)
            }
        }
    }
}
