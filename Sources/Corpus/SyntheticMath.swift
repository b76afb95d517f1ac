import Documents
import FactoryCore

/// A generator of math problems with worked solutions: integer arithmetic with operator
/// precedence, fraction arithmetic, linear equations in one unknown, and word problems.
///
/// Problem `i` of seed `s` depends only on `(s, i)` (its own split of a ``RandomStream``), so a
/// corpus of 1,000 problems is the first 1,000 of a corpus of 10,000. Documents are tagged
/// `synthetic` in their `source` field.
public enum SyntheticMath {
    /// The families of problems.
    public enum Kind: String, CaseIterable, Sendable {
        case arithmetic
        case fractions
        case linearEquation = "linear-equation"
        case wordProblem = "word-problem"
    }

    /// One generated problem.
    public struct Problem: Equatable, Sendable {
        /// Its family.
        public var kind: Kind
        /// The question, one sentence or a short paragraph.
        public internal(set) var statement: String
        /// The worked solution, one step per line.
        public var steps: [String]
        /// The final answer (`28`, `19/12`, `x = -3`).
        public internal(set) var answer: String
        /// For word problems, the template name (`change`, `sharing`, …).
        public var template: String?

        /// The document text: problem, worked solution, answer.
        public var text: String {
            "Problem: \(statement)\n\nSolution:\n\(steps.joined(separator: "\n"))\n\nAnswer: \(answer)"
        }
    }

    /// The value of `Document.source` for every synthetic document.
    public static let sourceTag = "synthetic"

    /// Problem `index` of `seed`.
    public static func problem(seed: UInt64, index: Int) -> Problem {
        problem(stream: RandomStream(seed: seed).split(streamLabel).split(index))
    }

    /// The label of the stream corpus problems are drawn from: problem `i` of seed `s` draws
    /// from `RandomStream(seed: s).split(streamLabel).split(i)`. Held-out evaluation problems
    /// draw from streams split by other labels, which no corpus seed reaches.
    public static let streamLabel = "synthetic-math"

    /// The problem whose random choices are drawn from `stream` (the corpus's problems use
    /// ``problem(seed:index:)``; evaluation suites pass streams of their own).
    public static func problem(stream: RandomStream) -> Problem {
        var draw = SyntheticDraw(stream: stream)
        switch draw.pick(Kind.allCases) {
        case .arithmetic: return arithmetic(&draw)
        case .fractions: return fractions(&draw)
        case .linearEquation: return linearEquation(&draw)
        case .wordProblem: return SyntheticWordProblems.make(&draw)
        }
    }

    /// Problems `0..<count` of `seed` as documents of `domain`, ids `sourceName/index`.
    public static func documents(count: Int, seed: UInt64, sourceName: String, domain: String) -> [Document] {
        (0..<count).map { document(index: $0, seed: seed, sourceName: sourceName, domain: domain) }
    }

    /// Problem `index` of `seed` as a document of `domain`, id `sourceName/index` (a source
    /// generates its problems one at a time, so its `count` is never held in memory).
    public static func document(index: Int, seed: UInt64, sourceName: String, domain: String) -> Document {
        let problem = problem(seed: seed, index: index)
        var metadata = [
            "generator": "synthetic-math", "kind": problem.kind.rawValue, "answer": problem.answer,
            "seed": "\(seed)", "index": "\(index)", "source_name": sourceName,
        ]
        if let template = problem.template { metadata["template"] = template }
        return Document(
            id: "\(sourceName)/\(index)", text: problem.text, domain: domain, source: sourceTag,
            license: "CC0-1.0", metadata: metadata)
    }

    // MARK: arithmetic

    private static func arithmetic(_ draw: inout SyntheticDraw) -> Problem {
        let termCount = draw.int(3...4)
        var numbers = [draw.int(2...60)]
        var operators = [Character]()
        for _ in 1..<termCount {
            let op = draw.pick(["+", "-", "×"] as [Character])
            operators.append(op)
            numbers.append(op == "×" ? draw.int(2...12) : draw.int(2...60))
        }
        let statement = "Compute \(render(numbers, operators))."
        var steps = [String]()
        if operators.contains("×") && operators.contains(where: { $0 != "×" }) {
            steps.append("Multiplication comes before addition and subtraction.")
        }
        var values = numbers
        var ops = operators
        func apply(at position: Int) {
            let (left, right) = (values[position], values[position + 1])
            let result: Int
            switch ops[position] {
            case "+": result = left + right
            case "-": result = left - right
            default: result = left * right
            }
            let step = "\(left) \(ops[position]) \(right) = \(result)"
            values.replaceSubrange(position...(position + 1), with: [result])
            ops.remove(at: position)
            steps.append(ops.isEmpty ? "\(step)." : "\(step), so the expression becomes \(render(values, ops)).")
        }
        while let position = ops.firstIndex(of: "×") { apply(at: position) }
        while !ops.isEmpty { apply(at: 0) }
        return Problem(kind: .arithmetic, statement: statement, steps: steps, answer: "\(values[0])")
    }

    private static func render(_ numbers: [Int], _ operators: [Character]) -> String {
        var text = "\(numbers[0])"
        for (op, number) in zip(operators, numbers.dropFirst()) { text += " \(op) \(number)" }
        return text
    }

    // MARK: fractions

    private static func fractions(_ draw: inout SyntheticDraw) -> Problem {
        func fraction() -> (Int, Int) {
            let denominator = draw.int(2...12)
            return (draw.int(1...(denominator * 2 - 1)), denominator)
        }
        let (a, b) = fraction()
        let (c, d) = fraction()
        let op = draw.pick(["+", "-", "×", "÷"] as [Character])
        let statement = "Compute \(a)/\(b) \(op) \(c)/\(d) and give the result in lowest terms."
        var steps = [String]()
        var numerator: Int
        var denominator: Int
        switch op {
        case "+", "-":
            let common = Rational.lcm(b, d)
            let (left, right) = (a * (common / b), c * (common / d))
            numerator = op == "+" ? left + right : left - right
            denominator = common
            if b == d {
                steps.append("Both fractions have the denominator \(b).")
            } else {
                steps.append("The least common denominator of \(b) and \(d) is \(common).")
                steps.append("\(a)/\(b) = \(left)/\(common) and \(c)/\(d) = \(right)/\(common).")
            }
            steps.append("\(left)/\(common) \(op) \(right)/\(common) = \(numerator)/\(common).")
        case "×":
            numerator = a * c
            denominator = b * d
            steps.append("Multiply the numerators and the denominators: (\(a) × \(c))/(\(b) × \(d)) = \(numerator)/\(denominator).")
        default:
            numerator = a * d
            denominator = b * c
            steps.append("Dividing by \(c)/\(d) is multiplying by its reciprocal \(d)/\(c).")
            steps.append("\(a)/\(b) × \(d)/\(c) = \(numerator)/\(denominator).")
        }
        let result = Rational(numerator, denominator)
        let divisor = Rational.gcd(numerator, denominator)
        if numerator == 0 {
            steps.append("The numerator is 0, so the result is 0.")
        } else if divisor > 1 {
            steps.append(
                "Divide the numerator and the denominator by their greatest common divisor \(divisor): \(numerator)/\(denominator) = \(result).")
        } else {
            steps.append("\(numerator)/\(denominator) is already in lowest terms.")
        }
        return Problem(kind: .fractions, statement: statement, steps: steps, answer: result.description)
    }

    // MARK: linear equations

    private static func linearEquation(_ draw: inout SyntheticDraw) -> Problem {
        let x = draw.int(-12...12)
        let a = draw.nonZero(-9...9)
        var c = draw.int(-9...9)
        while c == a { c = draw.int(-9...9) }
        let b = draw.int(-30...30)
        let d = (a - c) * x + b
        let statement = "Solve for x: \(linear(a, b)) = \(linear(c, d))."
        var steps = [String]()
        let k = a - c
        if c != 0 {
            let move = c > 0 ? "Subtract \(term(c)) from" : "Add \(term(-c)) to"
            steps.append("\(move) both sides: \(linear(k, b)) = \(d).")
        }
        if b != 0 {
            steps.append("\(b > 0 ? "Subtract \(b) from" : "Add \(-b) to") both sides: \(linear(k, 0)) = \(d - b).")
        }
        if k != 1 {
            steps.append("Divide both sides by \(k): x = \(x).")
        }
        steps.append(
            "Check: \(a) × \(parenthesized(x)) + \(parenthesized(b)) = \(a * x + b) and \(c) × \(parenthesized(x)) + \(parenthesized(d)) = \(c * x + d)."
        )
        return Problem(kind: .linearEquation, statement: statement, steps: steps, answer: "x = \(x)")
    }

    /// `5x + 3`, `-x - 7`, `4`, `2x` for `coefficient·x + constant`.
    private static func linear(_ coefficient: Int, _ constant: Int) -> String {
        guard coefficient != 0 else { return "\(constant)" }
        let head = coefficient == 1 ? "x" : coefficient == -1 ? "-x" : "\(coefficient)x"
        if constant == 0 { return head }
        return constant > 0 ? "\(head) + \(constant)" : "\(head) - \(-constant)"
    }

    private static func term(_ coefficient: Int) -> String {
        coefficient == 1 ? "x" : coefficient == -1 ? "-x" : "\(coefficient)x"
    }

    private static func parenthesized(_ value: Int) -> String { value < 0 ? "(\(value))" : "\(value)" }
}
