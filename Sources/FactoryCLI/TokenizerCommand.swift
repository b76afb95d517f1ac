import ArgumentParser
import Documents
import FactoryCore
import Foundation
import Lineage
import Pipeline
import Shards
import Tokenization

/// `factory tokenizer`: train, apply and look into byte-level BPE tokenizers (`tokenizer.json`).
struct TokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Train, apply and inspect byte-level BPE tokenizers (Hugging Face tokenizer.json).",
        subcommands: [
            TokenizerTrainCommand.self, TokenizerEncodeCommand.self, TokenizerDecodeCommand.self,
            TokenizerInspectCommand.self,
        ]
    )
}

/// `factory tokenizer train`: learns merges from text files or JSON Lines documents.
struct TokenizerTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a tokenizer on text files (.jsonl: the 'text' field of each line; otherwise the whole file).")

    @Argument(help: "Training inputs.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Where to write tokenizer.json.")
    var output: String

    @Option(help: "Vocabulary size, special tokens included.")
    var vocabSize: Int

    @Option(
        name: .customLong("special"),
        help: "An extra special token (repeatable); <|endoftext|>, <|pad|>, <|im_start|>, <|im_end|>, <think> and </think> are always added.")
    var specialTokens: [String] = []

    @Option(help: "Pre-tokenizer pattern.")
    var pattern = PreTokenizerPattern.cl100k

    @Option(help: "Stop when the most frequent pair occurs fewer times than this.")
    var minPairCount = 2

    @OptionGroup var store: StoreOptions

    func validate() throws {
        let specials = BPETrainer.Options(vocabularySize: vocabSize, extraSpecialTokens: specialTokens).specialTokens.count
        let largest = Int(Tokenizer.largestTokenId) + 1
        guard (256 + specials...largest).contains(vocabSize) else {
            throw ValidationError("--vocab-size: \(vocabSize) is outside 256 byte tokens + \(specials) special tokens to \(largest)")
        }
        guard minPairCount >= 1 else {
            throw ValidationError("--min-pair-count: \(minPairCount) is below 1")
        }
    }

    func run() throws {
        let step = TokenizerTrainStep(
            inputs: inputs, output: output, vocabSize: vocabSize, specialTokens: specialTokens, pattern: pattern, minPairCount: minPairCount)
        let (record, tokenizer, textBytes) = try step.run(in: store.open())
        print("trained on \(textBytes) bytes: \(tokenizer.vocabularySize) tokens, \(tokenizer.merges.count) merges -> \(output)")
        store.printLineage(record)
    }
}

/// `factory tokenizer encode`: prints the token ids of a text.
struct TokenizerEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Print the token ids of a text, space-separated.",
        discussion: """
            A file is read as UTF-8: each malformed sequence becomes U+FFFD (as Hugging Face tokenizers \
            sees text), with a warning on standard error giving their count. With --bytes the file's \
            bytes are encoded exactly instead (each byte of a malformed sequence its own token, added \
            tokens not matched), so that decode gives them back byte for byte.
            """)

    @Option(help: "The tokenizer.json to use.")
    var tokenizer: String

    @Option(help: "The text to encode.")
    var text: String?

    @Option(help: "A file to encode ('-' for standard input).")
    var file: String?

    @Flag(help: "Treat added-token text such as <|endoftext|> as ordinary text.")
    var noAddedTokens = false

    @Flag(help: "Encode the input's bytes losslessly, malformed UTF-8 included (added tokens are not matched).")
    var bytes = false

    func validate() throws {
        guard (text == nil) != (file == nil) else {
            throw ValidationError("give exactly one of --text and --file")
        }
        if bytes && noAddedTokens {
            throw ValidationError("--bytes never matches added tokens; leave out --no-added-tokens")
        }
    }

    func run() throws {
        let loaded = try Tokenizer.load(path: tokenizer)
        let input = try text.map { Array($0.utf8) } ?? TokenizerInputFile.bytes(file ?? "-", name: "--file")
        let ids: [UInt32]
        if bytes {
            ids = loaded.encode(bytes: input)
        } else {
            let decoded = TokenizerInputText(decoding: input)
            if decoded.replacedSequences > 0 {
                let noun = decoded.replacedSequences == 1 ? "sequence" : "sequences"
                ProgressReporter.writeToStandardError(
                    "warning: \(file.map { $0 == "-" ? "standard input" : $0 } ?? "--text"): \(decoded.replacedSequences) malformed UTF-8 \(noun) replaced by U+FFFD "
                        + "(--bytes encodes the bytes exactly)\n")
            }
            ids = loaded.encode(decoded.text, matchingAddedTokens: !noAddedTokens)
        }
        print(ids.map(String.init).joined(separator: " "))
    }
}

/// `factory tokenizer decode`: writes the bytes token ids stand for.
struct TokenizerDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Write the bytes of token ids to standard output.",
        discussion: """
            Ids come as arguments or, for long lists, from --file (a file, or '-' for standard input) \
            holding decimal ids separated by white space or commas (encode's output, or a JSON array). \
            No ids writes nothing.
            """)

    @Option(help: "The tokenizer.json to use.")
    var tokenizer: String

    @Argument(help: "Token ids (for long lists use --file: the argument parser's time grows with the square of their number).")
    var ids: [UInt32] = []

    @Option(help: "A file of token ids separated by white space or commas ('-' for standard input).")
    var file: String?

    @Flag(help: "Leave out special tokens.")
    var skipSpecial = false

    func validate() throws {
        if file != nil && !ids.isEmpty {
            throw ValidationError("give the ids either as arguments or with --file, not both")
        }
    }

    func run() throws {
        let loaded = try Tokenizer.load(path: tokenizer)
        let allIds =
            try file.map { path in
                try TokenIdList.parse(
                    TokenizerInputFile.bytes(path, name: "--file"), source: path == "-" ? "standard input" : path)
            } ?? ids
        let bytes = try loaded.decode(allIds, skippingSpecialTokens: skipSpecial)
        FileHandle.standardOutput.write(Data(bytes))
    }
}

/// `factory tokenizer inspect`: summarizes a tokenizer and shows chosen tokens.
struct TokenizerInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Summarize a tokenizer.json; with ids, show those tokens.")

    @Argument(help: "The tokenizer.json.")
    var path: String

    @Option(name: .customLong("id"), help: "A token id to show (repeatable).")
    var ids: [UInt32] = []

    func run() throws {
        let tokenizer = try Tokenizer.load(path: path)
        print("file: \(path)")
        print("digest: \(try Digest.ofFile(atPath: path))")
        print("vocab_size: \(tokenizer.vocabularySize)")
        print("merges: \(tokenizer.merges.count)")
        print("pattern: \(tokenizer.preTokenizer.pattern.rawValue)")
        print("ignore_merges: \(tokenizer.ignoreMerges)")
        for token in tokenizer.addedTokens {
            print("added_token: \(token.id) \(token.content)\(token.special ? " (special)" : "")")
        }
        for id in ids {
            guard let bytes = tokenizer.bytes(ofToken: id) else {
                throw FactoryError.invalidArgument(name: "--id", message: "\(id) is not in the vocabulary")
            }
            let shown = tokenizer.vocabulary.indices.contains(Int(id)) ? tokenizer.vocabulary[Int(id)] : nil
            print("token \(id): \(shown ?? String(decoding: bytes, as: UTF8.self)) bytes=\(bytes.map { String(format: "%02x", $0) }.joined())")
        }
    }
}

/// `factory bench tokenizer`: encoding throughput, for bench/tokenizer.sh.
struct TokenizerBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer", abstract: "Measure a tokenizer's encoding throughput (MB/s) over documents, with a digest of the ids.")

    @Option(help: "The tokenizer.json to use.")
    var tokenizer: String

    @Argument(help: "Inputs (.jsonl: one document per line; otherwise one document per file).")
    var inputs: [String]

    @Option(help: "Encoding threads.")
    var threads = 1

    @Option(help: "Seconds to spend measuring.")
    var seconds = 3.0

    func run() throws {
        let loaded = try Tokenizer.load(path: tokenizer)
        for input in inputs { try FileKind.requireRegularFile(input, name: "input") }
        var texts = [String]()
        for input in inputs { try TokenizerTrainingInput.forEachText(in: input) { texts.append($0) } }
        let measurement = TokenizerBenchmark.measure(
            tokenizer: loaded, texts: texts, threads: threads, minimumSeconds: seconds)
        print("threads: \(measurement.threads)")
        print("documents: \(texts.count)")
        print("bytes: \(measurement.bytesPerPass)")
        print("tokens: \(measurement.tokensPerPass)")
        print("passes: \(measurement.passes)")
        print("mb_per_s: \(String(format: "%.2f", measurement.megabytesPerSecond))")
        print("ids_sha256: \(measurement.idsDigest)")
    }
}
