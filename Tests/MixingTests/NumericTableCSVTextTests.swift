import Testing

@testable import Mixing

/// `NumericTable.csvText` wrote names holding a comma unquoted, so the file it wrote read back with
/// another column (found by `make fuzz`, target csv; input in fuzz/corpus/csv/crash-*).
@Suite struct NumericTableCSVTextTests {
    @Test func namesWithCommasQuotesAndLineBreaksReadBackUnchanged() throws {
        let table = NumericTable(
            columns: ["bits per, byte", "say \"hi\"", "two\nlines", "plain"], index: ["row,1", "row 2"], hasIndexColumn: true,
            rows: [[1.5, 2, 3, 4], [-0.25, 1e-3, 7, 8]])
        let text = table.csvText()
        #expect(text.hasPrefix("index,\"bits per, byte\",\"say \"\"hi\"\"\",\"two\nlines\",plain\n\"row,1\",1.5,"))
        #expect(try NumericTable.parse(text, source: "written.csv") == table)
    }

    /// A first name starting with U+FEFF (from a file with two byte order marks) was written
    /// unquoted, and read back without it (fuzz/corpus/csv/crash-a668aee8…).
    @Test func aNameStartingWithAByteOrderMarkReadsBackUnchanged() throws {
        let input = String(decoding: [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, 0x61, 0x0A, 0x31, 0x0A], as: UTF8.self)
        let table = try NumericTable.parse(input, source: "two-marks.csv")
        #expect(table.columns == ["\u{FEFF}a"])
        #expect(try NumericTable.parse(table.csvText(), source: "written.csv") == table)
    }
}
