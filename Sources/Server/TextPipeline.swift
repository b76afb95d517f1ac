/// Generated tokens to text, for one choice: detokenization, stop strings, and (for chat) the
/// split of reasoning from the answer.
struct TextPipeline {
    /// What one token (or the end) adds.
    struct Delta {
        /// The token's own text as the detokenizer completed it (for log-probabilities).
        var piece = ""
        /// Answer text now safe to emit.
        var content = ""
        /// Reasoning text now safe to emit.
        var reasoning = ""
        /// A stop string was met: generation should end.
        var stopped = false
    }

    private var detokenizer: any TokenDetokenizing
    private var stopper: any StopStringMatching
    private var splitter: (any ReasoningSplitting)?
    private let stopTokens: Set<UInt32>
    private var stopped = false

    init(model: ServedModel, stops: [String], splitReasoning startsInReasoning: Bool?) {
        detokenizer = model.makeDetokenizer()
        stopper = model.makeStopMatcher(stops)
        splitter = startsInReasoning.map(model.makeReasoningSplitter)
        stopTokens = model.stopTokens
    }

    /// Adds a generated token; stop tokens add no text.
    mutating func append(_ token: UInt32) -> Delta {
        guard !stopped, !stopTokens.contains(token) else { return Delta() }
        let piece = detokenizer.append(token)
        var delta = route(piece)
        delta.piece = piece
        return delta
    }

    /// The text held back, at the end of generation.
    mutating func finish() -> Delta {
        var delta = Delta()
        if !stopped {
            delta = route(detokenizer.finish())
            if !stopped { delta = merge(delta, split(stopper.finish())) }
        }
        if var splitter {
            let (reasoning, content) = splitter.finish()
            self.splitter = splitter
            delta.reasoning += reasoning
            delta.content += content
        }
        return delta
    }

    private mutating func route(_ text: String) -> Delta {
        let (emit, stopped) = stopper.feed(text)
        self.stopped = self.stopped || stopped
        var delta = split(emit)
        delta.stopped = stopped
        return delta
    }

    private mutating func split(_ text: String) -> Delta {
        guard var splitter else { return Delta(content: text) }
        let (reasoning, content) = splitter.feed(text)
        self.splitter = splitter
        return Delta(content: content, reasoning: reasoning)
    }

    private func merge(_ a: Delta, _ b: Delta) -> Delta {
        Delta(piece: a.piece + b.piece, content: a.content + b.content, reasoning: a.reasoning + b.reasoning, stopped: a.stopped || b.stopped)
    }
}
