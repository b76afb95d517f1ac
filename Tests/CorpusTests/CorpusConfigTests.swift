import FactoryCore
import Foundation
import Testing

@testable import Corpus

@Suite struct CorpusConfigTests {
    func write(_ toml: String) throws -> String {
        let path = try CorpusFixtures.temporaryDirectory() + "/corpus.toml"
        try AtomicFile.write(Data(toml.utf8), toPath: path)
        return path
    }

    @Test func shippedDefaultConfigDecodes() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("corpora/local.toml")
        let config = try CorpusConfig.load(path: url.path)
        #expect(Set(config.sources.map(\.domain)) == ["code", "stem", "prose", "math"])
        #expect(config.sources.contains { $0.kind == .syntheticMath })
    }

    @Test func missingSourcePathNamesFileKeyAndPath() throws {
        let file = try write(
            """
            [[sources]]
            name = "ok"
            domain = "math"
            kind = "synthetic-math"
            count = 3

            [[sources]]
            name = "gone"
            domain = "prose"
            kind = "files"
            path = "/nonexistent/corpus/folder"
            """)
        let config = try CorpusConfig.load(path: file)
        let output = try CorpusFixtures.temporaryDirectory()
        do {
            try CorpusBuilder(config: config, configFile: file, progressOutput: { _ in }).build(outputDirectory: output)
            Issue.record("the build should fail")
        } catch let error as FactoryError {
            #expect(
                error == .config(file: file, keyPath: "sources[1].path", line: nil, message: "no such file or directory: /nonexistent/corpus/folder"))
            #expect(error.description.contains(file))
            #expect(error.description.contains("sources[1].path"))
            #expect(error.description.contains("/nonexistent/corpus/folder"))
        }
        #expect(!FileManager.default.fileExists(atPath: "\(output)/manifest.json"))
    }

    @Test func optionalMissingSourceIsSkipped() throws {
        let file = try write(
            """
            [[sources]]
            name = "gone"
            domain = "prose"
            kind = "files"
            path = "/nonexistent/corpus/folder"
            optional = true
            """)
        let manifest = try CorpusBuilder(config: try CorpusConfig.load(path: file), configFile: file, progressOutput: { _ in })
            .build(outputDirectory: try CorpusFixtures.temporaryDirectory())
        #expect(manifest.sources.map(\.status) == ["missing"])
        #expect(manifest.domains["prose"]?.train.documents == 0)
    }

    @Test func unknownKeyAndUnknownKindAreRejected() throws {
        let typo = try write("[[sources]]\nname = \"a\"\ndomain = \"d\"\nkind = \"files\"\npath = \"/tmp\"\nmax_doc = 3\n")
        #expect { try CorpusConfig.load(path: typo) } throws: { error in
            guard case FactoryError.config(let file, let keyPath, _, let message) = error else { return false }
            return file == typo && keyPath == "sources[0].max_doc" && message.hasPrefix("unknown key")
        }
        let kind = try write("[[sources]]\nname = \"a\"\ndomain = \"d\"\nkind = \"folder\"\n")
        #expect { try CorpusConfig.load(path: kind) } throws: { error in
            guard case FactoryError.config(_, let keyPath, _, let message) = error else { return false }
            return keyPath == "sources[0].kind" && message.contains("\"files\"") && message.contains("\"synthetic-math\"")
        }
    }

    @Test func validationNamesTheOffendingKey() throws {
        let duplicate = try write(
            """
            [[sources]]
            name = "a"
            domain = "math"
            kind = "synthetic-math"
            count = 1
            [[sources]]
            name = "a"
            domain = "math"
            kind = "synthetic-math"
            count = 1
            """)
        #expect(
            throws: FactoryError.config(file: duplicate, keyPath: "sources[1].name", line: nil, message: "the name 'a' is used by an earlier source")
        ) {
            try CorpusConfig.load(path: duplicate)
        }
        let wrongKey = try write("[[sources]]\nname = \"a\"\ndomain = \"math\"\nkind = \"synthetic-math\"\ncount = 1\npath = \"/tmp\"\n")
        #expect(
            throws: FactoryError.config(
                file: wrongKey, keyPath: "sources[0].path", line: nil, message: "is not used by sources of kind 'synthetic-math'")
        ) {
            try CorpusConfig.load(path: wrongKey)
        }
        let fraction = try write(
            "[split]\nvalidation_fraction = 1.5\n[[sources]]\nname = \"a\"\ndomain = \"math\"\nkind = \"synthetic-math\"\ncount = 1\n")
        #expect(
            throws: FactoryError.config(
                file: fraction, keyPath: "split.validation_fraction", line: nil, message: "must be at least 0 and below 1, found 1.5")
        ) {
            try CorpusConfig.load(path: fraction)
        }
    }
}
