import Corpus
import FactoryCore
import Foundation

/// The Python documentation's interactive examples (`>>>` lines and what they print, read from
/// the reStructuredText sources `_sources/**/*.rst.txt` that `python3.11-doc` ships beside its
/// HTML pages): predict the printed line, as exact match and as multiple choice among the
/// printed lines of other examples.
///
/// An example is a statement (a `>>>` line and its `...` continuations) followed by exactly one
/// line of output; outputs that differ between runs or are not literal (`<… at 0x…>`, doctest's
/// `...` ellipsis, tracebacks) are skipped. The prompt is the page's sessions so far (at most
/// ``contextLines`` lines, starting at a statement) ending with the statement.
/// The "What's New" pages are skipped (their sessions show the outputs of older Pythons). A page
/// is used only when its HTML page (`NAME.html`, what the corpus reads) has no training document.
/// An example is used only when running its prompt in the sandbox prints its documented output
/// (``PythonOutputCheck``): many depend on definitions further up the page or on files, and their
/// documented output would be an unreachable gold.
struct PythonExamplesSuite {
    let config: TaskSuiteConfig
    let sampling: SuiteSampling
    let exclusion: TrainingExclusion

    /// Lines of the session kept before the statement.
    static let contextLines = 24
    /// The longest output kept, in characters.
    static let maxOutput = 80

    /// One example.
    struct Example: Equatable, Sendable {
        /// `page.rst.txt:line` of the statement's first line.
        var id: String
        var prompt: String
        var output: String
    }

    func build(
        check: PythonOutputCheck
    ) throws -> (
        tasks: [BuiltTask], material: TaskSuiteManifest.Material, check: TaskSuiteManifest.OutputCheck
    ) {
        let sources = config.pythonDocs.path + "/_sources"
        let pages = try Self.pages(under: sources).filter { !$0.hasPrefix("whatsnew/") }
        var examples = [Example]()
        var excluded = 0
        for page in pages {
            let found = Self.examples(in: try SourceFileText.read(path: sources + "/" + page), page: page)
            let html = config.pythonDocs.path + "/" + String(page.dropLast(".rst.txt".count)) + ".html"
            if exclusion.contains(path: html) {
                excluded += found.count
            } else {
                examples += found
            }
        }
        let ordered = sampling.ordered(examples, task: "python-output", id: \.id)
        // Only examples whose output the sandbox reproduces from the prompt alone, taken in order
        // until both tasks are full, so the sandbox runs no more examples than needed.
        var record = TaskSuiteManifest.OutputCheck(
            bubblewrap: check.runner.sandbox.version, python: check.runner.pythonVersion, cpuSeconds: PythonOutputCheck.limits.cpuSeconds,
            wallSeconds: PythonOutputCheck.limits.wallSeconds, tried: 0, kept: 0, wrongOutput: 0, failed: 0)
        var verified = [Example]()
        for example in ordered where verified.count < 2 * config.documents {
            record.tried += 1
            switch try check.verdict(prompt: example.prompt, output: example.output) {
            case .kept:
                record.kept += 1
                verified.append(example)
            case .wrongOutput: record.wrongOutput += 1
            case .failed: record.failed += 1
            }
        }
        // The two tasks ask about different examples: exact match takes the first ones, multiple
        // choice the next (half each when fewer than twice `documents` are verified).
        let exact = Array(verified.prefix(min(config.documents, (verified.count + 1) / 2)))
        let choice = Array(verified.dropFirst(exact.count).prefix(config.documents))
        let license = SuiteMaterial.license(of: config.pythonDocs)
        let source = "Python 3.11 documentation (Debian python3.11-doc), \(sources)"
        let exactDocuments = exact.map {
            ExactMatchDocument(id: $0.id, prompt: $0.prompt, answer: $0.output, stop: ["\n"], maxTokens: 32)
        }
        let outputs = Array(Set(examples.map(\.output))).sorted()
        let choiceDocuments = choice.compactMap { example -> MultipleChoiceDocument? in
            var stream = sampling.stream(task: "python-output-choice", id: example.id)
            guard let wrong = SuiteSampling.distractors(from: outputs, count: config.choices - 1, gold: example.output, &stream) else {
                return nil
            }
            let placed = SuiteSampling.place(gold: example.output, among: wrong, &stream)
            return MultipleChoiceDocument(id: example.id, context: example.prompt, choices: placed.choices, gold: placed.gold)
        }
        let provenance = JSONValue.object([
            "package": .string(config.pythonDocs.package ?? ""), "pages": .integer(pages.count), "seed": .integer(config.seed),
            "python": .string(check.runner.pythonVersion),
        ])
        let choiceList = TaskDocuments.multipleChoice(choiceDocuments)
        let tasks = [
            BuiltTask(
                task: TaskFile(
                    header: TaskHeader(
                        name: "python-output-exact", kind: .exactMatch, capability: .code, metric: "exact_match", license: license,
                        source: source, chance: 0,
                        description:
                            "Python documentation examples: generate the line the interpreter prints after the last >>> statement "
                            + "(outputs reproduced in the sandbox).",
                        provenance: provenance),
                    documents: .exactMatch(exactDocuments)),
                candidates: examples.count + excluded, excludedAsTraining: excluded),
            BuiltTask(
                task: TaskFile(
                    header: TaskHeader(
                        name: "python-output-choice", kind: .multipleChoice, capability: .code, metric: "acc_norm", license: license,
                        source: source, chance: choiceList.chance,
                        description:
                            "Python documentation examples: pick what the interpreter prints among the outputs of other examples "
                            + "(outputs reproduced in the sandbox).",
                        provenance: provenance),
                    documents: choiceList),
                candidates: examples.count + excluded, excludedAsTraining: excluded),
        ]
        let material = try SuiteMaterial.record(name: "python-docs", source: config.pythonDocs, files: pages.map { "_sources/" + $0 })
        return (tasks, material, record)
    }

    /// The `*.rst.txt` files under `folder`, relative, in name order.
    static func pages(under folder: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { throw FactoryError.fileNotFound(path: folder) }
        var pages = [String]()
        while let relative = enumerator.nextObject() as? String {
            if relative.hasSuffix(".rst.txt") { pages.append(relative) }
        }
        return pages.sorted()
    }

    /// The examples of one page's text.
    static func examples(in text: String, page: String) -> [Example] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var examples = [Example]()
        // The page's earlier sessions: their definitions are often what a later example needs.
        var earlier = [(number: Int, text: String)]()
        var index = 0
        while index < lines.count {
            guard let indent = promptIndent(lines[index]) else {
                index += 1
                continue
            }
            // A session: consecutive non-blank lines at the prompt's indentation or deeper.
            var session = [(number: Int, text: String)]()
            while index < lines.count, !lines[index].allSatisfy(\.isWhitespace), lines[index].prefix(indent).allSatisfy({ $0 == " " }) {
                session.append((index + 1, String(lines[index].dropFirst(indent))))
                index += 1
            }
            examples += Self.examples(inSession: earlier + session, from: earlier.count, page: page)
            earlier += session
        }
        return examples
    }

    /// The column of a line's `>>> ` prompt, or `nil` when it is not a prompt line.
    private static func promptIndent(_ line: String) -> Int? {
        let indent = line.prefix { $0 == " " }.count
        return line.dropFirst(indent).hasPrefix(">>> ") ? indent : nil
    }

    /// The examples whose statements start at or after `first` in `session` (the page's earlier
    /// sessions, then the current one), each with the lines before it as context.
    private static func examples(inSession session: [(number: Int, text: String)], from first: Int, page: String) -> [Example] {
        var examples = [Example]()
        var position = first
        while position < session.count {
            guard session[position].text.hasPrefix(">>> ") else {
                position += 1
                continue
            }
            var end = position + 1
            while end < session.count, session[end].text.hasPrefix("... ") || session[end].text == "..." { end += 1 }
            var outputEnd = end
            while outputEnd < session.count, !session[outputEnd].text.hasPrefix(">>> ") { outputEnd += 1 }
            if outputEnd == end + 1, let output = literalOutput(session[end].text) {
                // The window starts at a statement, not inside an earlier output.
                var start = min(position, max(0, end - contextLines))
                while !session[start].text.hasPrefix(">>> ") { start += 1 }
                let prompt = session[start..<end].map(\.text).joined(separator: "\n") + "\n"
                examples.append(Example(id: "\(page):\(session[position].number)", prompt: prompt, output: output))
            }
            position = outputEnd
        }
        return examples
    }

    /// The output line when it is literal and short enough.
    private static func literalOutput(_ line: String) -> String? {
        let output = line.trimmingCharacters(in: .whitespaces)
        guard !output.isEmpty, output.count <= maxOutput, !output.contains("0x"), !output.contains("..."),
            !output.hasPrefix("Traceback"), !output.hasPrefix("<BLANKLINE>")
        else { return nil }
        return output
    }
}
