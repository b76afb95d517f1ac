import FactoryCore
import Foundation
import Lineage
import Testing

@testable import Runs
@testable import Training

@Suite struct OptimizerExperimentTests {
    typealias Observation = OptimizerExperimentReport.Observation
    typealias Trial = OptimizerExperiment.Trial

    @Test func stepsToTargetInterpolateBetweenEvaluations() {
        let series: [(step: Int, value: Double)] = [(10, 5), (20, 4), (30, 3), (40, 3.5), (50, 2.5)]
        #expect(OptimizerExperimentReport.steps(toReach: 3.5, in: series) == 25)
        #expect(OptimizerExperimentReport.steps(toReach: 4, in: series) == 20)
        #expect(OptimizerExperimentReport.steps(toReach: 6, in: series) == 10)
        #expect(OptimizerExperimentReport.steps(toReach: 2.75, in: series) == 47.5)
        #expect(OptimizerExperimentReport.steps(toReach: 2, in: series) == nil)
    }

    /// Two seeds, two learning rates each; AdamW's best lr is 0.002, Muon's 0.004. Targets are
    /// AdamW's final losses per seed (3.0 and 3.2), which Muon reaches at 75 and 90 steps
    /// against AdamW's 100.
    @Test func reportPicksBestRatesAndPairsSeeds() throws {
        func run(_ optimizer: String, _ rate: Double, _ seed: Int, _ losses: [Double], fraction: Double) -> Observation {
            Observation(
                trial: Trial(optimizer: optimizer, learningRate: rate, seed: seed), runID: "\(optimizer)\(rate)\(seed)",
                evalLoss: losses.enumerated().map { (step: 25 * ($0.offset + 1), value: $0.element) }, optimizerFraction: fraction)
        }
        let observations = [
            run("adamw", 0.001, 0, [5, 4.5, 4, 3.5], fraction: 0.01), run("adamw", 0.001, 1, [5, 4.6, 4.1, 3.6], fraction: 0.01),
            run("adamw", 0.002, 0, [5, 4, 3.5, 3.0], fraction: 0.02), run("adamw", 0.002, 1, [5, 4.2, 3.6, 3.2], fraction: 0.02),
            run("muon", 0.002, 0, [4.5, 3.9, 3.3, 3.0], fraction: 0.2), run("muon", 0.002, 1, [4.5, 3.9, 3.4, 3.1], fraction: 0.2),
            run("muon", 0.004, 0, [4, 3.5, 3.2, 2.8], fraction: 0.1), run("muon", 0.004, 1, [4.4, 3.8, 3.4, 2.9], fraction: 0.3),
        ]
        let report = try OptimizerExperimentReport(observations: observations, fixedTarget: nil)
        #expect(report.sweep.map(\.learningRate) == [0.001, 0.002, 0.002, 0.004])
        #expect(report.results.map(\.optimizer) == ["adamw", "muon"])
        #expect(report.results.map(\.bestLearningRate) == [0.002, 0.004])
        let (adamW, muon) = (report.results[0], report.results[1])
        #expect(adamW.stepsToTarget?.mean == 100 && adamW.stepsToTarget?.standardDeviation == 0 && adamW.reached == 2)
        // Muon, seed 0: 3.2 at 75 → 3.0 at 87.5 (halfway to 2.8 at 100). Seed 1: 3.4 at 75, 2.9 at 100 → 3.2 at 85.
        #expect(abs(muon.stepsToTarget!.mean - 86.25) < 1e-9)
        #expect(abs(muon.ratioToAdamW!.mean - 0.8625) < 1e-9)
        #expect(abs(muon.ratioToAdamW!.standardDeviation - 0.0125 * 2.0.squareRoot()) < 1e-9)
        #expect(abs(muon.optimizerFraction!.mean - 0.2) < 1e-12)
        let text = report.renderText()
        #expect(text.contains("0.862 ± 0.018") && text.contains("2/2"))

        let fixed = try OptimizerExperimentReport(observations: observations, fixedTarget: 2.85)
        #expect(fixed.results[0].reached == 0 && fixed.results[0].stepsToTarget == nil)
        #expect(fixed.results[1].reached == 1 && fixed.results[1].ratioToAdamW == nil)
        #expect {
            try OptimizerExperimentReport(observations: observations.filter { $0.trial.optimizer == "muon" }, fixedTarget: nil)
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "optimizer experiment" && message.contains("the default target is AdamW's final loss; run adamw too")
        }
    }

    /// The whole experiment on the tiny fixture: every run lands in the store with the factors
    /// that `factory ablate` needs, and the report covers both optimizers.
    @Test func runsEverythingIntoTheStore() throws {
        let fixture = try TrainingFixture()
        let configPath = fixture.directory + "/config.json"
        try fixture.modelConfig.huggingFaceJSON().write(to: URL(fileURLWithPath: configPath))
        let base = fixture.directory + "/base.toml"
        try """
        [model]
        config = "\(configPath)"
        [data]
        train = "\(fixture.directory)/train"
        validation = "\(fixture.directory)/validation"
        tokenizer = "\(fixture.tokenizerPath)"
        [optimizer]
        name = "muon"
        momentum = 0.9
        lr = 0.01
        [schedule]
        kind = "cosine"
        warmup = 2
        [train]
        steps = 6
        batch = 2
        sequence_length = 16
        seed = 4
        eval_every = 3
        eval_sequences = 4
        log_every = 3
        output = "\(fixture.directory)/runs"
        """.write(toFile: base, atomically: true, encoding: .utf8)
        let store = try FactoryStore.open(root: fixture.directory + "/store")
        var lines = [String]()
        let experiment = OptimizerExperiment(baseRunFile: base, learningRates: [0.005, 0.01], seeds: 2, threads: 2)
        let report = try experiment.run(store: store) { lines.append($0) }
        #expect(lines.count == 8 && lines[0].hasPrefix("[1/8] adamw-lr0.005-seed4"))
        #expect(report.results.map(\.optimizer) == ["adamw", "muon"])
        #expect(report.results.allSatisfy { $0.seeds == 2 && $0.optimizerFraction != nil })

        let tag = OptimizerExperiment.tag(output: fixture.directory + "/runs/optimizers")
        let runs = try store.records.runs(RunQuery()).filter { $0.tags.contains(tag) }
        #expect(runs.filter { $0.kind == "train" }.count == 8)
        #expect(runs.filter { $0.kind == "experiment" && $0.status == .finished }.count == 1)
        let muonRun = try #require(runs.first { $0.name == "muon-lr0.01-seed5" })
        #expect(try muonRun.config.leaf(named: "optimizer.momentum")?.value == .float(0.9))
        #expect(try runs.first { $0.name == "adamw-lr0.01-seed5" }?.config.leaf(named: "optimizer.momentum") == nil)

        let ablation = Ablation(
            metric: "eval/loss", factors: [AblationFactor(name: "optimizer.name"), AblationFactor(name: "optimizer.lr")],
            predicates: [try RunPredicate(parsing: "tag=\(tag)"), try RunPredicate(parsing: "kind=train")])
        let fit = try ablation.run(on: store.records)
        #expect(fit.observationCount == 8 && fit.effects.map(\.term).contains("optimizer.name=muon"))
        #expect(fit.groups.map(\.runIDs.count) == [2, 2, 2, 2])
    }
}
