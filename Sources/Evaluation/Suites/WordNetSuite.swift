import Corpus
import FactoryCore
import Foundation

/// WordNet as three multiple-choice tasks of the common-sense and lexical suite:
///
/// - `wordnet-glosses`: which word has this definition? (the synset's first word among first
///   words of other synsets of the same part of speech);
/// - `wordnet-hypernyms`: a NOUN is a kind of what? (the first word of a direct hypernym among
///   nouns that are not its hypernyms);
/// - `wordnet-antonyms`: the opposite of an adjective (its lexical antonym among other
///   adjectives).
///
/// A synset that is a training document of the corpus (the corpus takes synsets with example
/// sentences) is not asked about, nor used as the answer of a hypernym or antonym item. The
/// definition's own words are masked (`___`).
struct WordNetSuite {
    let config: TaskSuiteConfig
    let sampling: SuiteSampling
    let exclusion: TrainingExclusion

    func build() throws -> (tasks: [BuiltTask], material: TaskSuiteManifest.Material) {
        let source = config.wordnet
        // One synset per key (a data file repeating an offset keeps its first line), so the ids
        // below, built from the key, are unique per task file by construction.
        var byKey = [String: WordNetSynset]()
        let synsets = try WordNetSynset.read(directory: source.path).filter {
            let key = Self.key($0.partOfSpeech, $0.offset)
            guard byKey[key] == nil else { return false }
            byKey[key] = $0
            return true
        }
        let isTraining = { (synset: WordNetSynset) in exclusion.synsets.contains(Self.key(synset.partOfSpeech, synset.offset)) }
        var firstWords = [String: [String]]()
        for synset in synsets { firstWords[synset.partOfSpeech, default: []].append(synset.words[0]) }
        for key in firstWords.keys { firstWords[key] = Array(Set(firstWords[key]!)).sorted() }
        let license = SuiteMaterial.license(of: source)
        let origin = "WordNet 3.0 (Debian \(source.package ?? "wordnet-base")), \(source.path)"

        // Glosses.
        var glossItems = [Item]()
        var glossExcluded = 0
        for synset in synsets where !synset.definition.isEmpty {
            if isTraining(synset) {
                glossExcluded += 1
                continue
            }
            glossItems.append(
                Item(
                    id: Self.key(synset.partOfSpeech, synset.offset),
                    context: "Question: Which word means \"\(SuiteText.masking(synset.words, in: synset.definition))\"?\nAnswer:",
                    gold: synset.words[0], excluded: Set(synset.words), pool: synset.partOfSpeech))
        }

        // Hypernyms.
        var hypernymItems = [Item]()
        var hypernymExcluded = 0
        for synset in synsets where synset.partOfSpeech == "noun" {
            let hypernyms = synset.pointers.filter { $0.symbol == "@" || $0.symbol == "@i" }.compactMap {
                byKey[Self.key($0.partOfSpeech, $0.offset)]
            }
            guard let target = hypernyms.first else { continue }
            if isTraining(synset) || hypernyms.contains(where: isTraining) {
                hypernymExcluded += 1
                continue
            }
            hypernymItems.append(
                Item(
                    id: Self.key(synset.partOfSpeech, synset.offset),
                    context: "Question: \(Self.article(synset.words[0])) \(synset.words[0]) is a kind of what?\nAnswer:",
                    gold: target.words[0], excluded: Set(hypernyms.flatMap(\.words) + synset.words), pool: "noun"))
        }

        // Antonyms (lexical pointers: a word of this synset and a word of the target): one item per
        // word, its first antonym the gold answer, none of its antonyms a distractor.
        var antonymItems = [Item]()
        var antonymExcluded = 0
        for synset in synsets where synset.partOfSpeech == "adjective" {
            var antonymsOfWord = [Int: [(synset: WordNetSynset, word: String)]]()
            for pointer in synset.pointers where pointer.symbol == "!" && pointer.sourceWord > 0 && pointer.targetWord > 0 {
                guard let target = byKey[Self.key(pointer.partOfSpeech, pointer.offset)], pointer.sourceWord <= synset.words.count,
                    pointer.targetWord <= target.words.count
                else { continue }
                antonymsOfWord[pointer.sourceWord, default: []].append((target, target.words[pointer.targetWord - 1]))
            }
            for (source, antonyms) in antonymsOfWord.sorted(by: { $0.key < $1.key }) {
                if isTraining(synset) || antonyms.contains(where: { isTraining($0.synset) }) {
                    antonymExcluded += 1
                    continue
                }
                let word = synset.words[source - 1]
                antonymItems.append(
                    Item(
                        id: "\(Self.key(synset.partOfSpeech, synset.offset))/\(source)",
                        context: "Question: What is the opposite of \"\(word)\"?\nAnswer:", gold: antonyms[0].word,
                        excluded: Set(synset.words + antonyms.flatMap(\.synset.words)), pool: "adjective"))
            }
        }

        func task(_ name: String, _ items: [Item], excluded: Int, metric: String, description: String) -> BuiltTask {
            let documents = sampling.ordered(items, task: name, id: \.id).lazy.compactMap { item -> MultipleChoiceDocument? in
                var stream = sampling.stream(task: name, id: item.id)
                guard
                    let wrong = SuiteSampling.distractors(
                        from: firstWords[item.pool] ?? [], count: self.config.choices - 1, gold: item.gold, excluded: item.excluded, &stream)
                else { return nil }
                let placed = SuiteSampling.place(gold: item.gold, among: wrong, &stream)
                return MultipleChoiceDocument(id: item.id, context: item.context, choices: placed.choices, gold: placed.gold)
            }.prefix(config.documents)
            let list = TaskDocuments.multipleChoice(Array(documents))
            let header = TaskHeader(
                name: name, kind: .multipleChoice, capability: .commonSense, metric: metric, license: license, source: origin,
                chance: list.chance, description: description,
                provenance: .object([
                    "package": .string(source.package ?? ""), "synsets": .integer(synsets.count), "seed": .integer(config.seed),
                ]))
            return BuiltTask(task: TaskFile(header: header, documents: list), candidates: items.count + excluded, excludedAsTraining: excluded)
        }
        let tasks = [
            task(
                "wordnet-glosses", glossItems, excluded: glossExcluded, metric: "acc_norm",
                description: "WordNet: which word has this definition (its own words masked)?"),
            task(
                "wordnet-hypernyms", hypernymItems, excluded: hypernymExcluded, metric: "acc_norm",
                description: "WordNet: what is a noun a kind of (its direct hypernym)?"),
            task(
                "wordnet-antonyms", antonymItems, excluded: antonymExcluded, metric: "acc_norm",
                description: "WordNet: which adjective is the opposite of this one?"),
        ]
        let dataFiles = WordNetSynset.fileNames.filter { FileManager.default.fileExists(atPath: source.path + "/" + $0) }
        return (tasks, try SuiteMaterial.record(name: "wordnet", source: source, files: dataFiles))
    }

    /// One question before its distractors are drawn.
    struct Item: Sendable {
        var id: String
        var context: String
        var gold: String
        /// Words that must not be distractors (the synset's own, the true hypernyms).
        var excluded: Set<String>
        /// The part of speech whose first words are the distractors.
        var pool: String
    }

    private static func key(_ partOfSpeech: String, _ offset: String) -> String { "\(partOfSpeech)/\(offset)" }

    private static func article(_ word: String) -> String {
        "aeiou".contains(word.lowercased().first ?? "x") ? "An" : "A"
    }
}
