import Testing

@testable import Inference

/// Streaming split of generated text into reasoning and answer.
@Suite struct ReasoningSplitterTests {
    /// Feeds `pieces` one by one and returns the joined reasoning and answer, and each step's output.
    static func split(_ pieces: [String], startsInReasoning: Bool) -> (reasoning: String, content: String, steps: [(String, String)]) {
        var splitter = ReasoningSplitter(startsInReasoning: startsInReasoning)
        var steps: [(String, String)] = pieces.map { splitter.feed($0) }
        steps.append(splitter.finish())
        return (steps.map(\.0).joined(), steps.map(\.1).joined(), steps)
    }

    /// Every way of cutting `text` into two and three pieces gives the same split.
    static func everyCut(_ text: String, startsInReasoning: Bool) -> Set<[String]> {
        let characters = Array(text)
        var results = Set<[String]>()
        for i in 0...characters.count {
            for j in i...characters.count {
                let pieces = [String(characters[..<i]), String(characters[i..<j]), String(characters[j...])]
                let result = split(pieces, startsInReasoning: startsInReasoning)
                results.insert([result.reasoning, result.content])
            }
        }
        return results
    }

    @Test func splitsAtTheClosingMarkerWhateverTheChunking() {
        let text = "\nFirst, 2 + 2.\n\nThen 4.\n</think>\n\nThe answer is 4 </think> ok."
        #expect(Self.everyCut(text, startsInReasoning: true) == [["First, 2 + 2.\n\nThen 4.", "The answer is 4 </think> ok."]])
    }

    @Test func anOpeningMarkerStartsReasoningOnlyAtTheStart() {
        #expect(Self.everyCut("<think>\nhmm\n</think>\n\nyes", startsInReasoning: false) == [["hmm", "yes"]])
        #expect(Self.everyCut("no <think> here", startsInReasoning: false) == [["", "no <think> here"]])
        #expect(Self.everyCut("<thin", startsInReasoning: false) == [["", "<thin"]])
    }

    @Test func reasoningOffPassesTextThrough() {
        let result = Self.split(["Hello", " world\n", "\n"], startsInReasoning: false)
        #expect(result.reasoning == "" && result.content == "Hello world\n\n")
        #expect(result.steps[0] == ("", "Hello"))
    }

    @Test func holdsBackOnlyWhatMayBeAMarker() {
        var splitter = ReasoningSplitter(startsInReasoning: true)
        #expect(splitter.feed("abc</th") == ("abc", ""))
        #expect(splitter.feed("is is not it\n") == ("</this is not it", ""))
        #expect(splitter.feed("more") == ("\nmore", ""))
        #expect(splitter.feed("</think>") == ("", ""))
        #expect(splitter.feed("\n") == ("", ""))
        #expect(splitter.feed("\nanswer\n") == ("", "answer\n"))
        #expect(splitter.finish() == ("", ""))
    }

    @Test func unfinishedReasoningIsReturnedByFinish() {
        var splitter = ReasoningSplitter(startsInReasoning: true)
        #expect(splitter.feed("still thinking\n</thi") == ("still thinking", ""))
        #expect(splitter.finish() == ("\n</thi", ""))
        let multibyte = Self.split(["日本", "語 👋🏽\n</think>\n\nKäse"], startsInReasoning: true)
        #expect(multibyte.reasoning == "日本語 👋🏽" && multibyte.content == "Käse")
    }
}
