import FactoryCore
import FactoryNumerics
import Foundation

/// The surrogate families AutoMixer can fit.
public enum SurrogateKind: String, Codable, Sendable, CaseIterable {
    case linear
    case loglinear
    case gbdt
}

/// One fitted model of any family.
public enum FittedModel: Codable, Sendable, Equatable {
    case linear(LinearSurrogate)
    case loglinear(LogLinearSurrogate)
    case gbdt(GradientBoostedTrees)

    /// Fits a model of `kind` to rows `x` and targets `y`.
    public static func fit(_ kind: SurrogateKind, _ x: [[Double]], _ y: [Double], seed: UInt64 = 0) throws -> FittedModel {
        switch kind {
        case .linear: return .linear(try LinearSurrogate.fit(x, y))
        case .loglinear: return .loglinear(LogLinearSurrogate.fit(x, y, seed: seed))
        case .gbdt:
            var settings = GradientBoostedTrees.Settings()
            settings.seed = seed
            return .gbdt(GradientBoostedTrees.fit(x, y, settings: settings))
        }
    }

    /// The family the model belongs to.
    public var kind: SurrogateKind {
        switch self {
        case .linear: return .linear
        case .loglinear: return .loglinear
        case .gbdt: return .gbdt
        }
    }

    public func predict(_ x: [Double]) -> Double {
        switch self {
        case .linear(let model): return model.predict(x)
        case .loglinear(let model): return model.predict(x)
        case .gbdt(let model): return model.predict(x)
        }
    }
}

/// A surrogate for one target metric: the chosen family fitted on all rows, plus the models of
/// its cross-validation folds, whose spread is the prediction's uncertainty. Saved as JSON.
public struct Surrogate: Codable, Sendable, Equatable {
    /// The metric predicted.
    public var target: String
    /// The feature (domain) names, in column order.
    public var domains: [String]
    public var kind: SurrogateKind
    public var model: FittedModel
    public var foldModels: [FittedModel]
    /// Cross-validated Spearman correlation of every family tried; absent for a family whose
    /// out-of-fold predictions were all equal (the correlation is undefined then).
    public var crossValidatedSpearman: [String: Double]

    /// The prediction and its uncertainty (standard deviation of the fold models' predictions).
    public func predict(_ x: [Double]) -> (prediction: Double, uncertainty: Double) {
        let prediction = model.predict(x)
        guard foldModels.count > 1 else { return (prediction, 0) }
        let folds = foldModels.map { $0.predict(x) }
        let mean = folds.reduce(0, +) / Double(folds.count)
        let variance = folds.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(folds.count - 1)
        return (prediction, variance.squareRoot())
    }

    /// The out-of-fold prediction of each training row `x` (the rows it was fitted on, in the
    /// same order, with the same `seed`): each row predicted by the fold model that did not see it.
    public func outOfFoldPredictions(_ x: [[Double]], seed: UInt64 = 0) -> [Double] {
        let assignment = CrossValidation.folds(count: x.count, folds: foldModels.count, seed: seed)
        return x.indices.map { foldModels[assignment[$0]].predict(x[$0]) }
    }

    /// The fewest cross-validation folds: a fold model must leave rows out to be measured on.
    public static let minimumFolds = 2

    /// Fits each family in `kinds` with `folds`-fold cross-validation, picks the one with the
    /// highest out-of-fold Spearman correlation, and refits it on all rows.
    ///
    /// - Throws: `FactoryError.invalidArgument` for fewer than 2 folds, fewer rows than
    ///   `max(folds, 4)`, rows that are not one finite weight per domain, a target that is not
    ///   finite, or a target with the same value in every row (nothing to rank).
    public static func fit(
        target: String, domains: [String], x: [[Double]], y: [Double], kinds: [SurrogateKind] = SurrogateKind.allCases,
        folds: Int = 5, seed: UInt64 = 0
    ) throws -> Surrogate {
        guard folds >= minimumFolds else {
            throw FactoryError.invalidArgument(name: "folds", message: "cross-validation needs at least \(minimumFolds) folds, got \(folds)")
        }
        guard !kinds.isEmpty else { throw FactoryError.invalidArgument(name: "surrogate kinds", message: "name at least one") }
        guard x.count == y.count, x.count >= max(folds, 4) else {
            throw FactoryError.invalidArgument(name: "training rows", message: "need at least \(max(folds, 4)) rows with a target, got \(y.count)")
        }
        if let bad = x.firstIndex(where: { $0.count != domains.count || !$0.allSatisfy(\.isFinite) }) {
            throw FactoryError.invalidArgument(
                name: "training rows", message: "row \(bad + 1) is not \(domains.count) finite weights (one per domain)")
        }
        if let bad = y.firstIndex(where: { !$0.isFinite }) {
            throw FactoryError.invalidArgument(name: "target '\(target)'", message: "row \(bad + 1) is not a finite number")
        }
        guard y.contains(where: { $0 != y[0] }) else {
            throw FactoryError.invalidArgument(
                name: "target '\(target)'", message: "has the same value (\(y[0])) in all \(y.count) rows: there is nothing to rank or fit")
        }
        let assignment = CrossValidation.folds(count: x.count, folds: folds, seed: seed)
        var scores = [String: Double]()
        var foldModelsByKind = [SurrogateKind: [FittedModel]]()
        for kind in kinds {
            var outOfFold = [Double](repeating: 0, count: y.count)
            var models = [FittedModel]()
            for fold in 0..<folds {
                let train = assignment.indices.filter { assignment[$0] != fold }
                let model = try FittedModel.fit(kind, train.map { x[$0] }, train.map { y[$0] }, seed: seed)
                for i in assignment.indices where assignment[i] == fold { outOfFold[i] = model.predict(x[i]) }
                models.append(model)
            }
            let score = RankCorrelation.spearman(outOfFold, y)
            if !score.isNaN { scores[kind.rawValue] = score }
            foldModelsByKind[kind] = models
        }
        let chosen = kinds.max { (scores[$0.rawValue] ?? -.infinity) < (scores[$1.rawValue] ?? -.infinity) }!
        return Surrogate(
            target: target, domains: domains, kind: chosen, model: try FittedModel.fit(chosen, x, y, seed: seed),
            foldModels: foldModelsByKind[chosen]!, crossValidatedSpearman: scores)
    }
}

/// Deterministic fold assignment.
enum CrossValidation {
    /// A fold number for each row: a seeded shuffle dealt round-robin.
    static func folds(count: Int, folds: Int, seed: UInt64) -> [Int] {
        let stream = RandomStream(seed: seed).split("cv-folds")
        let order = (0..<count).sorted { stream.word(at: UInt64($0)) < stream.word(at: UInt64($1)) }
        var assignment = [Int](repeating: 0, count: count)
        for (position, row) in order.enumerated() { assignment[row] = position % folds }
        return assignment
    }
}
