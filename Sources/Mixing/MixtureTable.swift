import FactoryCore

/// Mixture CSVs as surrogates read them: every weight finite and non-negative, columns matched
/// to a surrogate's domains by name.
public enum MixtureTable {
    /// Reads mixtures and one target metric, joined on `index`.
    public static func trainingRows(
        mixtures mixturePath: String, metrics metricPath: String, target: String
    ) throws -> (domains: [String], x: [[Double]], y: [Double]) {
        let mixtures = try validatedMixtures(path: mixturePath)
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
        let table = try validatedMixtures(path: path)
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

    private static func validatedMixtures(path: String) throws -> NumericTable {
        let table = try NumericTable.read(path: path)
        for (label, row) in zip(table.index, table.rows) {
            if let column = row.indices.first(where: { !row[$0].isFinite || row[$0] < 0 }) {
                throw FactoryError.config(
                    file: path, keyPath: table.columns[column], line: nil,
                    message: "row '\(label)' has weight \(row[column]); weights must be finite and non-negative")
            }
        }
        return table
    }
}
