import FactoryCore
import Testing
import Tokenization

@testable import Inference

@Suite struct TextStreamTests {
    /// A small byte-level tokenizer (byte tokens have the byte's value as id) with merges learned
    /// from a few lines, and `<|endoftext|>` as a special token.
    static let tokenizer: Tokenizer = {
        var trainer = try! BPETrainer(options: BPETrainer.Options(vocabularySize: 320))
        for _ in 0..<4 { trainer.add("the café serves crème brûlée and the tea is hot; the end ### stop") }
        return try! trainer.train()
    }()

    /// Feeds `tokens` one by one and returns what each `append` returned, then `finish`.
    static func detokenize(_ tokens: [UInt32], skippingSpecialTokens: Bool = false) -> [String] {
        var detokenizer = IncrementalDetokenizer(tokenizer: tokenizer, skippingSpecialTokens: skippingSpecialTokens)
        return tokens.map { detokenizer.append($0) } + [detokenizer.finish()]
    }

    @Test func aCharacterSplitAcrossByteTokensComesOutWhole() {
        // "é" is C3 A9; "😀" is F0 9F 98 80.
        #expect(Self.detokenize([0x61, 0xC3, 0xA9, 0x62]) == ["a", "", "é", "b", ""])
        #expect(Self.detokenize([0xF0, 0x9F, 0x98, 0x80, 0x21]) == ["", "", "", "😀", "!", ""])
        // A character cut short at the end comes out as U+FFFD.
        #expect(Self.detokenize([0x61, 0xE2, 0x82]) == ["a", "", "", "\u{FFFD}"])
        // A stray continuation byte is malformed at once.
        #expect(Self.detokenize([0xA9, 0x61]) == ["\u{FFFD}", "a", ""])
    }

    @Test func mergedTokensDetokenizeToTheEncodedText() {
        let text = "the café serves crème brûlée, 😀 and the tea"
        let tokens = Self.tokenizer.encode(text)
        #expect(tokens.count < text.utf8.count, "the tokenizer should have merged some bytes")
        #expect(Self.detokenize(tokens).joined() == text)
    }

    @Test func theJoinedOutputEqualsDecodingAllBytesAtOnce() throws {
        var random = RandomStream(seed: 3)
        // Byte tokens biased towards UTF-8 lead and continuation bytes.
        let alphabet: [UInt32] = [0x61, 0x20, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xFF, 0xC0, 0xED, 0xA0]
        for trial in 0..<300 {
            let tokens = (0..<Int(random.next() % 12)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let expected = String(decoding: try Self.tokenizer.decode(tokens), as: UTF8.self)
            #expect(Self.detokenize(tokens).joined() == expected, "trial \(trial): \(tokens)")
        }
    }

    @Test func specialTokensAreKeptOrSkippedAndUnknownIdsGiveNothing() throws {
        let end = try #require(Self.tokenizer.addedTokenId("<|endoftext|>"))
        #expect(Self.detokenize([0x61, end]) == ["a", "<|endoftext|>", ""])
        #expect(Self.detokenize([0x61, end], skippingSpecialTokens: true) == ["a", "", ""])
        #expect(Self.detokenize([0x61, 100_000, 0x62]) == ["a", "", "b", ""])
    }

    /// Feeds `pieces` and returns what was emitted (with `finish` when no stop matched) and
    /// whether a stop string matched.
    static func match(_ pieces: [String], stops: [String]) -> (emitted: [String], stopped: Bool) {
        var matcher = StopStringMatcher(stops: stops)
        var emitted = [String]()
        for piece in pieces {
            let (emit, stopped) = matcher.feed(piece)
            emitted.append(emit)
            if stopped { return (emitted, true) }
        }
        return (emitted + [matcher.finish()], false)
    }

    @Test func aStopStringSplitAcrossPiecesIsHeldBackThenCut() {
        let result = Self.match(["ab#", "#", "#c", "d"], stops: ["###"])
        #expect(result.emitted == ["ab", "", ""] && result.stopped)
        // A partial match that fails is released.
        #expect(Self.match(["a#", "#b", "c"], stops: ["###"]) == (["a", "##b", "c", ""], false))
        // The held-back text comes out at the end when nothing matched.
        #expect(Self.match(["x##"], stops: ["###"]) == (["x", "##"], false))
    }

    @Test func theEarliestStopStringWinsAndMatchingIsOver() {
        var matcher = StopStringMatcher(stops: ["world", "lo w", ""])
        let (emit, stopped) = matcher.feed("hello world")
        #expect(emit == "hel" && stopped && matcher.matched == "lo w")
        #expect(matcher.feed("more") == ("", true))
        #expect(matcher.finish() == "")
    }

    @Test func multibyteStopStringsMatchWholeCharacters() {
        #expect(Self.match(["caf", "é", "!", "x"], stops: ["é!"]) == (["caf", "", ""], true))
        #expect(Self.match(["caf", "é", "s"], stops: ["é!"]) == (["caf", "", "és", ""], false))
        #expect(Self.match(["naïve"], stops: []) == (["naïve", ""], false))
    }

    @Test func tokensThroughDetokenizerAndMatcherStopInsideACharacterSplitAcrossTokens() {
        // "tea ☕ done": ☕ is E2 98 95, fed byte by byte; the stop string is "☕ d".
        let tokens = Array("tea ".utf8).map(UInt32.init) + [0xE2, 0x98, 0x95] + Array(" done".utf8).map(UInt32.init)
        var detokenizer = IncrementalDetokenizer(tokenizer: Self.tokenizer)
        var matcher = StopStringMatcher(stops: ["☕ d"])
        var output = ""
        var stopped = false
        for token in tokens where !stopped {
            let piece = matcher.feed(detokenizer.append(token))
            output += piece.emit
            stopped = piece.stopped
        }
        #expect(output == "tea " && stopped)
    }

    @Test func matcherAgreesWithASearchOfTheWholeText() {
        var random = RandomStream(seed: 9)
        let alphabet = Array("ab#é")
        let stops = ["##", "ab#", "é#é", "bb"]
        for trial in 0..<400 {
            let text = String((0..<Int(random.next() % 14)).map { _ in alphabet[Int(random.next() % 4)] })
            // Cut into pieces at random character boundaries.
            var pieces = [String]()
            var rest = Substring(text)
            while !rest.isEmpty {
                let length = 1 + Int(random.next() % 3)
                pieces.append(String(rest.prefix(length)))
                rest = rest.dropFirst(length)
            }
            let bytes = Array(text.utf8)
            let first = bytes.indices.first { start in stops.contains { bytes[start...].starts(with: Array($0.utf8)) } }
            let expected = first.map { String(decoding: bytes[..<$0], as: UTF8.self) } ?? text
            let result = Self.match(pieces, stops: stops)
            #expect(result.emitted.joined() == expected && result.stopped == (first != nil), "trial \(trial): \(pieces)")
        }
    }
}
