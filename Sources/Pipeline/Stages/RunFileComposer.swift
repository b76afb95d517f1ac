import FactoryCore
import Foundation
import Training

/// Turns a run table written inline in a pipeline file (a `run.toml` without paths) into a run
/// file: the pipeline fills in `data.train`, `data.validation`, `data.tokenizer` and
/// `train.output` from the stage's inputs and folder, and `data.mixture` when a mixture is given.
struct RunFileComposer {
    /// The inline table.
    let run: [String: ConfigValue]
    /// Where the table is written, for errors: the pipeline file and the table's key
    /// (`stages.train.run`).
    let location: StageSettingsLocation

    /// The stage's inline `key` table.
    init(settings: [String: ConfigValue], key: String, stage: StageSettingsLocation) throws {
        guard case .table(let table)? = settings[key] else {
            throw stage.error(key, "expected a [\(stage.keyPrefix).\(key)] table (a run.toml without data paths and train.output)")
        }
        run = table
        location = StageSettingsLocation(file: stage.file, keyPrefix: stage.keyPath(key))
    }

    /// Keys the pipeline sets, which the inline table must leave out.
    static let pipelineKeys: [(table: String, key: String)] = [
        ("data", "train"), ("data", "validation"), ("data", "tokenizer"), ("train", "output"),
    ]

    /// Checks the table: no pipeline-owned keys, and a valid run (every value in range) once
    /// they are filled in.
    func validate(mixtureFromInput: Bool) throws {
        for (table, key) in Self.pipelineKeys {
            if case .table(let entries)? = run[table], entries[key] != nil {
                throw location.error("\(table).\(key)", "is set by the pipeline from the stage's inputs; leave it out")
            }
        }
        if mixtureFromInput, case .table(let data)? = run["data"], data["mixture"] != nil {
            throw location.error("data.mixture", "comes from the stage's mixture input; leave it out")
        }
        try location.qualifyingKeys {
            let config = try ConfigLoader.decode(
                TrainingRunConfig.self, from: compose(shards: "shards", tokenizer: "tokenizer.json", mixture: nil, output: "output"),
                source: location.file)
            try config.validate(source: location.file)
        }
    }

    /// The complete run file.
    func compose(shards: String, tokenizer: String, mixture: [String: Double]?, output: String) -> ConfigValue {
        var table = run
        var data = Self.table(table["data"])
        data["train"] = .string(shards + "/train")
        data["validation"] = .string(shards + "/validation")
        data["tokenizer"] = .string(tokenizer)
        if let mixture { data["mixture"] = .table(mixture.mapValues { .float($0) }) }
        table["data"] = .table(data)
        var train = Self.table(table["train"])
        train["output"] = .string(output)
        table["train"] = .table(train)
        return .table(table)
    }

    /// Writes the complete run file to `path` (atomically) and returns the path.
    func write(toPath path: String, shards: String, tokenizer: String, mixture: [String: Double]?, output: String) throws -> String {
        let text = try compose(shards: shards, tokenizer: tokenizer, mixture: mixture, output: output).tomlText()
        try AtomicFile.write(Data(("# Written by `factory run` from \(location.file) [\(location.keyPrefix)].\n" + text).utf8), toPath: path)
        return path
    }

    private static func table(_ value: ConfigValue?) -> [String: ConfigValue] {
        if case .table(let entries)? = value { return entries }
        return [:]
    }

}
