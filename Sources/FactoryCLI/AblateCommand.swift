import ArgumentParser
import FactoryCore
import Foundation
import Lineage

/// `factory ablate`: regress a metric's final value on config factors across recorded runs.
struct AblateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ablate",
        abstract: "Fit OLS of a metric's final value on config factors across runs; print effects with confidence intervals.",
        discussion: """
            Only finished runs count unless --where names a status. Categorical factors (text, booleans, or \
            those given to --categorical) enter as one indicator per level against the first level; numbers \
            enter as they are, or as log10 when given to --log.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The metric key, e.g. eval/loss.") var metric: String
    @Option(help: "Comma-separated config keys (full, or a unique suffix such as lr).") var factors: String
    @Option(name: .customLong("where"), help: "A condition key=value on run fields (kind, status, tag, …) or config keys (repeatable).")
    var conditions: [String] = []
    @Option(help: "Comma-separated numeric factors to enter as log10.") var log: String = ""
    @Option(help: "Comma-separated factors to treat as categorical even if numeric.") var categorical: String = ""
    @Option(help: "Confidence level of the intervals.") var level = 0.95

    func run() throws {
        func list(_ text: String) -> [String] { text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let logged = Set(list(log))
        let categories = Set(list(categorical))
        let ablation = Ablation(
            metric: metric,
            factors: list(factors).map { name in
                AblationFactor(name: name, encoding: logged.contains(name) ? .log10 : categories.contains(name) ? .categorical : .automatic)
            },
            predicates: try conditions.map(RunPredicate.init(parsing:)),
            confidenceLevel: level)
        print(try ablation.run(on: store.openExisting().records).renderText())
    }
}
