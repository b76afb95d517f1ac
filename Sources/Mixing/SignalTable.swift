import FactoryCore
import Foundation

/// Signal against noise for each target metric at proxy scale: the spread of a metric across
/// proxies trained on different mixtures against its spread across proxies trained on one
/// mixture with different seeds. A metric whose mixture spread does not exceed its seed spread
/// (signal-to-noise below `minSNR`), or a capability score at chance, cannot steer a mixture
/// search, so it is not a default target.
///
/// Definitions (all in the metric's units):
/// - spread: the sample standard deviation (n − 1), summed in run order;
/// - SNR: mixture spread / seed spread (+∞ when the seeds agree exactly and the mixtures do not;
///   undefined, and not usable, when both are 0);
/// - at chance (capability scores, whose table has `eval/<capability>/chance`): the mean over
///   every run of the measurement is below chance + 2 × the mean bootstrap standard error
///   (`eval/<capability>/stderr`, 0 when absent).
public struct SignalTable: Sendable, Equatable {
    /// One metric's measurement.
    public struct Row: Sendable, Equatable {
        public var metric: String
        /// The mean over every run of the measurement (mixture runs and seed runs, each run once).
        public var mean: Double
        /// A uniform guesser's score (`nil` for metrics without one, like a loss).
        public var chance: Double?
        /// The mean bootstrap standard error of the runs (`nil` when the table has none).
        public var stderr: Double?
        public var mixtureSpread: Double
        public var seedSpread: Double
        /// `nil` when undefined (both spreads 0).
        public var snr: Double?
        public var atChance: Bool
        public var usable: Bool
    }

    public var rows: [Row]
    /// How many mixtures and seeds were measured, and the usability threshold.
    public var mixtures: Int
    public var seeds: Int
    public var minSNR: Double

    /// The file name, next to the swarm folder it measured.
    public static let fileName = "signal.csv"

    /// Measures every metric in `metrics` (`eval/loss` and each `eval/<capability>/score` when
    /// `nil`). `mixtureRuns` has one row per mixture, `seedRuns` one row per seed of one mixture.
    ///
    /// - Throws: `FactoryError.invalidArgument` for fewer than 2 rows in either table, a metric
    ///   missing from either, or a value that is not finite.
    public static func measure(
        mixtureRuns: NumericTable, seedRuns: NumericTable, metrics: [String]? = nil, minSNR: Double = AutoMixerConfig.Signal.defaultMinSNR,
        source: String
    ) throws -> SignalTable {
        guard mixtureRuns.rows.count >= 2, seedRuns.rows.count >= 2 else {
            throw FactoryError.invalidArgument(
                name: source,
                message: "a spread needs at least 2 mixtures and 2 seeds, got \(mixtureRuns.rows.count) and \(seedRuns.rows.count)")
        }
        let names =
            metrics
            ?? (mixtureRuns.columns.contains("eval/loss") ? ["eval/loss"] : [])
            + CapabilityMetrics.capabilities(in: mixtureRuns.columns).map(CapabilityMetrics.scoreColumn)
        var rows = [Row]()
        for metric in names {
            let across = try finite(mixtureRuns, metric, source: source + " (mixture runs)")
            let within = try finite(seedRuns, metric, source: source + " (seed runs)")
            let all = across + within
            let mean = all.reduce(0, +) / Double(all.count)
            let prefix = metric.hasSuffix("/score") ? String(metric.dropLast("/score".count)) : nil
            let chance = try prefix.flatMap { try optionalMean(mixtureRuns, seedRuns, $0 + "/chance", source: source) }
            let stderr = try prefix.flatMap { try optionalMean(mixtureRuns, seedRuns, $0 + "/stderr", source: source) }
            let mixtureSpread = standardDeviation(across)
            let seedSpread = standardDeviation(within)
            let snr: Double? =
                seedSpread > 0 ? mixtureSpread / seedSpread : (mixtureSpread > 0 ? .infinity : nil)
            let atChance = chance.map { mean < $0 + 2 * (stderr ?? 0) } ?? false
            rows.append(
                Row(
                    metric: metric, mean: mean, chance: chance, stderr: stderr, mixtureSpread: mixtureSpread, seedSpread: seedSpread,
                    snr: snr, atChance: atChance, usable: !atChance && (snr.map { $0 >= minSNR } ?? false)))
        }
        return SignalTable(rows: rows, mixtures: mixtureRuns.rows.count, seeds: seedRuns.rows.count, minSNR: minSNR)
    }

    /// The capabilities whose score is usable as a target, sorted.
    public var usableCapabilities: [String] {
        rows.filter { $0.usable && $0.metric != "eval/loss" && $0.metric.hasSuffix("/score") }.map {
            String($0.metric.dropFirst("eval/".count).dropLast("/score".count))
        }.sorted()
    }

    /// The sample standard deviation, summed in order.
    static func standardDeviation(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
    }

    private static func finite(_ table: NumericTable, _ metric: String, source: String) throws -> [Double] {
        let values = try table.column(metric, source: source)
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw FactoryError.invalidArgument(name: source, message: "\(metric) of run \(table.index[bad]) is \(values[bad]), not a finite number")
        }
        return values
    }

    /// The mean of `column` over both tables' runs, or `nil` when either lacks it.
    private static func optionalMean(_ first: NumericTable, _ second: NumericTable, _ column: String, source: String) throws -> Double? {
        guard first.columns.contains(column), second.columns.contains(column) else { return nil }
        let values = try finite(first, column, source: source) + finite(second, column, source: source)
        return values.reduce(0, +) / Double(values.count)
    }

    // MARK: - The file

    /// The table as CSV: `index` (the metric), then mean, chance, stderr, mixture_spread,
    /// seed_spread, snr (`nan` where undefined), at_chance and usable (0 or 1), and the
    /// measurement's mixtures, seeds and min_snr on every row.
    public func csvText() -> String {
        table.csvText()
    }

    private static let columns = [
        "mean", "chance", "stderr", "mixture_spread", "seed_spread", "snr", "at_chance", "usable", "mixtures", "seeds", "min_snr",
    ]

    private var table: NumericTable {
        NumericTable(
            columns: Self.columns, index: rows.map(\.metric), hasIndexColumn: true,
            rows: rows.map { row in
                [
                    row.mean, row.chance ?? .nan, row.stderr ?? .nan, row.mixtureSpread, row.seedSpread, row.snr ?? .nan,
                    row.atChance ? 1 : 0, row.usable ? 1 : 0, Double(mixtures), Double(seeds), minSNR,
                ]
            })
    }

    /// Writes the CSV atomically.
    public func write(toPath path: String) throws {
        try AtomicFile.write(Data(csvText().utf8), toPath: path)
    }

    /// Reads a file ``write(toPath:)`` wrote; errors name the file.
    public static func read(path: String) throws -> SignalTable {
        let table = try NumericTable.read(path: path)
        guard table.columns == columns, table.hasIndexColumn, !table.rows.isEmpty else {
            throw FactoryError.corrupt(path: path, reason: "not a signal table (index, \(columns.joined(separator: ", ")))")
        }
        let rows = zip(table.index, table.rows).map { metric, values in
            Row(
                metric: metric, mean: values[0], chance: values[1].isNaN ? nil : values[1], stderr: values[2].isNaN ? nil : values[2],
                mixtureSpread: values[3], seedSpread: values[4], snr: values[5].isNaN ? nil : values[5], atChance: values[6] == 1,
                usable: values[7] == 1)
        }
        let first = table.rows[0]
        guard let mixtures = Int(exactly: first[8]), let seeds = Int(exactly: first[9]), mixtures >= 2, seeds >= 2 else {
            throw FactoryError.corrupt(path: path, reason: "mixtures and seeds must be counts of at least 2")
        }
        return SignalTable(rows: rows, mixtures: mixtures, seeds: seeds, minSNR: first[10])
    }

    /// The table as text: one line per metric, then which are usable.
    public func renderText() -> String {
        var text = "signal: \(mixtures) mixtures against \(seeds) seeds of one mixture (usable: SNR ≥ \(minSNR), not at chance)\n"
        text += "metric\tmean\tchance\tmixture spread\tseed spread\tSNR\tusable\n"
        for row in rows {
            let usable = row.usable ? "yes" : (row.atChance ? "no (at chance)" : "no (SNR < \(minSNR))")
            text +=
                [
                    row.metric, Self.format(row.mean), row.chance.map(Self.format) ?? "-", Self.format(row.mixtureSpread),
                    Self.format(row.seedSpread), row.snr.map { $0.isInfinite ? "inf" : String(format: "%.2f", $0) } ?? "undefined", usable,
                ].joined(separator: "\t") + "\n"
        }
        return text
    }

    private static func format(_ value: Double) -> String { String(format: "%.4f", value) }
}
