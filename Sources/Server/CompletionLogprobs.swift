import Inference
import Tokenization

/// The `logprobs` object of a completion choice, in OpenAI's legacy shape: `tokens`,
/// `token_logprobs`, `top_logprobs` (token text → log-probability, the chosen token included, as
/// vLLM gives it) and `text_offset` (character offsets into the choice's text).
struct CompletionLogprobs {
    private(set) var tokens = [ResponseJSON]()
    private(set) var tokenLogprobs = [ResponseJSON]()
    private(set) var topLogprobs = [ResponseJSON]()
    private(set) var textOffsets = [ResponseJSON]()
    /// Characters of text before the next token.
    private var offset: Int

    init(offset: Int = 0) { self.offset = offset }

    /// Adds a token whose text is `piece`; `logprob` is `nil` for a prompt's first token.
    mutating func add(piece: String, logprob: TokenLogprob?, tokenizer: Tokenizer) {
        tokens.append(.string(piece))
        textOffsets.append(.int(offset))
        offset += piece.unicodeScalars.count
        guard let logprob else {
            tokenLogprobs.append(.null)
            topLogprobs.append(.null)
            return
        }
        tokenLogprobs.append(.float(logprob.logprob))
        var members = [(key: String, value: ResponseJSON)]()
        for (token, value) in logprob.top.map({ ($0.token, $0.logprob) }) + [(logprob.token, logprob.logprob)] {
            let text = Self.text(of: token, tokenizer: tokenizer)
            if !members.contains(where: { $0.key == text }) { members.append((text, .float(value))) }
        }
        topLogprobs.append(.object(members))
    }

    /// A single token's text; bytes that are not complete UTF-8 become U+FFFD.
    static func text(of token: UInt32, tokenizer: Tokenizer) -> String {
        String(decoding: tokenizer.bytes(ofToken: token) ?? [], as: UTF8.self)
    }

    var json: ResponseJSON {
        .object([
            ("tokens", .array(tokens)), ("token_logprobs", .array(tokenLogprobs)), ("top_logprobs", .array(topLogprobs)),
            ("text_offset", .array(textOffsets)),
        ])
    }
}
