import FactoryCore
import Testing

@testable import Lineage

@Suite struct CanonicalJSONTests {
    @Test func sortsKeysAndKeepsNumberKinds() throws {
        let value = ConfigValue.table([
            "b": .integer(3), "a": .float(0.001), "c": .array([.bool(true), .string("x\"y\n")]),
            "d": .float(2), "e": .table([:]),
        ])
        let text = try CanonicalJSON.encode(value)
        #expect(text == #"{"a":0.001,"b":3,"c":[true,"x\"y\n"],"d":2.0,"e":{}}"#)
        #expect(try CanonicalJSON.decode(text, source: "t") == value)
    }

    @Test func rejectsNonFiniteFloatsByKeyPath() {
        #expect(throws: FactoryError.invalidArgument(name: "train.lr", message: "nan cannot be written as JSON")) {
            try CanonicalJSON.encode(.table(["train": .table(["lr": .float(.nan)])]))
        }
    }

    @Test func decodeErrorsNameTheSourceAndOffset() {
        #expect { try CanonicalJSON.decode(#"{"a": }"#, source: "meta.json") } throws: { error in
            guard case .config(let file, let keyPath, _, let message) = error as? FactoryError else { return false }
            return file == "meta.json" && keyPath == "a" && message.contains("byte 6") && message.contains("unexpected character '}'")
        }
        do {
            _ = try CanonicalJSON.decode(#"{"a": 1,}"#, source: "meta.json")
            Issue.record("trailing comma accepted")
        } catch let error as FactoryError {
            #expect(error.description.hasPrefix("meta.json"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func parsesEscapesExponentsAndNesting() throws {
        let value = try CanonicalJSON.decode(#" { "k" : [1e-3, -2, "\u00e9\t", false ] } "#, source: "t")
        #expect(value == .table(["k": .array([.float(0.001), .integer(-2), .string("é\t"), .bool(false)])]))
    }
}
