import Documents

/// A JSON Lines file through `JSONLinesReader`: lines (LF, CRLF, blank, unterminated), JSON objects
/// and the document fields, read to the end or to the first refusal.
enum JSONLinesTarget {
    static func run(_ input: FuzzInput) -> Int32 {
        let path = FuzzScratchFile.store(input.bytes, target: "jsonl")
        return FuzzInput.expectingFactoryErrors {
            let reader = try JSONLinesReader(path: path)
            while try reader.nextDocument() != nil {}
        }
    }
}
