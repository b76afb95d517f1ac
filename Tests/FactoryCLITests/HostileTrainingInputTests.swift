import FactoryCore
import Foundation
import Testing

/// Hostile numbers given to `factory train`, `eval`, `bench train` and `model info`: each is
/// refused cleanly (no trap, no hang) by a message naming the file and key, or the option.
@Suite struct HostileTrainingInputTests {
    let directory = NSTemporaryDirectory() + "factory-hostile-training-" + UUID().uuidString

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func runFile(_ trainLines: String, optimizerLines: String = "") throws -> String {
        let path = directory + "/run-\(UUID().uuidString).toml"
        try """
        [model]
        preset = "laguna-tiny"
        [data]
        train = "\(directory)/no-shards"
        [optimizer]
        lr = 3e-3
        \(optimizerLines)
        [schedule]
        kind = "cosine"
        [train]
        steps = 10
        batch = 2
        sequence_length = 16
        output = "\(directory)/out"
        \(trainLines)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: [
        ("log_every = 0", "", "key 'train.log_every': must be positive, got 0"),
        ("eval_every = 0", "", "key 'train.eval_every': must be positive, got 0"),
        ("checkpoint_every = 0", "", "key 'train.checkpoint_every': must be positive, got 0"),
        ("seed = -1", "", "key 'train.seed': must not be negative, got -1"),
        ("eval_sequences = 0", "", "key 'train.eval_sequences': must be positive, got 0"),
        ("grad_clip = -1", "", "key 'train.grad_clip': must be positive, got -1.0"),
        ("", "beta1 = 1.5", "key 'optimizer.beta1': must be in [0, 1), got 1.5"),
        ("", "epsilon = 0", "key 'optimizer.epsilon': must be positive, got 0.0"),
        ("", "weight_decay = -50", "key 'optimizer.weight_decay': must not be negative, got -50.0"),
    ])
    func trainRefusesABadRunFileNumberByKey(trainLines: String, optimizerLines: String, message: String) throws {
        let path = try runFile(trainLines, optimizerLines: optimizerLines)
        let outcome = try FactoryExecutable.run(["train", "--config", path, "--store", directory + "/store"])
        #expect(outcome.refusedCleanly)
        #expect(outcome.errors.contains("\(path): \(message)"))
    }

    @Test(arguments: [
        (["eval", "--sequence-length", "0"], "invalid --sequence-length: must be at least 1, got 0"),
        (["eval", "--batch", "0"], "invalid --batch: must be at least 1, got 0"),
        (["eval", "--max-sequences", "0"], "invalid --max-sequences: must be at least 1, got 0"),
    ])
    func evalRefusesABadSettingByOption(arguments: [String], message: String) throws {
        let outcome = try FactoryExecutable.run(arguments + ["--model", directory + "/none", "--data", directory + "/none"])
        #expect(outcome.refusedCleanly)
        #expect(outcome.errors.contains(message))
    }

    @Test(arguments: [
        (["bench", "train", "--batch", "0"], "invalid --batch: must be at least 1, got 0"),
        (["bench", "train", "--sequence-length", "0"], "invalid --sequence-length: must be at least 1, got 0"),
        (["bench", "replica", "--replicas", "0"], "invalid --replicas: must be at least 1, got 0"),
        (["bench", "train", "--batch", "1000000000"], "of memory; this machine has"),
        (["bench", "replica", "--replicas", "1000", "--batch", "1000"], "of memory; this machine has"),
    ])
    func benchmarksRefuseBadSizesByOption(arguments: [String], message: String) throws {
        let outcome = try FactoryExecutable.run(arguments)
        #expect(outcome.refusedCleanly)
        #expect(outcome.errors.contains(message))
    }

    @Test func modelInfoRefusesAnOverflowingConfigByKey() throws {
        let path = directory + "/config.json"
        let initialized = try FactoryExecutable.run([
            "model", "init", "--preset", "laguna-proxy", "--vocab-size", "300", "--seed", "1", "-o", directory + "/m",
        ])
        #expect(initialized.status == 0)
        let text = try String(contentsOfFile: directory + "/m/config.json", encoding: .utf8)
        let hostile = text.replacingOccurrences(of: "\"intermediate_size\": 512", with: "\"intermediate_size\": 4611686018427387904")
        #expect(hostile != text)
        try hostile.write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = try FactoryExecutable.run(["model", "info", "--config", path])
        #expect(outcome.refusedCleanly)
        #expect(outcome.errors.contains("\(path): key 'intermediate_size': must be in 0...2147483648, got 4611686018427387904"))
    }

    @Test func evalRefusesNonFiniteWeights() throws {
        let model = directory + "/nan-model"
        let initialized = try FactoryExecutable.run(["model", "init", "--preset", "laguna-proxy", "--vocab-size", "300", "--seed", "1", "-o", model])
        #expect(initialized.status == 0)
        // The first weight becomes NaN; without factory.json nothing is verified by digest.
        let weights = model + "/model.safetensors"
        var bytes = try #require(FileManager.default.contents(atPath: weights))
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        bytes.replaceSubrange((8 + headerLength)..<(12 + headerLength), with: [0x00, 0x00, 0xC0, 0x7F])
        try bytes.write(to: URL(fileURLWithPath: weights))
        try FileManager.default.removeItem(atPath: model + "/factory.json")
        let outcome = try FactoryExecutable.run(["eval", "--model", model, "--data", directory + "/none"])
        #expect(outcome.refusedCleanly)
        #expect(outcome.errors.contains("\(model) is corrupt: its weights are not finite ("))
        #expect(outcome.errors.contains("holds nan at element "))
        #expect(outcome.errors.contains("); nothing to evaluate"))
    }
}

extension HostileTrainingInputTests {
    @Test func modelInitRefusesAHugeHiddenSizeWithTheEstimate() throws {
        let initialized = try FactoryExecutable.run([
            "model", "init", "--preset", "laguna-proxy", "--vocab-size", "300", "--seed", "1", "-o", directory + "/m2",
        ])
        #expect(initialized.status == 0)
        let text = try String(contentsOfFile: directory + "/m2/config.json", encoding: .utf8)
        let hostile = text.replacingOccurrences(of: "\"hidden_size\": 128", with: "\"hidden_size\": 1000000000")
        #expect(hostile != text)
        let path = directory + "/huge.json"
        try hostile.write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = try FactoryExecutable.run(["model", "init", "--config", path, "--seed", "1", "-o", directory + "/never"])
        #expect(outcome.refusedCleanly)
        #expect(outcome.errors.contains("invalid \(path): key 'hidden_size': the weights of "))
        #expect(outcome.errors.contains("of memory; this machine has"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/never"))
    }
}
