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

    @Test(arguments: [
        ("lr = nan", "lr", "nan"), ("lr = +nan", "lr", "nan"), ("lr = -nan", "lr", "nan"), ("lr = inf", "lr", "inf"),
        ("lr = -inf", "lr", "-inf"), ("lr = +inf", "lr", "inf"),
    ])
    func nonFiniteTOMLNumberIsRefusedNamingFileAndKey(line: String, keyPath: String, shown: String) {
        let failure = error(valid.replacingOccurrences(of: "lr = 3e-4", with: line))
        #expect(
            failure
                == .config(
                    file: "train.toml", keyPath: keyPath, line: nil, message: "\(shown) is not a finite number; configuration numbers must be finite")
        )
    }

    @Test func nonFiniteNumberDeepInTheTreeIsRefusedEvenWhereNothingReadsIt() {
        // Refused at parse time, before the schema is known: an unknown key holding nan is named for its nan.
        let failure = error(valid.replacingOccurrences(of: "weight = 2", with: "weight = 2\nextra = { x = [1.0, -inf] }"))
        #expect(failure?.description == "train.toml: key 'sources[1].extra.x[1]': -inf is not a finite number; configuration numbers must be finite")
        #expect(
            throws: FactoryError.config(
                file: "r.toml", keyPath: "a.b", line: nil, message: "nan is not a finite number; configuration numbers must be finite")
        ) {
            try ConfigValue.parseTOML("[a]\nb = nan\n", source: "r.toml")
        }
    }

    @Test func nonFiniteNumberInATreeBuiltInCodeIsRefusedByTheDecoder() {
        let tree = ConfigValue.table(["value": .float(.infinity)])
        #expect(
            throws: FactoryError.config(
                file: "built", keyPath: "value", line: nil, message: "inf is not a finite number; configuration numbers must be finite")
        ) {
            try ConfigLoader.decode(Holder<Double>.self, from: tree, source: "built")
        }
    }

    @Test func numberBeyondFloatRangeIsRefusedForAFloatField() throws {
        #expect(try ConfigLoader.decode(Holder<Float>.self, toml: "value = 3.0e38", source: "f.toml").value == 3.0e38)
        #expect(
            throws: FactoryError.config(
                file: "f.toml", keyPath: "value", line: nil, message: "1e+39 is out of range for a 32-bit float (magnitude at most 3.4028235e+38)")
        ) {
            try ConfigLoader.decode(Holder<Float>.self, toml: "value = 1e39", source: "f.toml")
        }
    }

    @Test func jsonNumberOutOfRangeAndNullNameTheKey() {
        #expect {
            try ConfigLoader.decode(
                Holder<Double>.self, from: ConfigValue.parseJSON(Array(#"{"a": {"b": [1, 1e400]}}"#.utf8), source: "c.json"), source: "c.json")
        } throws: { error in
            guard case .config("c.json", "a.b[1]", nil, let message) = error as? FactoryError else { return false }
            return message == "invalid JSON at byte 21: number '1e400' is out of range"
        }
        #expect {
            try ConfigValue.parseJSON(Array(#"{"model": {"layers": [{"name": null}]}}"#.utf8), source: "m.json", nullMembers: .reject)
        } throws: { error in
            guard case .config("m.json", "model.layers[0].name", nil, let message) = error as? FactoryError else { return false }
            return message.contains("null is not supported")
        }
    }

    struct Holder<Value: Decodable>: Decodable {
        var value: Value
    }
}
