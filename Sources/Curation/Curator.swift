import Documents
import FactoryCore
import Foundation

/// Curates a set of documents: quality scores → heuristic filters → deduplication → bucket
/// selection, with a ``CurationReport`` of what each step removed.
///
/// 1. Both classifiers score every document; the scores go into its metadata
///    (`quality_noise`, `quality_information`, `quality_composite`, and `quality_bucket`).
/// 2. Buckets are set from the composite scores of all input documents (corpus quantiles, or the
///    configured thresholds).
/// 3. The filters run in configuration order; a document fails on the first rule it breaks.
/// 4. Deduplication (exact, then MinHash LSH) runs over every document that passed, across
///    domains; each cluster keeps its highest-composite member.
/// 5. Selection keeps the configured share of every (domain, bucket) stratum.
///
/// Every step is a pure function of the documents and the configuration, so the result is the
/// same on any number of threads.
public struct Curator: Sendable {
    /// The configuration.
    public let config: CurationConfig
    /// The classifiers.
    public let models: QualityModels
    /// Threads for scoring (deduplication uses its own deterministic parallel signatures).
    public let pool: ThreadPool

    /// The metadata key of a document's quality bucket.
    static let bucketKey = DedupReport.qualityBucketKey

    /// The rule that picks the member of a duplicate cluster to keep.
    public static let survivorPriority = DedupSurvivorPriority.highest(key: DocumentQuality.compositeKey)

    /// A curator.
    public init(config: CurationConfig, models: QualityModels, pool: ThreadPool = .machineWide) {
        self.config = config
        self.models = models
        self.pool = pool
    }

    /// What a curation produced.
    public struct Result: Sendable {
        /// The input documents, in order, each with its quality metadata.
        public var documents: [Document]
        /// What happened to each.
        public var fates: [DocumentFate]
        /// The report (without the corpus, config and models paths, which the caller knows).
        public var report: CurationReport
        /// Seconds spent per step, in order (not part of the report, which is deterministic).
        public var timings: [(step: String, seconds: Double)]

        /// The kept documents, in input order.
        public var kept: [Document] {
            zip(documents, fates).filter { $0.1 == .kept }.map(\.0)
        }
    }

    /// Curates `documents` (ids must be unique).
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` for a repeated id.
    public func curate(_ input: [Document], progress: QualityScorer.ProgressSink? = nil) throws -> Result {
        var timings = [(step: String, seconds: Double)]()
        var clock = ProgressReporter.monotonicSeconds()
        func lap(_ step: String) {
            let now = ProgressReporter.monotonicSeconds()
            timings.append((step, now - clock))
            clock = now
        }
        var indexByID = [String: Int](minimumCapacity: input.count)
        for (index, document) in input.enumerated() where indexByID.updateValue(index, forKey: document.id) != nil {
            throw FactoryError.invalidArgument(name: "document id", message: "'\(document.id)' occurs more than once in the corpus")
        }

        let qualities = QualityScorer(models: models, composite: config.composite).score(input, pool: pool, progress: progress)
        lap("score")
        let buckets =
            config.selection.thresholds.map { QualityBuckets(edges: $0) }
            ?? QualityBuckets.quantiles(of: qualities.map(\.composite), levels: config.selection.levelCount)
        let bucketOf = qualities.map { buckets.bucket(of: $0.composite) }
        var documents = input
        for index in documents.indices {
            annotate(&documents[index], quality: qualities[index], bucket: bucketOf[index])
        }

        var fates = [DocumentFate](repeating: .kept, count: documents.count)
        for index in documents.indices {
            if let rule = config.filters.firstIndex(where: { $0.applies(to: documents[index].domain) && !$0.passes(qualities[index].signals) }) {
                fates[index] = .filtered(rule: rule)
            }
        }
        lap("filter")

        if config.dedup.enabled {
            let skipped = Set(config.dedup.skipSources)
            let sources = Set(documents.map(\.source))
            if let unknown = config.dedup.skipSources.first(where: { !sources.contains($0) }) {
                throw FactoryError.invalidArgument(
                    name: "dedup.skip_sources",
                    message: "no document has source '\(unknown)' (sources: \(sources.sorted().joined(separator: ", ")))")
            }
            let candidates = documents.indices.filter { fates[$0] == .kept && !skipped.contains(documents[$0].source) }
            let deduplicator = Deduplicator(parameters: try config.dedup.parameters(), survivorPriority: Self.survivorPriority)
            let (survivors, dedupReport) = try deduplicator.deduplicate(candidates.map { documents[$0] })
            for removal in dedupReport.removals {
                fates[indexByID[removal.id]!] = removal.reason == .exact ? .exactDuplicate : .nearDuplicate
            }
            for survivor in survivors {
                documents[indexByID[survivor.id]!].metadata[Deduplicator.clusterSizeKey] = survivor.metadata[Deduplicator.clusterSizeKey]
            }
        }
        lap("dedup")

        let remaining = documents.indices.filter { fates[$0] == .kept }
        let selection = BucketSelection(keepFractions: config.selection.keepFractions, seed: config.seed)
        let chosen = selection.select(
            remaining.map {
                BucketSelection.Candidate(id: documents[$0].id, domain: documents[$0].domain, bucket: bucketOf[$0])
            })
        for (index, isChosen) in zip(remaining, chosen) where !isChosen { fates[index] = .deselected }
        lap("select")

        let report = makeReport(documents: documents, qualities: qualities, buckets: buckets, bucketOf: bucketOf, fates: fates)
        return Result(documents: documents, fates: fates, report: report, timings: timings)
    }

    /// Writes the scores (and optionally the signals) into the document's metadata.
    private func annotate(_ document: inout Document, quality: DocumentQuality, bucket: Int) {
        document.metadata[QualityAxis.noise.metadataKey] = DocumentQuality.format(quality.clean)
        document.metadata[QualityAxis.information.metadataKey] = DocumentQuality.format(quality.information)
        document.metadata[DocumentQuality.compositeKey] = DocumentQuality.format(quality.composite)
        document.metadata[Self.bucketKey] = String(bucket)
        if config.output.recordSignals {
            for signal in QualitySignal.allCases {
                document.metadata["signal_\(signal.rawValue)"] = DocumentQuality.format(quality.signals[signal])
            }
        }
    }

    private func makeReport(
        documents: [Document], qualities: [DocumentQuality], buckets: QualityBuckets, bucketOf: [Int], fates: [DocumentFate]
    ) -> CurationReport {
        var report = CurationReport()
        for axis in QualityAxis.allCases {
            let classifier = axis == .noise ? models.noise : models.information
            report.classifiers[axis.rawValue] = CurationClassifierSummary(
                labels: classifier.training.labels, heldOutAUC: classifier.training.heldOutAUC,
                examples: classifier.training.trainingExamples + classifier.training.heldOutExamples)
        }
        let composite = config.composite
        report.composite =
            composite.method == "weighted_mean"
            ? "weighted_mean: (\(composite.noiseWeight)·p_clean + \(composite.informationWeight)·p_info) / \(composite.noiseWeight + composite.informationWeight)"
            : "weighted_product: p_clean^\(composite.noiseWeight) · p_info^\(composite.informationWeight)"
        let dedup = config.dedup
        report.dedup =
            dedup.enabled
            ? "exact (NFC, whitespace-collapsed SHA-256) then MinHash LSH \(dedup.bands) bands × \(dedup.rows) rows over word \(dedup.ngramSize)-grams (seed \(dedup.seed)), across domains; survivor: \(Self.survivorPriority)"
                + (dedup.skipSources.isEmpty ? "" : "; not deduplicated: \(dedup.skipSources.joined(separator: ", "))")
            : "disabled"
        report.bucketing =
            config.selection.thresholds == nil ? "corpus quantiles of the composite score (all input documents)" : "fixed composite-score thresholds"
        report.buckets = (1...buckets.count).map { bucket in
            let range = buckets.range(of: bucket)
            return CurationBucket(bucket: bucket, lower: range.lower, upper: range.upper, keepFraction: config.selection.keepFractions[bucket - 1])
        }
        report.filters = config.filters.map { CurationFilterCounts(rule: $0.name, removed: CurationCounts()) }
        var scoreSums = [String: (clean: Double, information: Double, composite: Double)]()
        for (index, document) in documents.enumerated() {
            let tokens = CurationReport.estimatedTokens(document.text)
            let fate = fates[index]
            let bucket = String(bucketOf[index])
            report.total.record(fate, tokens: tokens)
            report.bySource[document.source, default: CurationFunnel()].record(fate, tokens: tokens)
            report.byDomain[document.domain, default: CurationFunnel()].record(fate, tokens: tokens)
            report.byBucket[bucket, default: CurationFunnel()].record(fate, tokens: tokens)
            report.byBucketAndDomain[bucket, default: [:]][document.domain, default: CurationFunnel()].record(fate, tokens: tokens)
            if case .filtered(let rule) = fate { report.filters[rule].removed.add(tokens: tokens) }
            let quality = qualities[index]
            var summary = report.scoresByDomain[document.domain, default: CurationScoreSummary()]
            summary.documents += 1
            summary.compositeHistogram[min(9, max(0, Int(quality.composite * 10)))] += 1
            report.scoresByDomain[document.domain] = summary
            let sums = scoreSums[document.domain, default: (0, 0, 0)]
            scoreSums[document.domain] = (sums.clean + quality.clean, sums.information + quality.information, sums.composite + quality.composite)
        }
        for (domain, sums) in scoreSums {
            let count = Double(report.scoresByDomain[domain]!.documents)
            report.scoresByDomain[domain]!.meanClean = sums.clean / count
            report.scoresByDomain[domain]!.meanInformation = sums.information / count
            report.scoresByDomain[domain]!.meanComposite = sums.composite / count
        }
        for bucket in 1...buckets.count where report.byBucket[String(bucket)] == nil {
            report.byBucket[String(bucket)] = CurationFunnel()
        }
        return report
    }
}
