import FactoryCore
import Foundation

/// What the AutoMixer predicted and measured for one metric: its weight in the objective (0 for
/// a metric fitted only to be reported), its swarm spread, the surrogate's predictions for the
/// proposal and the prior, the floor, and the check runs' measurements. Written as `targets.csv`.
public struct TargetOutcome: Sendable, Equatable {
    public var metric: String
    public var goal: TargetGoal
    /// The target's weight in the objective; 0 when it is not a target.
    public var weight: Double
    /// The floor margin, when the metric has a floor.
    public var margin: Double?
    /// The sample standard deviation of the metric across the swarm: the objective divides each
    /// target by it, so a weight compares spreads, not units.
    public var scale: Double
    public var predictedProposal: Double
    public var proposalUncertainty: Double
    public var predictedPrior: Double
    /// The proposal's predicted metric may not be worse than this.
    public var floor: Double?
    public var measuredProposal: Double?
    public var measuredPrior: Double?

    /// The file in the mixer's folder.
    public static let fileName = "targets.csv"

    private static let columns = [
        "maximize", "weight", "margin", "scale", "predicted_proposal", "proposal_uncertainty", "predicted_prior", "floor",
        "measured_proposal", "measured_prior",
    ]

    /// The outcomes as CSV (index: the metric; `nan` where a value is absent).
    public static func csvText(_ outcomes: [TargetOutcome]) -> String {
        NumericTable(
            columns: columns, index: outcomes.map(\.metric), hasIndexColumn: true,
            rows: outcomes.map { row in
                [
                    row.goal == .maximize ? 1 : 0, row.weight, row.margin ?? .nan, row.scale, row.predictedProposal,
                    row.proposalUncertainty, row.predictedPrior, row.floor ?? .nan, row.measuredProposal ?? .nan, row.measuredPrior ?? .nan,
                ]
            }
        ).csvText()
    }

    /// Reads `targets.csv`; errors name the file.
    public static func read(path: String) throws -> [TargetOutcome] {
        let table = try NumericTable.read(path: path)
        guard table.columns == columns, table.hasIndexColumn else {
            throw FactoryError.corrupt(path: path, reason: "not a targets file (index, \(columns.joined(separator: ", ")))")
        }
        func present(_ value: Double) -> Double? { value.isNaN ? nil : value }
        return zip(table.index, table.rows).map { metric, values in
            TargetOutcome(
                metric: metric, goal: values[0] == 1 ? .maximize : .minimize, weight: values[1], margin: present(values[2]),
                scale: values[3], predictedProposal: values[4], proposalUncertainty: values[5], predictedPrior: values[6],
                floor: present(values[7]), measuredProposal: present(values[8]), measuredPrior: present(values[9]))
        }
    }
}
