import FactoryCore
import Foundation

/// A pipeline file: named stages, each of a kind with its settings and the stages it reads from.
///
/// ```toml
/// name = "demo"
/// workspace = ".factory/pipelines/demo"   # stage outputs and logs (default: .factory/pipelines/NAME)
///
/// [stages.corpus]
/// kind = "corpus"
/// config = "corpora/local.toml"
///
/// [stages.tokenizer]
/// kind = "tokenizer"
/// inputs = { documents = "corpus" }
/// vocab_size = 8192
/// ```
///
/// Every key of a stage other than `kind` and `inputs` is a setting of its kind (see
/// ``StageKinds``); unknown kinds, unknown settings, missing or unknown inputs and cycles are
/// errors naming the file and the key.
public struct PipelineDefinition: Sendable {
    /// The pipeline's name (tags its stage runs in the lineage store).
    public let name: String
    /// The folder that holds stage outputs (`<workspace>/<stage>/<identity>`) and logs.
    public let workspace: String
    /// The stages in execution order: every stage after the stages it reads from, ties by name.
    public let stages: [StageDefinition]
    /// The file it was read from (for messages).
    public let source: String

    /// Reads and validates a pipeline file; relative paths in it are relative to the working
    /// directory (like every other `factory` config).
    public static func load(path: String, kinds: [any StageKind] = StageKinds.all) throws -> PipelineDefinition {
        try FileKind.requireRegularFile(path, name: "pipeline file")
        guard let data = FileManager.default.contents(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FactoryError.config(file: path, keyPath: "", line: nil, message: "the file is not valid UTF-8")
        }
        return try PipelineDefinition(toml: text, source: path, kinds: kinds)
    }

    /// Parses and validates pipeline TOML; `source` names it in errors; `kinds` are the stage
    /// kinds it may use.
    public init(toml text: String, source: String, kinds: [any StageKind] = StageKinds.all) throws {
        guard case .table(let root) = try ConfigValue.parseTOML(text, source: source) else {
            throw FactoryError.config(file: source, keyPath: "", line: nil, message: "expected a table")
        }
        for key in root.keys.sorted() where !["name", "workspace", "stages"].contains(key) {
            throw FactoryError.config(file: source, keyPath: key, line: nil, message: "unknown key (known: name, workspace, stages)")
        }
        guard case .string(let name)? = root["name"], !name.isEmpty,
            name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) })
        else {
            throw FactoryError.config(file: source, keyPath: "name", line: nil, message: "expected a name of letters, digits, '-', '_' or '.'")
        }
        self.name = name
        switch root["workspace"] {
        case nil: workspace = ".factory/pipelines/\(name)"
        case .string(let path)?: workspace = path
        case let other?: throw FactoryError.config(file: source, keyPath: "workspace", line: nil, message: "expected a path, got \(other.kindName)")
        }
        guard case .table(let stageTables)? = root["stages"], !stageTables.isEmpty else {
            throw FactoryError.config(file: source, keyPath: "stages", line: nil, message: "expected at least one [stages.NAME] table")
        }
        let parsed = try stageTables.keys.sorted().map { try StageDefinition(name: $0, value: stageTables[$0]!, source: source, kinds: kinds) }
        stages = try Self.executionOrder(parsed, source: source)
        self.source = source
    }

    /// The stage called `name`.
    public func stage(_ name: String) -> StageDefinition? { stages.first { $0.name == name } }

    /// The stages that read (directly or through others) from `name`.
    public func dependents(of name: String) -> Set<String> {
        var found = Set<String>()
        for stage in stages where stage.inputs.values.contains(where: { $0 == name || found.contains($0) }) {
            found.insert(stage.name)
        }
        return found
    }

    /// Orders stages so that each comes after its inputs (Kahn's algorithm, ties by name), and
    /// rejects inputs naming no stage and cycles.
    private static func executionOrder(_ stages: [StageDefinition], source: String) throws -> [StageDefinition] {
        let byName = Dictionary(uniqueKeysWithValues: stages.map { ($0.name, $0) })
        for stage in stages {
            for role in stage.inputs.keys.sorted() where byName[stage.inputs[role]!] == nil {
                throw FactoryError.config(
                    file: source, keyPath: "stages.\(stage.name).inputs.\(role)", line: nil,
                    message: "no stage named '\(stage.inputs[role]!)' (stages: \(byName.keys.sorted().joined(separator: ", ")))")
            }
        }
        var ordered = [StageDefinition]()
        var placed = Set<String>()
        while ordered.count < stages.count {
            guard let next = stages.first(where: { !placed.contains($0.name) && $0.inputs.values.allSatisfy(placed.contains) }) else {
                let cycle = stages.filter { !placed.contains($0.name) }.map(\.name)
                throw FactoryError.config(
                    file: source, keyPath: "stages", line: nil,
                    message: "the inputs of \(cycle.joined(separator: ", ")) form a cycle")
            }
            ordered.append(next)
            placed.insert(next.name)
        }
        return ordered
    }
}
