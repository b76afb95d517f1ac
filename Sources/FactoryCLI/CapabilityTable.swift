import Evaluation
import FactoryCore
import Foundation

/// `factory eval --suites capabilities`'s terminal output: one row per task and metric (the
/// primary metric marked `*`), then one row per capability.
enum CapabilityTable {
    static func lines(_ results: CapabilityResults) -> [String] {
        func number(_ value: Double) -> String { String(format: "%.4f", value) }
        var rows = [[String]]()
        for task in results.tasks {
            for metric in task.metrics.keys.sorted() {
                let estimate = task.metrics[metric]!
                rows.append([
                    task.name, task.capability.rawValue, metric + (metric == task.metric ? " *" : ""),
                    "\(number(estimate.value)) ± \(number(estimate.stderr))", number(task.chance), "\(task.documents)",
                ])
            }
        }
        let capabilities = results.capabilities.map {
            [$0.capability.rawValue, "\(number($0.score)) ± \(number($0.stderr))", number($0.chance), $0.tasks.joined(separator: ", ")]
        }
        return TextTable.render(header: ["task", "capability", "metric", "value ± stderr", "chance", "documents"], rows: rows) + [""]
            + TextTable.render(header: ["capability", "score ± stderr", "chance", "tasks"], rows: capabilities)
    }
}
