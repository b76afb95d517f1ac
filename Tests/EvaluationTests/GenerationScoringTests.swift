import FactoryCore
import Foundation
import Synchronization
import Testing

@testable import Evaluation

/// Exact match against naive greedy generation by full forward passes, and code tasks through a
/// test double of the sandbox.
@Suite struct GenerationScoringTests {
    static func settings(batch: Int = 4) -> CapabilitySettings {
        var settings = CapabilitySettings()
        settings.batch = batch
        settings.bootstrapResamples = 50
        return settings
    }

    @Test(arguments: [1, 3])
    func exactMatchPredictionsAreTheNaiveGreedyTexts(batch: Int) throws {
        let model = try ScoringFixture.model()
        let prompts = ["Question: is fire hot or cold? Answer:", "Two plus two is", "The capital of France is", "def add(a, b):"]
        let stops = [["\n"], [], [" is", "."], ["return"]]
        let maxTokens = [6, 9, 12, 5]
        let references = try prompts.indices.map {
            try ScoringFixture.referenceGreedy(model, prompt: prompts[$0], stops: stops[$0], maxTokens: maxTokens[$0])
        }
        // The first two answers are the references padded with white space (hits after
        // normalization), the others are wrong.
        let answers = ["  " + references[0] + " \n", references[1].split(separator: " ").joined(separator: "\t "), "no", references[3] + "x"]
        let documents = prompts.indices.map {
            ExactMatchDocument(id: "d\($0)", prompt: prompts[$0], answer: answers[$0], stop: stops[$0], maxTokens: maxTokens[$0])
        }
        let task = TaskFile(
            header: ScoringFixture.header(.exactMatch, name: "em", capability: .math, metric: "exact_match"), documents: .exactMatch(documents))
        let results = try CapabilityEvaluator(tasks: [task], settings: Self.settings(batch: batch)).evaluate(
            model: model, tokenizer: ScoringFixture.tokenizer, codeRunner: nil, pool: .serial)
        let perDocument = results.tasks[0].perDocument
        #expect(perDocument.map(\.prediction) == references)
        #expect(perDocument.map { $0.scores["exact_match"] } == [1, 1, references[2] == "no" ? 1 : 0, 0])
        #expect(results.capabilities.map(\.capability) == [.math])
    }

    @Test func exactMatchNormalizesWhiteSpaceOnly() {
        #expect(ExactMatch.normalize("  a \t\n b  c\r\n") == "a b c")
        #expect(ExactMatch.matches(" 42\n", answer: "42"))
        #expect(ExactMatch.matches("x\u{A0} y", answer: "x y"))
        #expect(!ExactMatch.matches("42.", answer: "42"))
        #expect(!ExactMatch.matches("Paris", answer: "paris"))
        #expect(!ExactMatch.matches("ab", answer: "a b"))
        #expect(ExactMatch.matches("", answer: " \n"))
    }

    /// Passes a program when its completion (past the prompt) has an even number of UTF-8 bytes;
    /// remembers every call.
    final class ParityRunner: CodeRunner {
        let prompts: [String]
        let calls = Mutex<[(program: String, test: String, entryPoint: String?)]>([])

        init(prompts: [String]) { self.prompts = prompts }

        func passes(program: String, test: String, entryPoint: String?) throws -> CodeRunOutcome {
            calls.withLock { $0.append((program, test, entryPoint)) }
            let prompt = prompts.first { program.hasPrefix($0) }!
            let even = (program.utf8.count - prompt.utf8.count) % 2 == 0
            return even ? .passed : .failed
        }
    }

    struct Unavailable: Error {}

    final class BrokenRunner: CodeRunner {
        func passes(program: String, test: String, entryPoint: String?) throws -> CodeRunOutcome { throw Unavailable() }
    }

    static let codeDocuments = [
        CodeDocument(id: "add", prompt: "def add(a, b):\n", test: "assert add(1, 2) == 3\n", entryPoint: "add"),
        CodeDocument(id: "two", prompt: "Two plus two is", test: "assert True\n"),
        CodeDocument(id: "cap", prompt: "The capital of France is", test: "assert False\n", entryPoint: "capital"),
    ]

    func evaluateCode(batch: Int, seed: UInt64 = 5, temperature: Float = 1) throws -> (CapabilityResults, ParityRunner) {
        var settings = Self.settings(batch: batch)
        settings.codeSamples = 6
        settings.passK = [1, 4]
        settings.codeTemperature = temperature
        settings.codeSeed = seed
        settings.codeMaxTokens = 7
        let task = TaskFile(
            header: ScoringFixture.header(.code, name: "code", capability: .code, metric: "pass@2"), documents: .code(Self.codeDocuments))
        let runner = ParityRunner(prompts: Self.codeDocuments.map(\.prompt))
        let results = try CapabilityEvaluator(tasks: [task], settings: settings).evaluate(
            model: try ScoringFixture.model(), tokenizer: ScoringFixture.tokenizer, codeRunner: runner, pool: ThreadPool(threadCount: 3))
        return (results, runner)
    }

    @Test func codeSamplesRunAgainstTheirTestsAndScorePassAtK() throws {
        let (results, runner) = try evaluateCode(batch: 4)
        let task = results.tasks[0]
        #expect(Set(task.metrics.keys) == ["pass@1", "pass@2", "pass@4"])
        let calls = runner.calls.withLock { $0 }
        #expect(calls.count == 18)
        for (document, result) in zip(Self.codeDocuments, task.perDocument) {
            let samples = try #require(result.samples)
            #expect(samples.count == 6)
            for sample in samples {
                let program = document.prompt + sample.completion
                #expect(calls.contains { $0.program == program && $0.test == document.test && $0.entryPoint == document.entryPoint })
                #expect(sample.passed == (sample.completion.utf8.count % 2 == 0))
                #expect(!sample.completion.contains("\ndef") && !sample.completion.contains("\nprint"))
            }
            let correct = samples.filter(\.passed).count
            for k in [1, 2, 4] { #expect(result.scores["pass@\(k)"] == PassAtK.estimate(samples: 6, correct: correct, k: k)) }
        }
        let mean = task.perDocument.map { $0.scores["pass@2"]! }.reduce(0, +) / 3
        #expect(task.metrics["pass@2"]?.value == mean)
        #expect(results.capabilities[0].score == mean)
        // Sampling is seeded per sample: another batch size gives the same samples, another seed others.
        let one = try evaluateCode(batch: 1).0
        #expect(one.tasks[0].perDocument.map { $0.samples!.map(\.completion) } == task.perDocument.map { $0.samples!.map(\.completion) })
        #expect(one.tasks == results.tasks && one.capabilities == results.capabilities)
        let reseeded = try evaluateCode(batch: 4, seed: 6).0.tasks[0].perDocument.map { $0.samples!.map(\.completion) }
        #expect(reseeded != task.perDocument.map { $0.samples!.map(\.completion) })
        // Greedy samples are all the same.
        let greedy = try evaluateCode(batch: 4, temperature: 0).0.tasks[0].perDocument
        #expect(greedy.allSatisfy { Set($0.samples!.map(\.completion)).count == 1 })
    }

    @Test func codeTasksNeedARunnerAndARunnerThatCannotRunStopsTheEvaluation() throws {
        let task = TaskFile(
            header: ScoringFixture.header(.code, name: "code", capability: .code, metric: "pass@1"), documents: .code(Self.codeDocuments))
        let evaluator = CapabilityEvaluator(tasks: [task], settings: Self.settings())
        let model = try ScoringFixture.model()
        #expect {
            try evaluator.evaluate(model: model, tokenizer: ScoringFixture.tokenizer, codeRunner: nil, pool: .serial)
        } throws: { error in
            "\(error)" == "invalid task code: is a code task and there is no code runner (sandbox) to run its tests"
        }
        #expect(throws: Unavailable.self) {
            try evaluator.evaluate(model: model, tokenizer: ScoringFixture.tokenizer, codeRunner: BrokenRunner(), pool: .serial)
        }
        var settings = Self.settings()
        settings.codeSamples = 3
        var strict = task
        strict.header.metric = "pass@5"
        #expect {
            try CapabilityEvaluator(tasks: [strict], settings: settings).validate(codeRunner: BrokenRunner())
        } throws: { error in
            "\(error)".contains("--code-samples") && "\(error)".contains("pass@5, which needs at least 5 samples, got 3")
        }
    }

    @Test func badSettingsAreRefusedByOption() {
        func changed(_ change: (inout CapabilitySettings) -> Void) -> CapabilitySettings {
            var settings = CapabilitySettings()
            change(&settings)
            return settings
        }
        let cases = [
            (changed { $0.maxDocuments = 0 }, "invalid --max-documents: must be between 1 and 10000000, got 0"),
            (changed { $0.batch = -1 }, "invalid --batch: must be between 1 and 1024, got -1"),
            (changed { $0.batch = 1_000_000 }, "invalid --batch: must be between 1 and 1024, got 1000000"),
            (changed { $0.codeSamples = 1_000_000_000 }, "invalid --code-samples: must be between 1 and 1000, got 1000000000"),
            (changed { $0.exactMatchMaxTokens = Int.max }, "invalid --max-tokens: must be between 1 and 65536, got \(Int.max)"),
            (changed { $0.passK = [7] }, "invalid --pass-k: 7 is not between 1 and --code-samples (5)"),
            (changed { $0.passK = [] }, "invalid --pass-k: needs at least one k"),
            (changed { $0.bootstrapResamples = 1 }, "invalid --bootstrap: must be between 2 and 1000000, got 1"),
            (changed { $0.codeTemperature = .nan }, "invalid --temperature: must be a finite number at least 0, got nan"),
        ]
        for (settings, message) in cases {
            #expect {
                try settings.validate()
            } throws: { error in
                "\(error)" == message
            }
        }
    }
}
