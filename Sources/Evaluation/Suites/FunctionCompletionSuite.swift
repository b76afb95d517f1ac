import FactoryCore

/// Function completion checked by tests (kind `code`): held-out specifications from a seeded
/// generator. Each problem is a Python function to write from its def line and docstring (one
/// worked example in doctest form); its test program asserts on four other inputs. The expected
/// values are computed here with the same integer and string operations Python performs
/// (non-negative integers only, so `//` and `%` agree), and ``Problem/solution`` is a reference
/// implementation the tests check against the generated asserts.
///
/// The corpus has no generator of such functions, so the material is disjoint from any corpus by
/// construction; problem `i` draws from `RandomStream(seed).split("heldout-functions").split(i)`.
struct FunctionCompletionSuite {
    let config: TaskSuiteConfig

    /// The stream label.
    static let label = "heldout-functions"

    /// One generated problem.
    struct Problem: Equatable, Sendable {
        var name: String
        var prompt: String
        var test: String
        /// A correct body for the prompt (for the suite's own tests; not written to the file).
        var solution: String
    }

    /// The families, each a function of one argument.
    enum Family: CaseIterable {
        case affine, countMultiples, sumAbove, repeatJoin, clamp, everyNth, digitSum, countLetters
    }

    func build() -> BuiltTask {
        var problems = [(index: Int, problem: Problem)]()
        var seen = Set<String>()
        var index = 0
        while problems.count < config.documents, index < config.documents * 50 {
            let problem = Self.problem(seed: config.seed, index: index)
            if seen.insert(problem.prompt).inserted { problems.append((index, problem)) }
            index += 1
        }
        let documents = problems.map { index, problem in
            CodeDocument(id: "\(Self.label)/\(index)", prompt: problem.prompt, test: problem.test, entryPoint: problem.name)
        }
        let header = TaskHeader(
            name: "python-functions", kind: .code, capability: .code, metric: "pass@1", license: "CC0-1.0",
            source: "synthetic: FunctionCompletionSuite from RandomStream(seed: \(config.seed)).split(\"\(Self.label)\")", chance: 0,
            description: "Write the body of a small Python function from its docstring; the test program's asserts must pass.",
            provenance: .object([
                "generator": .string("heldout-functions"), "seed": .integer(config.seed), "stream_label": .string(Self.label),
            ]))
        return BuiltTask(task: TaskFile(header: header, documents: .code(documents)), candidates: index, excludedAsTraining: 0)
    }

    /// Problem `index` of `seed`.
    static func problem(seed: Int, index: Int) -> Problem {
        var stream = RandomStream(seed: UInt64(seed)).split(label).split(index)
        func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + SuiteSampling.uniform(range.count, &stream) }
        func word() -> String {
            let letters = Array("abcdefghijklmnopqrstuvwxyz")
            return String((0..<int(3...7)).map { _ in letters[int(0...25)] })
        }
        func list() -> [Int] { (0..<int(3...6)).map { _ in int(0...30) } }
        let family = Family.allCases[SuiteSampling.uniform(Family.allCases.count, &stream)]
        let name: String
        let argument: String
        let doc: String
        let body: String
        let inputs: [String]
        let outputs: [String]
        switch family {
        case .affine:
            let (a, b) = (int(2...9), int(1...20))
            name = "scale_and_shift"
            argument = "x"
            doc = "Return x times \(a) plus \(b)."
            body = "return x * \(a) + \(b)"
            let xs = (0..<5).map { _ in int(0...50) }
            inputs = xs.map(String.init)
            outputs = xs.map { "\($0 * a + b)" }
        case .countMultiples:
            let k = int(2...7)
            name = "count_multiples"
            argument = "numbers"
            doc = "Return how many of the numbers are divisible by \(k)."
            body = "return sum(1 for n in numbers if n % \(k) == 0)"
            let lists = (0..<5).map { _ in list() }
            inputs = lists.map(pythonList)
            outputs = lists.map { "\($0.filter { $0 % k == 0 }.count)" }
        case .sumAbove:
            let t = int(5...25)
            name = "sum_above"
            argument = "numbers"
            doc = "Return the sum of the numbers that are greater than \(t)."
            body = "return sum(n for n in numbers if n > \(t))"
            let lists = (0..<5).map { _ in list() }
            inputs = lists.map(pythonList)
            outputs = lists.map { "\($0.filter { $0 > t }.reduce(0, +))" }
        case .repeatJoin:
            let n = int(2...4)
            let separator = ["-", "+", ", ", " ", "/"][int(0...4)]
            name = "repeat_word"
            argument = "word"
            doc = "Return the word repeated \(n) times, joined by \(pythonString(separator))."
            body = "return \(pythonString(separator)).join([word] * \(n))"
            let words = (0..<5).map { _ in word() }
            inputs = words.map(pythonString)
            outputs = words.map { pythonString(Array(repeating: $0, count: n).joined(separator: separator)) }
        case .clamp:
            let low = int(0...20)
            let high = low + int(5...30)
            name = "clamp"
            argument = "x"
            doc = "Return x limited to the range \(low) to \(high): \(low) if x is smaller, \(high) if x is larger, else x."
            body = "return min(max(x, \(low)), \(high))"
            let xs = (0..<5).map { _ in int(0...60) }
            inputs = xs.map(String.init)
            outputs = xs.map { "\(min(max($0, low), high))" }
        case .everyNth:
            let k = int(2...4)
            name = "every_nth"
            argument = "text"
            doc = "Return every \(k)-th character of the text, starting with the first."
            body = "return text[::\(k)]"
            let words = (0..<5).map { _ in word() + word() }
            inputs = words.map(pythonString)
            outputs = words.map { text in pythonString(String(text.enumerated().filter { $0.offset % k == 0 }.map(\.element))) }
        case .digitSum:
            let b = int(0...9)
            name = "digit_sum"
            argument = "n"
            doc = "Return the sum of the decimal digits of the non-negative integer n, plus \(b)."
            body = "return sum(int(d) for d in str(n)) + \(b)"
            let ns = (0..<5).map { _ in int(0...99999) }
            inputs = ns.map(String.init)
            outputs = ns.map { "\(String($0).compactMap(\.wholeNumberValue).reduce(0, +) + b)" }
        case .countLetters:
            var vowels = Array("aeiou")
            let letters = (0..<int(1...3)).map { _ in vowels.remove(at: int(0...(vowels.count - 1))) }.sorted()
            let set = String(letters)
            name = "count_letters"
            argument = "text"
            doc = "Return how many characters of the text are one of \(pythonString(set))."
            body = "return sum(1 for c in text if c in \(pythonString(set)))"
            let words = (0..<5).map { _ in word() + word() }
            inputs = words.map(pythonString)
            outputs = words.map { word in "\(word.filter { letters.contains($0) }.count)" }
        }
        let prompt = """
            def \(name)(\(argument)):
                \"\"\"\(doc)

                >>> \(name)(\(inputs[0]))
                \(outputs[0])
                \"\"\"

            """
        let test = zip(inputs.dropFirst(), outputs.dropFirst()).map { "assert \(name)(\($0)) == \($1)" }.joined(separator: "\n") + "\n"
        return Problem(name: name, prompt: prompt, test: test, solution: "    \(body)\n")
    }

    private static func pythonList(_ values: [Int]) -> String {
        "[" + values.map(String.init).joined(separator: ", ") + "]"
    }

    /// A Python string literal of text without quotes or backslashes.
    private static func pythonString(_ text: String) -> String { "'\(text)'" }
}
