import FactoryCore

/// Computes every ``QualitySignal`` of a text in a few passes over its UTF-8 bytes.
///
/// The definitions (words, lines, paragraphs, characters) are those documented on
/// ``QualitySignal``. The computation is a pure function of the text.
enum QualitySignals {
    /// The signals of `text`.
    static func compute(_ text: String) -> QualitySignalValues {
        var copy = text
        return copy.withUTF8 { compute(utf8: $0) }
    }

    /// The signals of UTF-8 text.
    static func compute(utf8 bytes: UnsafeBufferPointer<UInt8>) -> QualitySignalValues {
        var signals = QualitySignalValues()
        let characters = scanCharacters(bytes, into: &signals)
        scanLines(bytes, into: &signals)
        scanParagraphs(bytes, into: &signals)
        scanWords(bytes, characters: characters, into: &signals)
        return signals
    }

    // MARK: - Characters

    /// Character-level shares; returns the character (scalar) count.
    private static func scanCharacters(_ bytes: UnsafeBufferPointer<UInt8>, into signals: inout QualitySignalValues) -> Int {
        var scalars = 0
        var nonASCII = 0
        var digits = 0
        var letters = 0
        var uppercase = 0
        var replacement = 0
        var mojibake = 0
        var markupBytes = 0
        var symbols = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte & 0xC0 != 0x80 { scalars += 1 }
            if byte >= 0xC0 { nonASCII += 1 }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                letters += 1
                uppercase += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"): letters += 1
            case UInt8(ascii: "#"): symbols += 1
            case UInt8(ascii: "."):
                if index + 2 < count, bytes[index + 1] == UInt8(ascii: "."), bytes[index + 2] == UInt8(ascii: ".") {
                    symbols += 1
                    index += 3
                    scalars += 2
                    continue
                }
            case UInt8(ascii: "<"):
                let length = tagLength(bytes, at: index)
                if length > 0 {
                    markupBytes += length
                    for offset in 1..<length where bytes[index + offset] & 0xC0 != 0x80 { scalars += 1 }
                    for offset in 1..<length where bytes[index + offset] >= 0xC0 { nonASCII += 1 }
                    countASCIIClasses(bytes, from: index + 1, to: index + length, digits: &digits, letters: &letters, uppercase: &uppercase)
                    index += length
                    continue
                }
            case UInt8(ascii: "&"):
                let length = entityLength(bytes, at: index)
                if length > 0 {
                    markupBytes += length
                    scalars += length - 1
                    countASCIIClasses(bytes, from: index + 1, to: index + length, digits: &digits, letters: &letters, uppercase: &uppercase)
                    index += length
                    continue
                }
            case 0xEF:
                if index + 2 < count, bytes[index + 1] == 0xBF, bytes[index + 2] == 0xBD { replacement += 1 }
            case 0xE2:
                if index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA6 { symbols += 1 }
            case 0xC3:
                // Ã (C3 83) or Â (C3 82) then U+0080–U+00BF (C2 80–BF); â (C3 A2) then € (E2 82 AC).
                if index + 3 < count {
                    let second = bytes[index + 1]
                    let third = bytes[index + 2]
                    let fourth = bytes[index + 3]
                    if (second == 0x83 || second == 0x82) && third == 0xC2 && (0x80...0xBF).contains(fourth) {
                        mojibake += 2
                    } else if second == 0xA2 && third == 0xE2 && fourth == 0x82 && index + 4 < count && bytes[index + 4] == 0xAC {
                        mojibake += 2
                    }
                }
            default:
                break
            }
            index += 1
        }
        signals[.characterCount] = Double(scalars)
        signals[.digitFraction] = ratio(digits, scalars)
        signals[.uppercaseFraction] = ratio(uppercase, letters)
        signals[.nonASCIIFraction] = ratio(nonASCII, scalars)
        signals[.replacementCharacterFraction] = ratio(replacement, scalars)
        signals[.mojibakeFraction] = ratio(mojibake, scalars)
        signals[.markupFraction] = ratio(markupBytes, count)
        signals[.symbolWordRatio] = Double(symbols)  // divided by the word count in scanWords
        return scalars
    }

    private static func countASCIIClasses(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, digits: inout Int, letters: inout Int, uppercase: inout Int
    ) {
        for index in start..<end {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                letters += 1
                uppercase += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"): letters += 1
            default: break
            }
        }
    }

    /// The length of an HTML/XML tag starting at `start` (`<`, optional `/` or `!`, a letter, then
    /// up to 256 bytes without `<`, `>` or a newline, then `>`), or 0.
    static func tagLength(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int {
        var index = start + 1
        guard index < bytes.count else { return 0 }
        if bytes[index] == UInt8(ascii: "/") || bytes[index] == UInt8(ascii: "!") { index += 1 }
        guard index < bytes.count, isASCIILetter(bytes[index]) else { return 0 }
        let limit = min(bytes.count, index + 256)
        while index < limit {
            switch bytes[index] {
            case UInt8(ascii: ">"): return index + 1 - start
            case UInt8(ascii: "<"), 0x0A: return 0
            default: index += 1
            }
        }
        return 0
    }

    /// The length of a character reference starting at `start` (`&name;` with 2–8 letters or
    /// `&#digits;` with 1–7 digits), or 0.
    static func entityLength(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int {
        var index = start + 1
        let numeric = index < bytes.count && bytes[index] == UInt8(ascii: "#")
        if numeric { index += 1 }
        let bodyStart = index
        while index < bytes.count, index - bodyStart < 9,
            numeric ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) : isASCIILetter(bytes[index])
        {
            index += 1
        }
        let bodyLength = index - bodyStart
        guard index < bytes.count, bytes[index] == UInt8(ascii: ";"),
            numeric ? (1...7).contains(bodyLength) : (2...8).contains(bodyLength)
        else { return 0 }
        return index + 1 - start
    }

    // MARK: - Lines

    private static func scanLines(_ bytes: UnsafeBufferPointer<UInt8>, into signals: inout QualitySignalValues) {
        var lines = 0
        var bullets = 0
        var ellipses = 0
        var punctuated = 0
        var short = 0
        var boilerplate = 0
        var duplicates = 0
        var duplicateCharacters = 0
        var lineCharacters = 0
        var seen = Set<UInt64>()
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let (from, to) = trimmed(bytes, start, end)
            if from < to {
                let line = UnsafeBufferPointer(rebasing: bytes[from..<to])
                let characters = scalarCount(line)
                lines += 1
                lineCharacters += characters
                if startsWithBullet(line) { bullets += 1 }
                if endsWithEllipsis(line) { ellipses += 1 }
                if endsWithTerminalPunctuation(line) { punctuated += 1 }
                if characters < 30 { short += 1 }
                if BoilerplatePhrases.contains(line) { boilerplate += 1 }
                if !seen.insert(hash(line)).inserted {
                    duplicates += 1
                    duplicateCharacters += characters
                }
            }
            start = end + 1
        }
        signals[.lineCount] = Double(lines)
        signals[.bulletLineFraction] = ratio(bullets, lines)
        signals[.ellipsisLineFraction] = ratio(ellipses, lines)
        signals[.punctuationLineFraction] = ratio(punctuated, lines)
        signals[.shortLineFraction] = ratio(short, lines)
        signals[.boilerplateLineFraction] = ratio(boilerplate, lines)
        signals[.duplicateLineFraction] = ratio(duplicates, lines)
        signals[.duplicateLineCharacterFraction] = ratio(duplicateCharacters, lineCharacters)
    }

    private static func scanParagraphs(_ bytes: UnsafeBufferPointer<UInt8>, into signals: inout QualitySignalValues) {
        var paragraphs = 0
        var duplicates = 0
        var duplicateCharacters = 0
        var paragraphCharacters = 0
        var seen = Set<UInt64>()
        var paragraphStart = 0
        var lineStart = 0
        func close(_ end: Int) {
            let (from, to) = trimmed(bytes, paragraphStart, end)
            guard from < to else { return }
            let paragraph = UnsafeBufferPointer(rebasing: bytes[from..<to])
            let characters = scalarCount(paragraph)
            paragraphs += 1
            paragraphCharacters += characters
            if !seen.insert(hash(paragraph)).inserted {
                duplicates += 1
                duplicateCharacters += characters
            }
        }
        while lineStart <= bytes.count {
            var end = lineStart
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let (from, to) = trimmed(bytes, lineStart, end)
            if from == to {  // a blank line ends the paragraph
                close(lineStart)
                paragraphStart = end + 1
            }
            lineStart = end + 1
        }
        close(bytes.count)
        signals[.duplicateParagraphFraction] = ratio(duplicates, paragraphs)
        signals[.duplicateParagraphCharacterFraction] = ratio(duplicateCharacters, paragraphCharacters)
    }

    // MARK: - Words

    private static let stopWordHashes: Set<UInt64> = Set(
        ["the", "be", "to", "of", "and", "that", "have", "with"].map { word in
            var copy = word
            return copy.withUTF8 { hash($0) }
        })

    private static func scanWords(
        _ bytes: UnsafeBufferPointer<UInt8>, characters: Int, into signals: inout QualitySignalValues
    ) {
        var wordHashes = [UInt64]()
        var wordLengths = [Int]()
        var alphabetic = 0
        var stopWords = 0
        var lowered = [UInt8]()
        var index = 0
        while index < bytes.count {
            while index < bytes.count, isASCIIWhitespace(bytes[index]) { index += 1 }
            var end = index
            while end < bytes.count, !isASCIIWhitespace(bytes[end]) { end += 1 }
            var from = index
            var to = end
            while from < to, isASCIIPunctuation(bytes[from]) { from += 1 }
            while to > from, isASCIIPunctuation(bytes[to - 1]) { to -= 1 }
            if from < to {
                lowered.removeAll(keepingCapacity: true)
                var hasLetter = false
                var length = 0
                for position in from..<to {
                    var byte = bytes[position]
                    if byte & 0xC0 != 0x80 { length += 1 }
                    if isASCIILetter(byte) || byte >= 0xC0 { hasLetter = true }
                    if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) { byte += 32 }
                    lowered.append(byte)
                }
                let wordHash = lowered.withUnsafeBufferPointer { hash($0) }
                if hasLetter { alphabetic += 1 }
                if stopWordHashes.contains(wordHash) { stopWords += 1 }
                wordHashes.append(wordHash)
                wordLengths.append(length)
            }
            index = end
        }
        let words = wordHashes.count
        let wordCharacters = wordLengths.reduce(0, +)
        signals[.wordCount] = Double(words)
        signals[.meanWordLength] = ratio(wordCharacters, words)
        signals[.symbolWordRatio] = words == 0 ? 0 : signals[.symbolWordRatio] / Double(words)
        signals[.alphabeticWordFraction] = ratio(alphabetic, words)
        signals[.stopWordCount] = Double(stopWords)
        signals[.uniqueWordFraction] = ratio(Set(wordHashes).count, words)
        let ngrams = WordNgramStatistics(hashes: wordHashes, lengths: wordLengths)
        signals[.top2gramCharacterFraction] = ngrams.topCharacterFraction(n: 2)
        signals[.top3gramCharacterFraction] = ngrams.topCharacterFraction(n: 3)
        signals[.top4gramCharacterFraction] = ngrams.topCharacterFraction(n: 4)
        let duplicateSignals: [QualitySignal] = [
            .duplicate5gramCharacterFraction, .duplicate6gramCharacterFraction, .duplicate7gramCharacterFraction,
            .duplicate8gramCharacterFraction, .duplicate9gramCharacterFraction, .duplicate10gramCharacterFraction,
        ]
        for (offset, signal) in duplicateSignals.enumerated() {
            let value = ngrams.duplicateCharacterFraction(n: 5 + offset)
            signals[signal] = value
            // A repeated n-gram contains a repeated 5-gram: no repeated 5-grams, no longer ones either.
            if value == 0 { break }
        }
    }

    // MARK: - Helpers

    static func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }

    /// FNV-1a over bytes, finished with the SplitMix64 mixer.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        StableHash.mix(StableHash.fnv1a(bytes))
    }

    private static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var from = start
        var to = end
        while from < to, isASCIIWhitespace(bytes[from]) { from += 1 }
        while to > from, isASCIIWhitespace(bytes[to - 1]) { to -= 1 }
        return (from, to)
    }

    private static func startsWithBullet(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        switch line[0] {
        case UInt8(ascii: "-"), UInt8(ascii: "*"): return true
        case 0xE2 where line.count >= 3:
            // • E2 80 A2, ‣ E2 80 A3, ⁃ E2 81 83, ◦ E2 97 A6, ● E2 97 8F
            let tail = (line[1], line[2])
            return tail == (0x80, 0xA2) || tail == (0x80, 0xA3) || tail == (0x81, 0x83) || tail == (0x97, 0xA6) || tail == (0x97, 0x8F)
        default: return false
        }
    }

    private static func endsWithEllipsis(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = line.count
        guard count >= 3 else { return false }
        return (line[count - 3], line[count - 2], line[count - 1]) == (0x2E, 0x2E, 0x2E)
            || (line[count - 3], line[count - 2], line[count - 1]) == (0xE2, 0x80, 0xA6)
    }

    private static func endsWithTerminalPunctuation(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = line.count
        switch line[count - 1] {
        case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: "\""), UInt8(ascii: "'"): return true
        default:
            guard count >= 3, line[count - 3] == 0xE2, line[count - 2] == 0x80 else { return false }
            // ” E2 80 9D, ’ E2 80 99, … E2 80 A6
            return line[count - 1] == 0x9D || line[count - 1] == 0x99 || line[count - 1] == 0xA6
        }
    }

    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    static func isASCIIPunctuation(_ byte: UInt8) -> Bool {
        (0x21...0x2F).contains(byte) || (0x3A...0x40).contains(byte) || (0x5B...0x60).contains(byte) || (0x7B...0x7E).contains(byte)
    }
}
