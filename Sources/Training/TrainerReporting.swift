import Evaluation
import FactoryCore

extension Trainer {
    /// What replica 0 does besides training; the other replicas get none.
    public struct Reporting {
        /// Where integrity faults and rollbacks go.
        public var integrity: (any IntegrityCheckSink)?
        /// Where training and evaluation metrics go.
        public var metrics: (any MetricSink)?
        /// Evaluates every `evalEvery` steps and at the end.
        public var evaluator: DomainEvaluator?
        /// Whether to write `checkpoints/step-NNNNNNN` and `final` under `output`.
        public var writesCheckpoints: Bool
        /// The tokenizer copied into checkpoints.
        public var tokenizerPath: String?
        /// Advanced once per step run (replayed steps count again).
        public var progress: ProgressReporter?

        /// Reporting to the given sinks; no checkpoints unless `writesCheckpoints`.
        public init(
            integrity: (any IntegrityCheckSink)? = nil, metrics: (any MetricSink)? = nil, evaluator: DomainEvaluator? = nil,
            writesCheckpoints: Bool = false, tokenizerPath: String? = nil, progress: ProgressReporter? = nil
        ) {
            self.integrity = integrity
            self.metrics = metrics
            self.evaluator = evaluator
            self.writesCheckpoints = writesCheckpoints
            self.tokenizerPath = tokenizerPath
            self.progress = progress
        }
    }

    /// Where a replica's time went (steps replayed after a rollback included).
    public struct Timings: Sendable {
        /// Seconds of each step run, in order (gradients, all-reduce, update).
        public var stepSeconds: [Double] = []
        /// Seconds in the optimizer update, in total.
        public var optimizerSeconds = 0.0
        /// Seconds in Muon's orthogonalization (with sharding: this replica's share and the
        /// all-gather), in total; part of `optimizerSeconds`.
        public var orthogonalizeSeconds = 0.0
        /// Fast (64-bit) checks and the seconds they took (hashing, all-gather, comparison).
        public var fastChecks = 0
        public var fastCheckSeconds = 0.0
        /// SHA-256 checks (at checkpoints) and the seconds they took.
        public var strongChecks = 0
        public var strongCheckSeconds = 0.0

        /// Seconds of all steps run.
        public var totalStepSeconds: Double { stepSeconds.reduce(0, +) }
    }
}
