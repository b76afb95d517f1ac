import Foundation
import Testing

@testable import Corpus

/// Checks generated answers against an independent solver that reads only the problem statement.
@Suite struct SyntheticMathTests {
    @Test func sameSeedSameProblemsAndPrefixStable() {
        let first = SyntheticMath.documents(count: 200, seed: 42, sourceName: "m", domain: "math")
        let again = SyntheticMath.documents(count: 200, seed: 42, sourceName: "m", domain: "math")
        let longer = SyntheticMath.documents(count: 300, seed: 42, sourceName: "m", domain: "math")
        let other = SyntheticMath.documents(count: 200, seed: 43, sourceName: "m", domain: "math")
        #expect(first == again)
        #expect(Array(longer.prefix(200)) == first)
        #expect(first.map(\.text) != other.map(\.text))
        #expect(first.allSatisfy { $0.source == "synthetic" })
        #expect(Set(first.compactMap { $0.metadata["kind"] }) == Set(SyntheticMath.Kind.allCases.map(\.rawValue)))
    }

    @Test func everyAnswerIsCorrect() throws {
        var checked = [SyntheticMath.Kind: Int]()
        for index in 0..<2_000 {
            let problem = SyntheticMath.problem(seed: 7, index: index)
            let expected: String
            switch problem.kind {
            case .arithmetic: expected = "\(try Self.evaluateArithmetic(problem.statement))"
            case .fractions: expected = try Self.evaluateFractions(problem.statement)
            case .linearEquation: expected = "x = \(try Self.solveLinear(problem.statement))"
            case .wordProblem: expected = "\(try Self.solveWordProblem(problem.statement, template: problem.template ?? ""))"
            }
            #expect(problem.answer == expected, "problem \(index): \(problem.text)")
            #expect(problem.text.hasSuffix("Answer: \(problem.answer)"))
            checked[problem.kind, default: 0] += 1
        }
        #expect(checked.count == SyntheticMath.Kind.allCases.count)
    }

    struct ParseFailure: Error { let text: String }

    /// "Compute 12 + 7 × 3 - 5." with precedence, by a two-stack evaluation.
    static func evaluateArithmetic(_ statement: String) throws -> Int {
        let body = statement.dropFirst("Compute ".count).dropLast()
        let tokens = body.split(separator: " ")
        var terms = [Int]()
        var signs = [Int]()
        var current = Int(tokens[0])!
        var index = 1
        while index < tokens.count {
            let op = tokens[index]
            guard let value = Int(tokens[index + 1]) else { throw ParseFailure(text: statement) }
            switch op {
            case "×": current *= value
            case "+", "-":
                terms.append(current)
                signs.append(op == "+" ? 1 : -1)
                current = value
            default: throw ParseFailure(text: statement)
            }
            index += 2
        }
        terms.append(current)
        var total = terms[0]
        for (sign, term) in zip(signs, terms.dropFirst()) { total += sign * term }
        return total
    }

    /// "Compute a/b op c/d and give …" with cross multiplication and Euclid's gcd.
    static func evaluateFractions(_ statement: String) throws -> String {
        let tokens = statement.split(separator: " ")
        func fraction(_ token: Substring) throws -> (Int, Int) {
            let parts = token.split(separator: "/")
            guard parts.count == 2, let n = Int(parts[0]), let d = Int(parts[1]) else { throw ParseFailure(text: statement) }
            return (n, d)
        }
        let (a, b) = try fraction(tokens[1])
        let (c, d) = try fraction(tokens[3])
        var (n, m): (Int, Int)
        switch tokens[2] {
        case "+": (n, m) = (a * d + c * b, b * d)
        case "-": (n, m) = (a * d - c * b, b * d)
        case "×": (n, m) = (a * c, b * d)
        case "÷": (n, m) = (a * d, b * c)
        default: throw ParseFailure(text: statement)
        }
        func gcd(_ x: Int, _ y: Int) -> Int { y == 0 ? abs(x) : gcd(y, x % y) }
        let g = max(gcd(n, m), 1)
        (n, m) = (n / g, m / g)
        return m == 1 ? "\(n)" : "\(n)/\(m)"
    }

    /// "Solve for x: LEFT = RIGHT." where each side is `px + q`; returns the integer root.
    static func solveLinear(_ statement: String) throws -> Int {
        let equation = statement.dropFirst("Solve for x: ".count).dropLast()
        let sides = equation.components(separatedBy: " = ")
        func parse(_ side: String) throws -> (Int, Int) {
            var coefficient = 0
            var constant = 0
            var sign = 1
            for token in side.split(separator: " ") {
                if token == "+" {
                    sign = 1
                    continue
                }
                if token == "-" {
                    sign = -1
                    continue
                }
                if token.hasSuffix("x") {
                    let head = token.dropLast()
                    let value = head.isEmpty ? 1 : head == "-" ? -1 : Int(head)
                    guard let value else { throw ParseFailure(text: statement) }
                    coefficient += sign * value
                } else {
                    guard let value = Int(token) else { throw ParseFailure(text: statement) }
                    constant += sign * value
                }
                sign = 1
            }
            return (coefficient, constant)
        }
        let (a, b) = try parse(sides[0])
        let (c, d) = try parse(sides[1])
        guard a != c, (d - b) % (a - c) == 0 else { throw ParseFailure(text: statement) }
        return (d - b) / (a - c)
    }

    /// Applies each template's formula to the statement's integers, in order.
    static func solveWordProblem(_ statement: String, template: String) throws -> Int {
        var numbers = [Int]()
        var digits = ""
        for character in statement + " " {
            if character.isNumber {
                digits.append(character)
            } else if !digits.isEmpty {
                numbers.append(Int(digits)!)
                digits = ""
            }
        }
        switch (template, numbers.count) {
        case ("change", 3): return numbers[2] - numbers[0] * numbers[1]
        case ("sharing", 2): return numbers[0] / numbers[1]
        case ("distance", 2): return numbers[0] * numbers[1]
        case ("rate", 2): return numbers[1] / numbers[0]
        case ("ages", 2): return (numbers[1] - numbers[0]) / 2
        case ("discount", 2): return numbers[0] - numbers[0] * numbers[1] / 100
        default: throw ParseFailure(text: "\(template): \(statement)")
        }
    }
}
