import FactoryCore
import Foundation
import Testing

@testable import Documents

@Suite struct DocumentJSONLinesTests {
    let tricky = [
        Document(
            id: "a/\"quoted\"\\path", text: "line one\nline two\r\n\ttabbed \u{0}\u{1}\u{1F} end", domain: "code",
            source: "unit", license: "MIT", metadata: ["path": "/x/y", "zeta": "last", "alpha": "é"]),
        Document(
            id: "emoji", text: "🚀 漢字 e\u{301} \u{2028} \u{7F} </script>", domain: "prose", source: "unit",
            license: "CC0-1.0"),
        Document(id: "empty", text: "", domain: "math", source: "synthetic", license: "CC0-1.0", metadata: ["k": ""]),
    ]

    @Test func roundTripKeepsEveryCharacter() throws {
        let directory = try CorpusFixtures.temporaryDirectory()
        let path = "\(directory)/docs.jsonl"
        let digest = try JSONLinesWriter.write(tricky, toPath: path)
        #expect(try Digest.ofFile(atPath: path) == digest)
        let back = try JSONLinesReader.readDocuments(path: path)
        #expect(back == tricky)
    }

    @Test func eachDocumentIsOneLineOfValidJSONWithFixedKeyOrder() throws {
        var bytes = [UInt8]()
        JSONText.encode(tricky[0], to: &bytes)
        let line = String(decoding: bytes, as: UTF8.self)
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false)
        #expect(line.hasPrefix("{\"id\":\"a/\\\"quoted\\\"\\\\path\",\"text\":\"line one\\nline two\\r\\n\\ttabbed \\u0000\\u0001\\u001f end\""))
        #expect(line.contains("\"metadata\":{\"alpha\":\"é\",\"path\":\"/x/y\",\"zeta\":\"last\"}"))
        let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        #expect(object?["text"] as? String == tricky[0].text)
    }

    /// U+FEFF at the start of a string and after an escape survives a round trip (Foundation's
    /// JSONSerialization drops it on Linux), written raw or as a `\\ufeff` escape.
    @Test func byteOrderMarksInTextAreKept() throws {
        let directory = try CorpusFixtures.temporaryDirectory()
        let path = "\(directory)/bom.jsonl"
        let document = Document(
            id: "\u{FEFF}bom", text: "\u{FEFF}starts\n\u{FEFF}after an escape\t\u{FEFF}", domain: "prose",
            source: "unit", license: "CC0-1.0", metadata: ["note": "\u{FEFF}x"])
        _ = try JSONLinesWriter.write([document], toPath: path)
        try AtomicFile.write(
            Data(
                (String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
                    + #"{"id":"e","text":"\ufeffa\n\ufeffb","domain":"d","source":"s","license":"l","metadata":{"n":[1,2.5,true]}}"#
                    + "\n").utf8), toPath: path)
        let back = try JSONLinesReader.readDocuments(path: path)
        #expect(back.first == document)
        #expect(back.last?.text.unicodeScalars.map(\.value) == [0xFEFF, 0x61, 0x0A, 0xFEFF, 0x62])
        #expect(back.last?.metadata == ["n": "[1,2.5,true]"])
    }

    @Test func badLineNamesFileAndLine() throws {
        let directory = try CorpusFixtures.temporaryDirectory()
        let path = "\(directory)/bad.jsonl"
        try AtomicFile.write(Data("{\"id\":\"1\",\"text\":\"x\",\"domain\":\"d\",\"source\":\"s\",\"license\":\"l\"}\n{broken\n".utf8), toPath: path)
        let reader = try JSONLinesReader(path: path)
        #expect(try reader.nextDocument()?.id == "1")
        #expect(throws: FactoryError.corrupt(path: path, reason: "line 2: not valid JSON")) { try reader.nextDocument() }
    }

    @Test func missingFieldIsNamed() throws {
        let directory = try CorpusFixtures.temporaryDirectory()
        let path = "\(directory)/missing.jsonl"
        try AtomicFile.write(Data("{\"id\":\"1\",\"text\":\"x\",\"domain\":\"d\",\"source\":\"s\"}\n".utf8), toPath: path)
        #expect(throws: FactoryError.corrupt(path: path, reason: "line 1: field 'license' is missing or not a string")) {
            try JSONLinesReader.readDocuments(path: path)
        }
    }
}
