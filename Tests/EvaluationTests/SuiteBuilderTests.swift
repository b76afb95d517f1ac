import Corpus
import Documents
import FactoryCore
import Foundation
import Testing

@testable import Evaluation

/// The suites on material written by the test: what each builder extracts, the file format,
/// determinism, the corpus's training split left out, and bad input.
@Suite struct SuiteBuilderTests {
    let fixture: SuiteFixture
    init() throws { fixture = try SuiteFixture() }

    private func build(
        _ config: TaskSuiteConfig, exclusion: TrainingExclusion = .none, into name: String = "tasks"
    ) throws -> (
        String, TaskSuiteManifest
    ) {
        let folder = fixture.root + "/" + name
        let manifest = try TaskSuiteBuilder(config: config, configFile: nil, exclusion: exclusion).build(output: folder)
        return (folder, manifest)
    }

    @Test func pythonExamplesTakeOneLineLiteralOutputs() {
        let examples = PythonExamplesSuite.examples(in: SuiteFixture.pythonPage, page: "library/demo.rst.txt")
        #expect(examples.map(\.output) == ["42", "'ababab'", "5", "[1, 2, 3]"])
        #expect(examples[0].prompt == ">>> x = 40\n>>> x + 2\n")
        #expect(examples[0].id == "library/demo.rst.txt:7")
        // The session so far is the context: the multi-line loop output stays in the prompt.
        #expect(examples[2].prompt.hasSuffix("...     print(i)\n0\n1\n>>> len('hello')\n"))
        // Earlier sessions of the page come first.
        #expect(examples[3].prompt.hasPrefix(">>> x = 40\n>>> x + 2\n42\n") && examples[3].prompt.hasSuffix("5\n>>> sorted([3, 1, 2])\n"))
    }

    @Test func manPageNameLinesAndMaximaDescriptions() {
        let entry = ManPageSuite.entry(
            roff: ".TH OPEN 2\n.SH NAME\nopen, openat, creat \\- open and possibly \\fBcreate\\fP a file\n.SH SYNOPSIS\n", file: "man2/open.2.gz")
        #expect(
            entry == .init(file: "man2/open.2.gz", section: "2", names: ["open", "openat", "creat"], description: "open and possibly create a file"))
        #expect(ManPageSuite.entry(roff: ".so man2/open.2\n", file: "man2/creat.2") == nil)
        let functions = MaximaSuite.entries(html: SuiteFixture.maximaPage, file: "maxima_1.html")
        #expect(functions.map(\.name) == ["binomial", "factor", "expand"])
        #expect(functions[0].description == "The ___ coefficient of x and y.")
        #expect(functions[1].description.hasPrefix("Factors the expression expr into irreducible factors; ___ works"))
    }

    @Test func wordNetSynsetsWithPointers() throws {
        let synset = try #require(
            WordNetSynset.parse(
                "00001740 00 a 01 able 0 002 = 05200169 n 0000 ! 00002098 a 0101 | having the means; \"able to swim\"; \"able\"  ",
                partOfSpeech: "adjective"))
        #expect(synset.words == ["able"])
        #expect(synset.definition == "having the means")
        #expect(synset.examples == ["able to swim", "able"])
        let antonym = synset.pointers[1]
        #expect(antonym.symbol == "!" && antonym.offset == "00002098" && antonym.partOfSpeech == "adjective")
        #expect(antonym.sourceWord == 1 && antonym.targetWord == 1)
        #expect(WordNetSynset.parse("00001740 00 a 01 able 0 009 | too few pointers", partOfSpeech: "adjective") == nil)
    }

    @Test func everySuiteWritesTheTaskFileFormat() throws {
        let (folder, manifest) = try build(fixture.config())
        #expect(
            manifest.tasks.map(\.name) == [
                "math-exact", "math-choice", "python-output-exact", "python-output-choice", "python-functions", "manpage-names",
                "maxima-functions", "wordnet-glosses", "wordnet-hypernyms", "wordnet-antonyms",
            ])
        for task in manifest.tasks {
            let lines = try taskLines(folder + "/" + (try #require(task.file, "\(task.name)")))
            let header = try #require(lines[0]["header"] as? [String: Any])
            #expect(header["name"] as? String == task.name)
            #expect(header["kind"] as? String == task.kind)
            #expect(["code", "math", "stem", "common_sense"].contains(header["capability"] as? String ?? ""))
            #expect(header["license"] as? String != nil && header["source"] as? String != nil && header["provenance"] is [String: Any])
            #expect(lines.count - 1 == task.documents, "\(task.name)")
            #expect(task.documents > 0, "\(task.name)")
            var inverseChoices = 0.0
            for document in lines.dropFirst() {
                #expect(document["id"] is String)
                switch task.kind {
                case "multiple_choice":
                    let choices = try #require(document["choices"] as? [String])
                    let gold = try #require(document["gold"] as? Int)
                    #expect(choices.count == 3 && Set(choices).count == 3 && choices.indices.contains(gold))
                    #expect((document["context"] as? String)?.isEmpty == false)
                    inverseChoices += 1 / Double(choices.count)
                case "exact_match":
                    #expect(document["stop"] as? [String] == ["\n"])
                    #expect((document["answer"] as? String)?.isEmpty == false)
                default:
                    #expect((document["prompt"] as? String)?.hasPrefix("def ") == true)
                    #expect((document["test"] as? String)?.contains("assert ") == true)
                }
            }
            let chance = task.kind == "multiple_choice" ? inverseChoices / Double(task.documents) : 0
            #expect(abs(task.chance - chance) < 1e-12, "\(task.name)")
            #expect(header["chance"] as? Double == task.chance)
        }
        // The math choice: gold is the generator's answer, the others differ from it.
        let math = try taskLines(folder + "/math-choice.jsonl").dropFirst()
        for document in math {
            let id = try #require(document["id"] as? String)
            let index = try #require(Int(id.split(separator: "/").last!))
            let problem = SyntheticMath.problem(stream: RandomStream(seed: 0).split(MathSuite.choiceLabel).split(index))
            let choices = document["choices"] as! [String]
            #expect(choices[document["gold"] as! Int] == problem.answer)
            #expect(document["context"] as? String == "Problem: \(problem.statement)\n\nAnswer:")
        }
        let antonyms = try taskLines(folder + "/wordnet-antonyms.jsonl").dropFirst()
        let pairs = antonyms.map { ($0["context"] as! String, ($0["choices"] as! [String])[$0["gold"] as! Int]) }
        #expect(pairs.contains { $0.0 == "Question: What is the opposite of \"hot\"?\nAnswer:" && $0.1 == "cold" })
        let hypernyms = try taskLines(folder + "/wordnet-hypernyms.jsonl").dropFirst()
        #expect(
            hypernyms.contains {
                ($0["context"] as! String).contains("A dog is a kind of") && ($0["choices"] as! [String])[$0["gold"] as! Int] == "animal"
            })
    }

    @Test func sameInputsGiveByteIdenticalFiles() throws {
        let (first, _) = try build(fixture.config(), into: "first")
        let (second, _) = try build(fixture.config(), into: "second")
        #expect(try folderContents(first) == folderContents(second))
        var reseeded = fixture.config()
        reseeded.seed = 1
        let (third, _) = try build(reseeded, into: "third")
        #expect(try folderContents(third)["math-exact.jsonl"] != folderContents(first)["math-exact.jsonl"])
    }

    @Test func functionTestsPassWithTheReferenceAndFailWithout() throws {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            Issue.record("python3 is not installed: the generated tests cannot be run here")
            return
        }
        for index in 0..<40 {
            let problem = FunctionCompletionSuite.problem(seed: 0, index: index)
            #expect(try Self.run(python, problem.prompt + problem.solution + "\n" + problem.test) == 0, "\(problem.prompt)")
            #expect(try Self.run(python, problem.prompt + "    return None\n\n" + problem.test) != 0, "\(problem.prompt)")
        }
    }

    private static func run(_ python: String, _ program: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", program]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func trainingMaterialIsLeftOut() throws {
        let corpus = fixture.root + "/corpus"
        let heldOut = SyntheticMath.problem(stream: RandomStream(seed: 0).split(MathSuite.exactLabel).split(0))
        func document(_ id: String, _ text: String, _ metadata: [String: String]) -> Document {
            Document(id: id, text: text, domain: "d", source: "s", license: "l", metadata: metadata)
        }
        try FileManager.default.createDirectory(atPath: corpus + "/stem", withIntermediateDirectories: true)
        _ = try JSONLinesWriter.write(
            [
                document("man", "x", ["path": fixture.root + "/man/man2/alpha.2"]),
                document("py", "x", ["path": fixture.root + "/python/library/demo.html"]),
                document("mx", "x", ["path": fixture.root + "/maxima/./maxima_1.html"]),
                document("wn", "x", ["path": fixture.root + "/wordnet/data.noun", "part_of_speech": "noun", "synset_offset": "00000003"]),
                document("m", "Problem: \(heldOut.statement)\n\nSolution:\nx\n\nAnswer: 1", ["generator": "synthetic-math"]),
            ], toPath: corpus + "/stem/train.jsonl")
        // Validation documents do not exclude anything.
        _ = try JSONLinesWriter.write(
            [document("v", "x", ["path": fixture.root + "/man/man2/beta.2"])], toPath: corpus + "/stem/validation.jsonl")
        let exclusion = try TrainingExclusion.reading(corpus: corpus)
        #expect(exclusion.documents == 5)
        let (folder, manifest) = try build(fixture.config(), exclusion: exclusion)
        let excluded = Dictionary(uniqueKeysWithValues: manifest.tasks.map { ($0.name, $0.excludedAsTraining) })
        #expect(excluded["manpage-names"] == 1)
        #expect(excluded["python-output-exact"] == 4)
        #expect(excluded["maxima-functions"] == 3)
        #expect(excluded["wordnet-hypernyms"] == 1)
        #expect(excluded["math-exact"] == 1)
        let ids = try Set(
            manifest.tasks.compactMap(\.file).flatMap { file in try taskLines(folder + "/" + file).dropFirst().map { $0["id"] as! String } })
        #expect(!ids.contains("man2/alpha.2") && ids.contains("man2/beta.2"))
        #expect(!ids.contains { $0.hasPrefix("library/demo.rst.txt") } && ids.contains { $0.hasPrefix("tutorial/more.rst.txt") })
        #expect(!ids.contains("noun/00000003") && !ids.contains("\(MathSuite.exactLabel)/0"))
        // A task left without documents is listed, but no file is written (the reader refuses one).
        let maxima = try #require(manifest.tasks.first { $0.name == "maxima-functions" })
        #expect(maxima.documents == 0 && maxima.file == nil && maxima.digest == nil)
        #expect(!FileManager.default.fileExists(atPath: folder + "/maxima-functions.jsonl"))
        #expect(manifest.corpus?.trainingFiles == 3)
        let statements = try taskLines(folder + "/math-exact.jsonl").dropFirst().map { $0["prompt"] as! String }
        #expect(!statements.contains("Problem: \(heldOut.statement)\n\nAnswer:"))
    }

    @Test func heldOutMathStreamsAreNotCorpusStreams() {
        for seed in UInt64(0)..<64 {
            let corpus = RandomStream(seed: seed).split(SyntheticMath.streamLabel)
            for label in [MathSuite.exactLabel, MathSuite.choiceLabel] {
                for other in UInt64(0)..<64 { #expect(RandomStream(seed: other).split(label).key != corpus.key) }
            }
        }
    }

    @Test func nearbyAnswersKeepTheFormAndDifferFromGold() throws {
        var stream = RandomStream(seed: 3)
        for answer in ["28", "-4", "19/12", "x = -3", "0"] {
            let wrong = try #require(MathSuite.nearbyAnswers(to: answer, count: 3, &stream))
            #expect(Set(wrong).count == 3 && !wrong.contains(answer))
            for value in wrong {
                #expect(answer.hasPrefix("x = ") == value.hasPrefix("x = "))
            }
        }
    }

    @Test func badInputNamesTheFileAndKey() throws {
        var missing = fixture.config()
        missing.wordnet.path = fixture.root + "/no-wordnet"
        #expect(
            throws: FactoryError.config(
                file: "tasks.toml (defaults)", keyPath: "sources.wordnet.path", line: nil,
                message: "no such folder: \(fixture.root)/no-wordnet; or leave the suite out of `suites`")
        ) {
            try build(missing)
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/tasks"))
        try fixture.write("bad.toml", fixture.toml() + "\n[sources.extra]\npath = \"x\"\n")
        let error = #expect(throws: FactoryError.self) { try TaskSuiteConfig.load(path: fixture.root + "/bad.toml") }
        #expect("\(error!)".contains("sources.extra") && "\(error!)".contains("bad.toml"))
        for (text, message) in [
            ("choices = 1\n", "must be between 2 and 12, got 1"), ("choices = 1000000000\n", "must be between 2 and 12, got 1000000000"),
            ("documents = 0\n", "must be between 1 and 100000, got 0"), ("documents = 1000000000\n", "must be between 1 and 100000, got 1000000000"),
        ] {
            try fixture.write("range.toml", text)
            let error = #expect(throws: FactoryError.self) { try TaskSuiteConfig.load(path: fixture.root + "/range.toml") }
            #expect("\(error!)".contains("range.toml") && "\(error!)".contains(message))
        }
        #expect(throws: FactoryError.fileNotFound(path: fixture.root + "/no-corpus")) {
            try TrainingExclusion.reading(corpus: fixture.root + "/no-corpus")
        }
        try fixture.write("toml-ok.toml", fixture.toml(documents: 7))
        #expect(try TaskSuiteConfig.load(path: fixture.root + "/toml-ok.toml") == fixture.config(documents: 7))
        // A non-empty folder that is not a task folder is not replaced.
        try fixture.write("precious/notes.txt", "keep me")
        #expect(throws: FactoryError.self) { try build(fixture.config(), into: "precious") }
        #expect(FileManager.default.fileExists(atPath: fixture.root + "/precious/notes.txt"))
    }

    @Test func antonymIdsAreUniquePerFile() throws {
        // A word with two antonyms, a synset whose two words each have one, and a repeated line.
        let hydric = "00000201 00 a 01 hydric 0 002 ! 00000202 a 0101 ! 00000203 a 0101 | having excessive moisture\n"
        try fixture.write(
            "wordnet-antonyms/data.adj",
            hydric + "00000202 00 a 01 xeric 0 001 ! 00000201 a 0101 | having little moisture\n"
                + "00000203 00 a 01 mesic 0 001 ! 00000201 a 0101 | having moderate moisture\n"
                + "00000204 00 a 02 loud 0 noisy 0 002 ! 00000205 a 0101 ! 00000205 a 0201 | characterized by noise\n"
                + "00000205 00 a 01 quiet 0 001 ! 00000204 a 0101 | free from noise\n"
                + "00000206 00 a 01 red 0 000 | of the colour of blood\n" + "00000207 00 a 01 blue 0 000 | of the colour of the sky\n"
                + hydric)
        var config = fixture.config(choices: 2)
        config.suites = [.commonSense]
        config.wordnet.path = fixture.root + "/wordnet-antonyms"
        let (folder, _) = try build(config, into: "antonyms")
        let task = try TaskFile.read(path: folder + "/wordnet-antonyms.jsonl")
        guard case .multipleChoice(let documents) = task.documents else { throw FactoryError.invalidArgument(name: "kind", message: "not MC") }
        #expect(
            Set(documents.map(\.id)) == [
                "adjective/00000201/1", "adjective/00000202/1", "adjective/00000203/1", "adjective/00000204/1", "adjective/00000204/2",
                "adjective/00000205/1",
            ])
        #expect(documents.count == 6)
        // One item per word: its first antonym is gold, none of its antonyms is a distractor.
        let hydricItem = try #require(documents.first { $0.id == "adjective/00000201/1" })
        #expect(hydricItem.choices[hydricItem.gold] == "xeric" && !hydricItem.choices.contains("mesic"))
        let noisy = try #require(documents.first { $0.id == "adjective/00000204/2" })
        #expect(noisy.context.contains("\"noisy\"") && noisy.choices[noisy.gold] == "quiet")
    }

    static let sandbox = Result { try PythonOutputCheck.locate() }

    @Test(.enabled(if: (try? sandbox.get()) != nil, "the bubblewrap sandbox does not run here (make setup)"))
    func pythonOutputVerdictsComeFromRunningThePrompt() throws {
        let check = try Self.sandbox.get()
        #expect(
            PythonOutputCheck.statements(of: ">>> x = 1\n>>> for i in range(2):\n...     x += i\n...\n>>> x\n1\n>>> y\n") == [
                "x = 1", "for i in range(2):\n    x += i\n", "x", "y",
            ])
        // Definitions in the prompt count; the outputs shown in the prompt are not code.
        #expect(try check.verdict(prompt: ">>> x = 40\n>>> x + 2\n", output: "42") == .kept)
        #expect(try check.verdict(prompt: ">>> 'a' * 2\n'aa'\n>>> print('done')   \n", output: "done") == .kept)
        #expect(try check.verdict(prompt: ">>> for i in range(1):\n...     print(i + 6)\n...\n", output: "6") == .kept)
        // An earlier statement's exception is ignored, as the page's traceback would be shown.
        #expect(try check.verdict(prompt: ">>> 1 / 0\n>>> 2 ** 10\n", output: "1024") == .kept)
        #expect(try check.verdict(prompt: ">>> 1 + 1\n", output: "3") == .wrongOutput)
        // `random` is seeded with 0 (Python's first draw after `random.seed(0)`), so a build keeps the same examples.
        #expect(try check.verdict(prompt: ">>> import random\n>>> random.random()\n", output: "0.8444218515250481") == .kept)
        // What the prompt does not define, and files, are not there.
        #expect(try check.verdict(prompt: ">>> hidden * 6\n", output: "42") == .failed)
        #expect(try check.verdict(prompt: ">>> open('workfile').read()\n", output: "'text'") == .failed)
        #expect(try check.verdict(prompt: ">>> while True: pass\n", output: "1") == .failed)
    }

    @Test(.enabled(if: (try? sandbox.get()) != nil, "the bubblewrap sandbox does not run here (make setup)"))
    func pythonOutputTasksKeepOnlyReproducedExamples() throws {
        // `hidden` is defined further up the page than the prompt's window reaches.
        let filler = (0..<PythonExamplesSuite.contextLines).map { "   >>> n = \($0)\n" }.joined()
        try fixture.write(
            "python-context/_sources/library/page.rst.txt",
            "Page\n====\n\n   >>> hidden = 7\n" + filler + "   >>> hidden * 6\n   42\n\nMore.\n\n   >>> 6 * 7\n   42\n\n"
                + "   >>> open('workfile').read()\n   'text'\n\n   >>> 1 + 1\n   3\n")
        var config = fixture.config()
        config.suites = [.code]
        config.pythonDocs.path = fixture.root + "/python-context"
        let (folder, manifest) = try build(config, into: "python-context-tasks")
        let examples = PythonExamplesSuite.examples(
            in: try String(contentsOfFile: config.pythonDocs.path + "/_sources/library/page.rst.txt", encoding: .utf8),
            page: "library/page.rst.txt")
        #expect(examples.count == 4)
        let dependent = try #require(examples.first { $0.prompt.hasSuffix(">>> hidden * 6\n") })
        #expect(!dependent.prompt.contains("hidden = 7"))
        let selfContained = try #require(examples.first { $0.prompt.hasSuffix(">>> 6 * 7\n") })
        let check = try #require(manifest.pythonOutputCheck)
        #expect(check.tried == 4 && check.kept == 1 && check.failed == 2 && check.wrongOutput == 1)
        let exact = try TaskFile.read(path: folder + "/python-output-exact.jsonl")
        #expect(exact.documents.ids == [selfContained.id])
        #expect(!FileManager.default.fileExists(atPath: folder + "/python-output-choice.jsonl"))
        #expect(manifest.tasks.first { $0.name == "python-output-choice" }?.documents == 0)
    }

    @Test func pythonOutputTasksRefuseWithoutTheSandbox() throws {
        var config = fixture.config()
        config.suites = [.math, .code]
        let folder = fixture.root + "/no-sandbox"
        let error = #expect(throws: FactoryError.self) {
            try TaskSuiteBuilder(config: config, configFile: nil, exclusion: .none, sandboxSearchPath: fixture.root + "/empty-path").build(
                output: folder)
        }
        #expect("\(error!)".contains("the bubblewrap sandbox is missing") && "\(error!)".contains("bwrap"))
        #expect("\(error!)".contains("python-output-exact"))
        #expect(!FileManager.default.fileExists(atPath: folder))
        // Without the code suite nothing needs the sandbox.
        config.suites = [.math]
        let manifest = try TaskSuiteBuilder(config: config, configFile: nil, exclusion: .none, sandboxSearchPath: fixture.root + "/empty-path")
            .build(output: folder)
        #expect(manifest.pythonOutputCheck == nil && manifest.tasks.count == 2)
    }

    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: "/usr/share/wordnet/data.noun")
                && FileManager.default.fileExists(atPath: "/usr/share/doc/python3.11/html/_sources")
                && FileManager.default.fileExists(atPath: "/usr/share/doc/maxima-doc/html")
                && FileManager.default.fileExists(atPath: "/var/lib/dpkg/info/manpages-dev.list"), "the Debian material (make setup) is not installed"
        ))
    func debianMaterialBuildsEveryTask() throws {
        var config = TaskSuiteConfig()
        config.documents = 30
        let (folder, manifest) = try build(config, into: "debian")
        for task in manifest.tasks { #expect(task.documents == 30, "\(task.name): \(task.documents) of \(task.candidates) candidates") }
        #expect(manifest.materials.map(\.name) == ["python-docs", "manpages", "maxima", "wordnet"])
        #expect(manifest.materials.allSatisfy { $0.version != nil && $0.license != "unknown" && $0.files > 0 })
        #expect(try folderContents(folder).count == manifest.tasks.count + 1)
    }
}
