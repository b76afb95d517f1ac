import Tokenization

/// Splits generated text, as it streams in, into reasoning and answer at the `<think>` and
/// `</think>` markers (as vLLM's reasoning parsers return `reasoning_content` apart from
/// `content`).
///
/// With `startsInReasoning` (the prompt opened the block: `ChatFormat` with reasoning on), text
/// is reasoning until `</think>`; otherwise it is answer, unless it opens with `<think>`. The
/// newlines `ChatFormat` puts around a reasoning block are not part of either side: newlines at
/// the start of the reasoning, those just before `</think>` and those just after it are dropped.
/// Text that may be the start of a marker, or newlines that may precede `</think>`, are held
/// back until the next text decides; `finish()` returns what is still held. The text is split
/// at ASCII markers only, so the UTF-8 of the pieces is never cut inside a character.
public struct ReasoningSplitter: Sendable {
    private enum State: Sendable {
        /// Before any answer text: `<think>` may still open a block.
        case answerStart
        /// Inside the reasoning block.
        case reasoning
        /// Just after `</think>`: newlines are skipped.
        case afterReasoning
        /// The answer.
        case answer
    }

    private static let open = Array(ChatTokens.reasoningStart.utf8)
    private static let close = Array(ChatTokens.reasoningEnd.utf8)
    private static let newline = UInt8(ascii: "\n")

    private var state: State
    /// Text received but not yet returned.
    private var pending: [UInt8] = []
    /// Whether reasoning text has been returned (newlines at its start are dropped until then).
    private var reasoningStarted = false

    /// A splitter for one generation; `startsInReasoning` when the prompt ends inside an open
    /// reasoning block.
    public init(startsInReasoning: Bool) {
        state = startsInReasoning ? .reasoning : .answerStart
    }

    /// Takes the next generated text; returns the reasoning and answer text it completes.
    public mutating func feed(_ text: String) -> (reasoning: String, content: String) {
        pending += Array(text.utf8)
        return drain(final: false)
    }

    /// Returns everything still held back (the generation ended).
    public mutating func finish() -> (reasoning: String, content: String) {
        drain(final: true)
    }

    private mutating func drain(final: Bool) -> (reasoning: String, content: String) {
        var reasoning: [UInt8] = []
        var content: [UInt8] = []
        while !pending.isEmpty {
            switch state {
            case .answerStart:
                if pending.starts(with: Self.open) {
                    pending.removeFirst(Self.open.count)
                    state = .reasoning
                } else if !final && Self.open.starts(with: pending) {
                    return (Self.text(reasoning), Self.text(content))
                } else {
                    state = .answer
                }
            case .reasoning:
                if !reasoningStarted {
                    let newlines = pending.prefix { $0 == Self.newline }.count
                    pending.removeFirst(newlines)
                    if pending.isEmpty { break }
                }
                if let marker = Self.find(Self.close, in: pending) {
                    reasoning += Self.trimmingTrailingNewlines(pending[..<marker])
                    pending.removeFirst(marker + Self.close.count)
                    state = .afterReasoning
                    continue
                }
                let held = final ? 0 : Self.heldBack(pending)
                let emitted = pending[..<(pending.count - held)]
                reasoning += final ? Self.trimmingTrailingNewlines(emitted) : Array(emitted)
                if !emitted.isEmpty { reasoningStarted = true }
                pending.removeFirst(pending.count - held)
                if final { pending.removeAll() }
                return (Self.text(reasoning), Self.text(content))
            case .afterReasoning:
                let newlines = pending.prefix { $0 == Self.newline }.count
                pending.removeFirst(newlines)
                if !pending.isEmpty { state = .answer }
            case .answer:
                content += pending
                pending.removeAll()
            }
        }
        return (Self.text(reasoning), Self.text(content))
    }

    /// How many bytes at the end of `bytes` must wait: a proper prefix of `</think>` there, with
    /// the newlines before it, or trailing newlines alone (they may precede `</think>`).
    private static func heldBack(_ bytes: [UInt8]) -> Int {
        var partial = 0
        for length in stride(from: min(close.count - 1, bytes.count), through: 1, by: -1)
        where bytes[(bytes.count - length)...].elementsEqual(close[..<length]) {
            partial = length
            break
        }
        let before = bytes[..<(bytes.count - partial)]
        return partial + before.reversed().prefix { $0 == newline }.count
    }

    private static func find(_ marker: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= marker.count else { return nil }
        return (0...(bytes.count - marker.count)).first { bytes[$0..<($0 + marker.count)].elementsEqual(marker) }
    }

    private static func trimmingTrailingNewlines(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        Array(bytes.reversed().drop { $0 == newline }.reversed())
    }

    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
