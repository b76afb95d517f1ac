/// The settings a run's exact resumption depends on, as dotted run-file keys and their values
/// (`optimizer.lr = "0.003"`, `data.train = <shard-set digest>`): what decides the weights of
/// the steps after a checkpoint. Every checkpoint records them in its `factory.json` metadata
/// (as `run.<key>`), and `Trainer.resume` compares the run's with the checkpoint's: a changed
/// value refuses the resume unless changes are allowed, and is then returned to be recorded.
///
/// Settings that leave the weights bitwise alike are not among them: the replica and thread
/// counts, the output folder, logging, evaluation, checkpoint and check cadences.
public struct ResumptionSettings: Equatable, Sendable {
    /// Key → value.
    public var values: [String: String]

    /// The prefix of these settings' keys in checkpoint metadata.
    public static let metadataPrefix = "run."

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// The settings a checkpoint's metadata records (none for checkpoints written before they were).
    public init(metadata: [String: String]) {
        var values = [String: String]()
        for (key, value) in metadata where key.hasPrefix(Self.metadataPrefix) {
            values[String(key.dropFirst(Self.metadataPrefix.count))] = value
        }
        self.values = values
    }

    /// The settings as checkpoint metadata entries.
    public var metadata: [String: String] {
        Dictionary(uniqueKeysWithValues: values.map { (Self.metadataPrefix + $0.key, $0.value) })
    }

    /// One setting that differs from a checkpoint's.
    public struct Change: Equatable, Sendable, CustomStringConvertible {
        public var key: String
        /// The checkpoint's value; `nil`: the checkpoint's run did not have the setting.
        public var old: String?
        /// This run's value; `nil`: this run does not have it.
        public var new: String?

        public var description: String { "\(key) \(old ?? "(unset)") -> \(new ?? "(unset)")" }
    }

    /// The settings whose value here differs from `checkpoint`'s, by key. A checkpoint that
    /// records no settings (written before they were) has nothing to compare.
    public func changes(since checkpoint: ResumptionSettings) -> [Change] {
        guard !checkpoint.values.isEmpty else { return [] }
        return Set(values.keys).union(checkpoint.values.keys).sorted().compactMap { key in
            values[key] == checkpoint.values[key] ? nil : Change(key: key, old: checkpoint.values[key], new: values[key])
        }
    }
}
