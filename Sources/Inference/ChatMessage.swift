/// One message of a chat conversation, as `ChatFormat` renders it.
public struct ChatMessage: Equatable, Sendable {
    /// Who speaks.
    public enum Role: String, Sendable, CaseIterable {
        case system, user, assistant
    }

    /// Who speaks.
    public var role: Role
    /// The text of the message (for an assistant, its answer).
    public var content: String
    /// An assistant's reasoning, rendered in a `<think>` block before the answer; `nil` for none
    /// (an empty string renders an empty block). Ignored for other roles.
    public var reasoning: String?

    /// A message.
    public init(role: Role, content: String, reasoning: String? = nil) {
        self.role = role
        self.content = content
        self.reasoning = reasoning
    }
}
