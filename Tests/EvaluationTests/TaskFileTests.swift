import FactoryCore
import Foundation
import Testing

@testable import Evaluation

/// Task files: every kind round-trips through write and read, and every malformed input is
/// refused with the file, the line and the field.
@Suite struct TaskFileTests {
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "task-file-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    static func header(_ kind: TaskKind, name: String = "t", metric: String? = nil, chance: Double = 0) -> TaskHeader {
        let metrics: [TaskKind: String] = [.multipleChoice: "acc_norm", .exactMatch: "exact_match", .code: "pass@1"]
        return TaskHeader(
            name: name, kind: kind, capability: kind == .code ? .code : .math, metric: metric ?? metrics[kind]!, license: "GPL-2+",
            source: "generator", chance: chance, description: "a test task",
            provenance: .object(["seed": .integer(7), "packages": .array([.string("maxima")])]))
    }

    static let multipleChoice = TaskFile(
        header: header(.multipleChoice, chance: (1.0 / 2 + 1.0 / 3) / 2),
        documents: .multipleChoice([
            MultipleChoiceDocument(id: "a", context: "Question: hot?\nAnswer:", choices: ["cold", "warm"], gold: 0),
            MultipleChoiceDocument(id: "b", context: "Ünïcode \"quotes\" and\ttabs ", choices: ["x", "é", "日本"], gold: 2),
        ]))
    static let exactMatch = TaskFile(
        header: header(.exactMatch),
        documents: .exactMatch([
            ExactMatchDocument(id: "1", prompt: "2 + 2 =", answer: "4", stop: ["\n"], maxTokens: 4),
            ExactMatchDocument(id: "2", prompt: "3 + 3 =", answer: "6", stop: []),
        ]))
    static let code = TaskFile(
        header: header(.code),
        documents: .code([
            CodeDocument(id: "add", prompt: "def add(a, b):\n    \"\"\"Sum.\"\"\"\n", test: "assert add(1, 2) == 3\n", entryPoint: "add"),
            CodeDocument(id: "one", prompt: "def one():\n", test: "assert one() == 1\n"),
        ]))

    @Test(arguments: [multipleChoice, exactMatch, code])
    func everyKindRoundTrips(_ task: TaskFile) throws {
        let path = folder + "/task.jsonl"
        try task.write(to: path)
        let read = try TaskFile.read(path: path)
        #expect(read == task)
        #expect(try read.encoded() == Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// Writes `lines` (joined by newlines) and returns the error reading them gives.
    func failure(_ lines: [String], name: String = "bad.jsonl") throws -> String {
        let path = folder + "/" + name
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try TaskFile.read(path: path)
            return "no error"
        } catch {
            return "\(error)".replacingOccurrences(of: folder + "/", with: "")
        }
    }

    static var mcFields: [String: Any] {
        [
            "name": "t", "kind": "multiple_choice", "capability": "common_sense", "metric": "acc", "license": "l", "source": "s",
            "chance": 0.5, "description": "", "provenance": [String: Any](),
        ]
    }
    static let mcHeader = headerWith([:])
    static let mcDocument = #"{"id": "a", "context": "c", "choices": ["x", "y"], "gold": 1}"#

    /// The multiple-choice header line with `changes` applied (`NSNull()` removes a field).
    static func headerWith(_ changes: [String: Any]) -> String {
        var fields = mcFields
        for (key, value) in changes { fields[key] = value is NSNull ? nil : value }
        let data = try! JSONSerialization.data(withJSONObject: ["header": fields], options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    @Test(arguments: [
        ([mcHeader], "bad.jsonl: has a header but no documents"),
        (["{\"header\": 3}", mcDocument], "bad.jsonl:1: key 'header': expected a JSON object"),
        (["[1, 2]", mcDocument], "bad.jsonl:1: expected a JSON object"),
        (["{\"header\": {", mcDocument], "bad.jsonl:1: key 'header': invalid JSON at byte 12: expected a quoted key"),
        ([headerWith(["kind": "essay"]), mcDocument], "bad.jsonl:1: key 'header.kind': 'essay' is not one of multiple_choice, exact_match, code"),
        (
            [headerWith(["capability": "art"]), mcDocument],
            "bad.jsonl:1: key 'header.capability': 'art' is not one of code, math, stem, common_sense"
        ),
        (
            [headerWith(["metric": "exact_match"]), mcDocument],
            "bad.jsonl:1: key 'header.metric': 'exact_match' is not a metric of multiple_choice tasks"
        ),
        ([headerWith(["name": "a b"]), mcDocument], "bad.jsonl:1: key 'header.name': 'a b' must be 1 to 128 ASCII letters"),
        ([headerWith(["chance": 1.5]), mcDocument], "bad.jsonl:1: key 'header.chance': must be between 0.0 and 1.0, got 1.5"),
        ([headerWith(["chance": 0.25]), mcDocument], "bad.jsonl:1: key 'header.chance': is 0.25, expected 0.5 (the mean of 1 / choices"),
        ([headerWith(["license": 7]), mcDocument], "bad.jsonl:1: key 'header.license': expected a string"),
        ([headerWith(["provenance": [Int]()]), mcDocument], "bad.jsonl:1: key 'header.provenance': expected a JSON object"),
        ([headerWith(["source": NSNull()]), mcDocument], "bad.jsonl:1: key 'header.source': missing"),
        ([headerWith(["source": NSNull(), "origin": "s"]), mcDocument], "bad.jsonl:1: key 'header.origin': unknown field"),
        ([mcHeader, mcDocument, "", mcDocument], "bad.jsonl:3: empty line"),
        (
            [mcHeader, #"{"id": "a", "context": "c", "choices": ["x"], "gold": 0}"#],
            "bad.jsonl:2: key 'choices': must hold at least 2 strings, got 1"
        ),
        ([mcHeader, #"{"id": "a", "context": "c", "choices": ["x", 2], "gold": 0}"#], "bad.jsonl:2: key 'choices[1]': expected a string"),
        ([mcHeader, #"{"id": "a", "context": "c", "choices": ["x", ""], "gold": 0}"#], "bad.jsonl:2: key 'choices[1]': must not be empty"),
        ([mcHeader, #"{"id": "a", "context": "c", "choices": ["x", "y"], "gold": 2}"#], "bad.jsonl:2: key 'gold': must be between 0 and 1, got 2"),
        ([mcHeader, #"{"id": "a", "context": "c", "choices": ["x", "y"], "gold": 1.0}"#], "bad.jsonl:2: key 'gold': expected an integer"),
        ([mcHeader, #"{"id": "a", "context": "", "choices": ["x", "y"], "gold": 1}"#], "bad.jsonl:2: key 'context': must not be empty"),
        ([mcHeader, #"{"id": "a", "choices": ["x", "y"], "gold": 1}"#], "bad.jsonl:2: key 'context': missing"),
        ([mcHeader, #"{"id": "a", "context": "c", "choices": ["x", "y"], "gold": 1, "answer": 1}"#], "bad.jsonl:2: key 'answer': unknown field"),
        ([mcHeader, mcDocument, mcDocument], "bad.jsonl:3: key 'id': 'a' is also the id of line 2"),
        ([mcHeader, #"{"id": "a", "context": "c", "choices": ["x", "y"], "gold": 1"#], "bad.jsonl:2: invalid JSON at byte"),
    ])
    func malformedMultipleChoiceFilesAreRefusedByLineAndField(lines: [String], message: String) throws {
        let error = try failure(lines)
        #expect(error.hasPrefix(message), "\(error)")
    }

    static let emHeader =
        #"{"header": {"name": "m", "kind": "exact_match", "capability": "math", "metric": "exact_match", "license": "l", "source": "s", "chance": 0, "description": "", "provenance": {}}}"#
    static let codeHeader =
        #"{"header": {"name": "c", "kind": "code", "capability": "code", "metric": "pass@1", "license": "l", "source": "s", "chance": 0, "description": "", "provenance": {}}}"#

    @Test(arguments: [
        ([emHeader, #"{"id": "1", "prompt": "p", "answer": "a"}"#], "bad.jsonl:2: key 'stop': missing"),
        ([emHeader, #"{"id": "1", "prompt": "p", "answer": "a", "stop": [""]}"#], "bad.jsonl:2: key 'stop[0]': must not be empty"),
        (
            [emHeader, #"{"id": "1", "prompt": "p", "answer": "a", "stop": [], "max_tokens": 0}"#],
            "bad.jsonl:2: key 'max_tokens': must be between 1 and 65536, got 0"
        ),
        ([emHeader, #"{"id": "1", "prompt": "p", "answer": 4, "stop": []}"#], "bad.jsonl:2: key 'answer': expected a string"),
        (
            [emHeader.replacingOccurrences(of: #""chance": 0"#, with: #""chance": 0.5"#), #"{"id": "1", "prompt": "p", "answer": "a", "stop": []}"#],
            "bad.jsonl:1: key 'header.chance': is 0.5, expected 0.0 (0 for exact_match tasks)"
        ),
        ([codeHeader, #"{"id": "1", "prompt": "def f():", "test": ""}"#], "bad.jsonl:2: key 'test': must not be empty"),
        (
            [codeHeader, #"{"id": "1", "prompt": "def f():", "test": "assert f()", "entry_point": 3}"#],
            "bad.jsonl:2: key 'entry_point': expected a string"
        ),
        (
            [codeHeader.replacingOccurrences(of: "pass@1", with: "pass@0"), #"{"id": "1", "prompt": "def f():", "test": "assert f()"}"#],
            "bad.jsonl:1: key 'header.metric': 'pass@0' is not a metric of code tasks"
        ),
        ([codeHeader, #"{"id": "1", "prompt": "def f():", "test": "assert f()", "context": "x"}"#], "bad.jsonl:2: key 'context': unknown field"),
    ])
    func malformedExactMatchAndCodeFilesAreRefusedByLineAndField(lines: [String], message: String) throws {
        let error = try failure(lines)
        #expect(error.hasPrefix(message), "\(error)")
    }

    @Test func anEmptyFileAFolderAndAMissingFileAreRefused() throws {
        #expect(try failure([]) == "bad.jsonl: is empty: expected a header line and documents")
        #expect(throws: FactoryError.self) { try TaskFile.read(path: folder) }
        #expect(throws: FactoryError.fileNotFound(path: folder + "/none.jsonl")) { try TaskFile.read(path: folder + "/none.jsonl") }
    }

    @Test func writingATaskTheReaderRefusesWritesNothing() throws {
        var task = Self.multipleChoice
        task.header.chance = 0.9
        let path = folder + "/refused.jsonl"
        #expect(throws: FactoryError.self) { try task.write(to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
        task = Self.exactMatch
        task.documents = Self.code.documents
        #expect {
            try task.write(to: path)
        } throws: { error in
            "\(error)".contains("its header says exact_match but its documents are code")
        }
    }

    @Test func aFolderIsReadInNameOrderAndRefusesTwoTasksOfOneName() throws {
        var second = Self.exactMatch
        second.header.name = "second"
        try second.write(to: folder + "/b.jsonl")
        try Self.multipleChoice.write(to: folder + "/a.jsonl")
        try "not a task".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(try TaskFolder.read(folder: folder).map(\.header.name) == ["t", "second"])
        try Self.code.write(to: folder + "/c.jsonl")
        #expect {
            try TaskFolder.read(folder: folder)
        } throws: { error in
            "\(error)".contains("a.jsonl and c.jsonl both hold a task named 't'")
        }
        let empty = folder + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect {
            try TaskFolder.read(folder: empty)
        } throws: { error in
            "\(error)".contains("holds no task files (*.jsonl)")
        }
    }
}
