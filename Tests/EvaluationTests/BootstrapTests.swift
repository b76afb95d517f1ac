import Foundation
import Testing

@testable import Evaluation

/// Bootstrap standard errors: deterministic, paired across a capability's tasks, and of the
/// size theory says.
@Suite struct BootstrapTests {
    static let values = (0..<200).map { Double(($0 * 7919) % 13 < 4 ? 1 : 0) }

    @Test func resamplesAreDeterministicAndDependOnSeedTaskAndIndex() {
        let bootstrap = Bootstrap(resamples: 100, seed: 3)
        #expect(bootstrap.resampledMeans(Self.values, task: "a") == Bootstrap(resamples: 100, seed: 3).resampledMeans(Self.values, task: "a"))
        #expect(bootstrap.resampledMeans(Self.values, task: "a") != bootstrap.resampledMeans(Self.values, task: "b"))
        #expect(bootstrap.resampledMeans(Self.values, task: "a") != Bootstrap(resamples: 100, seed: 4).resampledMeans(Self.values, task: "a"))
        let indices = bootstrap.indices(task: "a", resample: 5, count: 200)
        #expect(indices.allSatisfy { (0..<200).contains($0) })
        #expect(Set(indices).count < 200)
        #expect(indices == bootstrap.indices(task: "a", resample: 5, count: 200))
    }

    @Test func theStandardErrorIsThatOfAMean() {
        // A Bernoulli mean of p over n documents has standard error sqrt(p (1 − p) / n).
        let p = Self.values.reduce(0, +) / 200
        let theory = (p * (1 - p) / 200).squareRoot()
        let measured = Bootstrap.standardDeviation(Bootstrap(resamples: 2000, seed: 0).resampledMeans(Self.values, task: "t"))
        #expect(abs(measured - theory) <= 0.1 * theory, "bootstrap \(measured), theory \(theory)")
        #expect(Bootstrap.standardDeviation(Bootstrap(resamples: 50, seed: 0).resampledMeans([1, 1, 1], task: "t")) == 0)
        #expect(abs(Bootstrap.standardDeviation([1, 2, 3, 4]) - (5.0 / 3).squareRoot()) <= 1e-15)
    }

    static func task(_ name: String, _ capability: Capability, _ values: [Double]) -> CapabilityResults.TaskResult {
        CapabilityResults.TaskResult(
            name: name, capability: capability, kind: .exactMatch, metric: "exact_match", chance: 0, documents: values.count,
            metrics: ["exact_match": .init(value: values.reduce(0, +) / Double(values.count), stderr: 0)],
            perDocument: values.enumerated().map { .init(id: "\($0.offset)", scores: ["exact_match": $0.element]) })
    }

    @Test func aCapabilityAveragesItsTasksOverPairedResamples() {
        let bootstrap = Bootstrap(resamples: 300, seed: 1)
        let a = Self.values
        let b = Array(Self.values.reversed().prefix(50))
        let tasks = [Self.task("a", .math, a), Self.task("b", .math, b), Self.task("c", .stem, [1, 0])]
        let resamples = [
            "a": bootstrap.resampledMeans(a, task: "a"), "b": bootstrap.resampledMeans(b, task: "b"),
            "c": bootstrap.resampledMeans([1, 0], task: "c"),
        ]
        let capabilities = CapabilityEvaluator.capabilities(tasks, primaryResamples: resamples, resamples: 300)
        #expect(capabilities.map(\.capability) == [.math, .stem])
        let math = capabilities[0]
        #expect(math.tasks == ["a", "b"])
        #expect(math.score == (tasks[0].metrics["exact_match"]!.value + tasks[1].metrics["exact_match"]!.value) / 2)
        let paired = (0..<300).map { (resamples["a"]![$0] + resamples["b"]![$0]) / 2 }
        #expect(math.stderr == Bootstrap.standardDeviation(paired))
        #expect(capabilities[1].stderr == Bootstrap.standardDeviation(resamples["c"]!))
        #expect(math.metrics == ["exact_match": math.score])
    }
}
