import Corpus
import FactoryCore
import Foundation

/// Manual pages' NAME lines (`open, openat, creat \- open and possibly create a file`) as
/// multiple choice: which page of the section describes this? The choices are the first names
/// of the described page and of other pages of the same section; the page's names are masked in
/// the description (`___`). Only the files the Debian package installed are read (as the corpus
/// does with `package_files_only`), `.so` redirections have no NAME line and are skipped, and a
/// page whose file has a training document is not used.
struct ManPageSuite {
    let config: TaskSuiteConfig
    let sampling: SuiteSampling
    let exclusion: TrainingExclusion

    /// One page's NAME line.
    struct Entry: Equatable, Sendable {
        /// `man2/open.2.gz`.
        var file: String
        /// `2`.
        var section: String
        var names: [String]
        var description: String
    }

    func build() throws -> (task: BuiltTask, material: TaskSuiteManifest.Material) {
        let source = config.manpages
        let files = try Self.pageFiles(source)
        var entries = [Entry]()
        var excluded = 0
        var seen = Set<String>()
        for file in files {
            guard let entry = Self.entry(roff: try SourceFileText.read(path: source.path + "/" + file), file: file),
                seen.insert("\(entry.section)/\(entry.names[0])").inserted
            else { continue }
            if exclusion.contains(path: source.path + "/" + file) {
                excluded += 1
            } else {
                entries.append(entry)
            }
        }
        var namesOfSection = [String: [String]]()
        for entry in entries { namesOfSection[entry.section, default: []].append(entry.names[0]) }
        let documents = sampling.ordered(entries, task: "manpage-names", id: \.file).lazy.compactMap { entry -> MultipleChoiceDocument? in
            var stream = sampling.stream(task: "manpage-names", id: entry.file)
            guard
                let wrong = SuiteSampling.distractors(
                    from: namesOfSection[entry.section]!, count: config.choices - 1, gold: entry.names[0], excluded: Set(entry.names),
                    &stream)
            else { return nil }
            let placed = SuiteSampling.place(gold: entry.names[0], among: wrong, &stream)
            let context =
                "Question: Which manual page of section \(entry.section) has this description: \(SuiteText.masking(entry.names, in: entry.description))?\nAnswer:"
            return MultipleChoiceDocument(id: entry.file, context: context, choices: placed.choices, gold: placed.gold)
        }.prefix(config.documents)
        let list = TaskDocuments.multipleChoice(Array(documents))
        let header = TaskHeader(
            name: "manpage-names", kind: .multipleChoice, capability: .stem, metric: "acc_norm",
            license: SuiteMaterial.license(of: source), source: "Linux man-pages (Debian \(source.package ?? "manpages")), \(source.path)",
            chance: list.chance,
            description: "Manual pages: which page of the section does its NAME line describe (names masked)?",
            provenance: .object(["package": .string(source.package ?? ""), "pages": .integer(entries.count), "seed": .integer(config.seed)]))
        return (
            BuiltTask(task: TaskFile(header: header, documents: list), candidates: entries.count + excluded, excludedAsTraining: excluded),
            try SuiteMaterial.record(name: "manpages", source: source, files: files)
        )
    }

    /// The package's page files under the source folder (relative, in name order); every file
    /// under `manN/` when the source names no package.
    static func pageFiles(_ source: TaskSuiteConfig.Source) throws -> [String] {
        let root = TrainingExclusion.standardized(source.path)
        var files = [String]()
        if let package = source.package {
            guard let installed = DebianPackage.installedFiles(of: package) else {
                throw FactoryError.missingDependency(
                    name: package, hint: "the Debian package '\(package)' is not installed (`make setup` installs it)")
            }
            for path in installed where path.hasPrefix(root + "/") {
                let relative = String(path.dropFirst(root.count + 1))
                if relative.hasPrefix("man"), relative.contains("/"), (try? FileKind.of(path, name: "manual page")) == .regularFile {
                    files.append(relative)
                }
            }
        } else if let enumerator = FileManager.default.enumerator(atPath: root) {
            while let relative = enumerator.nextObject() as? String {
                if relative.hasPrefix("man"), relative.contains("/"), (try? FileKind.of(root + "/" + relative, name: "manual page")) == .regularFile {
                    files.append(relative)
                }
            }
        }
        return files.sorted()
    }

    /// The NAME line of a page's roff source: the lines after `.SH NAME` up to the next heading,
    /// split at the first `\-`, each side converted to plain text (``RoffText``).
    static func entry(roff: String, file: String) -> Entry? {
        let lines = roff.split(separator: "\n", omittingEmptySubsequences: false)
        guard let heading = lines.firstIndex(where: { $0.hasPrefix(".SH") && $0.uppercased().contains("NAME") }) else { return nil }
        let body = lines[(heading + 1)...].prefix { !$0.hasPrefix(".SH") && !$0.hasPrefix(".SS") }.joined(separator: "\n")
        guard let dash = body.range(of: "\\-") else { return nil }
        let names = SuiteText.collapsed(RoffText.convert(String(body[..<dash.lowerBound]))).split(separator: ",").map {
            SuiteText.collapsed(String($0))
        }.filter { !$0.isEmpty && !$0.contains(" ") }
        let description = SuiteText.collapsed(RoffText.convert(String(body[dash.upperBound...])))
        let section = file.split(separator: "/").first.map { String($0.dropFirst(3)) } ?? ""
        guard !names.isEmpty, description.count >= 10, !section.isEmpty else { return nil }
        return Entry(file: file, section: section, names: names, description: description)
    }
}
