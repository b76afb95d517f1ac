import FactoryCore

/// The first line of a task file: what the task is, how it is scored and where its material
/// came from.
///
/// On disk: `{"header": {"name": …, "kind": …, "capability": …, "metric": …, "license": …,
/// "source": …, "chance": …, "description": …, "provenance": {…}}}`, every member required.
public struct TaskHeader: Sendable, Equatable {
    /// The task's name: up to 128 ASCII letters, digits, `-`, `_` and `.` (it becomes part of
    /// metric names, `eval/task/<name>/acc`).
    public var name: String
    public var kind: TaskKind
    public var capability: Capability
    /// The primary metric (``TaskKind/allows(metric:)``): the one the capability's score
    /// averages.
    public var metric: String
    /// The licence of the material the documents were made from.
    public var license: String
    /// Where the material came from (a package, a generator).
    public var source: String
    /// The primary metric of a uniform guesser: the mean of 1 / choices over the documents for
    /// multiple choice, 0 for exact match and code.
    public var chance: Double
    public var description: String
    /// Anything the builder wants to keep (seeds, digests, versions): a JSON object.
    public var provenance: JSONValue

    public init(
        name: String, kind: TaskKind, capability: Capability, metric: String, license: String, source: String, chance: Double,
        description: String, provenance: JSONValue = .object([:])
    ) {
        self.name = name
        self.kind = kind
        self.capability = capability
        self.metric = metric
        self.license = license
        self.source = source
        self.chance = chance
        self.description = description
        self.provenance = provenance
    }

    /// Whether `name` is a valid task name.
    public static func isValidName(_ name: String) -> Bool {
        (1...128).contains(name.unicodeScalars.count)
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
            }
    }

    static let fieldNames: Set<String> = ["name", "kind", "capability", "metric", "license", "source", "chance", "description", "provenance"]

    /// Reads the header line's object (`{"header": {…}}`).
    init(line value: JSONValue, file: String, line: Int) throws {
        let outer = try TaskLineFields(value, file: file, line: line)
        try outer.requireOnly(["header"])
        let fields = try TaskLineFields(try outer.object("header"), file: file, line: line, prefix: "header")
        try fields.requireOnly(Self.fieldNames)
        name = try fields.string("name")
        guard Self.isValidName(name) else {
            throw fields.error("name", "'\(name)' must be 1 to 128 ASCII letters, digits, '-', '_' and '.'")
        }
        let kindText = try fields.string("kind")
        guard let kind = TaskKind(rawValue: kindText) else {
            throw fields.error("kind", "'\(kindText)' is not one of \(TaskKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.kind = kind
        let capabilityText = try fields.string("capability")
        guard let capability = Capability(rawValue: capabilityText) else {
            throw fields.error(
                "capability", "'\(capabilityText)' is not one of \(Capability.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.capability = capability
        metric = try fields.string("metric")
        guard kind.allows(metric: metric) else {
            throw fields.error("metric", "'\(metric)' is not a metric of \(kind.rawValue) tasks (\(Self.metricHint(kind)))")
        }
        license = try fields.string("license")
        source = try fields.string("source")
        chance = try fields.number("chance", in: 0...1)
        description = try fields.string("description", allowEmpty: true)
        provenance = try fields.object("provenance")
    }

    private static func metricHint(_ kind: TaskKind) -> String {
        switch kind {
        case .multipleChoice: return "acc, acc_norm or acc_bytes"
        case .exactMatch: return "exact_match"
        case .code: return "pass@k for a k of at least 1"
        }
    }

    /// The header line's value.
    var lineValue: JSONValue {
        .object([
            "header": .object([
                "name": .string(name), "kind": .string(kind.rawValue), "capability": .string(capability.rawValue),
                "metric": .string(metric), "license": .string(license), "source": .string(source), "chance": .float(chance),
                "description": .string(description), "provenance": provenance,
            ])
        ])
    }
}
