import FactoryCore
import Foundation

/// Metric points as CSV: a header `key,step,value` or `key,step,value,wall_time` (Unix
/// seconds), then one point per line. Keys may not contain commas or quotes.
public enum MetricCSV {
    /// Parses CSV text; `source` names it in errors; points without a wall time get `now`.
    public static func parse(_ text: String, source: String, now: Date = Date()) throws -> [MetricPoint] {
        var points = [MetricPoint]()
        var hasWallTime = false
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so both line ends are separators here.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func fail(_ message: String) -> FactoryError {
                .config(file: source, keyPath: "", line: lineNumber, message: message)
            }
            if lineNumber == 1 {
                switch fields {
                case ["key", "step", "value"]: hasWallTime = false
                case ["key", "step", "value", "wall_time"]: hasWallTime = true
                default: throw fail("expected the header key,step,value or key,step,value,wall_time")
                }
                continue
            }
            guard fields.count == (hasWallTime ? 4 : 3) else { throw fail("expected \(hasWallTime ? 4 : 3) fields, found \(fields.count)") }
            guard !fields[0].isEmpty else { throw fail("empty metric key") }
            guard let step = Int64(fields[1]) else { throw fail("step '\(fields[1])' is not an integer") }
            guard let value = Double(fields[2]) else { throw fail("value '\(fields[2])' is not a number") }
            var wallTime = now
            if hasWallTime {
                guard let seconds = Double(fields[3]), seconds.isFinite else { throw fail("wall_time '\(fields[3])' is not a number") }
                wallTime = Date(timeIntervalSince1970: seconds)
            }
            points.append(MetricPoint(key: fields[0], step: step, value: value, wallTime: wallTime))
        }
        guard lineNumber > 0, !text.isEmpty else {
            throw FactoryError.config(file: source, keyPath: "", line: nil, message: "empty file; expected a key,step,value header")
        }
        return points
    }
}
