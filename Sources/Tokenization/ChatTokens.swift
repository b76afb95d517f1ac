/// The added tokens of factory tokenizers and the roles they play in checkpoint folders.
///
/// `<|endoftext|>` separates documents in training data and is the end-of-sequence (and
/// beginning-of-sequence) token; `<|pad|>` pads batches; `<|im_start|>` and `<|im_end|>`
/// delimit chat messages, and `<think>` and `</think>` the reasoning block of an assistant turn.
/// All are added tokens, matched whole in text. The two reasoning delimiters are not *special*
/// (`"special": false`), as in Qwen3's tokenizer: decoding that skips special tokens (what
/// `transformers`' text-generation pipeline does) keeps them, so reasoning can still be split
/// from the answer in decoded text.
public enum ChatTokens {
    /// End of text: the document separator, end-of-sequence and beginning-of-sequence token.
    public static let endOfText = "<|endoftext|>"
    /// The padding token.
    public static let pad = "<|pad|>"
    /// Opens a chat message, followed by its role and a newline.
    public static let messageStart = "<|im_start|>"
    /// Closes a chat message; generation of an assistant turn ends here.
    public static let messageEnd = "<|im_end|>"
    /// Opens the reasoning block of an assistant turn.
    public static let reasoningStart = "<think>"
    /// Closes the reasoning block of an assistant turn.
    public static let reasoningEnd = "</think>"

    /// Every factory tokenizer's added tokens, in id order.
    public static let standard = [endOfText, pad, messageStart, messageEnd, reasoningStart, reasoningEnd]
    /// The added tokens that are not special (kept by decoding that skips special tokens).
    public static let nonSpecial: Set<String> = [reasoningStart, reasoningEnd]
    /// The tokens the chat format needs (see `ChatTemplate`).
    public static let chat = [messageStart, messageEnd, reasoningStart, reasoningEnd]
}
