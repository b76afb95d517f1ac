import Foundation
import Inference
import Tokenization

/// Turns generated token ids into text as it becomes complete UTF-8 (the engine's
/// `IncrementalDetokenizer` has this shape).
public protocol TokenDetokenizing {
    /// The complete text so far not yet returned.
    mutating func append(_ token: UInt32) -> String
    /// What is left, incomplete UTF-8 included.
    mutating func finish() -> String
}

/// Cuts generated text at the first stop string (the engine's `StopStringMatcher` has this shape).
public protocol StopStringMatching {
    /// The text safe to emit (text that may begin a stop string is held back) and whether a stop
    /// string was met; after a match nothing more is emitted.
    mutating func feed(_ text: String) -> (emit: String, stopped: Bool)
    /// The held-back text, at the end of generation.
    mutating func finish() -> String
}

/// Splits generated text into reasoning and answer at `<think>`/`</think>` (the chat formats'
/// `ReasoningSplitter` has this shape).
public protocol ReasoningSplitting {
    mutating func feed(_ text: String) -> (reasoning: String, content: String)
    mutating func finish() -> (reasoning: String, content: String)
}

/// What the server needs of the model it serves, beyond the `GenerationService`: its name, its
/// tokenizer and the text helpers. Closures keep the server apart from the implementations.
public struct ServedModel: Sendable {
    /// The name `/v1/models` lists and requests must give in `model`.
    public var name: String
    public var tokenizer: Tokenizer
    /// Tokens that end generation (end of text); never part of the returned text.
    public var stopTokens: Set<UInt32>
    /// Most positions a sequence may hold: prompt plus generated tokens.
    public var maxSequenceLength: Int
    /// Renders chat turns into the prompt text, with the assistant's generation prompt opened;
    /// the flag switches reasoning on. `nil` when the model has no chat format (chat requests are
    /// then refused).
    public var renderChat: (@Sendable (_ turns: [ChatMessage], _ enableThinking: Bool) -> String)?
    public var makeDetokenizer: @Sendable () -> any TokenDetokenizing
    public var makeStopMatcher: @Sendable (_ stops: [String]) -> any StopStringMatching
    /// A splitter that starts inside a reasoning block or not.
    public var makeReasoningSplitter: @Sendable (_ startsInReasoning: Bool) -> any ReasoningSplitting

    public init(
        name: String, tokenizer: Tokenizer, stopTokens: Set<UInt32>, maxSequenceLength: Int,
        renderChat: (@Sendable ([ChatMessage], Bool) -> String)?, makeDetokenizer: @escaping @Sendable () -> any TokenDetokenizing,
        makeStopMatcher: @escaping @Sendable ([String]) -> any StopStringMatching,
        makeReasoningSplitter: @escaping @Sendable (Bool) -> any ReasoningSplitting
    ) {
        self.name = name
        self.tokenizer = tokenizer
        self.stopTokens = stopTokens
        self.maxSequenceLength = maxSequenceLength
        self.renderChat = renderChat
        self.makeDetokenizer = makeDetokenizer
        self.makeStopMatcher = makeStopMatcher
        self.makeReasoningSplitter = makeReasoningSplitter
    }

    /// The tag that opens a reasoning block.
    public static let reasoningOpen = "<think>"
    /// The tag that closes it.
    public static let reasoningClose = "</think>"

    /// Whether a prompt leaves a reasoning block open, so generation starts inside it: its last
    /// `<think>` comes after its last `</think>`.
    public static func startsInReasoning(_ prompt: String) -> Bool {
        guard let open = prompt.range(of: reasoningOpen, options: .backwards) else { return false }
        guard let close = prompt.range(of: reasoningClose, options: .backwards) else { return true }
        return open.lowerBound > close.lowerBound
    }
}
