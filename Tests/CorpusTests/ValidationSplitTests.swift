import Testing

@testable import Corpus

@Suite struct ValidationSplitTests {
    @Test func deterministicAndOrderFree() {
        let split = ValidationSplit(fraction: 0.1)
        let ids = (0..<1_000).map { "doc-\($0)" }
        let first = ids.filter(split.isValidation)
        let reversed = ids.reversed().filter(split.isValidation).reversed()
        #expect(first == Array(reversed))
        #expect(first == ids.filter(ValidationSplit(fraction: 0.1).isValidation))
    }

    @Test(arguments: [0.02, 0.1, 0.5])
    func fractionIsApproximatelyHeldOut(fraction: Double) {
        let split = ValidationSplit(fraction: fraction)
        let count = 20_000
        let held = (0..<count).filter { split.isValidation(id: "source/file-\($0).txt") }.count
        let expected = fraction * Double(count)
        let sigma = (Double(count) * fraction * (1 - fraction)).squareRoot()
        #expect(abs(Double(held) - expected) < 5 * sigma, "held \(held), expected about \(expected)")
    }

    @Test func largerFractionKeepsEarlierValidationDocuments() {
        let ids = (0..<2_000).map { "id\($0)" }
        let small = Set(ids.filter(ValidationSplit(fraction: 0.05).isValidation))
        let large = Set(ids.filter(ValidationSplit(fraction: 0.2).isValidation))
        #expect(small.isSubset(of: large))
        #expect(ids.filter(ValidationSplit(fraction: 0).isValidation).isEmpty)
    }
}
