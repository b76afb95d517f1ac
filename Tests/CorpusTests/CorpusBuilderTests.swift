import Documents
import FactoryCore
import Foundation
import Testing

@testable import Corpus

@Suite struct CorpusBuilderTests {
    /// A configuration over the committed fixtures: a folder, a glob, a JSONL file, a fortune file,
    /// a WordNet excerpt, a gzipped man page, a program's output and synthetic math.
    func fixtureConfig(validationFraction: Double = 0.3) throws -> String {
        let root = CorpusFixtures.root
        let toml = """
            [split]
            validation_fraction = \(validationFraction)

            [[sources]]
            name = "notes-folder"
            domain = "prose"
            kind = "files"
            path = "\(root)/notes"
            include = ["*.txt", "*.md"]
            license = "CC-BY-4.0"

            [[sources]]
            name = "notes-glob"
            domain = "prose"
            kind = "files"
            path = "\(root)/notes/**/*.md"

            [[sources]]
            name = "records"
            domain = "prose"
            kind = "jsonl"
            path = "\(root)/records.jsonl"
            license = "MIT"

            [[sources]]
            name = "jokes"
            domain = "prose"
            kind = "files"
            path = "\(root)/fortunes/jokes"
            split = "delimiter"
            delimiter = "%"

            [[sources]]
            name = "wn"
            domain = "prose"
            kind = "wordnet"
            path = "\(root)/wordnet"

            [[sources]]
            name = "man"
            domain = "stem"
            kind = "files"
            path = "\(root)/gzip"
            include = ["sample.7.gz"]
            format = "roff"

            [[sources]]
            name = "echo"
            domain = "stem"
            kind = "command"
            command = ["printf", "Title\\n\\nbody one\\n\\nHeading\\n\\nbody two\\nmore\\n"]
            split = "sections"

            [[sources]]
            name = "math"
            domain = "math"
            kind = "synthetic-math"
            count = 50
            seed = 3
            """
        let path = try CorpusFixtures.temporaryDirectory() + "/corpus.toml"
        try AtomicFile.write(Data(toml.utf8), toPath: path)
        return path
    }

    func build(_ configFile: String, maxDocsPerSource: Int? = nil) throws -> (CorpusManifest, String) {
        let output = try CorpusFixtures.temporaryDirectory()
        let manifest = try CorpusBuilder(
            config: try CorpusConfig.load(path: configFile), configFile: configFile, maxDocsPerSource: maxDocsPerSource,
            progressOutput: { _ in }
        ).build(outputDirectory: output)
        return (manifest, output)
    }

    func documents(_ output: String, _ domain: String) throws -> [Document] {
        try JSONLinesReader.readDocuments(path: "\(output)/\(domain)/train.jsonl")
            + JSONLinesReader.readDocuments(path: "\(output)/\(domain)/validation.jsonl")
    }

    @Test func userSourcesBecomeDocumentsWithProvenance() throws {
        let (manifest, output) = try build(try fixtureConfig())
        let prose = try documents(output, "prose")
        let byId = Dictionary(uniqueKeysWithValues: prose.map { ($0.id, $0) })
        let root = CorpusFixtures.root

        #expect(byId["notes-folder/a.txt"]?.text == "First note about compilers.\nIt has two lines.")
        #expect(byId["notes-folder/a.txt"]?.license == "CC-BY-4.0")
        #expect(byId["notes-folder/a.txt"]?.metadata["path"] == "\(root)/notes/a.txt")
        #expect(byId["notes-folder/sub/b.md"]?.text == "# Second note\n\nMarkdown text with ünïcödé.")
        #expect(!prose.contains { $0.id.hasSuffix("skip.log") })
        #expect(prose.filter { $0.source == "notes-glob" }.map(\.id) == ["notes-glob/sub/b.md"])

        #expect(byId["rec-1"]?.text == "A record with \"quotes\", a tab\tand a newline\nin it.")
        #expect(byId["rec-1"]?.metadata["lang"] == "en")
        #expect(byId["rec-1"]?.metadata["stars"] == "4")
        #expect(byId["records/records.jsonl:2"]?.metadata["origin"] == "handwritten")
        #expect(byId["rec-3"]?.license == "CC-BY-4.0")
        #expect(byId["rec-3"]?.text == "Emoji 🚀 and CJK 漢字 survive.")

        #expect(
            prose.filter { $0.source == "jokes" }.map(\.text).sorted() == [
                "A second fortune,\n  spread over two lines.", "Knock knock.\nWho's there?", "The third one.",
            ])
        let synset = try #require(byId["wn/verb/00001740"])
        #expect(
            synset.text == """
                breathe, take a breath, respire, suspire (verb)
                Meaning: draw air into, and expel out of, the lungs.
                Examples:
                - I can breathe better when the air is clean
                - The patient is respiring
                """)
        #expect(byId["wn/verb/00002325"] == nil)

        let stem = try documents(output, "stem")
        #expect(stem.first { $0.source == "man" }?.text.hasPrefix("SAMPLE(7)\n\nNAME\nsample - a page") == true)
        #expect(stem.filter { $0.source == "echo" }.map(\.text).sorted() == ["Heading\n\nbody two\nmore", "Title\n\nbody one"])

        let math = try documents(output, "math")
        #expect(math.count == 50 && math.allSatisfy { $0.source == "synthetic" && $0.domain == "math" })

        for domain in ["prose", "stem", "math"] {
            let stats = try #require(manifest.domains[domain])
            let docs = try documents(output, domain)
            #expect(stats.train.documents + stats.validation.documents == docs.count)
            #expect(stats.train.textBytes + stats.validation.textBytes == docs.reduce(0) { $0 + $1.text.utf8.count })
            #expect(stats.train.digest == (try Digest.ofFile(atPath: "\(output)/\(domain)/train.jsonl")).hex)
        }
        let split = ValidationSplit(fraction: 0.3)
        for document in prose + stem + math {
            let file = split.isValidation(id: document.id) ? "validation" : "train"
            #expect(try JSONLinesReader.readDocuments(path: "\(output)/\(document.domain)/\(file).jsonl").contains(document))
        }
        let onDisk = try JSONDecoder().decode(CorpusManifest.self, from: Data(contentsOf: URL(fileURLWithPath: "\(output)/manifest.json")))
        #expect(onDisk == manifest)
    }

    @Test func buildsAreByteIdentical() throws {
        let config = try fixtureConfig()
        let (_, first) = try build(config)
        let (_, second) = try build(config)
        for file in ["prose/train.jsonl", "prose/validation.jsonl", "stem/train.jsonl", "math/train.jsonl", "manifest.json"] {
            let one = try Digest.ofFile(atPath: "\(first)/\(file)")
            let two = try Digest.ofFile(atPath: "\(second)/\(file)")
            #expect(one == two, "\(file)")
        }
    }

    @Test func capsLimitDocumentsPerSource() throws {
        let (manifest, _) = try build(try fixtureConfig(), maxDocsPerSource: 2)
        for source in manifest.sources {
            #expect(source.documents <= 2, "\(source.name)")
        }
        let math = try #require(manifest.sources.first { $0.name == "math" })
        #expect(math.documents == 2 && math.capped)
    }

    @Test func cappedSourceStillSplitsAtTheConfiguredFraction() throws {
        let directory = try CorpusFixtures.temporaryDirectory()
        for index in 0..<2_000 {
            try AtomicFile.write(Data("document number \(index)\n".utf8), toPath: "\(directory)/file\(index).txt")
        }
        let toml = """
            [split]
            validation_fraction = 0.1
            [[sources]]
            name = "many"
            domain = "prose"
            kind = "files"
            path = "\(directory)"
            max_docs = 1000
            """
        let path = "\(directory)/corpus.toml"
        try AtomicFile.write(Data(toml.utf8), toPath: path)
        let (manifest, _) = try build(path)
        let stats = try #require(manifest.domains["prose"])
        #expect(stats.train.documents + stats.validation.documents == 1_000)
        #expect((70...130).contains(stats.validation.documents), "validation \(stats.validation.documents)")
    }
}
