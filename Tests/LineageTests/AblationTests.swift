import FactoryCore
import Foundation
import Testing

@testable import Lineage

@Suite struct AblationTests {
    /// Two-sided 95% critical values of Student's t from a printed table.
    private let t975 = [4: 2.776445, 5: 2.570582]

    private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(b))
    }

    /// A 2×2 factorial (optimizer × learning rate), two seeds per cell, regressed through the
    /// store with the default filters; checked against the closed form of a balanced design.
    @Test func twoByTwoFactorialMatchesTheClosedForm() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        let cells: [(String, Double, [Double])] = [
            ("adamw", 0.001, [3.10, 3.14]), ("adamw", 0.01, [2.95, 3.01]),
            ("muon", 0.001, [2.90, 2.96]), ("muon", 0.01, [2.80, 2.78]),
        ]
        var runNumber = 0
        func config(_ optimizer: String, _ lr: Double, seed: Int) throws -> RunConfig {
            try RunConfig(
                toml: """
                    [model]
                    width = 64
                    [train]
                    optimizer = "\(optimizer)"
                    lr = \(lr)
                    seed = \(seed)
                    """, source: "run.toml")
        }
        for (optimizer, lr, values) in cells {
            for (seed, value) in values.enumerated() {
                runNumber += 1
                let id = "proxy-\(runNumber)"
                _ = try store.testRun(id, config: try config(optimizer, lr, seed: seed), seed: seed)
                let now = Date(timeIntervalSince1970: 0)
                try store.records.logMetrics(
                    [
                        MetricPoint(key: "eval/loss", step: 200, value: value, wallTime: now),
                        MetricPoint(key: "eval/loss", step: 100, value: value + 1, wallTime: now),
                        MetricPoint(key: "train/loss", step: 300, value: 0, wallTime: now),
                    ], run: id)
                try store.records.endRun(id, status: .finished, at: now)
            }
        }
        // Runs the filters must leave out: another kind, a failed run, one still running, one without the metric.
        _ = try store.testRun("train-1", kind: "train", config: try config("muon", 0.1, seed: 0))
        try store.records.logMetrics([MetricPoint(key: "eval/loss", step: 1, value: 9, wallTime: Date())], run: "train-1")
        try store.records.endRun("train-1", status: .finished, at: Date())
        _ = try store.testRun("failed-1", config: try config("muon", 0.1, seed: 0))
        try store.records.logMetrics([MetricPoint(key: "eval/loss", step: 1, value: 9, wallTime: Date())], run: "failed-1")
        try store.records.endRun("failed-1", status: .failed, at: Date())
        _ = try store.testRun("running-1", config: try config("muon", 0.1, seed: 0))
        _ = try store.testRun("empty-1", config: try config("muon", 0.1, seed: 0))
        try store.records.endRun("empty-1", status: .finished, at: Date())

        let ablation = Ablation(
            metric: "eval/loss", factors: [AblationFactor(name: "optimizer"), AblationFactor(name: "lr", encoding: .log10)],
            predicates: [try RunPredicate(parsing: "kind=proxy")])
        let report = try ablation.run(on: store.records)

        // Reference by hand. Coding: m = 1 for muon; x = log10(lr) ∈ {−3, −2}.
        let rows = cells.flatMap { cell in cell.2.map { (m: cell.0 == "muon" ? 1.0 : 0.0, x: log10(cell.1), y: $0) } }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        let yBar = mean(rows.map(\.y))
        let optimizerEffect = mean(rows.filter { $0.m == 1 }.map(\.y)) - mean(rows.filter { $0.m == 0 }.map(\.y))
        let lrEffect = mean(rows.filter { $0.x == -2 }.map(\.y)) - mean(rows.filter { $0.x == -3 }.map(\.y))
        let intercept = yBar - optimizerEffect * 0.5 - lrEffect * -2.5
        let rss = rows.reduce(0) { sum, row in
            let residual = row.y - (intercept + optimizerEffect * row.m + lrEffect * row.x)
            return sum + residual * residual
        }
        let tss = rows.reduce(0) { $0 + ($1.y - yBar) * ($1.y - yBar) }
        let sigma2 = rss / 5
        // Balanced ±: each coded column has Σ(x − x̄)² = 8 · 0.25 = 2, and the columns are orthogonal.
        let slopeError = (sigma2 / 2).squareRoot()

        #expect(report.observationCount == 8)
        #expect(report.residualDegreesOfFreedom == 5)
        #expect(report.factorPaths == ["train.optimizer", "train.lr"])
        #expect(report.effects.map(\.term) == ["(intercept)", "optimizer=muon", "log10(lr)"])
        #expect(close(report.effects[0].estimate, intercept))
        #expect(close(report.effects[1].estimate, optimizerEffect))
        #expect(close(report.effects[2].estimate, lrEffect))
        #expect(close(report.effects[1].standardError, slopeError))
        #expect(close(report.effects[2].standardError, slopeError))
        for effect in report.effects.dropFirst() {
            let half = t975[5]! * effect.standardError
            #expect(close(effect.interval.lowerBound, effect.estimate - half, 1e-6))
            #expect(close(effect.interval.upperBound, effect.estimate + half, 1e-6))
        }
        #expect(close(report.rSquared, 1 - rss / tss))
        #expect(report.excluded == [.init(runID: "empty-1", reason: "no eval/loss")])

        // Seed replicates: four groups of two, mean ± sample standard deviation |a − b| / √2.
        #expect(report.groups.map(\.levels) == [["adamw", "0.001"], ["adamw", "0.01"], ["muon", "0.001"], ["muon", "0.01"]])
        for (group, cell) in zip(report.groups, cells) {
            #expect(group.runIDs.count == 2)
            #expect(close(group.mean, mean(cell.2)))
            #expect(close(group.standardDeviation!, abs(cell.2[0] - cell.2[1]) / 2.0.squareRoot()))
        }
        let text = report.renderText()
        #expect(text.contains("optimizer=muon"))
        #expect(text.contains("n = 8 runs, 3 parameters, 5 residual degrees of freedom"))
        #expect(text.contains("empty-1: no eval/loss"))
    }

    /// One categorical factor with three levels and unequal replicates: each effect is a
    /// difference of group means, with the pooled within-group variance.
    @Test func oneWayLayoutMatchesGroupMeans() throws {
        let data: [(layers: Int, values: [Double])] = [(2, [5.0, 5.4]), (4, [4.1, 4.5, 4.0]), (8, [3.9, 3.5])]
        var observations = [AblationObservation]()
        for (layers, values) in data {
            for (index, value) in values.enumerated() {
                observations.append(
                    AblationObservation(
                        runID: "l\(layers)-\(index)",
                        config: try RunConfig(value: .table(["layers": .integer(layers), "seed": .integer(index)])), value: value))
            }
        }
        let report = try Ablation(metric: "loss", factors: [AblationFactor(name: "layers", encoding: .categorical)]).fit(observations)
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        let within = data.reduce(0) { sum, group in
            let m = mean(group.values)
            return sum + group.values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        }
        let s = (within / 4).squareRoot()
        #expect(report.effects.map(\.term) == ["(intercept)", "layers=4", "layers=8"])
        #expect(close(report.effects[0].estimate, mean(data[0].values)))
        for (index, group) in [(1, data[1]), (2, data[2])] {
            let effect = report.effects[index]
            let error = s * (1 / Double(group.values.count) + 1 / Double(data[0].values.count)).squareRoot()
            #expect(close(effect.estimate, mean(group.values) - mean(data[0].values)))
            #expect(close(effect.standardError, error))
            #expect(close(effect.interval.upperBound - effect.estimate, t975[4]! * error, 1e-6))
        }
        #expect(report.groups.map { $0.runIDs.count } == [2, 3, 2])
    }

    @Test func unusableFactorsAreNamed() throws {
        let observations = try (0..<4).map { index in
            AblationObservation(
                runID: "r\(index)",
                config: try RunConfig(value: .table(["opt": .string("adamw"), "lr": .float(index.isMultiple(of: 2) ? 0.1 : -0.1)])),
                value: Double(index))
        }
        #expect(
            throws: FactoryError.invalidArgument(
                name: "opt", message: "takes the single value adamw across the 4 runs; its effect cannot be estimated")
        ) {
            try Ablation(metric: "m", factors: [AblationFactor(name: "opt")]).fit(observations)
        }
        #expect(throws: FactoryError.invalidArgument(name: "lr", message: "log10 needs positive values, found -0.1")) {
            try Ablation(metric: "m", factors: [AblationFactor(name: "lr", encoding: .log10)]).fit(observations)
        }
        #expect(throws: FactoryError.invalidArgument(name: "width", message: "run r0 has no such config key")) {
            try Ablation(metric: "m", factors: [AblationFactor(name: "width")]).fit(observations)
        }
    }

    @Test func predicatesCompareNumbersByValue() throws {
        let run = try RunRecord(
            id: "r", kind: "proxy", name: "n", config: try RunConfig(json: #"{"train": {"lr": 0.001, "opt": "muon"}}"#, source: "c"),
            seed: 4, tags: ["x"], provenance: testProvenance, startedAt: Date())
        #expect(try RunPredicate(parsing: "lr=1e-3").matches(run))
        #expect(try RunPredicate(parsing: "train.opt=muon").matches(run))
        #expect(try RunPredicate(parsing: "tag=x").matches(run))
        #expect(try RunPredicate(parsing: "seed=4").matches(run))
        #expect(try !RunPredicate(parsing: "kind=train").matches(run))
        #expect(try !RunPredicate(parsing: "width=3").matches(run))
        #expect { try RunPredicate(parsing: "novalue") } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "--where" && message.contains("'novalue' is not of the form key=value")
        }
    }

    @Test func comparisonShowsOnlyDifferencesAndFinalMetrics() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        let a = try store.testRun("a", config: try RunConfig(json: #"{"lr": 0.1, "width": 64}"#, source: "a"), seed: 1)
        let b = try store.testRun("b", config: try RunConfig(json: #"{"lr": 0.2, "width": 64, "extra": true}"#, source: "b"), seed: 1)
        try store.records.logMetrics([MetricPoint(key: "loss", step: 3, value: 1.5, wallTime: Date())], run: "a")
        let comparison = try RunComparison(runs: [a, b], store: store.records)
        #expect(comparison.configDifferences.map(\.name) == ["extra", "lr"])
        #expect(comparison.configDifferences[1].values == ["0.1", "0.2"])
        #expect(comparison.configDifferences[0].values == [nil, "true"])
        #expect(comparison.fieldDifferences.map(\.name) == ["name", "config digest"])
        #expect(comparison.finalMetrics.map(\.name) == ["loss"] && comparison.finalMetrics[0].values == [1.5, nil])
        #expect(comparison.renderText().contains("config differences:"))
        #expect { try RunComparison(runs: [a], store: store.records) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "runs" && message.contains("compare needs at least two runs, got 1")
        }
    }
}
