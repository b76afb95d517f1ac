import FactoryCore

/// Several runs side by side: the config keys where they differ, and every metric's final value.
public struct RunComparison: Hashable, Sendable {
    /// One row: a name and one cell per run (`nil` where the run lacks it).
    public struct Row<Value: Hashable & Sendable>: Hashable, Sendable {
        /// A config key, a run field or a metric key.
        public var name: String
        /// One value per run, in the runs' order.
        public var values: [Value?]
    }

    /// The runs compared, in the order given.
    public var runs: [RunRecord]
    /// Run fields (kind, status, seed, commit, …) that differ.
    public var fieldDifferences: [Row<String>]
    /// Config leaves that differ (or exist in only some runs), by key path.
    public var configDifferences: [Row<String>]
    /// The value at the last step of every metric any run has, by key.
    public var finalMetrics: [Row<Double>]

    /// Compares `runs` (at least two) using their records and final metrics in `store`.
    public init(runs: [RunRecord], store: any LineageStore) throws {
        guard runs.count >= 2 else {
            throw FactoryError.invalidArgument(name: "runs", message: "compare needs at least two runs, got \(runs.count)")
        }
        self.runs = runs
        let fields: [(String, (RunRecord) -> String?)] = [
            ("kind", \.kind), ("name", \.name), ("status", \.status.rawValue), ("seed", { $0.seed.map(String.init) }),
            ("tags", { $0.tags.joined(separator: ",") }), ("config digest", { String($0.config.digest.hex.prefix(12)) }),
            ("git commit", { $0.provenance.gitCommit.map { String($0.prefix(12)) } }),
            ("git diff", { $0.provenance.gitDiffDigest.map { String($0.hex.prefix(12)) } }),
            ("executable", { $0.provenance.executableDigest.map { String($0.hex.prefix(12)) } }),
            ("factory version", \.provenance.factoryVersion), ("host", \.provenance.host),
        ]
        fieldDifferences = fields.map { name, read in Row(name: name, values: runs.map(read)) }.filter(Self.differs)
        let leaves = runs.map { Dictionary($0.config.flattened.map { ($0.path, $0.value.plainText) }, uniquingKeysWith: { first, _ in first }) }
        let paths = Set(leaves.flatMap(\.keys)).sorted()
        configDifferences = paths.map { path in Row(name: path, values: leaves.map { $0[path] }) }.filter(Self.differs)
        var finals = [[String: Double]]()
        for run in runs {
            finals.append(Dictionary(try store.finalMetrics(run: run.id).map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }))
        }
        finalMetrics = Set(finals.flatMap(\.keys)).sorted().map { key in Row(name: key, values: finals.map { $0[key] }) }
    }

    private static func differs(_ row: Row<String>) -> Bool { Set(row.values).count > 1 }

    /// The comparison as text for a terminal.
    public func renderText() -> String {
        let header = [""] + runs.map(\.id)
        var lines = ["runs:"] + TextTable.render(header: header, rows: fieldDifferences.map { [$0.name] + $0.values.map { $0 ?? "—" } })
        if fieldDifferences.isEmpty { lines.append("  (no differences in kind, status, seed, code or host)") }
        lines += ["", "config differences:"]
        lines +=
            configDifferences.isEmpty
            ? ["  (none: the configs are equal)"]
            : TextTable.render(header: header, rows: configDifferences.map { [$0.name] + $0.values.map { $0 ?? "—" } })
        lines += ["", "final metrics:"]
        lines +=
            finalMetrics.isEmpty
            ? ["  (none)"]
            : TextTable.render(header: header, rows: finalMetrics.map { [$0.name] + $0.values.map { $0.map(AblationReport.number) ?? "—" } })
        return lines.joined(separator: "\n")
    }
}
