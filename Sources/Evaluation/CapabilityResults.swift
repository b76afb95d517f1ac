import FactoryCore

/// What ``CapabilityEvaluator`` measured: per task, per document and per capability, written as
/// JSON (`factory eval --suites capabilities --output FILE`) and recorded as lineage metrics
/// (``metrics``).
public struct CapabilityResults: Sendable, Equatable, Codable {
    /// A metric's value over a task's documents (or a capability's tasks) and its bootstrap
    /// standard error.
    public struct Estimate: Sendable, Equatable, Codable {
        public var value: Double
        public var stderr: Double

        public init(value: Double, stderr: Double) {
            self.value = value
            self.stderr = stderr
        }
    }

    /// One code sample: what the model wrote and how it ran.
    public struct CodeSample: Sendable, Equatable, Codable {
        /// The completion (after the prompt, up to a stop string).
        public var completion: String
        public var passed: Bool
        /// The runner's reason for a failure; empty when it passed.
        public var detail: String
    }

    /// One document's result, for parity checks and error analysis.
    public struct DocumentResult: Sendable, Equatable, Codable {
        public var id: String
        /// The document's value of each of its task's metrics (1 or 0 for `acc`, `acc_norm`,
        /// `acc_bytes`, `exact_match`; the unbiased estimate for `pass@k`): a task's metric is
        /// their mean.
        public var scores: [String: Double]
        /// Multiple choice: the log-likelihood of `" " + choice` for each choice.
        public var loglikelihoods: [Double]?
        /// Exact match: the generated text, up to a stop string.
        public var prediction: String?
        /// Code: the samples, in order.
        public var samples: [CodeSample]?

        public init(
            id: String, scores: [String: Double], loglikelihoods: [Double]? = nil, prediction: String? = nil, samples: [CodeSample]? = nil
        ) {
            self.id = id
            self.scores = scores
            self.loglikelihoods = loglikelihoods
            self.prediction = prediction
            self.samples = samples
        }
    }

    /// One task's result.
    public struct TaskResult: Sendable, Equatable, Codable {
        public var name: String
        public var capability: Capability
        public var kind: TaskKind
        /// The primary metric (the header's).
        public var metric: String
        /// The primary metric of a uniform guesser on the documents evaluated.
        public var chance: Double
        /// Documents evaluated.
        public var documents: Int
        /// Every metric of the task with its standard error.
        public var metrics: [String: Estimate]
        /// Per document, in file order.
        public var perDocument: [DocumentResult]

        private enum CodingKeys: String, CodingKey {
            case name, capability, kind, metric, chance, documents, metrics
            case perDocument = "per_document"
        }
    }

    /// One capability's result.
    public struct CapabilityResult: Sendable, Equatable, Codable {
        public var capability: Capability
        /// The mean over the capability's tasks of each task's primary metric.
        public var score: Double
        /// The bootstrap standard error of `score`, resampling documents within each task.
        public var stderr: Double
        /// The mean of the tasks' chance.
        public var chance: Double
        /// The tasks, in evaluation order.
        public var tasks: [String]
        /// For each metric some of its tasks report, the mean over those tasks.
        public var metrics: [String: Double]
    }

    /// The tasks, in the order evaluated.
    public var tasks: [TaskResult]
    /// The capabilities that have tasks, in ``Capability`` order.
    public var capabilities: [CapabilityResult]
    /// The settings used.
    public var settings: CapabilitySettings

    public init(tasks: [TaskResult], capabilities: [CapabilityResult], settings: CapabilitySettings) {
        self.tasks = tasks
        self.capabilities = capabilities
        self.settings = settings
    }

    /// The lineage metrics: `eval/<capability>/score`, `eval/<capability>/<metric>` and
    /// `eval/task/<task>/<metric>`.
    public var metrics: [String: Double] {
        var metrics = [String: Double]()
        for capability in capabilities {
            metrics["eval/\(capability.capability.rawValue)/score"] = capability.score
            for (metric, value) in capability.metrics { metrics["eval/\(capability.capability.rawValue)/\(metric)"] = value }
        }
        for task in tasks {
            for (metric, estimate) in task.metrics { metrics["eval/task/\(task.name)/\(metric)"] = estimate.value }
        }
        return metrics
    }
}
