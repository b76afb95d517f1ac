import FactoryCore
import Foundation

/// Which optimizer updates each parameter of a model, at which learning rate, update scale and
/// weight decay: what `factory train --dry-run` prints.
public struct OptimizerPlan: Sendable {
    /// One parameter's line.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        /// `adamw` or `muon`.
        public var optimizer: String
        /// The peak learning rate (the schedule scales it; both optimizers share it).
        public var learningRate: Double
        /// What multiplies the learning rate in the update: Muon's `0.2·sqrt(max(rows, columns))`, 1 for AdamW.
        public var updateScale: Double
        /// Decoupled weight decay (AdamW decays matrices only).
        public var weightDecay: Double
        /// The matrices Muon orthogonalizes separately (experts), 0 for AdamW.
        public var matrices: Int
    }

    /// Entries in model order.
    public let entries: [Entry]
    /// `adamw` or `muon`.
    public let optimizer: String

    /// The plan for a model `layout` trained by `run`.
    public init(layout: [(name: String, shape: [Int])], run: TrainingRunConfig) {
        let adamW = run.adamWSettings
        let muon = run.muonSettings
        let groups = ParameterGroups(layout: layout)
        optimizer = run.optimizer.name
        entries = layout.map { name, shape in
            let matrices = groups.muonMatrices.filter { $0.parameter == name }
            if let muon, let first = matrices.first {
                return Entry(
                    name: name, shape: shape, optimizer: "muon", learningRate: run.optimizer.lr, updateScale: Double(first.updateScale),
                    weightDecay: Double(muon.weightDecay), matrices: matrices.count)
            }
            return Entry(
                name: name, shape: shape, optimizer: "adamw", learningRate: run.optimizer.lr, updateScale: 1,
                weightDecay: shape.count >= 2 ? Double(adamW.weightDecay) : 0, matrices: 0)
        }
    }

    /// Scalars of optimizer state: two per AdamW parameter, one per Muon parameter.
    public var stateScalarCount: Int {
        entries.reduce(0) { $0 + $1.shape.reduce(1, *) * ($1.optimizer == "muon" ? 1 : 2) }
    }

    /// The table, then a summary per optimizer.
    public func renderText() -> String {
        let rows = entries.map { entry in
            [
                entry.name, "[" + entry.shape.map(String.init).joined(separator: ", ") + "]", entry.optimizer,
                String(format: "%g", entry.learningRate), String(format: "%.4g", entry.updateScale), String(format: "%g", entry.weightDecay),
                entry.matrices > 1 ? "\(entry.matrices) matrices" : "",
            ]
        }
        var lines = TextTable.render(
            header: ["parameter", "shape", "optimizer", "lr", "update scale", "weight decay", ""], rows: rows)
        for name in ["muon", "adamw"] {
            let members = entries.filter { $0.optimizer == name }
            guard !members.isEmpty else { continue }
            let scalars = members.reduce(0) { $0 + $1.shape.reduce(1, *) }
            let matrices = members.reduce(0) { $0 + $1.matrices }
            lines.append(
                "\(name): \(members.count) parameters" + (name == "muon" ? " (\(matrices) matrices)" : "")
                    + ", \(scalars) scalars, \(name == "muon" ? 1 : 2) state buffer\(name == "muon" ? "" : "s") each")
        }
        lines.append("optimizer state: \(stateScalarCount) scalars")
        return lines.joined(separator: "\n")
    }
}
