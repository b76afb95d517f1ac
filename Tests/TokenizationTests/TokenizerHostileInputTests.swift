import FactoryCore
import Foundation
import Testing

@testable import Tokenization

/// Hostile `tokenizer.json` files, malformed UTF-8 and id lists: each refused with an error that
/// names the file and the field, or handled losslessly, never a trap or a silent loss.
@Suite struct TokenizerHostileInputTests {
    private func fixtureObject() throws -> [String: Any] {
        try TokenizerTestSupport.json("factory.tokenizer.json") as! [String: Any]
    }

    private func load(_ object: [String: Any]) throws -> Tokenizer {
        try Tokenizer(json: JSONSerialization.data(withJSONObject: object), source: "bad/tokenizer.json")
    }

    /// The configuration error `body` throws, as (key path, message); nil when it throws none.
    private func configError(_ body: () throws -> Void) -> (keyPath: String, message: String)? {
        do {
            try body()
        } catch let FactoryError.config(file, keyPath, _, message) {
            #expect(file == "bad/tokenizer.json")
            return (keyPath, message)
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return nil
    }

    /// The fixture without the tokens (and merges) whose byte-level strings contain `character`.
    private func withoutByte(_ character: String) throws -> [String: Any] {
        var object = try fixtureObject()
        var model = object["model"] as! [String: Any]
        model["vocab"] = (model["vocab"] as! [String: Any]).filter { !$0.key.contains(character) }
        model["merges"] = (model["merges"] as! [Any]).filter { merge in
            let parts = (merge as? [String]) ?? (merge as! String).split(separator: " ").map(String.init)
            return !parts.contains { $0.contains(character) }
        }
        object["model"] = model
        return object
    }

    /// `a~b` used to encode to `97 98`, the tilde dropped.
    @Test func vocabularyWithoutATildeTokenIsRefused() throws {
        let object = try withoutByte("~")
        let error = configError { _ = try load(object) }
        #expect(error?.keyPath == "model.vocab")
        #expect(
            error?.message
                == "a byte-level tokenizer needs a token for each of the 256 bytes; 1 missing: '~' (byte 0x7E) "
                + "(text holding them could not be encoded without losing bytes)")
    }

    @Test func vocabularyWithoutAControlByteTokenIsRefused() throws {
        // Byte 0x00 is stored as U+0100 'Ā'.
        let error = configError { _ = try load(try withoutByte("\u{0100}")) }
        #expect(error?.message.contains("1 missing: 'Ā' (byte 0x00)") == true, "\(String(describing: error))")
    }

    @Test func hugeVocabularyIdIsRefusedByToken() throws {
        var object = try fixtureObject()
        var model = object["model"] as! [String: Any]
        var vocab = model["vocab"] as! [String: Any]
        vocab["zz"] = 2_147_483_647
        model["vocab"] = vocab
        object["model"] = model
        let error = configError { _ = try load(object) }
        #expect(error?.keyPath == "model.vocab[\"zz\"]")
        #expect(
            error?.message
                == "token id 2147483647 is above the largest id accepted (16777215); the tables for it would need 96.0 GiB")
    }

    @Test func hugeAddedTokenIdIsRefused() throws {
        var object = try fixtureObject()
        var added = object["added_tokens"] as! [[String: Any]]
        added[0]["id"] = 16_777_216
        object["added_tokens"] = added
        let error = configError { _ = try load(object) }
        #expect(error?.keyPath == "added_tokens[0].id")
        #expect(error?.message.hasPrefix("token id 16777216 is above the largest id accepted (16777215)") == true)
    }

    @Test func negativeAndNonIntegerIdsAreRefused() throws {
        for bad: Any in [-1, "7", 1.5, NSNull(), [1]] {
            var object = try fixtureObject()
            var model = object["model"] as! [String: Any]
            var vocab = model["vocab"] as! [String: Any]
            vocab["zz"] = bad
            model["vocab"] = vocab
            object["model"] = model
            let error = configError { _ = try load(object) }
            #expect(error?.keyPath == "model.vocab[\"zz\"]", "\(bad)")
            #expect(error?.message == "expected a token id (an integer from 0 to 16777215)", "\(bad)")
        }
    }

    /// Malformed shapes anywhere in the file are configuration errors, not traps.
    @Test func malformedStructuresAreErrors() throws {
        let texts = [
            "[]", "null", "{}", #"{"model": []}"#, #"{"model": {"type": "BPE", "vocab": [], "merges": []}}"#,
            #"{"model": {"type": 7}}"#, "{\"model\": {\"type\": \"BPE\"}, \"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": [1, 2]}}",
        ]
        for text in texts {
            #expect(throws: FactoryError.self, "\(text.prefix(80))") {
                _ = try Tokenizer(json: Data(text.utf8), source: "bad/tokenizer.json")
            }
        }
        var object = try fixtureObject()
        var model = object["model"] as! [String: Any]
        model["merges"] = [["a"], 5, ["Ġ", "t", "x"]]
        object["model"] = model
        #expect(configError { _ = try load(object) }?.keyPath == "model.merges[0]")
    }

    @Test func replacedSequencesAreCounted() {
        let input: [UInt8] = [0x61, 0xFF, 0x62, 0xE2, 0x82, 0x20, 0xED, 0xA0, 0x80, 0xEF, 0xBF, 0xBD]
        let decoded = TokenizerInputText(decoding: input)
        // 0xFF; the truncated E2 82; ED A0 80 (a surrogate) is three; the real U+FFFD is not counted.
        #expect(decoded.replacedSequences == 5)
        #expect(decoded.text == "a\u{FFFD}b\u{FFFD} \u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(TokenizerInputText(decoding: Array("naïve 日本".utf8)).replacedSequences == 0)
    }

    @Test func byteModeIsLosslessOnMalformedUTF8() throws {
        let tokenizer = try Tokenizer.load(path: TokenizerTestSupport.fixture("factory.tokenizer.json"))
        let input: [UInt8] = Array("hello ".utf8) + [0xFF, 0xC0, 0xAF] + Array(" wörld <|endoftext|>".utf8) + [0xE2, 0x82]
        let ids = tokenizer.encode(bytes: input)
        #expect(try tokenizer.decode(ids) == input)
        let wellFormed = "the model's data, 12345"
        #expect(tokenizer.encode(bytes: Array(wellFormed.utf8)) == tokenizer.encode(wellFormed, matchingAddedTokens: false))
    }

    @Test func idListsReadSeparatorsAndJSONArrays() throws {
        #expect(try TokenIdList.parse(Array("1 2,3\n\t[4, 5]\r\n".utf8), source: "ids.txt") == [1, 2, 3, 4, 5])
        #expect(try TokenIdList.parse([UInt8](), source: "ids.txt") == [])
        #expect(try TokenIdList.parse(Array(" \n".utf8), source: "ids.txt") == [])
        #expect(try TokenIdList.parse(Array("0 4294967295".utf8), source: "ids.txt") == [0, UInt32.max])
    }

    @Test func idListsRefuseWhatIsNotAnId() {
        let cases: [(String, String)] = [
            ("1 2 4294967296", "entry 3 at byte 4 is not a token id (ids go from 0 to 4294967295)"),
            ("1 -2", "'-' at byte 2 (entry 2) is not part of a token id; expected decimal ids separated by white space or commas"),
            ("12a", "'a' at byte 2 (entry 1) is not part of a token id; expected decimal ids separated by white space or commas"),
        ]
        for (text, reason) in cases {
            do {
                _ = try TokenIdList.parse(Array(text.utf8), source: "ids.txt")
                Issue.record("expected an error for \(text)")
            } catch let FactoryError.corrupt(path, actual) {
                #expect(path == "ids.txt")
                #expect(actual == reason)
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }
}
