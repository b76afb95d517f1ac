import FactoryCore
import Foundation
import SwiftCSV

/// Metric points as CSV (parsed by SwiftCSV, as every CSV the factory reads): a header
/// `key,step,value` or `key,step,value,wall_time` (Unix seconds), then one point per row.
/// Steps are non-negative integers; a value is a number or `nan` (a diverged metric, which
/// ablations exclude), never infinite.
public enum MetricCSV {
    /// Parses CSV text; `source` names it in errors; points without a wall time get `now`.
    public static func parse(_ text: String, source: String, now: Date = Date()) throws -> [MetricPoint] {
        guard !text.isEmpty else {
            throw FactoryError.config(file: source, keyPath: "", line: nil, message: "empty file; expected a key,step,value header")
        }
        let csv: EnumeratedCSV
        do {
            csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false)
        } catch {
            throw FactoryError.config(file: source, keyPath: "", line: nil, message: "malformed CSV: \(error)")
        }
        let hasWallTime: Bool
        switch csv.header {
        case ["key", "step", "value"]: hasWallTime = false
        case ["key", "step", "value", "wall_time"]: hasWallTime = true
        default:
            throw FactoryError.config(file: source, keyPath: "", line: 1, message: "expected the header key,step,value or key,step,value,wall_time")
        }
        var points = [MetricPoint]()
        for (number, fields) in csv.rows.enumerated() {
            func fail(_ message: String) -> FactoryError {
                .config(file: source, keyPath: "", line: number + 2, message: message)
            }
            if fields.allSatisfy(\.isEmpty) { continue }
            guard fields.count == csv.header.count else { throw fail("expected \(csv.header.count) fields, found \(fields.count)") }
            guard !fields[0].isEmpty else { throw fail("empty metric key") }
            guard let step = Int64(fields[1]) else { throw fail("step '\(fields[1])' is not an integer") }
            guard step >= 0 else { throw fail("step \(step) is negative") }
            guard let value = Double(fields[2]) else { throw fail("value '\(fields[2])' is not a number") }
            guard !value.isInfinite else { throw fail("value '\(fields[2])' is infinite (nan marks a diverged metric)") }
            var wallTime = now
            if hasWallTime {
                guard let seconds = Double(fields[3]), seconds.isFinite else { throw fail("wall_time '\(fields[3])' is not a number") }
                wallTime = Date(timeIntervalSince1970: seconds)
            }
            points.append(MetricPoint(key: fields[0], step: step, value: value, wallTime: wallTime))
        }
        return points
    }
}
