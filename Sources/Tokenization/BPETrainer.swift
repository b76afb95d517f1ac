import FactoryCore
import HeapModule

/// Learns a byte-level BPE tokenizer from text.
///
/// Feed text with ``add(_:)`` (pre-tokens are counted; the text itself is not kept), then call
/// ``train(progress:)``. Training starts from the 256 single-byte tokens (id = byte value) and
/// repeatedly merges the most frequent adjacent pair, counting each distinct pre-token once per
/// occurrence. Ties go to the pair with the smaller left id, then the smaller right id, so the
/// result depends only on the text fed and the options. After each merge only the pre-tokens that
/// contain the pair are re-counted (an index from pair to pre-tokens and a lazily updated
/// max-heap of pair counts), never the whole corpus. Added tokens (`ChatTokens.standard`, then
/// the options' extras) take the last ids.
public struct BPETrainer {
    /// What to train.
    public struct Options: Sendable {
        /// The added tokens every factory tokenizer has, in id order: the document separator,
        /// padding, and the chat format's message and reasoning delimiters (`ChatTokens`).
        static let standardSpecialTokens = ChatTokens.standard

        /// The vocabulary size to reach, special tokens included.
        public var vocabularySize: Int
        /// Special tokens, in id order (they follow the learned tokens).
        public var specialTokens: [String]
        /// How text is cut into pre-tokens.
        public var pattern: PreTokenizerPattern
        /// Training stops early when the most frequent pair occurs fewer times than this.
        public var minimumPairCount: Int

        /// Options; `extraSpecialTokens` follow the standard ones.
        public init(
            vocabularySize: Int, extraSpecialTokens: [String] = [], pattern: PreTokenizerPattern = .cl100k,
            minimumPairCount: Int = 2
        ) {
            self.vocabularySize = vocabularySize
            self.specialTokens = Self.standardSpecialTokens + extraSpecialTokens
            self.pattern = pattern
            self.minimumPairCount = minimumPairCount
        }
    }

    /// The options this trainer was made with.
    public let options: Options
    private let preTokenizer: PreTokenizer
    private var counts = BPEByteKeyTable(capacity: 1 << 16)
    /// Bytes of text fed so far.
    public private(set) var textBytes = 0

    /// A trainer; throws when the options cannot make a vocabulary.
    public init(options: Options) throws {
        let distinct = Set(options.specialTokens)
        guard distinct.count == options.specialTokens.count else {
            throw FactoryError.invalidArgument(name: "special tokens", message: "\(options.specialTokens) repeats a token")
        }
        guard !distinct.contains("") else {
            throw FactoryError.invalidArgument(name: "special tokens", message: "a special token is empty")
        }
        guard options.vocabularySize >= 256 + options.specialTokens.count else {
            throw FactoryError.invalidArgument(
                name: "vocabulary size",
                message: "\(options.vocabularySize) is below 256 byte tokens + \(options.specialTokens.count) special tokens")
        }
        guard options.vocabularySize <= Int(Tokenizer.largestTokenId) + 1 else {
            throw FactoryError.invalidArgument(
                name: "vocabulary size",
                message: "\(options.vocabularySize) is above \(Int(Tokenizer.largestTokenId) + 1), the most ids a tokenizer.json may use")
        }
        guard options.minimumPairCount >= 1 else {
            throw FactoryError.invalidArgument(name: "minimum pair count", message: "must be at least 1")
        }
        self.options = options
        self.preTokenizer = PreTokenizer(pattern: options.pattern)
    }

    /// Counts the pre-tokens of `text` (added tokens written in it are ordinary text here).
    public mutating func add(_ text: String) {
        var text = text
        textBytes += text.utf8.count
        text.withUTF8 { bytes in
            var start = 0
            while start < bytes.count {
                let end = preTokenizer.pieceEnd(in: bytes, from: start)
                counts.add(UnsafeBufferPointer(rebasing: bytes[start..<end]), amount: 1)
                start = end
            }
        }
    }

    /// Learns merges up to the vocabulary size and returns the tokenizer. `ignore_merges` is set,
    /// so that whole-vocabulary pre-tokens encode as tiktoken encodes them.
    public func train(progress: ProgressReporter? = nil) throws -> Tokenizer {
        var state = BPETrainingState(counts: counts)
        let learnedTokens = options.vocabularySize - options.specialTokens.count
        while state.tokenBytes.count < learnedTokens, state.mergeNext(minimumCount: options.minimumPairCount) {
            progress?.advance()
        }
        progress?.finish()
        var vocabulary: [String?] = state.tokenBytes.map { ByteLevel.encode($0) }
        var added = [TokenizerAddedToken]()
        for content in options.specialTokens {
            let special = !ChatTokens.nonSpecial.contains(content)
            added.append(TokenizerAddedToken(id: UInt32(vocabulary.count), content: content, special: special, normalized: false))
            vocabulary.append(content)
        }
        return try Tokenizer(
            pattern: options.pattern, vocabulary: vocabulary, merges: state.merges, addedTokens: added,
            ignoreMerges: true, unknownToken: nil, fuseUnknown: false, source: "trained tokenizer")
    }
}

/// The mutable state of one training run: distinct pre-tokens as symbol lists, pair counts, the
/// pair → pre-token index and the heap of candidate pairs.
private struct BPETrainingState {
    var words: [[UInt32]] = []
    var wordCounts: [Int] = []
    var pairCounts: [UInt64: Int] = [:]
    var pairWords: [UInt64: [Int32]] = [:]
    var heap = Heap<BPEPairCandidate>()
    var tokenBytes: [[UInt8]] = (0..<256).map { [UInt8($0)] }
    var idsByBytes: [[UInt8]: UInt32] = [:]
    var merges: [BPEMerge] = []
    /// The merge step at which each word was last rewritten (to skip repeats in an index list).
    var lastVisit: [Int] = []

    init(counts: BPEByteKeyTable) {
        for byte in 0..<256 { idsByBytes[[UInt8(byte)]] = UInt32(byte) }
        for entry in 0..<counts.count {
            let symbols = counts.key(entry).map { UInt32($0) }
            let count = Int(counts.values[entry])
            let word = Int32(words.count)
            words.append(symbols)
            wordCounts.append(count)
            for index in 0..<(max(symbols.count, 1) - 1) {
                let key = BPEMerge(left: symbols[index], right: symbols[index + 1]).key
                pairCounts[key, default: 0] += count
                if pairWords[key]?.last != word { pairWords[key, default: []].append(word) }
            }
        }
        lastVisit = Array(repeating: -1, count: words.count)
        for (key, count) in pairCounts { heap.insert(BPEPairCandidate(count: count, key: key)) }
    }

    /// Performs the best merge; false when no pair occurs at least `minimumCount` times.
    mutating func mergeNext(minimumCount: Int) -> Bool {
        while let top = heap.popMin() {
            let current = pairCounts[top.key] ?? 0
            guard current == top.count else {
                if current > 0 { heap.insert(BPEPairCandidate(count: current, key: top.key)) }
                continue
            }
            guard current >= minimumCount else { return false }
            apply(pairKey: top.key)
            return true
        }
        return false
    }

    private mutating func apply(pairKey: UInt64) {
        let left = UInt32(pairKey >> 32)
        let right = UInt32(pairKey & 0xFFFF_FFFF)
        let bytes = tokenBytes[Int(left)] + tokenBytes[Int(right)]
        let merged: UInt32
        if let existing = idsByBytes[bytes] {
            merged = existing
        } else {
            merged = UInt32(tokenBytes.count)
            tokenBytes.append(bytes)
            idsByBytes[bytes] = merged
        }
        let step = merges.count
        merges.append(BPEMerge(left: left, right: right))
        var deltas = [UInt64: Int]()
        for word in pairWords.removeValue(forKey: pairKey) ?? [] where lastVisit[Int(word)] != step {
            lastVisit[Int(word)] = step
            rewrite(word: Int(word), left: left, right: right, merged: merged, deltas: &deltas)
        }
        for (key, delta) in deltas where delta != 0 {
            let updated = pairCounts[key, default: 0] + delta
            if updated > 0 { pairCounts[key] = updated } else { pairCounts[key] = nil }
            if delta > 0 { heap.insert(BPEPairCandidate(count: updated, key: key)) }
        }
    }

    /// Replaces every non-overlapping `left right` (scanning left to right) in one word and
    /// records how its pair counts change.
    private mutating func rewrite(word: Int, left: UInt32, right: UInt32, merged: UInt32, deltas: inout [UInt64: Int]) {
        let old = words[word]
        guard old.count > 1 else { return }
        var symbols = [UInt32]()
        symbols.reserveCapacity(old.count)
        var index = 0
        while index < old.count {
            if index + 1 < old.count && old[index] == left && old[index + 1] == right {
                symbols.append(merged)
                index += 2
            } else {
                symbols.append(old[index])
                index += 1
            }
        }
        guard symbols.count != old.count else { return }
        let count = wordCounts[word]
        for index in 0..<(old.count - 1) {
            deltas[BPEMerge(left: old[index], right: old[index + 1]).key, default: 0] -= count
        }
        let wordIndex = Int32(word)
        for index in 0..<(max(symbols.count, 1) - 1) {
            let key = BPEMerge(left: symbols[index], right: symbols[index + 1]).key
            deltas[key, default: 0] += count
            if symbols[index] == merged || symbols[index + 1] == merged,
                pairWords[key]?.last != wordIndex
            {
                pairWords[key, default: []].append(wordIndex)
            }
        }
        words[word] = symbols
    }
}

/// A candidate merge in the trainer's heap, ordered so that the heap's minimum is the pair with
/// the highest count, then the smaller pair key (left id, then right id): ties break the same way
/// on every run.
private struct BPEPairCandidate: Comparable {
    let count: Int
    let key: UInt64

    static func < (a: BPEPairCandidate, b: BPEPairCandidate) -> Bool {
        a.count != b.count ? a.count > b.count : a.key < b.key
    }
}
