import Tokenization

/// The factory's chat format, rendered in Swift exactly as `transformers`' `apply_chat_template`
/// renders `jinjaTemplate` (the `chat_template` of the `tokenizer_config.json` the factory
/// writes), so the token ids agree: a message is `<|im_start|>ROLE\nCONTENT<|im_end|>\n`; an
/// assistant message with reasoning puts `<think>\nREASONING\n</think>\n\n` before its content
/// (every such turn, past ones included: callers that want history without reasoning leave
/// `reasoning` nil); the generation prompt is `<|im_start|>assistant\n` and then `<think>\n` with
/// reasoning on (the model reasons, closes the block and answers; split the output with
/// `ReasoningSplitter(startsInReasoning: true)`) or the closed empty block
/// `<think>\n\n</think>\n\n` with reasoning off, as Qwen3 does with `enable_thinking=False`.
public struct ChatFormat: Equatable, Sendable {
    /// The Jinja `chat_template` this renderer matches (see `ChatTemplate`).
    public static let jinjaTemplate: String = ChatTemplate.jinja

    /// The format.
    public init() {}

    /// The text of `messages`, followed by the generation prompt when `addGenerationPrompt`;
    /// `enableThinking` chooses whether that prompt opens a reasoning block for the model to
    /// fill or closes an empty one.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool, enableThinking: Bool) -> String {
        var text = ""
        for message in messages {
            text += ChatTokens.messageStart + message.role.rawValue + "\n"
            if message.role == .assistant, let reasoning = message.reasoning {
                text += ChatTokens.reasoningStart + "\n" + reasoning + "\n" + ChatTokens.reasoningEnd + "\n\n"
            }
            text += message.content + ChatTokens.messageEnd + "\n"
        }
        if addGenerationPrompt {
            text += ChatTokens.messageStart + "assistant\n" + ChatTokens.reasoningStart + "\n"
            if !enableThinking { text += "\n" + ChatTokens.reasoningEnd + "\n\n" }
        }
        return text
    }

    /// The token ids of the rendered conversation, added tokens in the text matched as
    /// `apply_chat_template(..., tokenize=True)` matches them (message text that spells an added
    /// token becomes that token there too).
    public func tokens(
        _ messages: [ChatMessage], addGenerationPrompt: Bool, enableThinking: Bool, tokenizer: Tokenizer
    ) -> [UInt32] {
        tokenizer.encode(render(messages, addGenerationPrompt: addGenerationPrompt, enableThinking: enableThinking))
    }
}
