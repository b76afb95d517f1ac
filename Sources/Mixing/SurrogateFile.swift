import FactoryCore
import Foundation

/// Reading surrogate JSON files with errors that name the file.
///
/// A file is checked before anything predicts with it: every model has one coefficient or
/// feature per domain, every tree's nodes point forward inside the tree (so prediction ends),
/// and there are at least two fold models (the uncertainty and the out-of-fold predictions need
/// them). A file with fewer weights than domains is refused instead of predicting silently
/// from the domains it has.
public enum SurrogateFile {
    public static func load(_ path: String) throws -> Surrogate {
        try FileKind.requireRegularFile(path, name: "surrogate file")
        guard let data = FileManager.default.contents(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        let surrogate: Surrogate
        do {
            surrogate = try JSONDecoder().decode(Surrogate.self, from: data)
        } catch {
            throw FactoryError.corrupt(path: path, reason: "not a surrogate written by `factory mix fit` (\(error))")
        }
        if let problem = problem(in: surrogate) {
            throw FactoryError.corrupt(path: path, reason: problem)
        }
        return surrogate
    }

    /// What makes `surrogate` unusable, or `nil` when it is consistent.
    static func problem(in surrogate: Surrogate) -> String? {
        let domains = surrogate.domains
        guard !domains.isEmpty else { return "it names no domains" }
        if let repeated = Dictionary(grouping: domains, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            return "domain '\(repeated)' appears twice"
        }
        guard surrogate.foldModels.count >= Surrogate.minimumFolds else {
            return "it has \(surrogate.foldModels.count) fold models; `factory mix fit` writes at least \(Surrogate.minimumFolds)"
        }
        for (name, model) in [("model", surrogate.model)] + surrogate.foldModels.enumerated().map({ ("foldModels[\($0.offset)]", $0.element) }) {
            guard model.kind == surrogate.kind else { return "\(name) is \(model.kind.rawValue), the surrogate says \(surrogate.kind.rawValue)" }
            if let problem = problem(in: model, featureCount: domains.count) { return "\(name): \(problem)" }
        }
        return nil
    }

    private static func problem(in model: FittedModel, featureCount: Int) -> String? {
        switch model {
        case .linear(let linear):
            guard linear.weights.count == featureCount else {
                return "\(linear.weights.count) weights for \(featureCount) domains"
            }
        case .loglinear(let logLinear):
            guard logLinear.t.count == featureCount else {
                return "\(logLinear.t.count) exponents for \(featureCount) domains"
            }
        case .gbdt(let trees):
            for (index, tree) in trees.trees.enumerated() {
                guard !tree.isEmpty else { return "tree \(index) has no nodes" }
                for (position, node) in tree.enumerated() where node.feature != -1 {
                    guard (0..<featureCount).contains(node.feature) else {
                        return "tree \(index) node \(position) splits on feature \(node.feature) of \(featureCount) domains"
                    }
                    // The fitter appends children after their parent; forward links also
                    // guarantee that prediction reaches a leaf.
                    guard node.left > position, node.left < tree.count, node.right > position, node.right < tree.count else {
                        return "tree \(index) node \(position) links to nodes \(node.left) and \(node.right) (of \(tree.count))"
                    }
                }
            }
        }
        return nil
    }
}
