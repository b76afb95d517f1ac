import Corpus
import Curation
import FactoryCore
import Foundation
import Reports
import Shards

extension PipelineReport {
    /// Every source with its license and documents, and the tokens per domain that reached the
    /// shards: what went into the final model.
    func appendProvenance(corpus: String, curated: String?, shards: String?, to document: inout ReportDocument) throws {
        let manifest = try JSONArtifact.read(CorpusManifest.self, path: corpus + "/manifest.json")
        document.heading("Provenance")
        document.paragraph(
            "Sources of the corpus built from \(manifest.config) (config digest \(manifest.configDigest.prefix(12))…), "
                + "\(NumberFormatting.percent(manifest.validationFraction)) held out per domain for validation.")
        let curation = try curated.map { try JSONArtifact.read(CurationReport.self, path: $0 + "/" + CorpusFolderCuration.reportFile) }
        let rows = manifest.sources.map { source -> [String] in
            var row = [
                source.name, source.domain, source.license, source.package ?? source.kind, NumberFormatting.grouped(source.documents),
                NumberFormatting.bytes(Int64(source.textBytes)),
            ]
            if let curation {
                // Generated documents carry the generator's tag as their source, not the source's name.
                let kept =
                    (curation.bySource[source.name]
                    ?? curation.bySource[SyntheticMath.sourceTag].flatMap { source.kind == "synthetic-math" ? $0 : nil })?.kept
                row += [kept.map { NumberFormatting.grouped($0.documents) } ?? "-", kept.map { NumberFormatting.grouped($0.tokens) } ?? "-"]
            }
            return row
        }
        try document.table(
            header: ["source", "domain", "license", "package", "documents", "text"]
                + (curation == nil ? [] : ["kept documents", "kept tokens (est.)"]),
            rows: rows,
            caption: curation == nil
                ? "Corpus sources."
                : "Corpus sources, and what curation kept of each (tokens estimated as \(curation!.tokenEstimate)).")
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
