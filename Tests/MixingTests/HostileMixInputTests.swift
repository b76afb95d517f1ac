import FactoryCore
import Foundation
import Testing

@testable import Mixing

/// Issue 17: every mix setting and file a hostile user can write gets an error naming the file
/// and the key (or row), never a trap, a hang or a silent wrong result.
@Suite struct HostileMixInputTests {
    static let validMix = """
        base = "proxy.toml"
        directory = "runs/mix"
        target = "eval/loss"
        [swarm]
        count = 8
        seed = 0
        [sweep]
        workers = 2
        threads = 1
        [propose]
        kl = 0.1
        """

    /// The error `mix.toml` with `old` replaced by `new` gets from decoding and validation.
    static func mixError(replacing old: String, with new: String) -> FactoryError? {
        do {
            let config = try ConfigLoader.decode(
                AutoMixerConfig.self, toml: validMix.replacingOccurrences(of: old, with: new), source: "mix.toml")
            try config.validate(source: "mix.toml")
            return nil
        } catch {
            return error as? FactoryError
        }
    }

    @Test func validMixConfigPasses() {
        #expect(Self.mixError(replacing: "", with: "") == nil)
    }

    @Test(arguments: [
        ("count = 8", "count = 0", "swarm.count", "need at least 4 mixtures, got 0"),
        ("count = 8", "count = 3", "swarm.count", "need at least 4 mixtures, got 3"),
        ("count = 8", "count = 1000000000000", "swarm.count", "at most 100000 mixtures (each is a proxy training run), got 1000000000000"),
        ("seed = 0", "seed = -1", "swarm.seed", "must not be negative, got -1"),
        (
            "seed = 0", "seed = 0\ntemperature = -1", "swarm.temperature",
            "must not be negative (0 gives a uniform prior, 1 the token shares), got -1.0"
        ),
        ("seed = 0", "seed = 0\nmax_epochs = 0", "swarm.max_epochs", "must be positive, got 0.0"),
        ("seed = 0", "seed = 0\nmin_weight = 1", "swarm.min_weight", "must be in [0, 1), got 1.0"),
        ("workers = 2", "workers = 0", "sweep.workers", "must be between 1 and 1024, got 0"),
        ("threads = 1", "threads = 5000", "sweep.threads", "must be between 1 and 1024, got 5000"),
        ("threads = 1", "threads = 1\nholdout = 0.95", "sweep.holdout", "must be in [0, 0.9), got 0.95"),
        ("kl = 0.1", "kl = -1", "propose.kl", "must not be negative, got -1.0"),
        ("kl = 0.1", "surrogate = \"cubic\"", "propose.surrogate", "unknown surrogate 'cubic' (known: auto, linear, loglinear, gbdt)"),
    ])
    func mixSettingOutOfRangeIsNamed(old: String, new: String, keyPath: String, message: String) {
        #expect(Self.mixError(replacing: old, with: new) == .config(file: "mix.toml", keyPath: keyPath, line: nil, message: message))
    }

    @Test(arguments: ["nan", "-nan", "inf", "-inf"])
    func nonFiniteTemperatureIsRefusedAtParse(value: String) {
        let failure = Self.mixError(replacing: "seed = 0", with: "seed = 0\ntemperature = \(value)")
        guard case .config("mix.toml", "swarm.temperature", nil, let message) = failure else {
            Issue.record("expected a config error naming swarm.temperature, got \(String(describing: failure))")
            return
        }
        #expect(message.hasSuffix("is not a finite number; configuration numbers must be finite"))
    }

    @Test func extremeTemperaturesGiveAPriorInsteadOfATrap() throws {
        var settings = SwarmSampler.Settings()
        settings.temperature = 1e6
        let tokens = ["code": 300, "math": 100, "prose": 600]
        // (n / n_max)^t underflows for every domain but the largest, which keeps everything.
        #expect(try SwarmSampler(availableTokens: tokens, budgetTokens: 100, settings: settings).prior.weights == [0, 0, 1])
        settings.temperature = 0
        let uniform = try SwarmSampler(availableTokens: tokens, budgetTokens: 100, settings: settings).prior.weights
        #expect(uniform.allSatisfy { abs($0 - 1.0 / 3) < 1e-15 })
    }

    @Test func samplerRefusesWhatItCannotSample() throws {
        #expect(throws: FactoryError.invalidArgument(name: "swarm", message: "domain 'math' has 0 training tokens; every domain needs some")) {
            try SwarmSampler(availableTokens: ["code": 10, "math": 0], budgetTokens: 100)
        }
        var settings = SwarmSampler.Settings()
        settings.temperature = -.nan
        #expect(throws: FactoryError.self) { try SwarmSampler(availableTokens: ["code": 10], budgetTokens: 100, settings: settings) }
        let sampler = try SwarmSampler(availableTokens: ["code": 10, "math": 10], budgetTokens: 5)
        #expect(throws: FactoryError.invalidArgument(name: "swarm count", message: "must be positive, got 0")) { try sampler.sample(count: 0) }
        // 1e12 mixtures are refused up front with the memory they would take, not allocated.
        #expect {
            try sampler.sample(count: 1_000_000_000_000)
        } throws: { error in
            guard case .invalidArgument("swarm count", let message) = error as? FactoryError else { return false }
            return message.hasPrefix("a swarm of 1000000000000 mixtures over 2 domains needs about 58.2 TiB of memory; this machine has")
        }
    }

    /// A proxy run file in a fresh folder, with `train` settings as given.
    static func proxyRun(_ train: String) throws -> String {
        let folder = NSTemporaryDirectory() + "factory-proxy-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/proxy.toml"
        try Data("[train]\n\(train)\n[data]\ntrain = \"\(folder)/shards\"\n".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func proxyBudgetOverflowAndNegativeFactorsAreNamed() throws {
        let overflow = try Self.proxyRun("steps = 4294967296\nbatch = 4294967296\nsequence_length = 8")
        defer { try? FileManager.default.removeItem(atPath: (overflow as NSString).deletingLastPathComponent) }
        #expect(
            throws: FactoryError.config(
                file: overflow, keyPath: "train", line: nil,
                message:
                    "the token budget train.steps × batch × sequence_length × accumulation (4294967296 × 4294967296 × 8 × 1) overflows a 64-bit count"
            )
        ) { try ProxyRunFacts(runFile: overflow) }
        let negative = try Self.proxyRun("steps = 10\nbatch = -4\nsequence_length = 8")
        defer { try? FileManager.default.removeItem(atPath: (negative as NSString).deletingLastPathComponent) }
        #expect(throws: FactoryError.config(file: negative, keyPath: "train.batch", line: nil, message: "must be positive, got -4")) {
            try ProxyRunFacts(runFile: negative)
        }
    }

    @Test func foldsBelowTwoAndAConstantTargetAreRefused() throws {
        let x = (0..<8).map { i in [Double(i) / 8, 1 - Double(i) / 8] }
        let y = (0..<8).map { Double($0) }
        for folds in [0, 1] {
            #expect(
                throws: FactoryError.invalidArgument(name: "folds", message: "cross-validation needs at least 2 folds, got \(folds)")
            ) { try Surrogate.fit(target: "loss", domains: ["a", "b"], x: x, y: y, folds: folds) }
        }
        // A constant metric used to reach JSON encoding as a NaN Spearman ("-nan").
        #expect(
            throws: FactoryError.invalidArgument(
                name: "target 'loss'", message: "has the same value (2.5) in all 8 rows: there is nothing to rank or fit")
        ) { try Surrogate.fit(target: "loss", domains: ["a", "b"], x: x, y: [Double](repeating: 2.5, count: 8)) }
    }

    /// A mixture CSV with the given rows under the header `index,a,b,c,d,e`.
    static func mixtureFile(_ rows: [String]) throws -> String {
        let path = NSTemporaryDirectory() + "factory-mixtures-" + UUID().uuidString + ".csv"
        try Data((["index,a,b,c,d,e"] + rows).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: [
        ("1,0.2,0.2,0.2,0.2,0.2\n2,1,1,1,1,1", "", "row '2' sums to 5.0; a mixture's weights sum to 1 (within 0.01)"),
        ("1,0.2,0.2,0.2,0.2,0.2\n2,0,0,0,0,0", "", "row '2' sums to 0.0; a mixture's weights sum to 1 (within 0.01)"),
        ("1,1e308,0,0,0,0", "a", "row '1' has weight 1e+308; weights must be between 0 and 1"),
        ("1,0,-0.5,1.5,0,0", "b", "row '1' has weight -0.5; weights must be between 0 and 1"),
        ("1,nan,0.5,0.5,0,0", "a", "row '1' has weight nan; weights must be between 0 and 1"),
    ])
    func mixtureRowsThatAreNotMixturesAreRefused(rows: String, keyPath: String, message: String) throws {
        let path = try Self.mixtureFile(rows.split(separator: "\n").map(String.init))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: FactoryError.config(file: path, keyPath: keyPath, line: nil, message: message)) {
            try MixtureTable.read(path: path)
        }
    }

    @Test func roundedMixtureRowsStillRead() throws {
        // RegMix writes three decimals; its rows sum to 0.996…1.003.
        let path = try Self.mixtureFile(["1,0.333,0.663,0,0,0", "2,0.5,0.503,0,0,0"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try MixtureTable.read(path: path).rows.count == 2)
    }

    /// Writes `surrogate` as JSON and loads it back through ``SurrogateFile``.
    static func reload(_ surrogate: Surrogate) throws -> Surrogate {
        let path = NSTemporaryDirectory() + "factory-surrogate-" + UUID().uuidString + ".json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try JSONEncoder().encode(surrogate).write(to: URL(fileURLWithPath: path))
        return try SurrogateFile.load(path)
    }

    static func linear(_ weights: [Double]) -> FittedModel { .linear(LinearSurrogate(intercept: 0, weights: weights)) }

    @Test func inconsistentSurrogateFilesAreRefused() throws {
        let good = Surrogate(
            target: "loss", domains: ["a", "b", "c"], kind: .linear, model: Self.linear([1, 2, 3]),
            foldModels: [Self.linear([1, 2, 3]), Self.linear([1, 2, 2])], crossValidatedSpearman: ["linear": 0.5])
        #expect(try Self.reload(good) == good)
        func reason(_ surrogate: Surrogate) -> String? {
            do {
                _ = try Self.reload(surrogate)
                return nil
            } catch {
                guard case .corrupt(_, let reason) = error as? FactoryError else { return "\(error)" }
                return reason
            }
        }
        var fewer = good
        fewer.model = Self.linear([1, 2])
        #expect(reason(fewer) == "model: 2 weights for 3 domains")
        var foldless = good
        foldless.foldModels = []
        #expect(reason(foldless) == "it has 0 fold models; `factory mix fit` writes at least 2")
        var mismatched = good
        mismatched.foldModels[1] = .loglinear(LogLinearSurrogate(c: 0, k: 1, t: [0, 0, 0]))
        #expect(reason(mismatched) == "foldModels[1] is loglinear, the surrogate says linear")
        // A tree whose node points back to itself would loop forever in prediction.
        let loop = GradientBoostedTrees(
            baseline: 0, shrinkage: 1, trees: [[.init(feature: 0, threshold: 0.5, left: 0, right: 0, value: 0)]])
        let trees = Surrogate(
            target: "loss", domains: ["a", "b", "c"], kind: .gbdt, model: .gbdt(loop), foldModels: [.gbdt(loop), .gbdt(loop)],
            crossValidatedSpearman: [:])
        #expect(reason(trees) == "model: tree 0 node 0 links to nodes 0 and 0 (of 1)")
        var outside = loop
        outside.trees = [[.init(feature: 7, threshold: 0.5, left: 1, right: 2, value: 0), .leaf, .leaf]]
        var wide = trees
        wide.model = .gbdt(outside)
        #expect(reason(wide) == "model: tree 0 node 0 splits on feature 7 of 3 domains")
    }

    @Test func proposerRefusesNonFiniteWeightsAndCaps() throws {
        let surrogate = ProposerAndSwarmTests.linearSurrogate(["a", "b"], weights: [1, 2])
        let prior = try Mixture(["a": 0.5, "b": 0.5])
        #expect(throws: FactoryError.invalidArgument(name: "KL weight", message: "must be finite and non-negative, got nan")) {
            try MixtureProposer(terms: [.init(surrogate: surrogate, weight: 1)], prior: prior, caps: [1, 1], klWeight: .nan)
        }
        #expect(
            throws: FactoryError.invalidArgument(name: "weight of the surrogate for 'loss'", message: "must be finite, got inf")
        ) { try MixtureProposer(terms: [.init(surrogate: surrogate, weight: .infinity)], prior: prior, caps: [1, 1]) }
        #expect(
            throws: FactoryError.invalidArgument(name: "cap of domain 'b'", message: "must be a finite, non-negative number, got nan")
        ) { try CappedSimplex(caps: [1, .nan], domains: ["a", "b"]) }
    }
}

extension GradientBoostedTrees.Node {
    fileprivate static let leaf = GradientBoostedTrees.Node(feature: -1, threshold: 0, left: -1, right: -1, value: 0)
}
