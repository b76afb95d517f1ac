import FactoryCore
import Foundation
import SwiftCSV

/// A CSV of numbers with a header: an optional `index` column naming each row, then one column
/// per feature or metric (the layout of RegMix's mixture and metric files).
public struct NumericTable: Equatable, Sendable {
    /// Column names, without `index`.
    public let columns: [String]
    /// Row names: the `index` column's text, or "1", "2", … when the file has none.
    public let index: [String]
    /// Whether the file had an `index` column.
    public let hasIndexColumn: Bool
    /// `rows[i][j]` is row i's value in column j.
    public let rows: [[Double]]

    public init(columns: [String], index: [String], hasIndexColumn: Bool, rows: [[Double]]) {
        self.columns = columns
        self.index = index
        self.hasIndexColumn = hasIndexColumn
        self.rows = rows
    }

    /// Reads a CSV file; errors name the file, the line and the column.
    public static func read(path: String) throws -> NumericTable {
        try FileKind.requireRegularFile(path, name: "CSV file")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw FileManager.default.fileExists(atPath: path)
                ? FactoryError.io(path: path, operation: "read", reason: "not UTF-8 text") : FactoryError.fileNotFound(path: path)
        }
        return try parse(text, source: path)
    }

    /// Parses CSV text; `source` names it in errors.
    public static func parse(_ text: String, source: String) throws -> NumericTable {
        let csv: EnumeratedCSV
        do {
            csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false)
        } catch {
            throw FactoryError.config(file: source, keyPath: "", line: nil, message: "malformed CSV: \(error)")
        }
        let header = csv.header.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !header.isEmpty, !(header.count == 1 && header[0].isEmpty) else {
            throw FactoryError.config(file: source, keyPath: "", line: 1, message: "the file has no header row")
        }
        if let duplicate = Dictionary(grouping: header, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw FactoryError.config(file: source, keyPath: duplicate, line: 1, message: "the column appears twice in the header")
        }
        let hasIndex = header.first == "index"
        let columns = Array(header.dropFirst(hasIndex ? 1 : 0))
        var index = [String]()
        var rows = [[Double]]()
        for (number, row) in csv.rows.enumerated() {
            let line = number + 2
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.count == header.count else {
                throw FactoryError.config(file: source, keyPath: "", line: line, message: "has \(row.count) fields, the header has \(header.count)")
            }
            let label = hasIndex ? row[0].trimmingCharacters(in: .whitespaces) : "\(rows.count + 1)"
            var values = [Double]()
            for (column, field) in zip(columns, row.dropFirst(hasIndex ? 1 : 0)) {
                guard let value = Double(field.trimmingCharacters(in: .whitespaces)) else {
                    throw FactoryError.config(file: source, keyPath: column, line: line, message: "'\(field)' is not a number")
                }
                values.append(value)
            }
            index.append(label)
            rows.append(values)
        }
        if hasIndex, let duplicate = Dictionary(grouping: index, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw FactoryError.config(file: source, keyPath: "index", line: nil, message: "row '\(duplicate)' appears twice")
        }
        return NumericTable(columns: columns, index: index, hasIndexColumn: hasIndex, rows: rows)
    }

    /// The values of one column; an unknown name is an error listing the columns.
    public func column(_ name: String, source: String) throws -> [Double] {
        guard let position = columns.firstIndex(of: name) else {
            throw FactoryError.config(
                file: source, keyPath: name, line: nil,
                message: "no such column (columns: \(columns.joined(separator: ", ")))")
        }
        return rows.map { $0[position] }
    }

    /// This table's rows in the order of `other`'s index (joining on `index`); both must name the same rows.
    public func aligned(to other: NumericTable, source: String, otherSource: String) throws -> NumericTable {
        guard Set(index) == Set(other.index), index.count == other.index.count else {
            let missing = other.index.first { !index.contains($0) } ?? index.first { !other.index.contains($0) } ?? "?"
            throw FactoryError.config(
                file: source, keyPath: "index", line: nil,
                message: "rows do not match \(otherSource) (row '\(missing)' is in one file only)")
        }
        let positions = Dictionary(uniqueKeysWithValues: index.enumerated().map { ($1, $0) })
        return NumericTable(
            columns: columns, index: other.index, hasIndexColumn: hasIndexColumn,
            rows: other.index.map { rows[positions[$0]!] })
    }

    /// CSV text: the index column when present, then the columns; names holding a comma, a quote or
    /// a line break are quoted (RFC 4180), and so is a name starting with U+FEFF (unquoted at the
    /// start of the file, a reader takes it for a byte order mark), so `parse` reads the same table back.
    public func csvText() -> String {
        var lines = [((hasIndexColumn ? ["index"] : []) + columns).map(Self.field).joined(separator: ",")]
        for (label, row) in zip(index, rows) {
            lines.append(((hasIndexColumn ? [Self.field(label)] : []) + row.map { "\($0)" }).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func field(_ text: String) -> String {
        guard text.unicodeScalars.first == "\u{FEFF}" || text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension NumericTable {
    /// The rows named `labels`, in that order; an unknown label is an error naming `source`.
    public func selecting(_ labels: [String], source: String) throws -> NumericTable {
        try NumericTable.stacking(labels.map { (table: self, label: $0) }, source: source)
    }

    /// One row from each table, by label, over the columns all the tables have (in the first's
    /// order), with those labels as the index; an unknown label is an error naming `source`.
    public static func stacking(_ picks: [(table: NumericTable, label: String)], source: String) throws -> NumericTable {
        let columns = (picks.first?.table.columns ?? []).filter { column in picks.allSatisfy { $0.table.columns.contains(column) } }
        let rows = try picks.map { table, label -> [Double] in
            guard let row = table.index.firstIndex(of: label) else {
                throw FactoryError.config(
                    file: source, keyPath: "index", line: nil, message: "no run '\(label)' (runs: \(table.index.joined(separator: ", ")))")
            }
            return columns.map { table.rows[row][table.columns.firstIndex(of: $0)!] }
        }
        return NumericTable(columns: columns, index: picks.map(\.label), hasIndexColumn: true, rows: rows)
    }
}
