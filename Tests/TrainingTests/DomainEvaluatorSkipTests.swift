import FactoryCore
import Foundation
import Shards
import Testing
import Training

@testable import Evaluation

/// A validation domain that cannot be evaluated is named with its reason, never silently left
/// out; when no domain can be evaluated at all, the evaluator refuses instead of reporting nothing.
@Suite struct DomainEvaluatorSkipTests {
    @Test func domainsShorterThanOneWindowAreNamed() throws {
        let fixture = try TrainingFixture()
        let tokens = fixture.validation.streams.mapValues(\.count)
        let shortest = tokens.values.min()!
        let longest = tokens.values.max()!
        let time = (shortest + longest) / 2
        try #require(shortest <= time && longest > time, "the fixture's domains must differ in length: \(tokens)")
        let evaluator = try DomainEvaluator(
            validation: fixture.validation, tokenizer: fixture.tokenizer, time: time, batchSize: 1, maximumSequences: 1,
            source: "validation")
        let short = tokens.first { $0.value == shortest }!.key
        #expect(evaluator.skippedDomains == [short: "its \(shortest) validation tokens are fewer than one window of \(time + 1)"])

        let tooLong = longest
        #expect {
            try DomainEvaluator(
                validation: fixture.validation, tokenizer: fixture.tokenizer, time: tooLong, batchSize: 1, maximumSequences: 1,
                source: "validation")
        } throws: { error in
            guard case FactoryError.invalidArgument(let name, let message) = error else { return false }
            return name == "validation shards validation" && message.hasPrefix("no domain can be evaluated at sequence length \(tooLong) (")
                && message.contains("fewer than one window of \(tooLong + 1)")
        }
    }
}
