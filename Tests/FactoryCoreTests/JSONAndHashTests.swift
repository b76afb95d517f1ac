import Testing

@testable import FactoryCore

@Suite struct StableHashTests {
    /// FNV-1a's published test values and one seeded hash: any change here changes every stored
    /// dedup signature, hashed feature and seeded order.
    @Test func valuesArePinned() {
        #expect(StableHash.fnv1a([UInt8]()) == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.fnv1a(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(StableHash.fnv1a("é".utf8) == 0x0ac2_1707_b718_1e01)
        #expect(StableHash.of("abc", seed: 7) == 0x6efe_9c55_0aa5_7f0e)
    }
}

@Suite struct JSONTextTests {
    @Test func escapesControlCharactersInEitherStyle() {
        let text = "q\"b\\n\nr\rt\tb\u{08}f\u{0C}u\u{1}é"
        #expect(JSONText.quoted(text) == #""q\"b\\n\nr\rt\tb\bf\fu\u0001é""#)
        #expect(JSONText.quoted(text, escapes: .newlinesAndTabs) == #""q\"b\\n\nr\rt\tb\u0008f\u000cu\u0001é""#)
    }

    @Test func writtenTextReadsBack() throws {
        let text = "\u{FEFF}a\u{0}\u{1F}\"\\/ 🚀"
        let value = try JSONValue.parse(Array(JSONText.quoted(text).utf8), source: "test")
        #expect(value == .string(text))
    }
}

@Suite struct JSONValueTests {
    @Test func parsesEveryKindNullIncluded() throws {
        let value = try JSONValue.parse(Array(#"{"a":[1,2.5,true,null,"x"],"b":{}}"#.utf8), source: "test")
        #expect(value == .object(["a": .array([.integer(1), .float(2.5), .bool(true), .null, .string("x")]), "b": .object([:])]))
    }

    @Test func configurationTreesStillRefuseOrDropNull() throws {
        #expect { try ConfigValue.parseJSON(Array(#"{"a":null}"#.utf8), source: "c", nullMembers: .reject) } throws: { error in
            guard case .config(let file, let keyPath, _, let message) = error as? FactoryError else { return false }
            return file == "c" && keyPath == "a" && message.contains("byte 5") && message.contains("null is not supported")
        }
        #expect(try ConfigValue.parseJSON(Array(#"{"a":null,"b":1}"#.utf8), source: "c") == .table(["b": .integer(1)]))
        #expect { try ConfigValue.parseJSON(Array("[null]".utf8), source: "c") } throws: { error in
            guard case .config(let file, let keyPath, _, let message) = error as? FactoryError else { return false }
            return file == "c" && keyPath == "[0]" && message.contains("byte 1") && message.contains("null is not supported")
        }
    }
}
