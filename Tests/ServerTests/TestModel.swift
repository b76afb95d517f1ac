import Foundation
import Inference
import Server
import Tokenization

/// A byte-level tokenizer (one token per byte, no merges) with `<|endoftext|>` (256), `<think>`
/// (257) and `</think>` (258), and naive text helpers, to serve through `ServedModel` in tests.
enum TestModel {
    static let endOfText: UInt32 = 256
    static let thinkOpen: UInt32 = 257
    static let thinkClose: UInt32 = 258

    static let tokenizer: Tokenizer = {
        // GPT-2's byte-to-character map.
        var printable = Array(33...126) + Array(161...172) + Array(174...255)
        var characters = printable
        var next = 256
        for byte in 0..<256 where !printable.contains(byte) {
            printable.append(byte)
            characters.append(next)
            next += 1
        }
        var vocabulary = [String: Int]()
        for (byte, character) in zip(printable, characters) {
            vocabulary[String(Character(Unicode.Scalar(UInt32(character))!))] = byte
        }
        let json: [String: Any] = [
            "model": ["type": "BPE", "vocab": vocabulary, "merges": [[String]]()],
            "pre_tokenizer": ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true],
            "decoder": ["type": "ByteLevel"],
            "added_tokens": [
                ["id": 256, "content": "<|endoftext|>", "special": true],
                ["id": 257, "content": "<think>", "special": false],
                ["id": 258, "content": "</think>", "special": false],
            ],
        ]
        let data = try! JSONSerialization.data(withJSONObject: json)
        return try! Tokenizer(json: data, source: "test tokenizer")
    }()

    /// `role: content` lines, then the assistant's turn, opened with `<think>\n` (reasoning on)
    /// or with an empty, closed reasoning block (off).
    static func render(_ turns: [ChatMessage], _ enableThinking: Bool) -> String {
        turns.map { "\($0.role.rawValue): \($0.content)\n" }.joined() + "assistant: "
            + (enableThinking ? "<think>\n" : "<think>\n\n</think>\n\n")
    }

    static func model(name: String = "tiny", maxSequenceLength: Int = 512) -> ServedModel {
        ServedModel(
            name: name, tokenizer: tokenizer, stopTokens: [endOfText], maxSequenceLength: maxSequenceLength, renderChat: render,
            makeDetokenizer: { NaiveDetokenizer(tokenizer: tokenizer) }, makeStopMatcher: { NaiveStopMatcher(stops: $0) },
            makeReasoningSplitter: { NaiveReasoningSplitter(inReasoning: $0) })
    }

    /// The tokens of `text` (the script of a generation).
    static func tokens(_ text: String) -> [UInt32] { tokenizer.encode(text) }
}

/// Emits the longest complete UTF-8 prefix of the bytes so far.
struct NaiveDetokenizer: TokenDetokenizing {
    let tokenizer: Tokenizer
    var pending = [UInt8]()

    mutating func append(_ token: UInt32) -> String {
        pending += tokenizer.bytes(ofToken: token) ?? []
        for cut in stride(from: pending.count, through: max(pending.count - 3, 0), by: -1) {
            if let text = String(validating: pending[..<cut], as: UTF8.self) {
                pending.removeFirst(cut)
                return text
            }
        }
        return ""
    }

    mutating func finish() -> String {
        defer { pending = [] }
        return String(decoding: pending, as: UTF8.self)
    }
}

/// Holds back text that may begin a tag; `matchIn` finds the first tag in the buffer.
private func heldBackLength(_ buffer: String, tags: [String]) -> Int {
    for length in stride(from: min(buffer.count, tags.map(\.count).max() ?? 0), to: 0, by: -1) {
        let suffix = String(buffer.suffix(length))
        if tags.contains(where: { $0.hasPrefix(suffix) }) { return length }
    }
    return 0
}

struct NaiveStopMatcher: StopStringMatching {
    let stops: [String]
    var buffer = ""
    var stopped = false

    mutating func feed(_ text: String) -> (emit: String, stopped: Bool) {
        guard !stopped else { return ("", true) }
        buffer += text
        let matches = stops.compactMap { buffer.range(of: $0) }
        if let first = matches.min(by: { $0.lowerBound < $1.lowerBound }) {
            stopped = true
            let emit = String(buffer[..<first.lowerBound])
            buffer = ""
            return (emit, true)
        }
        let keep = heldBackLength(buffer, tags: stops)
        let emit = String(buffer.dropLast(keep))
        buffer = String(buffer.suffix(keep))
        return (emit, false)
    }

    mutating func finish() -> String {
        defer { buffer = "" }
        return stopped ? "" : buffer
    }
}

struct NaiveReasoningSplitter: ReasoningSplitting {
    var inReasoning: Bool
    var buffer = ""

    mutating func feed(_ text: String) -> (reasoning: String, content: String) {
        buffer += text
        var reasoning = ""
        var content = ""
        while true {
            let tag = inReasoning ? ServedModel.reasoningClose : ServedModel.reasoningOpen
            if let range = buffer.range(of: tag) {
                if inReasoning { reasoning += buffer[..<range.lowerBound] } else { content += buffer[..<range.lowerBound] }
                buffer = String(buffer[range.upperBound...])
                inReasoning.toggle()
                continue
            }
            let keep = heldBackLength(buffer, tags: [tag])
            let emit = String(buffer.dropLast(keep))
            buffer = String(buffer.suffix(keep))
            if inReasoning { reasoning += emit } else { content += emit }
            return (reasoning, content)
        }
    }

    mutating func finish() -> (reasoning: String, content: String) {
        defer { buffer = "" }
        return inReasoning ? (buffer, "") : ("", buffer)
    }
}
