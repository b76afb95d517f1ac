import Testing

@testable import FactoryCore

/// Table headers that made TOMLKit's parser abort the process (found by `make fuzz`, target
/// config-toml; the inputs are in fuzz/corpus/config-toml/crash-*) are refused with the line.
@Suite struct TOMLTableHeaderCheckTests {
    static let message = "TOML syntax error: a table header must start with a bare or quoted key"

    @Test(arguments: [
        ("[\u{FFFD}", 1), ("[é]", 1), ("name = \"x\"\n\n[{", 3), ("[#", 1), ("[[#a]]", 1), ("[ !]", 1), ("[", 1), ("[[[a]]]", 1),
        ("k = \"[\"\n[.a]", 2), ("x = [1]\n[=", 2), ("[\r[", 1), ("[\r\n", 1), ("\u{FEFF}[\r", 1),
    ])
    func headersThatAbortedTheParserAreRefused(text: String, line: Int) {
        #expect(throws: FactoryError.config(file: "fuzz.toml", keyPath: "", line: line, message: Self.message)) {
            try ConfigValue.parseTOML(text, source: "fuzz.toml")
        }
    }

    @Test(arguments: [("e=[}", 1), ("a = 1\ne = [1, }", 2), ("e = [\n  1,\n  # c\n}", 4), ("e = [{ a = [} }]", 1)])
    func aBraceWhereAnArrayExpectsAValueIsRefused(text: String, line: Int) {
        #expect(
            throws: FactoryError.config(
                file: "fuzz.toml", keyPath: "", line: line, message: "TOML syntax error: '}' where an array expects a value or ']'")
        ) { try ConfigValue.parseTOML(text, source: "fuzz.toml") }
    }

    @Test func bracesInsideArraysThatCloseInlineTablesAreFine() throws {
        let value = try ConfigValue.parseTOML("e = [{ a = [1, 2] }, { b = \"}\" }] # }\n", source: "fuzz.toml")
        guard case .table(let root) = value, case .array(let items)? = root["e"] else {
            Issue.record("expected an array in \(value)")
            return
        }
        #expect(items.count == 2)
    }

    @Test func bracketsThatAreNotHeadersAreLeftToTheParser() throws {
        let text = """
            x = [
            [{ a = 1 }],
            [ # a comment
            2]]
            s = \"\"\"
            [é is text here
            \"\"\"
            l = '''
            [{'''
            [table]
            y = 1
            """
        let value = try ConfigValue.parseTOML(text, source: "fuzz.toml")
        guard case .table(let root) = value, case .table(let table)? = root["table"] else {
            Issue.record("expected [table] in \(value)")
            return
        }
        #expect(table["y"] == .integer(1))
        #expect(root["s"] == .string("[é is text here\n"))
        #expect(root["l"] == .string("[{"))
    }
}
