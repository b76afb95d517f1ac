import FactoryCore

/// The input roles a stage kind reads.
public struct StageInputRoles: Sendable {
    /// Roles every stage of the kind must wire to another stage.
    public let required: [String]
    /// Roles it may wire.
    public let optional: [String]

    public init(required: [String], optional: [String] = []) {
        self.required = required
        self.optional = optional
    }
}

/// What one kind of stage does: which inputs it takes, which settings it accepts, and how it
/// turns its inputs into the contents of its output folder.
///
/// A kind must write only into ``StageContext/output`` and produce the same output for the same
/// settings, inputs and code: the runner memoizes stages on exactly that identity.
public protocol StageKind: Sendable {
    /// The `kind = "…"` value.
    var name: String { get }
    /// What it reads.
    var inputRoles: StageInputRoles { get }
    /// Checks the stage's settings (their types and every value's range), throwing an error that
    /// names the pipeline file `source` and the full key (`keyPrefix` + the setting's key).
    func validate(settings: [String: ConfigValue], source: String, keyPrefix: String) throws
    /// Files the settings name whose content is part of the stage's identity (config files).
    func referencedFiles(settings: [String: ConfigValue]) -> [String]
    /// Does the work.
    func execute(_ context: StageContext) throws
}

extension StageKind {
    public func referencedFiles(settings: [String: ConfigValue]) -> [String] { [] }
}

/// A kind whose settings are one strictly decoded `Settings` value.
protocol DecodedSettingsStageKind: StageKind {
    associatedtype Settings: Decodable
    /// Checks the ranges of decoded settings; errors name their key through `location`.
    func check(_ settings: Settings, at location: StageSettingsLocation) throws
}

extension DecodedSettingsStageKind {
    func validate(settings: [String: ConfigValue], source: String, keyPrefix: String) throws {
        _ = try decode(settings, at: StageSettingsLocation(file: source, keyPrefix: keyPrefix))
    }

    /// The settings, decoded strictly (unknown keys are errors) and checked.
    func decode(_ settings: [String: ConfigValue], at location: StageSettingsLocation) throws -> Settings {
        let decoded = try location.qualifyingKeys {
            try ConfigLoader.decode(Settings.self, from: .table(settings), source: location.file)
        }
        try check(decoded, at: location)
        return decoded
    }

    /// Settings whose values have no range (paths, titles) need no check.
    func check(_ settings: Settings, at location: StageSettingsLocation) throws {}

    /// Checks that each of `values` (a setting's key and value, `nil` when unset) is at least
    /// `minimum`.
    func requireAtLeast(_ minimum: Int, _ values: [(key: String, value: Int?)], at location: StageSettingsLocation) throws {
        for (key, value) in values {
            if let value, value < minimum { throw location.error(key, "must be at least \(minimum), got \(value)") }
        }
    }
}

/// The stage kinds a pipeline file can name.
public enum StageKinds {
    /// Every kind, in the order data flows through them.
    public static let all: [any StageKind] = [
        CorpusStage(), QualityStage(), CurateStage(), TokenizerStage(), ShardsStage(), TasksStage(), SwarmStage(), MixStage(), TrainStage(),
        EvalStage(), ReportStage(),
    ]

    /// The kinds' names.
    public static var names: [String] { all.map(\.name) }

    /// The kind called `name`.
    public static func named(_ name: String) -> (any StageKind)? { all.first { $0.name == name } }
}
