import FactoryCore
import Foundation
import Inference
import Models
import Synchronization
import Tokenization

/// Scores a model on task files (multiple choice, exact match, code) and sums them up per
/// capability, with bootstrap standard errors.
///
/// - Multiple choice: ``MultipleChoiceScoring`` (lm-evaluation-harness's `acc`, `acc_norm`,
///   `acc_bytes`), log-likelihoods from batched full forward passes (``LoglikelihoodScorer``).
/// - Exact match: greedy generation (``CompletionGenerator``) until a document's stop string,
///   the end of text or its `max_tokens`; ``ExactMatch`` compares.
/// - Code: `codeSamples` seeded samples per document, stopped by the settings' `codeStops`;
///   each `prompt + completion` runs against the document's test in the ``CodeRunner``;
///   `pass@k` by ``PassAtK`` per document, averaged.
///
/// Each task is scored on its first `maxDocuments` documents. A task's metric is the mean of its
/// documents' values, with the standard deviation of ``Bootstrap`` resampled means as its
/// standard error; a capability's score is the mean over its tasks of their primary metrics,
/// its standard error the deviation of that mean over the same paired resamples. Everything is
/// deterministic: fixed batches, seeded samples, seeded resamples, sums in a fixed order.
public struct CapabilityEvaluator: Sendable {
    public let tasks: [TaskFile]
    public let settings: CapabilitySettings

    public init(tasks: [TaskFile], settings: CapabilitySettings) {
        self.tasks = tasks
        self.settings = settings
    }

    /// The metrics a task reports, in a fixed order: `acc`, `acc_norm`,
    /// `acc_bytes` for multiple choice; `exact_match`; `pass@k` for the settings' k and the
    /// header's, ascending.
    public func metricNames(of header: TaskHeader) -> [String] {
        switch header.kind {
        case .multipleChoice: return ["acc", "acc_norm", "acc_bytes"]
        case .exactMatch: return ["exact_match"]
        case .code: return Set(settings.passK + [TaskKind.passAtK(header.metric)!]).sorted().map { "pass@\($0)" }
        }
    }

    /// Checks the settings and the tasks before anything runs: distinct task names, a code
    /// runner when there are code tasks, and every code task's primary `pass@k` within the
    /// samples.
    public func validate(codeRunner: (any CodeRunner)?) throws {
        try settings.validate()
        guard !tasks.isEmpty else { throw FactoryError.invalidArgument(name: "tasks", message: "none to evaluate") }
        var seen = Set<String>()
        for task in tasks {
            let header = task.header
            guard seen.insert(header.name).inserted else {
                throw FactoryError.invalidArgument(name: "tasks", message: "two tasks are named '\(header.name)'")
            }
            guard task.documents.kind == header.kind else {
                throw FactoryError.invalidArgument(
                    name: "task \(header.name)",
                    message: "its header says \(header.kind.rawValue) but its documents are \(task.documents.kind.rawValue)")
            }
            guard header.kind == .code else { continue }
            guard codeRunner != nil else {
                throw FactoryError.invalidArgument(
                    name: "task \(header.name)", message: "is a code task and there is no code runner (sandbox) to run its tests")
            }
            if let k = TaskKind.passAtK(header.metric), k > settings.codeSamples {
                throw FactoryError.invalidArgument(
                    name: "--code-samples",
                    message: "task \(header.name) is scored by \(header.metric), which needs at least \(k) samples, got \(settings.codeSamples)")
            }
        }
    }

    /// Evaluates `model`, reading text with `tokenizer`. Generation stops at `stopTokens`
    /// (default: the tokenizer's `<|endoftext|>`, when it has one).
    public func evaluate(
        model: LagunaModel, tokenizer: Tokenizer, codeRunner: (any CodeRunner)?, pool: ThreadPool = .machineWide,
        stopTokens: Set<UInt32>? = nil
    ) throws -> CapabilityResults {
        try validate(codeRunner: codeRunner)
        let stops = stopTokens ?? Set(tokenizer.addedTokenId("<|endoftext|>").map { [$0] } ?? [])
        let scorer = LoglikelihoodScorer(model: model, batchSize: settings.batch, pool: pool)
        let generator = CompletionGenerator(
            decoder: try LagunaDecoder(model: model, pool: pool), tokenizer: tokenizer, stopTokens: stops, batchSize: settings.batch)
        let bootstrap = Bootstrap(resamples: settings.bootstrapResamples, seed: settings.bootstrapSeed)
        var results = [CapabilityResults.TaskResult]()
        var primaryResamples = [String: [Double]]()
        for task in tasks {
            let header = task.header
            let documents = task.documents.prefix(settings.maxDocuments)
            let perDocument: [CapabilityResults.DocumentResult]
            switch documents {
            case .multipleChoice(let documents):
                perDocument = try MultipleChoiceScoring.score(documents, task: header.name, tokenizer: tokenizer, scorer: scorer)
            case .exactMatch(let documents):
                perDocument = try exactMatch(documents, generator: generator)
            case .code(let documents):
                perDocument = try code(documents, header: header, generator: generator, runner: codeRunner!, pool: pool)
            }
            var metrics = [String: CapabilityResults.Estimate]()
            for metric in metricNames(of: header) {
                let values = perDocument.map { $0.scores[metric]! }
                let resampled = bootstrap.resampledMeans(values, task: header.name)
                metrics[metric] = CapabilityResults.Estimate(
                    value: values.reduce(0, +) / Double(values.count), stderr: Bootstrap.standardDeviation(resampled))
                if metric == header.metric { primaryResamples[header.name] = resampled }
            }
            results.append(
                CapabilityResults.TaskResult(
                    name: header.name, capability: header.capability, kind: header.kind, metric: header.metric, chance: documents.chance,
                    documents: documents.count, metrics: metrics, perDocument: perDocument))
        }
        return CapabilityResults(
            tasks: results, capabilities: Self.capabilities(results, primaryResamples: primaryResamples, resamples: settings.bootstrapResamples),
            settings: settings)
    }

    private func exactMatch(_ documents: [ExactMatchDocument], generator: CompletionGenerator) throws -> [CapabilityResults.DocumentResult] {
        let prompts = documents.map {
            CompletionGenerator.Prompt(
                text: $0.prompt, sampling: [SamplingParameters(temperature: 0, seed: 0)], stops: $0.stop,
                maxTokens: $0.maxTokens ?? settings.exactMatchMaxTokens)
        }
        return try zip(documents, generator.generate(prompts)).map { document, texts in
            CapabilityResults.DocumentResult(
                id: document.id, scores: ["exact_match": ExactMatch.matches(texts[0], answer: document.answer) ? 1 : 0], prediction: texts[0])
        }
    }

    private func code(
        _ documents: [CodeDocument], header: TaskHeader, generator: CompletionGenerator, runner: any CodeRunner, pool: ThreadPool
    ) throws -> [CapabilityResults.DocumentResult] {
        let n = settings.codeSamples
        let prompts = documents.indices.map { index in
            let stream = RandomStream(seed: settings.codeSeed).split(header.name, index)
            return CompletionGenerator.Prompt(
                text: documents[index].prompt,
                sampling: (0..<n).map { SamplingParameters(temperature: settings.codeTemperature, seed: stream.word(at: UInt64($0))) },
                stops: settings.codeStops, maxTokens: settings.codeMaxTokens)
        }
        let completions = try generator.generate(prompts)
        let outcomes = try Self.run(documents, completions: completions, runner: runner, pool: pool)
        let metrics = metricNames(of: header)
        return documents.indices.map { index in
            let samples = zip(completions[index], outcomes[index]).map {
                CapabilityResults.CodeSample(completion: $0, passed: $1.passed, detail: $1.passed ? "" : $1.rawValue)
            }
            let correct = samples.filter(\.passed).count
            var scores = [String: Double]()
            for metric in metrics { scores[metric] = PassAtK.estimate(samples: n, correct: correct, k: TaskKind.passAtK(metric)!) }
            return CapabilityResults.DocumentResult(id: documents[index].id, scores: scores, samples: samples)
        }
    }

    /// Every sample's outcome, `[document][sample]`, the runs spread over `pool`'s threads.
    private static func run(
        _ documents: [CodeDocument], completions: [[String]], runner: any CodeRunner, pool: ThreadPool
    ) throws -> [[CodeRunOutcome]] {
        let jobs = documents.indices.flatMap { document in completions[document].indices.map { (document, $0) } }
        let outcomes = Mutex([CodeRunOutcome?](repeating: nil, count: jobs.count))
        let failure = Mutex<(any Error)?>(nil)
        pool.parallelFor(count: jobs.count, grain: 1) { range in
            for job in range where failure.withLock({ $0 == nil }) {
                let (document, sample) = jobs[job]
                do {
                    let outcome = try runner.passes(
                        program: documents[document].prompt + completions[document][sample], test: documents[document].test,
                        entryPoint: documents[document].entryPoint)
                    outcomes.withLock { $0[job] = outcome }
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        let flat = outcomes.withLock { $0.map { $0! } }
        var next = 0
        return completions.map { samples in
            defer { next += samples.count }
            return Array(flat[next..<(next + samples.count)])
        }
    }

    /// Per capability present, in ``Capability`` order: the mean of the tasks' primary metrics,
    /// its paired-bootstrap standard error, the mean chance, and the mean of each metric over
    /// the tasks reporting it.
    static func capabilities(
        _ tasks: [CapabilityResults.TaskResult], primaryResamples: [String: [Double]], resamples: Int
    ) -> [CapabilityResults.CapabilityResult] {
        Capability.allCases.compactMap { capability in
            let members = tasks.filter { $0.capability == capability }
            guard !members.isEmpty else { return nil }
            let count = Double(members.count)
            let resampled = (0..<resamples).map { resample in
                members.reduce(0.0) { $0 + primaryResamples[$1.name]![resample] } / count
            }
            var metrics = [String: Double]()
            for metric in Set(members.flatMap(\.metrics.keys)) {
                let reporting = members.compactMap { $0.metrics[metric]?.value }
                metrics[metric] = reporting.reduce(0, +) / Double(reporting.count)
            }
            return CapabilityResults.CapabilityResult(
                capability: capability, score: members.reduce(0.0) { $0 + $1.metrics[$1.metric]!.value } / count,
                stderr: Bootstrap.standardDeviation(resampled), chance: members.reduce(0.0) { $0 + $1.chance } / count,
                tasks: members.map(\.name), metrics: metrics)
        }
    }
}
