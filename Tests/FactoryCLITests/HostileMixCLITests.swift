import FactoryCore
import Foundation
import Testing

/// Issue 17, re-tried as a hostile user would: `factory mix`, `factory run` and `factory runs`
/// with bad settings and files exit non-zero with a message naming the option, or the file and
/// key: no trap, no hang, no file written.
@Suite(.serialized) struct HostileMixCLITests {
    /// A fresh folder for one test's files.
    final class Folder {
        let path = NSTemporaryDirectory() + "factory-hostile-mix-" + UUID().uuidString

        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }

        /// Writes `text` to `name` in the folder and returns its path.
        func write(_ name: String, _ text: String) throws -> String {
            let file = path + "/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            return file
        }
    }

    /// Eight mixtures of two domains and a metric for each.
    static func fitInputs(in folder: Folder, metric: (Int) -> Double) throws -> (mixtures: String, metrics: String) {
        let rows = (1...8).map { "\($0),\(Double($0) / 10),\(1 - Double($0) / 10)" }
        let mixtures = try folder.write("mixtures.csv", (["index,a,b"] + rows).joined(separator: "\n") + "\n")
        let metrics = try folder.write("metrics.csv", (["index,loss"] + (1...8).map { "\($0),\(metric($0))" }).joined(separator: "\n") + "\n")
        return (mixtures, metrics)
    }

    func expectRefusal(_ arguments: [String], saying message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let outcome = try FactoryExecutable.run(arguments)
        #expect(outcome.refusedCleanly, "\(arguments): \(outcome.errors)", sourceLocation: sourceLocation)
        #expect(outcome.errors.contains(message), "\(arguments): \(outcome.errors)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [0, 1, -3])
    func mixFitWithTooFewFoldsIsRefusedByOption(folds: Int) throws {
        let folder = try Folder()
        let (mixtures, metrics) = try Self.fitInputs(in: folder) { Double($0) }
        try expectRefusal(
            [
                "mix", "fit", "--mixtures", mixtures, "--metrics", metrics, "--target", "loss", "--folds=\(folds)", "--output",
                folder.path + "/s.json",
            ],
            saying: "--folds must be at least 2 (each fold is measured on rows the others saw), got \(folds)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/s.json"))
    }

    @Test func mixFitOnAConstantMetricSaysSoInsteadOfAnEncodingError() throws {
        let folder = try Folder()
        let (mixtures, metrics) = try Self.fitInputs(in: folder) { _ in 3.25 }
        try expectRefusal(
            ["mix", "fit", "--mixtures", mixtures, "--metrics", metrics, "--target", "loss", "--output", folder.path + "/s.json"],
            saying: "invalid target 'loss': has the same value (3.25) in all 8 rows: there is nothing to rank or fit")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/s.json"))
    }

    @Test func mixFitOnRowsThatAreNotMixturesNamesTheRow() throws {
        let folder = try Folder()
        let (_, metrics) = try Self.fitInputs(in: folder) { Double($0) }
        let rows = (1...8).map { $0 == 3 ? "3,1,1" : "\($0),0.5,0.5" }
        let mixtures = try folder.write("sum.csv", (["index,a,b"] + rows).joined(separator: "\n"))
        try expectRefusal(
            ["mix", "fit", "--mixtures", mixtures, "--metrics", metrics, "--target", "loss", "--output", folder.path + "/s.json"],
            saying: "\(mixtures): row '3' sums to 2.0; a mixture's weights sum to 1 (within 0.01)")
    }

    @Test func mixPredictWithASurrogateMissingWeightsIsRefused() throws {
        let folder = try Folder()
        let (mixtures, metrics) = try Self.fitInputs(in: folder) { Double($0 * $0 % 7) }
        let surrogate = folder.path + "/s.json"
        let fitted = try FactoryExecutable.run(
            ["mix", "fit", "--mixtures", mixtures, "--metrics", metrics, "--target", "loss", "--surrogate", "linear", "--output", surrogate])
        #expect(fitted.status == 0, "\(fitted.errors)")
        // Drop the last weight of the chosen model, as a hand-edited or truncated file would.
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: surrogate))) as! [String: Any]
        var model = json["model"] as! [String: Any]
        var linear = model["linear"] as! [String: Any]
        var inner = linear["_0"] as! [String: Any]
        inner["weights"] = Array((inner["weights"] as! [Double]).prefix(1))
        linear["_0"] = inner
        model["linear"] = linear
        json["model"] = model
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: surrogate))
        try expectRefusal(
            ["mix", "predict", "--surrogate", surrogate, "--mixtures", mixtures, "--output", folder.path + "/p.csv"],
            saying: "\(surrogate) is corrupt: model: 1 weights for 2 domains")
    }

    @Test(arguments: [("nan", "nan"), ("-1", "-1.0"), ("inf", "inf")])
    func mixProposeRefusesAKLWeightThatIsNotANonNegativeNumber(value: String, shown: String) throws {
        try expectRefusal(
            ["mix", "propose", "--surrogate", "s.json", "--kl=\(value)"], saying: "--kl must be a finite, non-negative number, got \(shown)")
    }

    @Test(arguments: [
        ("temperature = nan", "key 'swarm.temperature': nan is not a finite number; configuration numbers must be finite"),
        ("temperature = -1.0", "key 'swarm.temperature': must not be negative (0 gives a uniform prior, 1 the token shares), got -1.0"),
        ("seed = -1", "key 'swarm.seed': must not be negative, got -1"),
        ("count = 1000000000000", "key 'swarm.count': at most 100000 mixtures (each is a proxy training run), got 1000000000000"),
    ])
    func mixSampleRefusesBadSwarmSettingsByFileAndKey(setting: String, message: String) throws {
        let folder = try Folder()
        let count = setting.hasPrefix("count") ? "" : "count = 8\n"
        let config = try folder.write(
            "mix.toml", "base = \"proxy.toml\"\ndirectory = \"out\"\ntarget = \"eval/loss\"\n[swarm]\n\(count)\(setting)\n")
        try expectRefusal(["mix", "sample", "--config", config, "--output", folder.path + "/m.csv"], saying: "\(config): \(message)")
    }

    @Test func pipelineSettingOfMinusFiveIsNamedByFileAndKey() throws {
        let folder = try Folder()
        let pipeline = try folder.write(
            "p.toml",
            """
            name = "hostile"
            [stages.corpus]
            kind = "corpus"
            config = "corpus.toml"
            [stages.tokenizer]
            kind = "tokenizer"
            inputs = { documents = "corpus" }
            vocab_size = -5
            """)
        try expectRefusal(
            ["run", pipeline, "--dry-run", "--store", folder.path + "/store"],
            saying: "\(pipeline): key 'stages.tokenizer.vocab_size': must be between")
        try expectRefusal(
            ["run", "/dev/zero", "--dry-run", "--store", folder.path + "/store"], saying: "pipeline file /dev/zero: is a character device")
    }

    @Test func runsLogAndEventRefuseNegativeStepsAndInfiniteValues() throws {
        let folder = try Folder()
        let store = folder.path + "/store"
        let started = try FactoryExecutable.run(["runs", "start", "--store", store, "--kind", "test", "--id", "hostile"])
        #expect(started.status == 0, "\(started.errors)")
        let negative = try folder.write("negative.csv", "key,step,value\nloss,0,1.5\nloss,-3,1.0\n")
        try expectRefusal(["runs", "log", "hostile", "--store", store, "--file", negative], saying: "\(negative):3: step -3 is negative")
        let infinite = try folder.write("infinite.csv", "key,step,value\nloss,0,inf\n")
        try expectRefusal(
            ["runs", "log", "hostile", "--store", store, "--file", infinite],
            saying: "\(infinite):2: value 'inf' is infinite (nan marks a diverged metric)")
        let diverged = try folder.write("diverged.csv", "key,step,value\nloss,0,2.5\nloss,1,nan\n")
        let logged = try FactoryExecutable.run(["runs", "log", "hostile", "--store", store, "--file", diverged])
        #expect(logged.status == 0, "\(logged.errors)")
        #expect(logged.errors.contains("logged 1 nan values (diverged: loss)"))
        try expectRefusal(
            ["runs", "event", "hostile", "--store", store, "--kind", "warning", "--message", "x", "--step=-1"],
            saying: "--step must not be negative, got -1")
        try expectRefusal(["runs", "start", "--store", store, "--kind", "test", "--seed=-7"], saying: "--seed must not be negative, got -7")
    }
}
