import Documents
import FactoryCore
import Foundation
import Shards
import Testing
import Tokenization

@testable import Evaluation

/// The contamination check on a constructed case: training shards holding one task document
/// verbatim, part of another, and nothing of a third; figures compared with a naive count.
@Suite struct ContaminationCheckTests {
    let fixture: SuiteFixture
    let tokenizer: Tokenizer

    init() throws {
        fixture = try SuiteFixture()
        var trainer = try BPETrainer(options: BPETrainer.Options(vocabularySize: 400))
        for text in Self.training + Self.tasks.map(\.context) { trainer.add(text) }
        tokenizer = try trainer.train()
    }

    static let tasks: [(id: String, context: String, gold: String)] = [
        ("copied", "Question: Which word means a small feline kept as a pet in many houses?\nAnswer:", "cat"),
        (
            "partial",
            "Question: Which word means a tool with a heavy metal head mounted at right angles at the end of a handle, used for driving nails?\nAnswer:",
            "hammer"
        ),
        ("clean", "Question: What is the opposite of the adjective that names a high temperature?\nAnswer:", "cold"),
    ]

    static let training = [
        "Some unrelated training text about rivers, mountains and the weather in spring.",
        tasks[0].context + " " + tasks[0].gold,
        "The carpenter picked up a tool with a heavy metal head mounted at right angles at the end of a handle, used for driving nails, and went to work.",
    ]

    private func writeTasks() throws -> String {
        let documents = Self.tasks.map { MultipleChoiceDocument(id: $0.id, context: $0.context, choices: [$0.gold, "dog"], gold: 0) }
        let task = TaskFile(
            header: TaskHeader(
                name: "constructed", kind: .multipleChoice, capability: .commonSense, metric: "acc", license: "CC0-1.0", source: "test",
                chance: 0.5, description: ""),
            documents: .multipleChoice(documents))
        let folder = fixture.root + "/tasks"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try task.write(to: folder + "/constructed.jsonl")
        return folder
    }

    private func writeShards() throws -> String {
        let documents = Self.training.enumerated().map {
            Document(id: "t\($0.offset)", text: $0.element, domain: "prose", source: "test", license: "CC0-1.0")
        }
        let file = fixture.root + "/train.jsonl"
        _ = try JSONLinesWriter.write(documents, toPath: file)
        let shards = fixture.root + "/shards"
        _ = try TokenShardSetWriter.write(documentFiles: [file], tokenizer: tokenizer, to: shards, options: .init())
        return shards
    }

    /// The naive figure: the share of the document's n-grams (as token arrays) that occur in
    /// some training document's token array.
    private func naiveOverlap(_ text: String, n: Int) -> Double {
        let tokens = tokenizer.encode(text, matchingAddedTokens: false)
        let training = Self.training.map { tokenizer.encode($0, matchingAddedTokens: false) }
        guard tokens.count >= n else { return 0 }
        var found = 0
        for start in 0...(tokens.count - n) {
            let gram = Array(tokens[start..<(start + n)])
            if training.contains(where: { document in
                document.count >= n && (0...(document.count - n)).contains { Array(document[$0..<($0 + n)]) == gram }
            }) {
                found += 1
            }
        }
        return Double(found) / Double(tokens.count - n + 1)
    }

    @Test func overlapMatchesANaiveCount() throws {
        let tasks = try writeTasks()
        let shards = try writeShards()
        for n in [8, 13] {
            let report = try ContaminationCheck(ngram: n).run(tasks: tasks, shards: shards, tokenizer: tokenizer, tokenizerPath: "t.json")
            let file = try #require(report.taskFiles.first)
            #expect(file.ngram == n)
            let overlaps = Dictionary(uniqueKeysWithValues: file.documents.map { ($0.id, $0.overlap) })
            #expect(overlaps["copied"] == 1)
            #expect(overlaps["clean"] == 0)
            let partial = try #require(overlaps["partial"])
            #expect(partial > 0 && partial < 1)
            for (id, context, gold) in Self.tasks {
                #expect(abs(overlaps[id]! - naiveOverlap(context + " " + gold, n: n)) < 1e-12, "\(id), n = \(n)")
            }
            #expect(file.documentsWithOverlap == 2)
            #expect(abs(file.meanOverlap - (1 + partial) / 3) < 1e-12)
            #expect(file.maxOverlap == 1)
            #expect(report.trainingDocuments == 3)
        }
    }

    @Test func perFileNFollowsGPT3() {
        #expect(ContaminationCheck.ngram(forLengths: Array(repeating: 40, count: 10)) == 13)
        #expect(ContaminationCheck.ngram(forLengths: [3] + Array(repeating: 40, count: 19)) == 8)
        #expect(ContaminationCheck.ngram(forLengths: [10] + Array(repeating: 40, count: 19)) == 10)
        #expect(ContaminationCheck.ngram(forLengths: [10, 11] + Array(repeating: 40, count: 38)) == 11)
    }

    @Test func rollingHashEqualsHashingEachWindow() {
        let tokens: [UInt32] = (0..<50).map { UInt32(($0 * 37) % 23) }
        for n in [1, 3, 8] {
            let rolled = ContaminationCheck.hashes(tokens[...], n: n)
            let direct = (0...(tokens.count - n)).map { ContaminationCheck.hashes(tokens[$0..<($0 + n)], n: n)[0] }
            #expect(rolled == direct)
        }
        #expect(ContaminationCheck.hashes(tokens[0..<5], n: 8).isEmpty)
    }

    @Test func badInputIsRefused() throws {
        let tasks = try writeTasks()
        let shards = try writeShards()
        var other = try BPETrainer(options: BPETrainer.Options(vocabularySize: 300))
        other.add("completely different text for another tokenizer")
        let wrong = try other.train()
        let error = #expect(throws: FactoryError.self) {
            try ContaminationCheck().run(tasks: tasks, shards: shards, tokenizer: wrong, tokenizerPath: "other.json")
        }
        #expect("\(error!)".contains("other.json") && "\(error!)".contains("tokenizer_digest"))
        #expect(throws: FactoryError.fileNotFound(path: fixture.root + "/none")) {
            try ContaminationCheck().run(tasks: tasks, shards: fixture.root + "/none", tokenizer: tokenizer, tokenizerPath: "t.json")
        }
        #expect(throws: FactoryError.self) {
            try ContaminationCheck().run(tasks: shards, shards: shards, tokenizer: tokenizer, tokenizerPath: "t.json")
        }
        try fixture.write(
            "broken/a.jsonl",
            "{\"header\": {\"name\": \"a\", \"kind\": \"multiple_choice\", \"capability\": \"stem\", \"metric\": \"acc\", "
                + "\"license\": \"l\", \"source\": \"s\", \"chance\": 0.5, \"description\": \"\", \"provenance\": {}}}\n"
                + "{\"id\": \"x\", \"context\": \"c\", \"choices\": [\"a\", \"b\"], \"gold\": 3}\n")
        let broken = #expect(throws: FactoryError.self) {
            try ContaminationCheck().run(tasks: fixture.root + "/broken", shards: shards, tokenizer: tokenizer, tokenizerPath: "t.json")
        }
        #expect("\(broken!)".contains("a.jsonl:2") && "\(broken!)".contains("gold"))
    }
}
