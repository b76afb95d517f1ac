import FactoryCore
import Foundation
import Testing

@testable import Inference

@Suite struct SamplerTests {
    /// Runs `sampler` on `logits`.
    static func next(_ sampler: inout Sampler, _ logits: [Float]) -> UInt32 {
        logits.withUnsafeBufferPointer { sampler.next(logits: $0) }
    }

    /// Logits whose softmax is `probabilities`.
    static func logits(_ probabilities: [Double]) -> [Float] { probabilities.map { Float(log($0)) } }

    @Test func greedyTakesTheArgmaxAndTheLowestIdOnTies() {
        var sampler = Sampler(parameters: .greedy, context: [])
        #expect(Self.next(&sampler, [0.5, 2, -1, 2]) == 1)
        #expect(Self.next(&sampler, [-3, -2, -2.5]) == 1)
    }

    @Test func repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenTokens() {
        // Token 0 is in the prompt: 2 / 1.25 = 1.6 < 1.9.
        var positive = Sampler(parameters: SamplingParameters(temperature: 0, repetitionPenalty: 1.25), context: [0])
        #expect(Self.next(&positive, [2, 1.9, -1]) == 1)
        // Token 0 again: −0.5 × 2 = −1 < −0.55.
        var negative = Sampler(parameters: SamplingParameters(temperature: 0, repetitionPenalty: 2), context: [0])
        #expect(Self.next(&negative, [-0.5, -0.55]) == 1)
        // Generated tokens count too: 1.0 → 0 (then 1.0 / 1.5 ≈ 0.67 < 0.9) → 1 (then 0.6 < 0.67) → 0.
        var output = Sampler(parameters: SamplingParameters(temperature: 0, repetitionPenalty: 1.5), context: [])
        #expect((0..<3).map { _ in Self.next(&output, [1, 0.9]) } == [0, 1, 0])
        // Without the penalty the same row always gives token 0.
        var plain = Sampler(parameters: .greedy, context: [0])
        #expect((0..<3).map { _ in Self.next(&plain, [1, 0.9]) } == [0, 0, 0])
    }

    @Test func filtersKeepTheExpectedTokensOnHandMadeLogits() {
        let scores = Self.logits([0.5, 0.3, 0.15, 0.05])
        #expect(Sampler.keptTokens(scores, topK: 0, topP: 1, minP: 0) == [0, 1, 2, 3])
        #expect(Sampler.keptTokens(scores, topK: 0, topP: 0.75, minP: 0) == [0, 1])
        #expect(Sampler.keptTokens(scores, topK: 0, topP: 0.85, minP: 0) == [0, 1, 2])
        #expect(Sampler.keptTokens(scores, topK: 0, topP: 0.1, minP: 0) == [0])
        #expect(Sampler.keptTokens(scores, topK: 0, topP: 1, minP: 0.4) == [0, 1])
        #expect(Sampler.keptTokens(scores, topK: 0, topP: 1, minP: 0.25) == [0, 1, 2])
        #expect(Sampler.keptTokens(scores, topK: 3, topP: 1, minP: 0) == [0, 1, 2])
        // Top-p after top-k renormalizes over the three kept: 0.5 / 0.95 ≈ 0.53 < 0.55.
        #expect(Sampler.keptTokens(scores, topK: 3, topP: 0.55, minP: 0) == [0, 1])
        // Ties at the top-k boundary stay, as in transformers; ties sort by id.
        #expect(Sampler.keptTokens([1, 3, 3, 2, 2], topK: 2, topP: 1, minP: 0) == [1, 2])
        #expect(Sampler.keptTokens([1, 3, 3, 2, 2], topK: 3, topP: 1, minP: 0) == [1, 2, 3, 4])
    }

    /// The filters written out directly: top-k by counting strictly better tokens, top-p by the
    /// probability of the tokens ranked before, min-p by the ratio to the best.
    static func referenceKept(_ scores: [Float], topK: Int, topP: Float, minP: Float) -> Set<Int> {
        var kept = Set(scores.indices)
        if topK > 0 {
            kept = kept.filter { token in scores.filter { $0 > scores[token] }.count < topK }
        }
        func probabilities(_ tokens: Set<Int>) -> [Int: Double] {
            let total = tokens.reduce(0.0) { $0 + exp(Double(scores[$1])) }
            return Dictionary(uniqueKeysWithValues: tokens.map { ($0, exp(Double(scores[$0])) / total) })
        }
        if topP < 1 {
            let p = probabilities(kept)
            func before(_ a: Int, _ b: Int) -> Bool { scores[a] != scores[b] ? scores[a] > scores[b] : a < b }
            kept = kept.filter { token in kept.filter { before($0, token) }.reduce(0.0) { $0 + p[$1]! } < Double(topP) }
        }
        if minP > 0 {
            let p = probabilities(kept)
            let best = p.values.max()!
            kept = kept.filter { p[$0]! >= Double(minP) * best }
        }
        return kept
    }

    @Test func filtersMatchTheReferenceOnRandomLogits() {
        var random = RandomStream(seed: 5)
        for trial in 0..<200 {
            // Scores on a coarse grid, so ties happen.
            let scores = (0..<24).map { _ in Float(random.next() % 16) * 0.25 - 2 }
            let topK = [0, 1, 3, 8, 30][trial % 5]
            let topP: Float = [1, 0.9, 0.5, 0.2][trial % 4]
            let minP: Float = [0, 0.05, 0.3][trial % 3]
            let kept = Sampler.keptTokens(scores, topK: topK, topP: topP, minP: minP)
            #expect(Set(kept) == Self.referenceKept(scores, topK: topK, topP: topP, minP: minP), "trial \(trial)")
            #expect(kept.count == Set(kept).count)
        }
    }

    @Test func aSeedReproducesTheDrawsAndAnotherSeedDiffers() {
        let rows = (0..<200).map { step in (0..<16).map { Float(sin(Double(step * 16 + $0))) } }
        func run(seed: UInt64) -> [UInt32] {
            var sampler = Sampler(parameters: SamplingParameters(temperature: 0.9, topP: 0.95, seed: seed), context: [1, 2])
            return rows.map { Self.next(&sampler, $0) }
        }
        #expect(run(seed: 7) == run(seed: 7))
        #expect(run(seed: 7) != run(seed: 8))
        #expect(Sampler(parameters: SamplingParameters(seed: 7), context: []).seed == 7)
    }

    /// Draws `count` tokens from fixed logits and returns the frequency of each.
    static func frequencies(_ logits: [Float], _ parameters: SamplingParameters, count: Int) -> [Double] {
        var sampler = Sampler(parameters: parameters, context: [])
        var counts = [Int](repeating: 0, count: logits.count)
        for _ in 0..<count { counts[Int(Self.next(&sampler, logits))] += 1 }
        return counts.map { Double($0) / Double(count) }
    }

    /// Whether each frequency lies within 5 standard deviations of its probability.
    static func expectFrequencies(_ frequencies: [Double], near probabilities: [Double], draws: Int) {
        for (frequency, probability) in zip(frequencies, probabilities) {
            let deviation = (probability * (1 - probability) / Double(draws)).squareRoot()
            #expect(abs(frequency - probability) <= 5 * deviation + 1e-12, "frequency \(frequency) for probability \(probability)")
        }
    }

    @Test func temperatureSamplingFollowsTheScaledDistribution() {
        let draws = 20_000
        let logits = Self.logits([1, 2, 4, 8].map { $0 / 15 })
        Self.expectFrequencies(
            Self.frequencies(logits, SamplingParameters(temperature: 1, seed: 11), count: draws), near: [1, 2, 4, 8].map { $0 / 15 },
            draws: draws)
        // Temperature 2 takes the square root of the odds.
        let root = [1, 2, 4, 8].map { Double($0).squareRoot() }
        let rootTotal = root.reduce(0, +)
        Self.expectFrequencies(
            Self.frequencies(logits, SamplingParameters(temperature: 2, seed: 12), count: draws), near: root.map { $0 / rootTotal },
            draws: draws)
        // Top-k 2 leaves tokens 2 and 3 in the ratio 1 : 2.
        Self.expectFrequencies(
            Self.frequencies(logits, SamplingParameters(temperature: 1, topK: 2, seed: 13), count: draws), near: [0, 0, 1.0 / 3, 2.0 / 3],
            draws: draws)
    }

    @Test func logprobsAreTheRawLogSoftmaxWithTopAlternativesTiesByLowerId() {
        let logits: [Float] = [1, 3, 0.5, 3, -2, 2]
        let best = Double(logits.max()!)
        let normalizer = best + log(logits.reduce(0.0) { $0 + exp(Double($1) - best) })
        let entry = logits.withUnsafeBufferPointer { LogSoftmax($0).tokenLogprob(2, top: 3) }
        #expect(entry.token == 2)
        #expect(abs(Double(entry.logprob) - (0.5 - normalizer)) < 1e-6)
        #expect(entry.top.map(\.token) == [1, 3, 5])
        for alternative in entry.top {
            #expect(abs(Double(alternative.logprob) - (Double(logits[Int(alternative.token)]) - normalizer)) < 1e-6)
        }
        #expect(logits.withUnsafeBufferPointer { TopTokens.best($0, count: 0) }.isEmpty)
        #expect(logits.withUnsafeBufferPointer { TopTokens.best($0, count: 10) } == [1, 3, 5, 0, 2, 4])
    }
}
