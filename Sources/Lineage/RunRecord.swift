import FactoryCore
import Foundation

/// Where a run stands.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    /// Started and not yet ended.
    case running
    /// Ended normally.
    case finished
    /// Ended with an error.
    case failed
    /// Stopped from outside (signal, user, scheduler).
    case killed
}

/// One run: a stage execution, a training run, a proxy, an evaluation.
public struct RunRecord: Hashable, Sendable, Encodable {
    /// Unique id (`[A-Za-z0-9._-]`, at most 64 characters).
    public var id: String
    /// What sort of run: `train`, `proxy`, `eval`, `tokenize`, …
    public var kind: String
    /// A name for people; not unique.
    public var name: String
    /// Where the run stands.
    public var status: RunStatus
    /// The configuration it ran with.
    public var config: RunConfig
    /// The random seed, when the run has one.
    public var seed: Int?
    /// Labels, sorted and unique.
    public var tags: [String]
    /// The code and machine it ran on.
    public var provenance: CodeProvenance
    /// The process doing it on the provenance's host, when one process does it from start to end
    /// (`nil` for runs recorded from outside, such as `factory runs start`): a run still running
    /// whose process is gone has died (see ``FactoryStore/endRunsOfDeadProcesses()``).
    public var process: ProcessIdentity?
    /// When it started.
    public var startedAt: Date
    /// When it ended; `nil` while running.
    public var endedAt: Date?

    /// A run record; validates the id, kind and tags.
    public init(
        id: String, kind: String, name: String, status: RunStatus = .running, config: RunConfig,
        seed: Int? = nil, tags: [String] = [], provenance: CodeProvenance, process: ProcessIdentity? = nil, startedAt: Date,
        endedAt: Date? = nil
    ) throws {
        try Validation.runID(id)
        try Validation.label(kind, field: "run kind")
        for tag in tags { try Validation.label(tag, field: "tag") }
        self.id = id
        self.kind = kind
        self.name = name
        self.status = status
        self.config = config
        self.seed = seed
        self.tags = Array(Set(tags)).sorted()
        self.provenance = provenance
        self.process = process
        self.startedAt = startedAt
        self.endedAt = endedAt
    }

    /// A fresh random run id: 16 lowercase hex characters.
    public static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        let word = generator.next() as UInt64
        let hex = String(word, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private enum CodingKeys: String, CodingKey {
        case id, kind, name, status, config
        case configDigest = "config_digest"
        case seed, tags, provenance, pid
        case startedAt = "started_at"
        case endedAt = "ended_at"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(name, forKey: .name)
        try container.encode(status, forKey: .status)
        try container.encode(EncodableConfigValue(config.value), forKey: .config)
        try container.encode(config.digest, forKey: .configDigest)
        try container.encodeIfPresent(seed, forKey: .seed)
        try container.encode(tags, forKey: .tags)
        try container.encode(provenance, forKey: .provenance)
        try container.encodeIfPresent(process?.pid, forKey: .pid)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encodeIfPresent(endedAt, forKey: .endedAt)
    }
}
