import Data
import FactoryCore
import Foundation
import Reports

extension PipelineReport {
    /// Every source with its license and documents, and the tokens per domain that reached the
    /// shards: what went into the final model.
    func appendProvenance(corpus: String, curated: String?, shards: String?, to document: inout ReportDocument) throws {
        let manifest = try JSONArtifact.read(CorpusManifest.self, path: corpus + "/manifest.json")
        document.heading("Provenance")
        document.paragraph(
            "Sources of the corpus built from \(manifest.config) (config digest \(manifest.configDigest.prefix(12))…), "
                + "\(NumberFormatting.percent(manifest.validationFraction)) held out per domain for validation.")
        let rows = manifest.sources.map { source -> [String] in
            [source.name, source.domain, source.license, source.package ?? source.kind, NumberFormatting.grouped(source.documents),
             NumberFormatting.bytes(Int64(source.textBytes)), source.status]
        }
        try document.table(
            header: ["source", "domain", "license", "package", "documents", "text", "status"], rows: rows,
            caption: "Corpus sources (before curation).")
        guard let shards else { return }
        var tokenRows = [[String]]()
        for domain in manifest.domains.keys.sorted() {
            let train = try? TokenShardManifest.load(path: "\(shards)/train/\(TokenShardManifest.fileName(domain: domain))")
            let validation = try? TokenShardManifest.load(path: "\(shards)/validation/\(TokenShardManifest.fileName(domain: domain))")
            let sources = manifest.domains[domain]!.sources.joined(separator: ", ")
            tokenRows.append([
                domain, sources, train.map { NumberFormatting.grouped($0.documents) } ?? "-",
                train.map { NumberFormatting.grouped($0.tokens) } ?? "-", validation.map { NumberFormatting.grouped($0.tokens) } ?? "-",
            ])
        }
        try document.table(
            header: ["domain", "sources", "train documents", "train tokens", "validation tokens"], rows: tokenRows,
            caption: curated == nil ? "Token shards per domain." : "Token shards per domain, after curation.")
    }
}
