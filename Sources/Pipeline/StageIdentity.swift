import FactoryCore
import Lineage

/// What a stage's result depends on: its kind and settings, the content of the files its
/// settings name, the content of its inputs and the code that runs it. Its digest is the
/// stage's identity; a finished stage with the same identity need not run again.
///
/// The ``contentDigest`` leaves the code out: a user who knows a code change cannot matter to a
/// stage's output may reuse a run made by other code (`factory run --reuse-across-versions`).
public struct StageIdentity: Sendable, Equatable {
    /// The stage's kind.
    public let kind: String
    /// Its settings, as written.
    public let settings: [String: ConfigValue]
    /// The digest of each file the settings name, by path.
    public let files: [String: Digest]
    /// The digest of each input's output folder, by role.
    public let inputs: [String: Digest]
    /// The digest of the code that runs the stage (the `factory` executable); `nil` only in
    /// identities recorded before code was part of them.
    public let code: Digest?
    /// The SHA-256 of the identity's canonical JSON, code included.
    public let digest: Digest
    /// The SHA-256 of the identity's canonical JSON without the code.
    public let contentDigest: Digest

    /// An identity from its parts.
    ///
    /// - Throws: `FactoryError.config` naming `source` and the stage's key when a setting cannot
    ///   be recorded canonically (a NaN or infinite float, which TOML accepts and JSON cannot hold).
    public init(
        kind: String, settings: [String: ConfigValue], files: [String: Digest], inputs: [String: Digest], code: Digest?,
        source: String, keyPrefix: String
    ) throws {
        self.kind = kind
        self.settings = settings
        self.files = files
        self.inputs = inputs
        self.code = code
        let content = Self.contentValue(kind: kind, settings: settings, files: files, inputs: inputs)
        do {
            contentDigest = Digest.of(try CanonicalJSON.encode(content))
        } catch FactoryError.invalidArgument(let name, let message) {
            // The failing path is "settings.KEY…": name the key as the pipeline file writes it.
            let key = name.hasPrefix("settings.") ? String(name.dropFirst("settings.".count)) : name
            throw FactoryError.config(file: source, keyPath: "\(keyPrefix).\(key)", line: nil, message: message)
        }
        digest = Digest.of(try CanonicalJSON.encode(Self.withCode(content, code)))
    }

    /// The identity as a config table (how it is recorded with the stage's run).
    public var value: ConfigValue {
        Self.withCode(Self.contentValue(kind: kind, settings: settings, files: files, inputs: inputs), code)
    }

    /// Reads an identity back from a recorded run's config (`nil` when it is not one).
    public init?(value: ConfigValue) {
        guard case .table(let table) = value, case .string(let kind)? = table["kind"], case .table(let settings)? = table["settings"],
            case .table(let files)? = table["files"], case .table(let inputs)? = table["inputs"]
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
        var code: Digest?
        if case .string(let hex)? = table["code"] {
            guard let digest = try? Digest(hex: hex) else { return nil }
            code = digest
        }
        guard
            let identity = try? StageIdentity(
                kind: kind, settings: settings, files: fileDigests, inputs: inputDigests, code: code, source: "", keyPrefix: "")
        else { return nil }
        self = identity
    }

    /// Why a stage with this identity differs from one that ran before as `previous`, in words,
    /// most specific first; empty when they are the same.
    public func differences(from previous: StageIdentity) -> [String] {
        var reasons = [String]()
        if kind != previous.kind { reasons.append("kind changed from \(previous.kind) to \(kind)") }
        let now = RunConfig.flatten(.table(settings))
        let before = RunConfig.flatten(.table(previous.settings))
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
        if code != previous.code {
            let before = previous.code.map { String($0.hex.prefix(12)) } ?? "not recorded"
            let now = code.map { String($0.hex.prefix(12)) } ?? "not recorded"
            reasons.append("code changed: factory executable \(before) → \(now)")
        }
        return reasons
    }

    private static func contentValue(kind: String, settings: [String: ConfigValue], files: [String: Digest], inputs: [String: Digest]) -> ConfigValue
    {
        .table([
            "kind": .string(kind),
            "settings": .table(settings),
            "files": .table(files.mapValues { .string($0.hex) }),
            "inputs": .table(inputs.mapValues { .string($0.hex) }),
        ])
    }

    private static func withCode(_ content: ConfigValue, _ code: Digest?) -> ConfigValue {
        guard case .table(var table) = content, let code else { return content }
        table["code"] = .string(code.hex)
        return .table(table)
    }
}

extension RunConfig {
    /// Leaf values of a table by dotted key path, as a user writes them.
    static func flatten(_ value: ConfigValue) -> [String: String] {
        guard let config = try? RunConfig(value: value) else { return [:] }
        return Dictionary(config.flattened.map { ($0.path, $0.value.plainText) }, uniquingKeysWith: { first, _ in first })
    }
}
