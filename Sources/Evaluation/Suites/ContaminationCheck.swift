import FactoryCore
import Foundation
import Shards
import Tokenization

/// The contamination check (`factory eval tasks check`): for every document of every task file,
/// the fraction of its token n-grams that occur in the training shards.
///
/// A document's text (``text(of:)``: context or prompt plus the gold answer) is encoded with
/// the shards' tokenizer; its n-grams are hashed into a set, and the training shards are streamed
/// once, one shard file at a time, with a rolling hash per n over each document (n-grams never
/// span two training documents). Memory: the tasks' n-gram sets and one shard.
///
/// The n of a task file follows GPT-3's decontamination (Brown et al. 2020, appendix C): the 5th
/// percentile of its documents' token lengths, clamped to 8...13, so short items (a WordNet
/// question is ~20 tokens) are still checked while long ones use 13-grams; a fixed `ngram`
/// overrides it. Hashes are 64-bit (a chance collision among ~10⁸ n-grams is ~10⁻³), so a
/// reported overlap is an upper bound in principle and exact in practice.
public struct ContaminationCheck: Sendable {
    /// A fixed n for every task file; `nil` for the per-file rule.
    public var ngram: Int?

    /// The smallest and largest n of the per-file rule.
    public static let ngramRange = 8...13

    /// A check.
    public init(ngram: Int? = nil) {
        self.ngram = ngram
    }

    /// Checks the task files of `tasks` against the training shard folder `shards`, whose
    /// manifests must name `tokenizer`'s digest.
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` for a bad `ngram`, a folder
    ///   without task files or manifests, or another tokenizer; read errors naming the file.
    public func run(tasks: String, shards: String, tokenizer: Tokenizer, tokenizerPath: String) throws -> ContaminationReport {
        if let ngram, ngram < 1 { throw FactoryError.invalidArgument(name: "--ngram", message: "must be at least 1, got \(ngram)") }
        let manifests = try Self.manifests(in: shards, tokenizer: tokenizer, tokenizerPath: tokenizerPath)
        let files = try TaskFolder.read(folder: tasks)
        let encoded = files.map { file in Self.text(of: file.documents).map { tokenizer.encode($0, matchingAddedTokens: false) } }
        let sizes = encoded.map { documents in ngram ?? Self.ngram(forLengths: documents.map(\.count)) }
        var needles = [Int: Set<UInt64>]()
        for (documents, n) in zip(encoded, sizes) {
            for tokens in documents { needles[n, default: []].formUnion(Self.hashes(tokens[...], n: n)) }
        }
        var found = [Int: Set<UInt64>]()
        var trainingTokens = 0
        var trainingDocuments = 0
        for (folder, manifest) in manifests {
            for entry in manifest.shards {
                let shard = try TokenShard.read(path: folder + "/" + entry.file)
                trainingTokens += shard.tokens.count
                trainingDocuments += shard.documentCount
                for index in 0..<shard.documentCount {
                    let document = shard.document(index)
                    for (n, set) in needles {
                        Self.scan(document, n: n) { hash in
                            if set.contains(hash) { found[n, default: []].insert(hash) }
                        }
                    }
                }
            }
        }
        let reports = zip(files, zip(encoded, sizes)).map { file, pair in
            let (documents, n) = pair
            let hits = found[n] ?? []
            let perDocument = zip(file.documents.ids, documents).map { id, tokens in
                let hashes = Self.hashes(tokens[...], n: n)
                let matched = hashes.filter { hits.contains($0) }.count
                return ContaminationReport.DocumentOverlap(
                    id: id, tokens: tokens.count, ngrams: hashes.count, found: matched,
                    overlap: hashes.isEmpty ? 0 : Double(matched) / Double(hashes.count))
            }
            return ContaminationReport.TaskOverlap(name: file.header.name, ngram: n, documents: perDocument)
        }
        return ContaminationReport(
            tasks: tasks, shards: shards, tokenizer: tokenizerPath, tokenizerDigest: Digest.of(tokenizer.jsonBytes()).hex,
            rule: ngram.map { "fixed n = \($0)" } ?? "per task file: 5th percentile of document token lengths, clamped to 8...13 (GPT-3)",
            trainingTokens: trainingTokens, trainingDocuments: trainingDocuments, taskFiles: reports)
    }

    /// The text of each document the check looks for, in file order: the context or prompt
    /// followed by the gold answer (multiple choice: `context + " " + gold choice`; exact match:
    /// `prompt + " " + answer`; code: `prompt + test`, there being no gold completion).
    static func text(of documents: TaskDocuments) -> [String] {
        switch documents {
        case .multipleChoice(let documents): return documents.map { $0.context + " " + $0.choices[$0.gold] }
        case .exactMatch(let documents): return documents.map { $0.prompt + " " + $0.answer }
        case .code(let documents): return documents.map { $0.prompt + $0.test }
        }
    }

    /// GPT-3's n for documents of these token lengths: their 5th percentile (nearest rank),
    /// clamped to ``ngramRange``.
    static func ngram(forLengths lengths: [Int]) -> Int {
        guard !lengths.isEmpty else { return ngramRange.upperBound }
        let sorted = lengths.sorted()
        let rank = max(0, Int((0.05 * Double(sorted.count)).rounded(.up)) - 1)
        return min(max(sorted[rank], ngramRange.lowerBound), ngramRange.upperBound)
    }

    /// The shard manifests of a training shard folder, checked to be encoded with `tokenizer`.
    static func manifests(in shards: String, tokenizer: Tokenizer, tokenizerPath: String) throws -> [(String, TokenShardManifest)] {
        guard try FileKind.of(shards, name: "--shards") == .folder else {
            throw FactoryError.invalidArgument(name: "--shards", message: "\(shards) is a file, not a shard folder")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: shards).filter { $0.hasSuffix(".manifest.json") }.sorted()
        } catch {
            throw FactoryError.io(path: shards, operation: "list the folder", reason: error.localizedDescription)
        }
        guard !names.isEmpty else {
            throw FactoryError.invalidArgument(
                name: "--shards", message: "\(shards) holds no <domain>.manifest.json (the training shards: a `factory shards build` folder)")
        }
        let digest = Digest.of(tokenizer.jsonBytes())
        return try names.map { name in
            let path = shards + "/" + name
            let manifest = try TokenShardManifest.load(path: path)
            guard manifest.tokenizerDigest == digest else {
                throw FactoryError.invalidArgument(
                    name: "the shards' tokenizer",
                    message:
                        "\(tokenizerPath) (digest \(digest)) is not the tokenizer \(path) was encoded with (tokenizer_digest \(manifest.tokenizerDigest))"
                )
            }
            return (shards, manifest)
        }
    }

    /// The multiplier of the rolling hash (odd, so multiplication is invertible mod 2⁶⁴).
    static let base: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The hashes of every n-gram of `tokens`, in order (empty when it is shorter than n).
    static func hashes(_ tokens: ArraySlice<UInt32>, n: Int) -> [UInt64] {
        var result = [UInt64]()
        scan(tokens, n: n) { result.append($0) }
        return result
    }

    /// Calls `visit` with the hash of each n-gram of `tokens`: Σ mix(tᵢ)·baseⁿ⁻¹⁻ⁱ mod 2⁶⁴ over the
    /// window, updated in O(1) per token.
    static func scan(_ tokens: ArraySlice<UInt32>, n: Int, _ visit: (UInt64) -> Void) {
        guard n >= 1, tokens.count >= n else { return }
        var top: UInt64 = 1
        for _ in 1..<n { top &*= base }
        tokens.withUnsafeBufferPointer { buffer in
            var hash: UInt64 = 0
            for index in 0..<buffer.count {
                if index >= n { hash &-= StableHash.mix(UInt64(buffer[index - n])) &* top }
                hash = hash &* base &+ StableHash.mix(UInt64(buffer[index]))
                if index >= n - 1 { visit(hash) }
            }
        }
    }
}
