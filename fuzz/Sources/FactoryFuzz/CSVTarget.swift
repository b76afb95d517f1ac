import Lineage
import Mixing

/// CSV through both readers built on SwiftCSV: `NumericTable` (mixture and metric tables, with its
/// CSV text written back and read again) and `MetricCSV` (`runs record` metric points).
enum CSVTarget {
    static func run(_ input: FuzzInput) -> Int32 {
        let text = input.text
        _ = FuzzInput.expectingFactoryErrors {
            let table = try NumericTable.parse(text, source: "fuzz.csv")
            let again = try NumericTable.parse(table.csvText(), source: "fuzz.csv (written back)")
            guard again.columns == table.columns, again.rows.count == table.rows.count else {
                fatalError("NumericTable's CSV text read back differs: \(table) became \(again)")
            }
        }
        return FuzzInput.expectingFactoryErrors { _ = try MetricCSV.parse(text, source: "fuzz.csv") }
    }
}
