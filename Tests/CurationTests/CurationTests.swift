import Documents
import FactoryCore
import Foundation
import Reports
import Testing

@testable import Curation

@Suite struct CurationTests {
    @Test func selectionKeepsTheConfiguredShareOfEveryStratum() {
        let fractions = [0.2, 0.5, 1.0]
        var candidates = [BucketSelection.Candidate]()
        for (domain, perBucket) in [("prose", [10, 7, 4]), ("code", [25, 3, 0])] {
            for (bucket, count) in perBucket.enumerated() {
                candidates += (0..<count).map { .init(id: "\(domain)-\(bucket)-\($0)", domain: domain, bucket: bucket + 1) }
            }
        }
        let selection = BucketSelection(keepFractions: fractions, seed: 4)
        let kept = selection.select(candidates)
        func keptCount(_ domain: String, _ bucket: Int) -> Int {
            zip(candidates, kept).filter { $0.0.domain == domain && $0.0.bucket == bucket && $0.1 }.count
        }
        // round(0.2·10) = 2, round(0.5·7) = 4 (halves up), 4; round(0.2·25) = 5, round(0.5·3) = 2.
        #expect([keptCount("prose", 1), keptCount("prose", 2), keptCount("prose", 3)] == [Int]([2, 4, 4]))
        #expect([keptCount("code", 1), keptCount("code", 2)] == [Int]([5, 2]))
        // The choice depends on the ids, not on the input order.
        let reversed = selection.select(candidates.reversed())
        #expect(Array(reversed.reversed()) == kept)
        #expect(BucketSelection(keepFractions: fractions, seed: 5).select(candidates) != kept)
    }

    @Test func quantileBucketsKeepTiesTogether() {
        let buckets = QualityBuckets.quantiles(of: [0.1, 0.2, 0.2, 0.2, 0.5, 0.6, 0.7, 0.9, 0.95, 1.0], levels: 5)
        #expect(buckets.edges == [0.2, 0.5, 0.7, 0.95])
        #expect([0.1, 0.2, 0.49, 0.5, 0.94, 0.95, 1.0].map(buckets.bucket(of:)) == [1, 2, 2, 3, 4, 5, 5])
        #expect(buckets.range(of: 1).lower == nil && buckets.range(of: 1).upper == 0.2)
        #expect(buckets.range(of: 5).lower == 0.95 && buckets.range(of: 5).upper == nil)
    }

    @Test func curationFiltersDeduplicatesAndSelectsWithAConsistentReport() throws {
        let documents = try QualityTestSupport.mixedCorpus()
        let models = QualityModels(
            noise: QualityTestSupport.randomClassifier(axis: .noise, seed: 1, documents: documents),
            information: QualityTestSupport.randomClassifier(axis: .information, seed: 2, documents: documents))
        let config = QualityTestSupport.config(filters: [QualityFilter(signal: .wordCount, min: 3, domains: ["prose"])])
        let result = try Curator(config: config, models: models, pool: ThreadPool(threadCount: 2)).curate(documents)
        let fateOf = Dictionary(uniqueKeysWithValues: zip(result.documents.map(\.id), result.fates))
        #expect(fateOf["tiny"] == .filtered(rule: 0))
        // Of each planted pair, the copy with the higher composite survives.
        for (original, copy, fate) in [(documents[5].id, "copy-of-5", DocumentFate.exactDuplicate), (documents[9].id, "edited-9", .nearDuplicate)] {
            let scores = [original, copy].map { id in Double(result.documents.first { $0.id == id }!.metadata[DocumentQuality.compositeKey]!)! }
            let removed = scores[0] >= scores[1] ? copy : original
            #expect(fateOf[removed] == fate)
            #expect(fateOf[removed == copy ? original : copy] != fate)
        }
        let report = result.report
        #expect(report.total.input.documents == documents.count)
        #expect(report.total.filtered.documents == 1)
        #expect(report.total.exactDuplicates.documents >= 1 && report.total.nearDuplicates.documents >= 1)
        #expect(report.total.kept.documents == result.kept.count)
        // Every bucket keeps its share of what survived filters and dedup, per domain.
        for bucket in report.buckets {
            for (domain, funnel) in report.byBucketAndDomain[String(bucket.bucket)] ?? [:] {
                let candidates = funnel.input.documents - funnel.filtered.documents - funnel.deduplicated.documents
                #expect(
                    funnel.kept.documents == Int((bucket.keepFraction * Double(candidates)).rounded(.toNearestOrAwayFromZero)),
                    "bucket \(bucket.bucket), \(domain)")
            }
        }
        // The groups partition the documents.
        for groups in [report.bySource, report.byDomain, report.byBucket] {
            #expect(groups.values.reduce(0) { $0 + $1.input.documents } == documents.count)
            #expect(groups.values.reduce(0) { $0 + $1.kept.tokens } == report.total.kept.tokens)
        }
        for document in result.kept {
            #expect(document.metadata[DocumentQuality.compositeKey] != nil && document.metadata[Curator.bucketKey] != nil)
            #expect(document.metadata[Deduplicator.clusterSizeKey] != nil)
        }
    }

    @Test func skippedSourcesAreNotDeduplicated() throws {
        let documents = try QualityTestSupport.mixedCorpus()
        let models = QualityModels(
            noise: QualityTestSupport.randomClassifier(axis: .noise, seed: 1, documents: documents),
            information: QualityTestSupport.randomClassifier(axis: .information, seed: 2, documents: documents))
        var config = QualityTestSupport.config(filters: [])
        let copied = documents.first { $0.id == "copy-of-5" }!.source
        config.dedup.skipSources = [copied]
        let result = try Curator(config: config, models: models, pool: ThreadPool(threadCount: 1)).curate(documents)
        let fateOf = Dictionary(uniqueKeysWithValues: zip(result.documents.map(\.id), result.fates))
        #expect(fateOf["copy-of-5"] != .exactDuplicate && fateOf["copy-of-5"] != .nearDuplicate)
        #expect(result.report.dedup.hasSuffix("not deduplicated: \(copied)"))
        config.dedup.skipSources = ["no-such-source"]
        #expect {
            try Curator(config: config, models: models, pool: ThreadPool(threadCount: 1)).curate(documents)
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "dedup.skip_sources" && message.contains("'no-such-source'")
        }
    }

    @Test func scoringAndCurationAreBitwiseTheSameOnAnyThreadCount() throws {
        let documents = try QualityTestSupport.mixedCorpus()
        let models = QualityModels(
            noise: QualityTestSupport.randomClassifier(axis: .noise, seed: 3, documents: documents),
            information: QualityTestSupport.randomClassifier(axis: .information, seed: 4, documents: documents))
        let scorer = QualityScorer(models: models, composite: CompositeScore())
        let scores = [1, 4].map { scorer.score(documents, pool: ThreadPool(threadCount: $0)) }
        #expect(scores[0] == scores[1])
        let config = QualityTestSupport.config()
        let results = try [1, 3].map { try Curator(config: config, models: models, pool: ThreadPool(threadCount: $0)).curate(documents) }
        #expect(results[0].documents == results[1].documents)
        #expect(results[0].fates == results[1].fates)
        #expect(results[0].report == results[1].report)
    }

    @Test func curatedCorpusKeepsTheFolderLayoutAndTheReportRenders() throws {
        let root = try QualityTestSupport.temporaryDirectory()
        let documents = try QualityTestSupport.mixedCorpus()
        let byDomain = Dictionary(grouping: documents, by: \.domain)
        for (domain, members) in byDomain {
            try FileManager.default.createDirectory(atPath: "\(root)/in/\(domain)", withIntermediateDirectories: true)
            _ = try JSONLinesWriter.write(members, toPath: "\(root)/in/\(domain)/train.jsonl")
            try "{\"id\":\"v\",\"text\":\"held out\",\"domain\":\"\(domain)\",\"source\":\"s\",\"license\":\"l\",\"metadata\":{}}\n"
                .write(toFile: "\(root)/in/\(domain)/validation.jsonl", atomically: true, encoding: .utf8)
        }
        let parts = try CorpusFolderLayout.parts(of: "\(root)/in")
        #expect(parts.map(\.name) == ["math", "prose"])
        let read = try CorpusFolderLayout.readTraining(parts, pool: ThreadPool(threadCount: 2))
        let models = QualityModels(
            noise: QualityTestSupport.randomClassifier(axis: .noise, seed: 1, documents: documents),
            information: QualityTestSupport.randomClassifier(axis: .information, seed: 2, documents: documents))
        let result = try Curator(config: QualityTestSupport.config(), models: models, pool: .serial).curate(read.flatMap { $0 })
        let kept = Set(result.kept.map(\.id))
        let written = try CorpusFolderLayout.write(
            training: read.map { part in part.filter { kept.contains($0.id) } }, parts: parts, to: "\(root)/out")
        #expect(written == ["math/train.jsonl", "math/validation.jsonl", "prose/train.jsonl", "prose/validation.jsonl"].map { "\(root)/out/\($0)" })
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: "\(root)/out/prose/validation.jsonl"))
                == Data(contentsOf: URL(fileURLWithPath: "\(root)/in/prose/validation.jsonl")))
        let reread = try CorpusFolderLayout.parts(of: "\(root)/out").flatMap { try JSONLinesReader.readDocuments(path: $0.trainPath) }
        #expect(Set(reread.map(\.id)) == kept)

        try JSONArtifact.write(result.report, toPath: "\(root)/out/curation.json")
        let report = try CurationReport.read(path: "\(root)/out/curation.json")
        #expect(report == result.report)
        let document = try CurationReportDocument.make(report)
        let markdown = document.markdown()
        let html = document.html()
        #expect(markdown.contains("| bucket |") && markdown.contains("Classifiers"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 6)
    }

    @Test func badConfigurationsNameTheFileAndKey() throws {
        let folder = try QualityTestSupport.temporaryDirectory()
        let path = "\(folder)/curate.toml"
        func expectError(_ toml: String, key: String, _ message: String) throws {
            try toml.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                _ = try CurationConfig.load(path: path)
                Issue.record("expected an error for key \(key)")
            } catch let FactoryError.config(file, keyPath, _, text) {
                #expect(file == path)
                #expect(keyPath == key)
                #expect(text.contains(message), "\(text)")
            }
        }
        let labels = "[information]\npositive_sources = [\"docs\"]\n"
        try expectError(labels + "[selection]\nkeep_fraction = [1.0]\n", key: "selection.keep_fraction", "unknown key")
        try expectError(
            labels + "[[filters]]\nsignal = \"word_count\"\nmin = 3\n[[filters]]\nsignal = \"wordcount\"\nmax = 3\n",
            key: "filters[1].signal", "unknown signal 'wordcount'")
        try expectError(labels + "[selection]\nlevels = 3\n", key: "selection.keep_fractions", "expected 3 fractions")
        try expectError(labels + "[composite]\nmethod = \"harmonic\"\n", key: "composite.method", "expected one of weighted_product, weighted_mean")
        try expectError("[noise]\ndocuments_per_source = 10\n", key: "information.positive_sources", "missing")
        try expectError(labels + "[features]\ndimension_bits = \"big\"\n", key: "features.dimension_bits", "expected")
        try (labels + "[[filters]]\nsignal = \"markup_fraction\"\nmax = 0.2\ndomains = [\"prose\"]\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        let config = try CurationConfig.load(path: path)
        #expect(config.filters == [QualityFilter(signal: .markupFraction, max: 0.2, domains: ["prose"])])
        #expect(config.selection.keepFractions == [0.2, 0.4, 0.6, 0.8, 1.0])
    }

    @Test func exampleConfigurationLoads() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/curate.toml").path
        let config = try CurationConfig.load(path: example)
        #expect(config.information.positiveSources?.isEmpty == false)
        #expect(!config.filters.isEmpty)
    }
}
