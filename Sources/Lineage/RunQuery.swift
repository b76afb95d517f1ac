/// Which runs to list; `nil` fields match everything.
public struct RunQuery: Hashable, Sendable {
    /// Only runs of this kind.
    public var kind: String?
    /// Only runs in this status.
    public var status: RunStatus?
    /// Only runs with this tag.
    public var tag: String?
    /// Only runs whose id starts with this.
    public var idPrefix: String?

    /// A query.
    public init(kind: String? = nil, status: RunStatus? = nil, tag: String? = nil, idPrefix: String? = nil) {
        self.kind = kind
        self.status = status
        self.tag = tag
        self.idPrefix = idPrefix
    }
}
