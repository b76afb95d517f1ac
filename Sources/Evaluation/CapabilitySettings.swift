import FactoryCore

/// How ``CapabilityEvaluator`` scores task files. Every value has a default; `validate` names
/// the command-line option of a bad one.
public struct CapabilitySettings: Sendable, Equatable, Codable {
    /// At most this many documents per task, the first in file order.
    public var maxDocuments = 200
    /// Sequences per forward pass (multiple choice) and per decode step (generation).
    public var batch = 8
    /// Tokens an exact-match document may generate when it does not say (`max_tokens`).
    public var exactMatchMaxTokens = 32
    /// Samples generated per code document (the n of pass@k).
    public var codeSamples = 5
    /// The k values of pass@k reported for code tasks (each at most `codeSamples`); a task's
    /// primary `pass@k` is reported too.
    public var passK = [1]
    /// Sampling temperature of code samples (0: greedy, every sample the same).
    public var codeTemperature: Float = 0.2
    /// Seeds the code samples: sample s of document d of task T draws from the stream
    /// (codeSeed, T, d) at index s, whatever else is in the batch.
    public var codeSeed: UInt64 = 0
    /// Tokens a code sample may generate.
    public var codeMaxTokens = 128
    /// Strings that end a code sample (lm-evaluation-harness's HumanEval stop sequences).
    public var codeStops = ["\nclass", "\ndef", "\n#", "\nif", "\nprint"]
    /// Bootstrap resamples for the standard errors.
    public var bootstrapResamples = 1000
    /// Seeds the bootstrap.
    public var bootstrapSeed: UInt64 = 0

    /// The defaults.
    public init() {}

    /// Checks every setting, naming the command-line option of a bad one.
    public func validate() throws {
        // The upper bounds keep a typo from asking for days of work or the machine's memory: the
        // batch sizes the logits, the samples and resamples multiply the documents.
        for (name, value, minimum, maximum) in [
            ("--max-documents", maxDocuments, 1, 10_000_000), ("--batch", batch, 1, 1024), ("--max-tokens", exactMatchMaxTokens, 1, 65_536),
            ("--code-samples", codeSamples, 1, 1000), ("--code-max-tokens", codeMaxTokens, 1, 65_536),
            ("--bootstrap", bootstrapResamples, 2, 1_000_000),
        ] where value < minimum || value > maximum {
            throw FactoryError.invalidArgument(name: name, message: "must be between \(minimum) and \(maximum), got \(value)")
        }
        guard !passK.isEmpty else { throw FactoryError.invalidArgument(name: "--pass-k", message: "needs at least one k") }
        for k in passK where k < 1 || k > codeSamples {
            throw FactoryError.invalidArgument(name: "--pass-k", message: "\(k) is not between 1 and --code-samples (\(codeSamples))")
        }
        guard codeTemperature.isFinite, codeTemperature >= 0 else {
            throw FactoryError.invalidArgument(name: "--temperature", message: "must be a finite number at least 0, got \(codeTemperature)")
        }
    }

    /// The settings as a config table (how an evaluation run records them).
    public var value: ConfigValue {
        .table([
            "max_documents": .integer(maxDocuments), "batch": .integer(batch), "exact_match_max_tokens": .integer(exactMatchMaxTokens),
            "code_samples": .integer(codeSamples), "pass_k": .array(passK.map { .integer($0) }),
            "code_temperature": .float(Double(codeTemperature)), "code_seed": .integer(Int(bitPattern: UInt(codeSeed))),
            "code_max_tokens": .integer(codeMaxTokens), "code_stops": .array(codeStops.map { .string($0) }),
            "bootstrap_resamples": .integer(bootstrapResamples), "bootstrap_seed": .integer(Int(bitPattern: UInt(bootstrapSeed))),
        ])
    }

    private enum CodingKeys: String, CodingKey {
        case maxDocuments = "max_documents"
        case batch
        case exactMatchMaxTokens = "exact_match_max_tokens"
        case codeSamples = "code_samples"
        case passK = "pass_k"
        case codeTemperature = "code_temperature"
        case codeSeed = "code_seed"
        case codeMaxTokens = "code_max_tokens"
        case codeStops = "code_stops"
        case bootstrapResamples = "bootstrap_resamples"
        case bootstrapSeed = "bootstrap_seed"
    }
}
