import Inference

// The text helpers of the Inference module have the shapes the server asks for.
extension IncrementalDetokenizer: TokenDetokenizing {}
extension StopStringMatcher: StopStringMatching {}
extension ReasoningSplitter: ReasoningSplitting {}

extension ServedModel {
    /// The model of a checkpoint folder: its tokenizer, its end-of-text tokens as stop tokens,
    /// its chat format (if the folder has one) and the maximum sequence length of its config;
    /// served under `name` (the folder's name by default).
    public init(folder: ModelFolder, name: String? = nil) {
        let tokenizer = folder.tokenizer
        var renderChat: (@Sendable ([ChatMessage], Bool) -> String)?
        if let format = folder.chatFormat { renderChat = Self.renderer(format) }
        self.init(
            name: name ?? folder.name, tokenizer: tokenizer, stopTokens: folder.eosTokenIds,
            maxSequenceLength: folder.model.config.maxPositionEmbeddings, renderChat: renderChat,
            makeDetokenizer: { IncrementalDetokenizer(tokenizer: tokenizer) }, makeStopMatcher: { StopStringMatcher(stops: $0) },
            makeReasoningSplitter: { ReasoningSplitter(startsInReasoning: $0) })
    }

    /// Renders messages with `format`, the assistant's generation prompt opened.
    public static func renderer(_ format: ChatFormat) -> @Sendable ([ChatMessage], Bool) -> String {
        { messages, enableThinking in format.render(messages, addGenerationPrompt: true, enableThinking: enableThinking) }
    }
}
