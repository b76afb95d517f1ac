import FactoryCore
import Foundation
import Testing

@testable import Tokenization

@Suite struct TokenizerRoundTripTests {
    static let tokenizer = Result { try TokenizerTestSupport.trainedTokenizer() }

    /// Arbitrary bytes, malformed UTF-8 included, come back exactly.
    @Test func randomByteStringsRoundTrip() throws {
        let tokenizer = try Self.tokenizer.get()
        var encoder = TokenizerEncoder(tokenizer: tokenizer)
        var random = TokenizerTestRandom(seed: 1)
        var sawMalformed = false
        for round in 0..<3000 {
            let length = Int(random.next() % 64)
            // Half the strings draw from all bytes, half mostly from ASCII and UTF-8 lead bytes.
            let bytes: [UInt8] = (0..<length).map { _ in
                let value = random.next()
                return round % 2 == 0
                    ? UInt8(truncatingIfNeeded: value) : [0x20, 0x61, 0x27, 0xC3, 0xA9, 0xE6, 0x97, 0xA5, 0xF0, 0x9F, 0x0A, 0xFF][Int(value % 12)]
            }
            if String(validating: bytes, as: UTF8.self) == nil { sawMalformed = true }
            var ids = [UInt32]()
            encoder.encode(bytes: bytes, into: &ids)
            #expect(try tokenizer.decode(ids) == bytes, "bytes: \(bytes)")
        }
        #expect(sawMalformed)
    }

    /// Text round-trips, with added tokens matched or not.
    @Test func textsRoundTrip() throws {
        let tokenizer = try Self.tokenizer.get()
        for text in try TokenizerTestSupport.goldenTexts() {
            for matching in [true, false] {
                let ids = tokenizer.encode(text, matchingAddedTokens: matching)
                #expect(try tokenizer.decode(ids) == Array(text.utf8))
            }
        }
    }

    @Test func addedTokensAreMatchedOnlyWhenAsked() throws {
        let tokenizer = try Self.tokenizer.get()
        let endOfText = try #require(tokenizer.addedTokenId("<|endoftext|>"))
        let pad = try #require(tokenizer.addedTokenId("<|pad|>"))
        #expect(endOfText == UInt32(tokenizer.vocabularySize - 6) && pad == UInt32(tokenizer.vocabularySize - 5))
        let matched = tokenizer.encode("a<|endoftext|>b<|pad|>")
        #expect(matched.contains(endOfText) && matched.contains(pad))
        let plain = tokenizer.encode("a<|endoftext|>b<|pad|>", matchingAddedTokens: false)
        #expect(!plain.contains(endOfText) && !plain.contains(pad))
        #expect(try tokenizer.decode(matched, skippingSpecialTokens: true) == Array("ab".utf8))
    }

    @Test func unknownIdsAreRejected() throws {
        let tokenizer = try Self.tokenizer.get()
        #expect(
            throws: FactoryError.invalidArgument(
                name: "token id", message: "\(tokenizer.vocabularySize) is not in the vocabulary (size \(tokenizer.vocabularySize))")
        ) {
            try tokenizer.decode([0, UInt32(tokenizer.vocabularySize)])
        }
    }

    /// The heap path for long pieces merges exactly like the scan path.
    @Test func heapAndScanMergesAgree() throws {
        let tokenizer = try Self.tokenizer.get()
        var random = TokenizerTestRandom(seed: 3)
        let texts = try TokenizerTestSupport.goldenTexts()
        var scan = BPEMerger(heapThreshold: Int.max)
        var heap = BPEMerger(heapThreshold: 1)
        var reduced = 0
        for index in 0..<400 {
            // Golden texts and long letter runs without spaces (one piece each).
            let text =
                index < texts.count
                ? texts[index]
                : String((0..<(50 + Int(random.next() % 400))).map { _ in "aabnesthdl"[Int(random.next() % 10)] })
            let symbols = Array(text.utf8).map { tokenizer.model.byteTokens[Int($0)] }
            var byScan = symbols
            var byHeap = symbols
            scan.merge(&byScan, table: tokenizer.model.mergeTable)
            heap.merge(&byHeap, table: tokenizer.model.mergeTable)
            #expect(byScan == byHeap)
            if byScan.count < symbols.count { reduced += 1 }
        }
        #expect(reduced > 350)
    }

    /// Encoding with a warm cache equals encoding with a cold one.
    @Test func cacheNeverChangesOutput() throws {
        let tokenizer = try Self.tokenizer.get()
        let texts = try TokenizerTestSupport.goldenTexts()
        var warm = TokenizerEncoder(tokenizer: tokenizer)
        for text in texts { _ = warm.encode(text) }
        for text in texts.reversed() {
            var cold = TokenizerEncoder(tokenizer: tokenizer)
            #expect(warm.encode(text) == cold.encode(text))
        }
    }

    @Test func batchEncodingMatchesSequentialForAnyThreadCount() throws {
        let tokenizer = try Self.tokenizer.get()
        let texts = try TokenizerTestSupport.goldenTexts()
        let sequential = texts.map { tokenizer.encode($0) }
        for threads in [1, 2, 5] {
            #expect(tokenizer.encodeBatch(texts, threads: threads) == sequential)
        }
    }
}

extension String {
    fileprivate subscript(offset: Int) -> Character { self[index(startIndex, offsetBy: offset)] }
}
