import Testing

@testable import Curation

@Suite struct QualitySignalsTests {
    @Test func linesWordsAndRepetitionOfAHandMadeText() {
        let text = "The cat sat on the mat.\n- item one\n- item two\nWait for it...\nThe cat sat on the mat.\n"
        let signals = QualitySignals.compute(text)
        #expect(signals[.characterCount] == Double(text.unicodeScalars.count))
        #expect(signals[.lineCount] == 5)
        #expect(signals[.bulletLineFraction] == 2.0 / 5)
        #expect(signals[.ellipsisLineFraction] == 1.0 / 5)
        #expect(signals[.punctuationLineFraction] == 3.0 / 5)
        #expect(signals[.shortLineFraction] == 1)
        #expect(signals[.duplicateLineFraction] == 1.0 / 5)
        #expect(signals[.duplicateLineCharacterFraction] == 23.0 / 80)
        #expect(signals[.duplicateParagraphFraction] == 0)
        // 19 words ("-" alone is punctuation), 57 word characters.
        #expect(signals[.wordCount] == 19)
        #expect(signals[.meanWordLength] == 57.0 / 19)
        #expect(signals[.symbolWordRatio] == 1.0 / 19)
        #expect(signals[.alphabeticWordFraction] == 1)
        #expect(signals[.stopWordCount] == 4)
        #expect(signals[.uniqueWordFraction] == 11.0 / 19)
        // "the cat" (6 characters) occurs twice; the 6-gram "the cat sat on the mat" (17) too.
        #expect(signals[.top2gramCharacterFraction] == 12.0 / 57)
        #expect(signals[.duplicate5gramCharacterFraction] == 34.0 / 57)
        #expect(signals[.duplicate6gramCharacterFraction] == 34.0 / 57)
        #expect(signals[.duplicate7gramCharacterFraction] == 0)
        #expect(signals[.duplicate10gramCharacterFraction] == 0)
        #expect(signals[.boilerplateLineFraction] == 0)
    }

    @Test func encodingAndMarkupShares() {
        // "Café" as UTF-8 read as Latin-1 is "CafÃ©": a mojibake pair.
        let text = "Caf\u{C3}\u{A9} <b>bold</b> &amp; \u{FFFD}"
        let signals = QualitySignals.compute(text)
        let scalars = Double(text.unicodeScalars.count)
        #expect(signals[.characterCount] == scalars)
        #expect(signals[.mojibakeFraction] == 2 / scalars)
        #expect(signals[.replacementCharacterFraction] == 1 / scalars)
        #expect(signals[.nonASCIIFraction] == 3 / scalars)
        #expect(signals[.markupFraction] == 12 / Double(text.utf8.count))
        #expect(signals[.uppercaseFraction] == 1.0 / 12)
        #expect(signals[.digitFraction] == 0)
        let smartQuote = QualitySignals.compute("it\u{E2}\u{20AC}\u{2122}s")  // ’ as Windows-1252: â€™
        #expect(smartQuote[.mojibakeFraction] == 2.0 / 6)
    }

    @Test func paragraphsBoilerplateAndDigits() {
        let paragraphs = QualitySignals.compute("Para one.\n\nPara two.\n  \nPara one.\n")
        #expect(paragraphs[.duplicateParagraphFraction] == 1.0 / 3)
        #expect(paragraphs[.duplicateParagraphCharacterFraction] == 1.0 / 3)
        let banner = QualitySignals.compute("This site uses COOKIES to track you\nReal text follows here.\nSign Up now")
        #expect(banner[.boilerplateLineFraction] == 2.0 / 3)
        let numbers = QualitySignals.compute("ab 12 # 34")
        #expect(numbers[.digitFraction] == 4.0 / 10)
        #expect(numbers[.alphabeticWordFraction] == 1.0 / 3)
        #expect(numbers[.symbolWordRatio] == 1.0 / 3)
    }

    @Test func emptyTextHasZeroSignals() {
        #expect(QualitySignals.compute("") == QualitySignalValues())
        var whitespace = QualitySignalValues()
        whitespace[.characterCount] = 5
        #expect(QualitySignals.compute(" \n\n \t") == whitespace)
    }

    @Test func signalNamesRoundTrip() {
        for signal in QualitySignal.allCases {
            #expect(QualitySignal(name: signal.rawValue) == signal)
            #expect(QualitySignal.allCases[signal.index] == signal)
        }
        #expect(QualitySignal(name: "word_cuont") == nil)
    }
}
