import FactoryCore
import Foundation
import Testing

@testable import Evaluation

/// The results file and the lineage metric names.
@Suite struct CapabilityResultsTests {
    @Test func resultsRoundTripThroughJSONAndNameTheirMetrics() throws {
        let multipleChoice = MultipleChoiceScoringTests.task(MultipleChoiceScoringTests.documents)
        let exactMatch = TaskFile(
            header: ScoringFixture.header(.exactMatch, name: "em", capability: .math, metric: "exact_match"),
            documents: .exactMatch([ExactMatchDocument(id: "1", prompt: "Two plus two is", answer: "four", stop: ["."], maxTokens: 3)]))
        var settings = CapabilitySettings()
        settings.bootstrapResamples = 10
        settings.maxDocuments = 3
        let results = try CapabilityEvaluator(tasks: [multipleChoice, exactMatch], settings: settings).evaluate(
            model: try ScoringFixture.model(), tokenizer: ScoringFixture.tokenizer, codeRunner: nil, pool: .serial)
        #expect(results.tasks.map(\.documents) == [3, 1])
        #expect(results.tasks[0].chance == (1.0 / 3 + 1.0 / 2 + 1.0 / 3) / 3)
        let path = NSTemporaryDirectory() + "capability-results-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try JSONArtifact.write(results, toPath: path)
        #expect(try JSONArtifact.read(CapabilityResults.self, path: path) == results)
        let metrics = results.metrics
        #expect(
            Set(metrics.keys) == [
                "eval/common_sense/score", "eval/common_sense/acc", "eval/common_sense/acc_norm", "eval/common_sense/acc_bytes",
                "eval/task/mc/acc", "eval/task/mc/acc_norm", "eval/task/mc/acc_bytes", "eval/math/score", "eval/math/exact_match",
                "eval/task/em/exact_match",
            ])
        #expect(metrics["eval/common_sense/score"] == results.tasks[0].metrics["acc_norm"]!.value)
        #expect(metrics["eval/task/mc/acc"] == results.tasks[0].metrics["acc"]!.value)
    }
}
