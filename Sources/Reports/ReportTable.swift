import FactoryCore

/// A table in a report: a header row and body rows of text cells, each column left- or
/// right-aligned (numbers right-aligned so their digits line up).
public struct ReportTable: Equatable, Sendable {
    /// How a column's cells are aligned.
    public enum Alignment: Equatable, Sendable {
        case left
        case right
    }

    /// The column names.
    public let header: [String]
    /// The body rows, each with one cell per column.
    public let rows: [[String]]
    /// One alignment per column.
    public let alignments: [Alignment]

    /// A table of `rows` under `header`.
    ///
    /// - Parameter alignments: one per column; `nil` right-aligns every column whose non-empty
    ///   cells all look numeric (see ``looksNumeric(_:)``) and left-aligns the others.
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` when a row or `alignments` does not
    ///   have one entry per column.
    public init(header: [String], rows: [[String]], alignments: [Alignment]? = nil) throws {
        if let bad = rows.firstIndex(where: { $0.count != header.count }) {
            throw FactoryError.invalidArgument(
                name: "table row \(bad + 1)", message: "has \(rows[bad].count) cells for \(header.count) columns")
        }
        if let alignments, alignments.count != header.count {
            throw FactoryError.invalidArgument(
                name: "table alignments", message: "has \(alignments.count) entries for \(header.count) columns")
        }
        self.header = header
        self.rows = rows
        self.alignments =
            alignments
            ?? header.indices.map { column in
                let cells = rows.map { $0[column] }.filter { !Self.isPlaceholder($0) }
                return !cells.isEmpty && cells.allSatisfy(Self.looksNumeric) ? .right : .left
            }
    }

    /// Whether `cell` reads as a number: optional sign, digits with optional `,` grouping and
    /// decimals or exponent, an optional unit suffix (`%`, `×`, `x`, `k`, `M`, `G`, `T`, `B`, `KiB`,
    /// `MiB`, `GiB`, `TiB`, `s`, `ms`), or a duration such as `1:02:03`.
    public static func looksNumeric(_ cell: String) -> Bool {
        var text = Substring(cell.trimmingSpaces)
        for suffix in ["KiB", "MiB", "GiB", "TiB", "ms", "%", "×", "x", "k", "M", "G", "T", "B", "s"] where text.hasSuffix(suffix) {
            text = text.dropLast(suffix.count)
            break
        }
        text = Substring(String(text).trimmingSpaces)
        if let first = text.first, "+-−".contains(first) { text = text.dropFirst() }
        guard let first = text.first, first.isASCII, first.isNumber else { return false }
        var seenPoint = false
        var seenExponent = false
        var seenColon = false
        var previous: Character = " "
        for character in text {
            switch character {
            case "0"..."9": break
            case "," where !seenPoint && !seenExponent && !seenColon: break
            case "." where !seenPoint && !seenExponent: seenPoint = true
            case ":" where !seenPoint && !seenExponent: seenColon = true
            case "e", "E":
                guard !seenExponent, !seenColon else { return false }
                seenExponent = true
            case "-", "+": guard previous == "e" || previous == "E" else { return false }
            default: return false
            }
            previous = character
        }
        return previous.isNumber
    }

    /// Cells that stand for "no value" and do not decide a column's alignment.
    static func isPlaceholder(_ cell: String) -> Bool {
        ["", "-", "—", "–", "n/a", "NaN"].contains(cell.trimmingSpaces)
    }
}

extension String {
    /// The string without leading and trailing spaces.
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
