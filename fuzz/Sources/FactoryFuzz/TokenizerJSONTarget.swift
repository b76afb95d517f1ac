import Tokenization

/// `tokenizer.json` through `Tokenizer(json:source:)`; a tokenizer that loads then encodes a sample
/// with letters, digits, spaces, punctuation and non-ASCII text, and decodes the ids again.
enum TokenizerJSONTarget {
    static let sample = "Hello, world! 12345 fuzz\ttabs\n  naïve 東京 🙂 <|endoftext|>"

    static func run(_ input: FuzzInput) -> Int32 {
        FuzzInput.expectingFactoryErrors {
            let tokenizer = try Tokenizer(json: input.data, source: "tokenizer.json")
            _ = try tokenizer.decode(tokenizer.encode(sample))
        }
    }
}
