import FactoryCore
import Foundation

/// A task file as the suites write it, in the task-file format of `Sources/Evaluation/Tasks/`
/// (JSON Lines: line 1 `{"header": {…}}`, then one document per line, keys sorted, so the same
/// task gives the same bytes).
struct SuiteTask: Sendable {
    /// The header line's fields.
    struct Header: Encodable, Sendable {
        var name: String
        var kind: String
        var capability: String
        var metric: String
        var license: String
        var source: String
        var chance: Double
        var description: String
        var provenance: [String: JSONValue]
    }

    /// One document of one of the three kinds.
    enum Document: Encodable, Sendable {
        /// `context`, `choices`, `gold` (index into `choices`).
        case multipleChoice(id: String, context: String, choices: [String], gold: Int)
        /// `prompt`, `answer`, `stop`, `max_tokens`.
        case exactMatch(id: String, prompt: String, answer: String, stop: [String], maxTokens: Int)
        /// `prompt` (a def line and docstring), `test` (asserts), `entry_point`.
        case code(id: String, prompt: String, test: String, entryPoint: String)

        private enum Keys: String, CodingKey {
            case id, context, choices, gold, prompt, answer, stop, test
            case maxTokens = "max_tokens"
            case entryPoint = "entry_point"
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            switch self {
            case .multipleChoice(let id, let context, let choices, let gold):
                try container.encode(id, forKey: .id)
                try container.encode(context, forKey: .context)
                try container.encode(choices, forKey: .choices)
                try container.encode(gold, forKey: .gold)
            case .exactMatch(let id, let prompt, let answer, let stop, let maxTokens):
                try container.encode(id, forKey: .id)
                try container.encode(prompt, forKey: .prompt)
                try container.encode(answer, forKey: .answer)
                try container.encode(stop, forKey: .stop)
                try container.encode(maxTokens, forKey: .maxTokens)
            case .code(let id, let prompt, let test, let entryPoint):
                try container.encode(id, forKey: .id)
                try container.encode(prompt, forKey: .prompt)
                try container.encode(test, forKey: .test)
                try container.encode(entryPoint, forKey: .entryPoint)
            }
        }

        /// The number of choices of a multiple-choice document; `nil` for the other kinds.
        var choiceCount: Int? {
            if case .multipleChoice(_, _, let choices, _) = self { return choices.count }
            return nil
        }
    }

    var header: Header
    var documents: [Document]

    /// The file name in a task folder: `NAME.jsonl`.
    var fileName: String { "\(header.name).jsonl" }

    /// The score a uniform guesser gets: the mean of 1/choices for multiple choice, 0 otherwise.
    static func chance(of documents: [Document]) -> Double {
        let counts = documents.compactMap(\.choiceCount)
        guard !counts.isEmpty, counts.count == documents.count else { return 0 }
        return counts.reduce(0.0) { $0 + 1 / Double($1) } / Double(counts.count)
    }

    /// The file's bytes: the header line, then one line per document.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        func line<T: Encodable>(_ value: T) throws {
            do {
                data += try encoder.encode(value)
            } catch {
                throw FactoryError.invalidArgument(name: "task \(header.name)", message: "cannot encode as JSON: \(error)")
            }
            data += Data("\n".utf8)
        }
        try line(["header": header])
        for document in documents { try line(document) }
        return data
    }

    /// Writes the file into `folder` atomically and returns its digest.
    func write(into folder: String) throws -> Digest {
        let bytes = try encoded()
        try AtomicFile.write(bytes, toPath: folder + "/" + fileName)
        return Digest.of(bytes)
    }
}
