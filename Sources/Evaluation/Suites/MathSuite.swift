import Corpus
import FactoryCore

/// The math suite: held-out synthetic problems (``SyntheticMath``'s arithmetic, fractions,
/// linear equations and word problems) as exact match and as multiple choice.
///
/// Held out twice over: the problems are drawn from streams split by the labels
/// `heldout-math-exact` and `heldout-math-choice`, which no corpus seed reaches (a corpus draws
/// from `RandomStream(seed).split("synthetic-math")`, and a split's key is SHA-256 of its parent
/// key and label); and since small templates repeat their text across seeds, a problem whose
/// statement a training document has is dropped as well.
struct MathSuite {
    let config: TaskSuiteConfig
    let sampling: SuiteSampling
    let exclusion: TrainingExclusion

    /// The stream labels of the two tasks.
    static let exactLabel = "heldout-math-exact"
    static let choiceLabel = "heldout-math-choice"

    func build() -> [BuiltTask] {
        [exactMatch(), multipleChoice()]
    }

    /// Problems of `label`'s stream in index order, without training statements or repeats, until
    /// `documents` are found or `limit` indices are tried.
    private func problems(label: String) -> (problems: [(index: Int, problem: SyntheticMath.Problem)], tried: Int, excluded: Int) {
        let root = RandomStream(seed: UInt64(config.seed)).split(label)
        var found = [(index: Int, problem: SyntheticMath.Problem)]()
        var seen = Set<String>()
        var excluded = 0
        var index = 0
        let limit = config.documents * 50
        while found.count < config.documents, index < limit {
            let problem = SyntheticMath.problem(stream: root.split(index))
            if exclusion.mathStatements.contains(problem.statement) {
                excluded += 1
            } else if seen.insert(problem.statement).inserted {
                found.append((index, problem))
            }
            index += 1
        }
        return (found, index, excluded)
    }

    private static func prompt(_ problem: SyntheticMath.Problem) -> String {
        "Problem: \(problem.statement)\n\nAnswer:"
    }

    private func makeHeader(
        name: String, metric: String, label: String, description: String, documents: TaskDocuments
    )
        -> TaskHeader
    {
        TaskHeader(
            name: name, kind: documents.kind, capability: .math, metric: metric, license: "CC0-1.0",
            source: "synthetic: SyntheticMath problems from RandomStream(seed: \(config.seed)).split(\"\(label)\")",
            chance: documents.chance, description: description,
            provenance: .object([
                "generator": .string("synthetic-math"), "seed": .integer(config.seed), "stream_label": .string(label),
                "corpus_stream_label": .string(SyntheticMath.streamLabel),
            ]))
    }

    private func exactMatch() -> BuiltTask {
        let (problems, tried, excluded) = problems(label: Self.exactLabel)
        let documents = TaskDocuments.exactMatch(
            problems.map { index, problem in
                ExactMatchDocument(
                    id: "\(Self.exactLabel)/\(index)", prompt: Self.prompt(problem), answer: problem.answer, stop: ["\n"], maxTokens: 16)
            })
        let header = makeHeader(
            name: "math-exact", metric: "exact_match", label: Self.exactLabel,
            description: "Held-out synthetic arithmetic, fraction, linear-equation and word problems: generate the final answer.",
            documents: documents)
        return BuiltTask(task: TaskFile(header: header, documents: documents), candidates: tried, excludedAsTraining: excluded)
    }

    private func multipleChoice() -> BuiltTask {
        let (problems, tried, excluded) = problems(label: Self.choiceLabel)
        let list = problems.compactMap { index, problem -> MultipleChoiceDocument? in
            let id = "\(Self.choiceLabel)/\(index)"
            var stream = sampling.stream(task: "math-choice", id: id)
            guard let wrong = Self.nearbyAnswers(to: problem.answer, count: config.choices - 1, &stream) else { return nil }
            let placed = SuiteSampling.place(gold: problem.answer, among: wrong, &stream)
            return MultipleChoiceDocument(id: id, context: Self.prompt(problem), choices: placed.choices, gold: placed.gold)
        }
        let documents = TaskDocuments.multipleChoice(list)
        let header = makeHeader(
            name: "math-choice", metric: "acc", label: Self.choiceLabel,
            description: "Held-out synthetic problems: pick the final answer among it and answers close to it.",
            documents: documents)
        return BuiltTask(task: TaskFile(header: header, documents: documents), candidates: tried, excludedAsTraining: excluded)
    }

    /// `count` distinct wrong answers of the same form close to `answer`: an integer, a fraction
    /// `p/q` (numerator moved, result in lowest terms) or `x = n`, moved by small offsets.
    static func nearbyAnswers(to answer: String, count: Int, _ stream: inout RandomStream) -> [String]? {
        let offsets = [1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 10, -10]
        var candidates = [String]()
        for offset in offsets {
            guard let moved = moved(answer, by: offset), moved != answer, !candidates.contains(moved) else { continue }
            candidates.append(moved)
        }
        guard candidates.count >= count else { return nil }
        var chosen = [String]()
        while chosen.count < count {
            let index = SuiteSampling.uniform(candidates.count, &stream)
            chosen.append(candidates.remove(at: index))
        }
        return chosen
    }

    private static func moved(_ answer: String, by offset: Int) -> String? {
        if answer.hasPrefix("x = "), let value = Int(answer.dropFirst(4)) { return "x = \(value + offset)" }
        if let value = Int(answer) { return "\(value + offset)" }
        let parts = answer.split(separator: "/")
        guard parts.count == 2, let numerator = Int(parts[0]), let denominator = Int(parts[1]), denominator > 0 else { return nil }
        let moved = numerator + offset
        let divisor = gcd(abs(moved), denominator)
        let (p, q) = divisor == 0 ? (0, 1) : (moved / divisor, denominator / divisor)
        return q == 1 ? "\(p)" : "\(p)/\(q)"
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
