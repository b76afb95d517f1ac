import FactoryCore
import Foundation
import Testing

@testable import Evaluation

/// Multiple-choice scores against naive references: whole-sequence forward passes of a tiny
/// random model with the log-softmax of each continuation token summed by hand.
@Suite struct MultipleChoiceScoringTests {
    /// Documents whose contexts end in nothing, a space, a newline and several kinds of white
    /// space, with choices of different lengths in characters and bytes.
    static let documents = [
        MultipleChoiceDocument(id: "plain", context: "Question: is fire hot or cold?\nAnswer:", choices: ["hot", "cold", "tepid"], gold: 0),
        MultipleChoiceDocument(id: "space", context: "Question: is ice hot or cold? Answer: ", choices: ["hot", "cold"], gold: 1),
        MultipleChoiceDocument(id: "newline", context: "The capital of France is\n", choices: ["Paris", "Pâris", "a b c"], gold: 0),
        MultipleChoiceDocument(id: "mixed", context: "Two plus two is \t \n", choices: ["four", "4", "fünf"], gold: 0),
        MultipleChoiceDocument(
            id: "long", context: String(repeating: "def add(a, b): return a + b ", count: 4) + "=", choices: ["x", "yy"], gold: 1),
    ]

    /// The context's tokens and the continuation's, split by hand: trailing ASCII white space of
    /// the context moves to the continuation, then the continuation is what encoding the whole
    /// adds past the context's tokens.
    static func split(_ document: MultipleChoiceDocument, choice: Int) -> (context: [UInt32], continuation: [UInt32]) {
        var context = document.context
        var continuation = " " + document.choices[choice]
        while let last = context.last, " \t\n".contains(last) {
            continuation = String(last) + continuation
            context.removeLast()
        }
        let tokenizer = ScoringFixture.tokenizer
        let contextTokens = tokenizer.encode(context)
        return (contextTokens, Array(tokenizer.encode(context + continuation)[contextTokens.count...]))
    }

    static func task(_ documents: [MultipleChoiceDocument]) -> TaskFile {
        let chance = documents.reduce(0.0) { $0 + 1 / Double($1.choices.count) } / Double(documents.count)
        return TaskFile(
            header: ScoringFixture.header(.multipleChoice, name: "mc", capability: .commonSense, metric: "acc_norm", chance: chance),
            documents: .multipleChoice(documents))
    }

    func evaluate(_ documents: [MultipleChoiceDocument], maxPositions: Int = 4096, batch: Int) throws -> CapabilityResults {
        var settings = CapabilitySettings()
        settings.batch = batch
        settings.bootstrapResamples = 20
        return try CapabilityEvaluator(tasks: [Self.task(documents)], settings: settings).evaluate(
            model: try ScoringFixture.model(maxPositions: maxPositions), tokenizer: ScoringFixture.tokenizer, codeRunner: nil, pool: .serial)
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-4 * max(1, abs(b)) }

    @Test(arguments: [1, 3, 16])
    func logLikelihoodsAndHitsMatchTheNaiveReference(batch: Int) throws {
        let model = try ScoringFixture.model()
        let results = try evaluate(Self.documents, batch: batch)
        let task = try #require(results.tasks.first)
        #expect(task.perDocument.map(\.id) == Self.documents.map(\.id))
        var hits = (acc: 0.0, norm: 0.0, bytes: 0.0)
        for (document, result) in zip(Self.documents, task.perDocument) {
            let reference = try document.choices.indices.map { choice in
                let (context, continuation) = Self.split(document, choice: choice)
                return try ScoringFixture.referenceLogLikelihood(model, context: context, continuation: continuation)
            }
            let measured = try #require(result.loglikelihoods)
            #expect(zip(measured, reference).allSatisfy { Self.close($0, $1) }, "\(document.id): \(measured) vs \(reference)")
            func best(_ values: [Double]) -> Int { values.indices.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) }! }
            let acc = best(reference)
            let norm = best(zip(reference, document.choices).map { $0 / Double($1.unicodeScalars.count) })
            let bytes = best(zip(reference, document.choices).map { $0 / Double($1.utf8.count) })
            #expect(result.scores["acc"] == (acc == document.gold ? 1 : 0), "\(document.id)")
            #expect(result.scores["acc_norm"] == (norm == document.gold ? 1 : 0), "\(document.id)")
            #expect(result.scores["acc_bytes"] == (bytes == document.gold ? 1 : 0), "\(document.id)")
            hits.acc += acc == document.gold ? 1 : 0
            hits.norm += norm == document.gold ? 1 : 0
            hits.bytes += bytes == document.gold ? 1 : 0
        }
        let count = Double(Self.documents.count)
        #expect(task.metrics["acc"]?.value == hits.acc / count)
        #expect(task.metrics["acc_norm"]?.value == hits.norm / count)
        #expect(task.metrics["acc_bytes"]?.value == hits.bytes / count)
        #expect(task.chance == Self.task(Self.documents).header.chance)
    }

    @Test func theBatchSizeDoesNotChangeTheResultsBeyondRounding() throws {
        let one = try evaluate(Self.documents, batch: 1).tasks[0].perDocument
        let many = try evaluate(Self.documents, batch: 7).tasks[0].perDocument
        for (a, b) in zip(one, many) {
            #expect(zip(a.loglikelihoods!, b.loglikelihoods!).allSatisfy { Self.close($0, $1) })
            #expect(a.scores == b.scores)
        }
        #expect(try evaluate(Self.documents, batch: 7) == evaluate(Self.documents, batch: 7))
    }

    @Test func aSequenceLongerThanTheModelIsLeftTruncated() throws {
        let maxPositions = 12
        let model = try ScoringFixture.model(maxPositions: maxPositions)
        let document = Self.documents[4]
        let (context, _) = Self.split(document, choice: 0)
        #expect(context.count > maxPositions, "the document must not fit the model")
        let results = try evaluate([document], maxPositions: maxPositions, batch: 2)
        for choice in document.choices.indices {
            let (context, continuation) = Self.split(document, choice: choice)
            let reference = try ScoringFixture.referenceLogLikelihood(model, context: context, continuation: continuation)
            #expect(Self.close(results.tasks[0].perDocument[0].loglikelihoods![choice], reference))
        }
    }

    @Test func accAccNormAndAccBytesCanEachPickDifferently() {
        // "é" is 1 character and 2 bytes, "ab" 2 and 2: -1.2 beats -2.0 (acc picks 0); per
        // character -1.2 loses to -1.0 (acc_norm picks 1); per byte -0.6 beats -1.0 (acc_bytes 0).
        let predicted = MultipleChoiceScoring.predictions(loglikelihoods: [-1.2, -2.0], choices: ["é", "ab"])
        #expect(predicted == .init(acc: 0, accNorm: 1, accBytes: 0))
        // A short likely answer against a long one: acc takes the short, acc_norm the long.
        #expect(MultipleChoiceScoring.predictions(loglikelihoods: [-4, -6], choices: ["a", "abcdef"]) == .init(acc: 0, accNorm: 1, accBytes: 1))
        // Ties go to the first, as NumPy's argmax.
        #expect(MultipleChoiceScoring.predictions(loglikelihoods: [-3, -3, -3], choices: ["a", "b", "c"]) == .init(acc: 0, accNorm: 0, accBytes: 0))
    }

    @Test func trailingWhiteSpaceMovesToTheContinuationAsPythonsRstripSees() {
        typealias Encoding = ContinuationEncoding
        #expect(Encoding.movingTrailingWhiteSpace(context: "Answer:", continuation: " a") == ("Answer:", " a"))
        #expect(Encoding.movingTrailingWhiteSpace(context: "Answer: \n", continuation: " a") == ("Answer:", " \n a"))
        // U+00A0 and U+3000 are white space; so, for Python, is U+001F; U+200B is not.
        #expect(Encoding.movingTrailingWhiteSpace(context: "x\u{A0}\u{3000}\u{1F}", continuation: "y") == ("x", "\u{A0}\u{3000}\u{1F}y"))
        #expect(Encoding.movingTrailingWhiteSpace(context: "x\u{200B}", continuation: "y") == ("x\u{200B}", "y"))
        // A combining mark after a space keeps the space (code points, not characters).
        #expect(Encoding.movingTrailingWhiteSpace(context: "x \u{301}", continuation: "y") == ("x \u{301}", "y"))
    }

    @Test func aContextOfWhiteSpaceOnlyIsRefused() throws {
        let document = MultipleChoiceDocument(id: "blank", context: " \n", choices: ["a", "b"], gold: 0)
        #expect {
            try evaluate([document], batch: 1)
        } throws: { error in
            "\(error)".contains("task mc, document blank, choice 0") && "\(error)".contains("white space only")
        }
    }
}
