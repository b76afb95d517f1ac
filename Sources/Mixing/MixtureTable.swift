import FactoryCore

/// Mixture CSVs as surrogates read them: every weight finite and non-negative, every row
/// summing to 1 (within ``rowSumTolerance``), columns matched to a surrogate's domains by name.
public enum MixtureTable {
    /// How far a row's sum may be from 1: weights written rounded (RegMix's files have three
    /// decimals, and rows summing to 0.996 to 1.003) still read, while a row of counts, of
    /// zeros or of 1e308 does not.
    public static let rowSumTolerance = 0.01

    /// Reads mixtures and one target metric, joined on `index`.
    public static func trainingRows(
        mixtures mixturePath: String, metrics metricPath: String, target: String
    ) throws -> (domains: [String], x: [[Double]], y: [Double]) {
        let mixtures = try read(path: mixturePath)
        let metrics = try NumericTable.read(path: metricPath)
        let y = try metrics.column(target, source: metricPath)
        let aligned = try mixtures.aligned(to: metrics, source: mixturePath, otherSource: metricPath)
        if let bad = y.firstIndex(where: { !$0.isFinite }) {
            throw FactoryError.config(file: metricPath, keyPath: target, line: nil, message: "row '\(metrics.index[bad])' is not a finite number")
        }
        return (mixtures.columns, aligned.rows, y)
    }

    /// Reads mixtures and reorders their columns to `domains`; missing or unknown domains are errors.
    public static func rows(path: String, domains: [String]) throws -> (table: NumericTable, x: [[Double]]) {
        let table = try read(path: path)
        if let unknown = table.columns.first(where: { !domains.contains($0) }) {
            throw FactoryError.config(
                file: path, keyPath: unknown, line: 1, message: "unknown domain (the surrogate knows: \(domains.joined(separator: ", ")))")
        }
        if let missing = domains.first(where: { !table.columns.contains($0) }) {
            throw FactoryError.config(file: path, keyPath: missing, line: 1, message: "the surrogate's domain is missing from the file")
        }
        let positions = domains.map { table.columns.firstIndex(of: $0)! }
        return (table, table.rows.map { row in positions.map { row[$0] } })
    }

    /// Reads a mixture CSV, checking every row.
    public static func read(path: String) throws -> NumericTable {
        let table = try NumericTable.read(path: path)
        guard !table.columns.isEmpty else {
            throw FactoryError.config(file: path, keyPath: "", line: 1, message: "the header names no domain columns")
        }
        for (label, row) in zip(table.index, table.rows) {
            if let column = row.indices.first(where: { !(0...1).contains(row[$0]) }) {
                throw FactoryError.config(
                    file: path, keyPath: table.columns[column], line: nil,
                    message: "row '\(label)' has weight \(row[column]); weights must be between 0 and 1")
            }
            let total = row.reduce(0, +)
            guard abs(total - 1) <= rowSumTolerance else {
                throw FactoryError.config(
                    file: path, keyPath: "", line: nil,
                    message: "row '\(label)' sums to \(total); a mixture's weights sum to 1 (within \(rowSumTolerance))")
            }
        }
        return table
    }
}
