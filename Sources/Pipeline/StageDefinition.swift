import FactoryCore

/// One stage of a pipeline file: its kind, the stages it reads from by role, and its settings.
public struct StageDefinition: Sendable {
    /// The stage's name (the key of its `[stages.NAME]` table).
    public let name: String
    /// What it does (`corpus`, `curate`, `train`, …; see ``StageKinds``).
    public let kind: String
    /// The stages it reads from, by the role their output plays here (`documents`, `shards`, …).
    public let inputs: [String: String]
    /// Every other key of its table, checked by its kind.
    public let settings: [String: ConfigValue]

    /// Parses `[stages.NAME]` and checks it against its kind.
    init(name: String, value: ConfigValue, source: String, kinds: [any StageKind]) throws {
        let prefix = "stages.\(name)"
        guard case .table(var table) = value else {
            throw FactoryError.config(file: source, keyPath: prefix, line: nil, message: "expected a table, got \(value.kindName)")
        }
        guard case .string(let kind)? = table.removeValue(forKey: "kind") else {
            throw FactoryError.config(
                file: source, keyPath: "\(prefix).kind", line: nil,
                message: "expected one of \(kinds.map(\.name).joined(separator: ", "))")
        }
        guard let stageKind = kinds.first(where: { $0.name == kind }) else {
            throw FactoryError.config(
                file: source, keyPath: "\(prefix).kind", line: nil,
                message: "unknown kind '\(kind)' (known: \(kinds.map(\.name).joined(separator: ", ")))")
        }
        var inputs = [String: String]()
        switch table.removeValue(forKey: "inputs") {
        case nil: break
        case .table(let roles)?:
            for (role, stage) in roles {
                guard case .string(let stageName) = stage else {
                    throw FactoryError.config(file: source, keyPath: "\(prefix).inputs.\(role)", line: nil, message: "expected a stage name")
                }
                inputs[role] = stageName
            }
        case let other?:
            throw FactoryError.config(
                file: source, keyPath: "\(prefix).inputs", line: nil, message: "expected a table of ROLE = \"STAGE\", got \(other.kindName)")
        }
        let roles = stageKind.inputRoles
        for role in inputs.keys.sorted() where !roles.required.contains(role) && !roles.optional.contains(role) {
            throw FactoryError.config(
                file: source, keyPath: "\(prefix).inputs.\(role)", line: nil,
                message: "a \(kind) stage has no input '\(role)' (inputs: \((roles.required + roles.optional).joined(separator: ", ")))")
        }
        for role in roles.required where inputs[role] == nil {
            throw FactoryError.config(file: source, keyPath: "\(prefix).inputs.\(role)", line: nil, message: "a \(kind) stage needs this input")
        }
        self.name = name
        self.kind = kind
        self.inputs = inputs
        self.settings = table
        self.stageKind = stageKind
        location = StageSettingsLocation(file: source, keyPrefix: prefix)
        try stageKind.validate(settings: table, source: source, keyPrefix: prefix)
        // Settings become part of the stage's identity: refuse what it cannot record (NaN, inf).
        _ = try StageIdentity(kind: kind, settings: table, files: [:], inputs: [:], code: nil, source: source, keyPrefix: prefix)
    }

    /// The kind's implementation.
    public let stageKind: any StageKind
    /// The pipeline file and the stage's table, for errors about its settings.
    let location: StageSettingsLocation
}
