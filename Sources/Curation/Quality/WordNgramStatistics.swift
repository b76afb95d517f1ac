import FactoryCore

/// Repetition statistics over the word n-grams of a text (Gopher's repetition rules), from the
/// hashes and character lengths of its words.
struct WordNgramStatistics {
    private let hashes: [UInt64]
    /// `prefixLength[i]` is the number of characters in words `0..<i`.
    private let prefixLength: [Int]

    /// - Parameters:
    ///   - hashes: one 64-bit hash per word, in text order.
    ///   - lengths: the words' lengths in characters.
    init(hashes: [UInt64], lengths: [Int]) {
        precondition(hashes.count == lengths.count, "one length per word")
        self.hashes = hashes
        var prefix = [0]
        prefix.reserveCapacity(lengths.count + 1)
        for length in lengths { prefix.append(prefix.last! + length) }
        prefixLength = prefix
    }

    private var totalCharacters: Int { prefixLength.last! }

    /// The characters of the most frequent n-gram times its number of occurrences, divided by the
    /// characters of all words. Among n-grams with the highest count, the longest counts.
    func topCharacterFraction(n: Int) -> Double {
        guard hashes.count >= n, totalCharacters > 0 else { return 0 }
        let ngrams = ngramHashes(n: n)
        var counts = [UInt64: Int](minimumCapacity: ngrams.count)
        for ngram in ngrams { counts[ngram, default: 0] += 1 }
        var best = (count: 0, characters: 0)
        for (start, ngram) in ngrams.enumerated() {
            let candidate = (count: counts[ngram]!, characters: prefixLength[start + n] - prefixLength[start])
            if candidate > best { best = candidate }
        }
        return Double(best.count * best.characters) / Double(totalCharacters)
    }

    /// The characters of the words covered by n-grams that occur more than once (each word
    /// counted once), divided by the characters of all words.
    func duplicateCharacterFraction(n: Int) -> Double {
        guard hashes.count >= n, totalCharacters > 0 else { return 0 }
        let ngrams = ngramHashes(n: n)
        var counts = [UInt64: Int](minimumCapacity: ngrams.count)
        for ngram in ngrams { counts[ngram, default: 0] += 1 }
        var covered = 0
        var coveredUpTo = 0
        for (start, ngram) in ngrams.enumerated() where counts[ngram]! > 1 {
            let from = max(start, coveredUpTo)
            covered += prefixLength[start + n] - prefixLength[from]
            coveredUpTo = start + n
        }
        return Double(covered) / Double(totalCharacters)
    }

    /// The hash of every n-gram, by start position: a polynomial rolling hash of the word hashes
    /// (base an odd constant, modulo 2^64), finished with the SplitMix64 mixer.
    private func ngramHashes(n: Int) -> [UInt64] {
        let base: UInt64 = 0x9E37_79B9_7F4A_7C15
        var power: UInt64 = 1
        for _ in 1..<max(n, 1) { power = power &* base }
        var rolling: UInt64 = 0
        for word in hashes[0..<n] { rolling = rolling &* base &+ word }
        var result = [UInt64]()
        result.reserveCapacity(hashes.count - n + 1)
        result.append(StableHash.mix(rolling))
        for start in 1..<(hashes.count - n + 1) {
            rolling = (rolling &- hashes[start - 1] &* power) &* base &+ hashes[start + n - 1]
            result.append(StableHash.mix(rolling))
        }
        return result
    }
}
