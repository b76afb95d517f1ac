import Testing

@testable import FactoryCore

@Suite struct ConfigLoaderTests {
    struct Schedule: Decodable, Equatable {
        var warmup: Int
        var kind: Kind
        enum Kind: String, Decodable { case constant, cosine }
    }

    struct Source: Decodable, Equatable {
        var path: String
        var weight: Double?
    }

    struct TrainConfig: Decodable, Equatable {
        var name: String
        var lr: Double
        var steps: Int
        var schedule: Schedule
        var sources: [Source]
        var tags: [String]?
    }

    let valid = """
        name = "tiny"
        lr = 3e-4
        steps = 100
        [schedule]
        warmup = 10
        kind = "cosine"
        [[sources]]
        path = "a.jsonl"
        [[sources]]
        path = "b.jsonl"
        weight = 2
        """

    func error(_ text: String) -> FactoryError? {
        do {
            _ = try ConfigLoader.decode(TrainConfig.self, toml: text, source: "train.toml")
            return nil
        } catch let error as FactoryError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    @Test func decodesNestedTablesArraysAndIntegerAsDouble() throws {
        let config = try ConfigLoader.decode(TrainConfig.self, toml: valid, source: "train.toml")
        #expect(config.schedule == Schedule(warmup: 10, kind: .cosine))
        #expect(config.sources == [Source(path: "a.jsonl", weight: nil), Source(path: "b.jsonl", weight: 2)])
        #expect(config.lr == 3e-4)
    }

    @Test func unknownTopLevelKeyIsNamed() {
        let failure = error(valid.replacingOccurrences(of: "steps = 100", with: "steps = 100\nstep = 5"))
        guard case .config(let file, let keyPath, _, let message) = failure else {
            Issue.record("expected a config error, got \(String(describing: failure))")
            return
        }
        #expect(file == "train.toml")
        #expect(keyPath == "step")
        #expect(message.contains("unknown key"))
        #expect(message.contains("steps"))
    }

    @Test func unknownKeyInArrayOfTablesIsNamed() {
        let failure = error(valid.replacingOccurrences(of: "weight = 2", with: "weight = 2\nwieght = 3"))
        guard case .config(_, let keyPath, _, _) = failure else {
            Issue.record("expected a config error")
            return
        }
        #expect(keyPath == "sources[1].wieght")
    }

    @Test func typeMismatchNamesPathAndExpectedType() {
        let failure = error(valid.replacingOccurrences(of: "warmup = 10", with: "warmup = \"ten\""))
        guard case .config(_, let keyPath, _, let message) = failure else {
            Issue.record("expected a config error")
            return
        }
        #expect(keyPath == "schedule.warmup")
        #expect(message == "expected an integer, found the string \"ten\"")
        #expect(failure!.description == "train.toml: key 'schedule.warmup': expected an integer, found the string \"ten\"")
    }

    @Test func fractionalIntegerIsRejected() {
        guard case .config(_, let keyPath, _, let message) = error(valid.replacingOccurrences(of: "steps = 100", with: "steps = 1.5")) else {
            Issue.record("expected a config error")
            return
        }
        #expect(keyPath == "steps")
        #expect(message.contains("expected an integer"))
    }

    @Test func missingKeyIsNamed() {
        guard case .config(_, let keyPath, _, let message) = error(valid.replacingOccurrences(of: "lr = 3e-4\n", with: "")) else {
            Issue.record("expected a config error")
            return
        }
        #expect(keyPath == "lr")
        #expect(message == "missing required key (expected a number)")
    }

    @Test func invalidEnumValueIsNamed() {
        guard case .config(_, let keyPath, _, let message) = error(valid.replacingOccurrences(of: "\"cosine\"", with: "\"linear\"")) else {
            Issue.record("expected a config error")
            return
        }
        #expect(keyPath == "schedule.kind")
        #expect(message.contains("linear"))
    }

    @Test func syntaxErrorReportsLine() {
        guard case .config(_, _, let line, let message) = error("name = \"x\"\nlr = = 3\n") else {
            Issue.record("expected a config error")
            return
        }
        #expect(line == 2)
        #expect(message.contains("TOML syntax error"))
    }

    @Test func missingFileIsNamed() {
        #expect(throws: FactoryError.fileNotFound(path: "/nonexistent/train.toml")) {
            try ConfigLoader.decode(TrainConfig.self, tomlFile: "/nonexistent/train.toml")
        }
    }
}
