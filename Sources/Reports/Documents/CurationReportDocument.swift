import Curation
import FactoryCore

/// Renders a ``CurationReport`` as a report document (Markdown and one self-contained HTML page
/// with SVG charts): the funnel of each step, what deduplication removed per quality bucket,
/// tokens kept per bucket and domain, and the tables by source, domain, bucket and filter.
public enum CurationReportDocument {
    /// The document for `report`.
    public static func make(_ report: CurationReport) throws -> ReportDocument {
        var document = ReportDocument(title: "Curation report")
        let total = report.total
        document.paragraph(
            "Corpus \(report.corpus.isEmpty ? "(not recorded)" : report.corpus), configuration \(report.config.isEmpty ? "(not recorded)" : report.config), "
                + "models \(report.models.isEmpty ? "(not recorded)" : report.models). "
                + "\(count(total.input.documents)) documents (\(count(total.input.tokens)) estimated tokens) in, "
                + "\(count(total.kept.documents)) documents (\(count(total.kept.tokens)) tokens, \(share(total.kept.tokens, of: total.input.tokens))) kept. "
                + "Tokens are estimated as \(report.tokenEstimate).")
        document.list([
            "Steps, in order: quality scores → heuristic filters → deduplication → bucket selection.",
            "Composite score: \(report.composite).",
            "Deduplication: \(report.dedup).",
            "Buckets: \(report.buckets.count), set by \(report.bucketing); bucket 1 holds the lowest composite scores.",
        ])

        document.heading("Classifiers")
        try document.table(
            header: ["axis", "labels", "examples", "held-out AUC"],
            rows: report.classifiers.keys.sorted().map { axis in
                let summary = report.classifiers[axis]!
                return [axis, summary.labels, count(summary.examples), NumberFormatting.fixed(summary.heldOutAUC, decimals: 4)]
            })

        document.heading("Funnel")
        let remaining = total.remaining
        document.chart(
            try HorizontalBarChart.funnel(
                title: "Documents after each step", steps: remaining.map { ($0.step, Double($0.counts.documents)) }, xLabel: "documents"))
        document.chart(
            try HorizontalBarChart.funnel(
                title: "Estimated tokens after each step", steps: remaining.map { ($0.step, Double($0.counts.tokens)) }, xLabel: "tokens"))
        try document.table(
            header: ["step", "documents", "tokens", "share of input tokens"],
            rows: remaining.map { [$0.step, count($0.counts.documents), count($0.counts.tokens), share($0.counts.tokens, of: total.input.tokens)] })

        let bucketNames = report.buckets.map { String($0.bucket) }
        document.heading("Quality buckets")
        try document.table(
            header: [
                "bucket", "composite range", "keep", "input", "filtered", "exact dup", "near dup", "dedup share", "deselected", "kept", "kept tokens",
            ],
            rows: report.buckets.map { bucket in
                let funnel = report.byBucket[String(bucket.bucket)] ?? CurationFunnel()
                let afterFilters = funnel.input.documents - funnel.filtered.documents
                return [
                    String(bucket.bucket), range(bucket), NumberFormatting.percent(bucket.keepFraction, decimals: 0),
                    count(funnel.input.documents), count(funnel.filtered.documents), count(funnel.exactDuplicates.documents),
                    count(funnel.nearDuplicates.documents), share(funnel.deduplicated.documents, of: afterFilters),
                    count(funnel.deselected.documents), count(funnel.kept.documents), count(funnel.kept.tokens),
                ]
            },
            caption: "Dedup share: documents deduplication removed, of those that passed the filters in the bucket.")
        document.chart(
            try BarChart(
                title: "Documents removed by deduplication per quality bucket", categories: bucketNames,
                series: [
                    ChartSeries(name: "exact", values: bucketNames.map { Double(report.byBucket[$0]?.exactDuplicates.documents ?? 0) }),
                    ChartSeries(name: "near", values: bucketNames.map { Double(report.byBucket[$0]?.nearDuplicates.documents ?? 0) }),
                ],
                arrangement: .stacked, xLabel: "quality bucket (1 = lowest)", yLabel: "documents", valueDecimals: 0))
        document.chart(
            try BarChart(
                title: "Share of each bucket removed by deduplication", categories: bucketNames,
                series: [
                    ChartSeries(
                        name: "dedup share",
                        values: bucketNames.map { name in
                            let funnel = report.byBucket[name] ?? CurationFunnel()
                            let afterFilters = funnel.input.documents - funnel.filtered.documents
                            return afterFilters == 0 ? 0 : 100 * Double(funnel.deduplicated.documents) / Double(afterFilters)
                        })
                ],
                xLabel: "quality bucket (1 = lowest)", yLabel: "% of documents after filters", valueDecimals: 1))

        let domains = report.byDomain.keys.sorted()
        document.heading("Kept tokens by bucket and domain")
        document.chart(
            try BarChart(
                title: "Estimated tokens kept per quality bucket and domain", categories: bucketNames,
                series: domains.map { domain in
                    ChartSeries(name: domain, values: bucketNames.map { Double(report.byBucketAndDomain[$0]?[domain]?.kept.tokens ?? 0) })
                },
                arrangement: .stacked, xLabel: "quality bucket (1 = lowest)", yLabel: "tokens", valueDecimals: 0))
        try document.table(
            header: ["domain"] + bucketNames.map { "bucket \($0) docs / tokens" },
            rows: domains.map { domain in
                [domain]
                    + bucketNames.map { name in
                        let kept = report.byBucketAndDomain[name]?[domain]?.kept ?? CurationCounts()
                        return "\(count(kept.documents)) / \(count(kept.tokens))"
                    }
            })

        document.heading("By domain")
        try document.table(funnelTable(report.byDomain, name: "domain"))
        document.heading("By source")
        try document.table(funnelTable(report.bySource, name: "source"))

        document.heading("Heuristic filters")
        if report.filters.isEmpty {
            document.paragraph("No filters were configured.")
        } else {
            try document.table(
                header: ["rule", "documents", "tokens"],
                rows: report.filters.map { [$0.rule, count($0.removed.documents), count($0.removed.tokens)] },
                caption: "A document counts for the first rule it fails, in configuration order.")
        }

        document.heading("Scores by domain")
        try document.table(
            header: ["domain", "documents", "mean p(clean)", "mean p(informative)", "mean composite"],
            rows: report.scoresByDomain.keys.sorted().map { domain in
                let summary = report.scoresByDomain[domain]!
                return [
                    domain, count(summary.documents), NumberFormatting.fixed(summary.meanClean, decimals: 3),
                    NumberFormatting.fixed(summary.meanInformation, decimals: 3), NumberFormatting.fixed(summary.meanComposite, decimals: 3),
                ]
            })
        let bins = (0..<10).map {
            "\(NumberFormatting.fixed(Double($0) / 10, decimals: 1))–\(NumberFormatting.fixed(Double($0 + 1) / 10, decimals: 1))"
        }
        document.chart(
            try BarChart(
                title: "Composite score distribution by domain (all input documents)", categories: bins,
                series: report.scoresByDomain.keys.sorted().map { domain in
                    ChartSeries(name: domain, values: report.scoresByDomain[domain]!.compositeHistogram.map(Double.init))
                },
                arrangement: .stacked, xLabel: "composite score", yLabel: "documents", valueDecimals: 0))
        return document
    }

    private static func funnelTable(_ groups: [String: CurationFunnel], name: String) throws -> ReportTable {
        try ReportTable(
            header: [name, "input", "filtered", "exact dup", "near dup", "deselected", "kept", "input tokens", "kept tokens"],
            rows: groups.keys.sorted().map { key in
                let funnel = groups[key]!
                return [
                    key, count(funnel.input.documents), count(funnel.filtered.documents), count(funnel.exactDuplicates.documents),
                    count(funnel.nearDuplicates.documents), count(funnel.deselected.documents), count(funnel.kept.documents),
                    count(funnel.input.tokens), count(funnel.kept.tokens),
                ]
            })
    }

    private static func range(_ bucket: CurationBucket) -> String {
        let lower = bucket.lower.map { NumberFormatting.fixed($0, decimals: 4) } ?? "0"
        let upper = bucket.upper.map { NumberFormatting.fixed($0, decimals: 4) } ?? "1"
        return "[\(lower), \(upper)\(bucket.upper == nil ? "]" : ")")"
    }

    private static func count(_ value: Int) -> String { NumberFormatting.grouped(value) }

    private static func share(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "–" : NumberFormatting.percent(Double(part) / Double(whole))
    }
}
