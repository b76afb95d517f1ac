import Corpus
import FactoryCore
import Foundation

/// The Maxima manual's function descriptions as multiple choice: which function does this? The
/// description is the first sentence of the first paragraph after a `Function:` definition
/// (Texinfo's `<dt>…<span class="category">Function: </span>…<strong>NAME</strong>`), with the
/// function's name masked; the other choices are other functions' names. A manual page file with
/// a training document is not used.
struct MaximaSuite {
    let config: TaskSuiteConfig
    let sampling: SuiteSampling
    let exclusion: TrainingExclusion

    /// One described function.
    struct Entry: Equatable, Sendable {
        /// `maxima_50.html#binomial`.
        var id: String
        var name: String
        var description: String
    }

    func build() throws -> (task: BuiltTask, material: TaskSuiteManifest.Material) {
        let source = config.maxima
        let files = try FileManager.default.contentsOfDirectory(atPath: source.path).filter { $0.hasSuffix(".html") }.sorted()
        var entries = [Entry]()
        var seen = Set<String>()
        var excluded = 0
        for file in files {
            let found = Self.entries(html: try SourceFileText.read(path: source.path + "/" + file), file: file).filter {
                seen.insert($0.name).inserted
            }
            if exclusion.contains(path: source.path + "/" + file) {
                excluded += found.count
            } else {
                entries += found
            }
        }
        let names = entries.map(\.name)
        let documents = sampling.ordered(entries, task: "maxima-functions", id: \.id).lazy.compactMap { entry -> MultipleChoiceDocument? in
            var stream = sampling.stream(task: "maxima-functions", id: entry.id)
            guard let wrong = SuiteSampling.distractors(from: names, count: self.config.choices - 1, gold: entry.name, &stream) else {
                return nil
            }
            let placed = SuiteSampling.place(gold: entry.name, among: wrong, &stream)
            return MultipleChoiceDocument(
                id: entry.id, context: "Question: Which Maxima function does this: \(entry.description)\nAnswer:", choices: placed.choices,
                gold: placed.gold)
        }.prefix(config.documents)
        let list = TaskDocuments.multipleChoice(Array(documents))
        let header = TaskHeader(
            name: "maxima-functions", kind: .multipleChoice, capability: .stem, metric: "acc_norm",
            license: SuiteMaterial.license(of: source), source: "Maxima manual (Debian \(source.package ?? "maxima-doc")), \(source.path)",
            chance: list.chance,
            description: "Maxima manual: which function does the description's first sentence describe (name masked)?",
            provenance: .object([
                "package": .string(source.package ?? ""), "functions": .integer(entries.count), "seed": .integer(config.seed),
            ]))
        return (
            BuiltTask(task: TaskFile(header: header, documents: list), candidates: entries.count + excluded, excludedAsTraining: excluded),
            try SuiteMaterial.record(name: "maxima", source: source, files: files)
        )
    }

    /// The functions a manual page defines, in page order.
    static func entries(html: String, file: String) -> [Entry] {
        var entries = [Entry]()
        let marker = "<span class=\"category\">Function: </span>"
        var rest = Substring(html)
        while let category = rest.range(of: marker) {
            rest = rest[category.upperBound...]
            guard let open = rest.range(of: "<strong>"), let close = rest[open.upperBound...].range(of: "</strong>"),
                let definitionEnd = rest.range(of: "</dt>"), open.lowerBound < definitionEnd.lowerBound
            else { continue }
            let name = HTMLText.convert(String(rest[open.upperBound..<close.lowerBound])).trimmingCharacters(in: .whitespacesAndNewlines)
            let afterTerm = rest[definitionEnd.upperBound...]
            // The description belongs to this term only when its <dd> comes before the next term.
            let nextTerm = afterTerm.range(of: "<dt")?.lowerBound ?? afterTerm.endIndex
            guard let paragraph = afterTerm[..<nextTerm].range(of: "<p>"),
                let paragraphEnd = afterTerm[paragraph.upperBound..<nextTerm].range(of: "</p>")
            else { continue }
            let text = SuiteText.collapsed(HTMLText.convert(String(afterTerm[paragraph.upperBound..<paragraphEnd.lowerBound])))
            let sentence = firstSentence(text)
            guard !name.isEmpty, !name.contains(" "), sentence.count >= 20 else { continue }
            entries.append(Entry(id: "\(file)#\(name)", name: name, description: SuiteText.masking([name], in: sentence)))
        }
        return entries
    }

    /// The text up to its first `. ` (a sentence end), or all of it.
    static func firstSentence(_ text: String) -> String {
        guard let end = text.range(of: ". ") else { return text }
        return String(text[..<end.lowerBound]) + "."
    }
}
