import FactoryCore
import Lineage

/// What a stage's result depends on: its kind and settings, the content of the files its
/// settings name, the content of its inputs and the factory's version. Its digest is the
/// stage's identity; a finished stage with the same identity need not run again.
public struct StageIdentity: Sendable, Equatable {
    /// The stage's kind.
    public let kind: String
    /// Its settings, as written.
    public let settings: [String: ConfigValue]
    /// The digest of each file the settings name, by path.
    public let files: [String: Digest]
    /// The digest of each input's output folder, by role.
    public let inputs: [String: Digest]
    /// `FactoryVersion.current` when computed.
    public let version: String

    /// An identity from its parts.
    public init(kind: String, settings: [String: ConfigValue], files: [String: Digest], inputs: [String: Digest], version: String) {
        self.kind = kind
        self.settings = settings
        self.files = files
        self.inputs = inputs
        self.version = version
    }

    /// The identity as a config table (how it is recorded with the stage's run).
    public var value: ConfigValue {
        .table([
            "kind": .string(kind),
            "settings": .table(settings),
            "files": .table(files.mapValues { .string($0.hex) }),
            "inputs": .table(inputs.mapValues { .string($0.hex) }),
            "version": .string(version),
        ])
    }

    /// Reads an identity back from a recorded run's config (`nil` when it is not one).
    public init?(value: ConfigValue) {
        guard case .table(let table) = value, case .string(let kind)? = table["kind"], case .table(let settings)? = table["settings"],
              case .table(let files)? = table["files"], case .table(let inputs)? = table["inputs"],
              case .string(let version)? = table["version"]
        else { return nil }
        func digests(_ table: [String: ConfigValue]) -> [String: Digest]? {
            var result = [String: Digest]()
            for (key, value) in table {
                guard case .string(let hex) = value, let digest = try? Digest(hex: hex) else { return nil }
                result[key] = digest
            }
            return result
        }
        guard let fileDigests = digests(files), let inputDigests = digests(inputs) else { return nil }
        self.init(kind: kind, settings: settings, files: fileDigests, inputs: inputDigests, version: version)
    }

    /// The SHA-256 of the identity's canonical JSON.
    public var digest: Digest {
        // Tables of strings, numbers and booleans only: canonical encoding cannot fail.
        Digest.of(try! CanonicalJSON.encode(value))
    }

    /// Why a stage with this identity differs from one that ran before as `previous`, in words,
    /// most specific first; empty when they are the same.
    public func differences(from previous: StageIdentity) -> [String] {
        var reasons = [String]()
        if kind != previous.kind { reasons.append("kind changed from \(previous.kind) to \(kind)") }
        let now = RunConfig.flatten(.table(settings)), before = RunConfig.flatten(.table(previous.settings))
        for key in Set(now.keys).union(before.keys).sorted() where now[key] != before[key] {
            switch (before[key], now[key]) {
            case (nil, let value?): reasons.append("setting \(key) added (\(value))")
            case (let value?, nil): reasons.append("setting \(key) removed (was \(value))")
            case (let old?, let new?): reasons.append("setting \(key) changed: \(old) → \(new)")
            default: break
            }
        }
        for path in Set(files.keys).union(previous.files.keys).sorted() where files[path] != previous.files[path] {
            reasons.append("file \(path) changed")
        }
        for role in Set(inputs.keys).union(previous.inputs.keys).sorted() where inputs[role] != previous.inputs[role] {
            reasons.append("input \(role) changed")
        }
        if version != previous.version { reasons.append("factory version changed from \(previous.version) to \(version)") }
        return reasons
    }
}

extension RunConfig {
    /// Leaf values of a table by dotted key path, as a user writes them.
    static func flatten(_ value: ConfigValue) -> [String: String] {
        guard let config = try? RunConfig(value: value) else { return [:] }
        return Dictionary(config.flattened.map { ($0.path, $0.value.plainText) }, uniquingKeysWith: { first, _ in first })
    }
}
