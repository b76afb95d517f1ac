import FactoryCore
import Foundation
import Testing

@testable import Mixing

/// The AutoMixer on several targets: one surrogate per metric, a weighted objective of metrics
/// scaled by their swarm spread, and floors at the prior's predictions.
@Suite struct CapabilityObjectiveTests {
    static let domains = ["code", "math", "prose"]

    /// A synthetic swarm of 24 mixtures and metrics that are exact linear functions of them:
    /// math rises with the math share, code falls with it (the two pull apart), loss favours prose.
    static func swarm() throws -> (x: [[Double]], metrics: NumericTable) {
        let stream = RandomStream(seed: 7).split("test-swarm")
        let dirichlet = DirichletSampler(stream: stream)
        let x = (0..<24).map { dirichlet.sample(alpha: [2, 2, 2], index: $0) }
        let columns = ["eval/code/score", "eval/loss", "eval/math/score"]
        let rows = x.map { w in [0.60 - 0.40 * w[1] + 0.10 * w[0], 3.0 - 0.5 * w[2], 0.20 + 0.50 * w[1]] }
        return (x, NumericTable(columns: columns, index: x.indices.map { "\($0 + 1)" }, hasIndexColumn: true, rows: rows))
    }

    static func objective(_ targets: [ResolvedTarget]) throws -> MixObjective {
        let (x, metrics) = try swarm()
        return try MixObjective.fit(
            targets: targets, reported: ["eval/loss", "eval/code/score", "eval/math/score"], metrics: metrics, x: x, domains: domains,
            kinds: [.linear], source: "metrics.csv")
    }

    static let prior = try! Mixture(["code": 0.3, "math": 0.3, "prose": 0.4])

    /// Maximizing math alone drives the math share to its cap and code's score far below the
    /// prior's; a floor on code (weight 0: a floor only) stops the search where code's predicted
    /// score is the prior's minus the margin, and math then gains less.
    @Test func theFloorBindsWhereOneCapabilityWouldDragAnotherDown() throws {
        let free = try Self.objective([ResolvedTarget(metric: "eval/math/score", goal: .maximize, weight: 1, margin: nil)])
        let freeProposal = try free.proposer(prior: Self.prior, caps: [1, 1, 1], klWeight: 0).propose(samples: 3000)
        let code = { (mixture: Mixture) in 0.60 - 0.40 * mixture.weight(of: "math") + 0.10 * mixture.weight(of: "code") }
        let priorCode = code(Self.prior)
        #expect(freeProposal.mixture.weight(of: "math") > 0.999)
        #expect(code(freeProposal.mixture) < priorCode - 0.1)

        let margin = 0.02
        let guarded = try Self.objective([
            ResolvedTarget(metric: "eval/math/score", goal: .maximize, weight: 1, margin: nil),
            ResolvedTarget(metric: "eval/code/score", goal: .maximize, weight: 0, margin: margin),
        ])
        let proposer = try guarded.proposer(prior: Self.prior, caps: [1, 1, 1], klWeight: 0)
        #expect(proposer.floors.count == 1)
        // The linear surrogate's ridge moves its predictions by about 1e-6.
        #expect(abs(proposer.floors[0].limit - (priorCode - margin)) < 1e-4)
        let proposal = try proposer.propose(samples: 3000)
        let codeAtProposal = code(proposal.mixture)
        // The floor holds and binds: code sits on it (within the search's tolerance), not above.
        #expect(codeAtProposal >= priorCode - margin - 1e-4)
        #expect(codeAtProposal < priorCode - margin + 1e-3, "code \(codeAtProposal), floor \(priorCode - margin)")
        #expect(proposal.floorSlack["eval/code/score"]! >= -1e-9 && proposal.floorSlack["eval/code/score"]! < 1e-3)
        // Math still beats the prior, by less than without the floor.
        let math = { (mixture: Mixture) in 0.20 + 0.50 * mixture.weight(of: "math") }
        #expect(math(proposal.mixture) > math(Self.prior))
        #expect(math(proposal.mixture) < math(freeProposal.mixture) - 0.1)
        // Every reported metric is predicted; the floor is recorded on its outcome.
        let outcomes = guarded.outcomes(proposal: proposal.mixture, prior: Self.prior, floors: proposer.floors, measured: nil)
        #expect(outcomes.map(\.metric) == ["eval/math/score", "eval/code/score", "eval/loss"])
        #expect(outcomes[1].floor == proposer.floors[0].limit)
        #expect(abs(outcomes[1].predictedPrior - priorCode) < 1e-4)
        #expect(outcomes[2].weight == 0 && outcomes[2].floor == nil)
    }

    /// With a KL penalty the optimum is inside the simplex; moving weight from code to math moves it
    /// toward math. The scales are the swarm's standard deviations, computed here independently.
    @Test func weightsMoveTheOptimum() throws {
        func proposal(mathWeight: Double, codeWeight: Double) throws -> Mixture {
            let objective = try Self.objective([
                ResolvedTarget(metric: "eval/math/score", goal: .maximize, weight: mathWeight, margin: nil),
                ResolvedTarget(metric: "eval/code/score", goal: .maximize, weight: codeWeight, margin: nil),
            ])
            return try objective.proposer(prior: Self.prior, caps: [1, 1, 1], klWeight: 0.5).propose(samples: 3000).mixture
        }
        let mathHeavy = try proposal(mathWeight: 3, codeWeight: 1)
        let codeHeavy = try proposal(mathWeight: 1, codeWeight: 3)
        #expect(mathHeavy.weight(of: "math") > codeHeavy.weight(of: "math") + 0.1)
        #expect(codeHeavy.weight(of: "code") > mathHeavy.weight(of: "code"))

        let (_, metrics) = try Self.swarm()
        let objective = try Self.objective([ResolvedTarget(metric: "eval/loss", goal: .minimize, weight: 2, margin: nil)])
        let loss = try metrics.column("eval/loss", source: "m")
        let mean = loss.reduce(0, +) / Double(loss.count)
        let sd = (loss.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(loss.count - 1)).squareRoot()
        #expect(abs(objective.fitted[0].scale - sd) < 1e-12)
        let term = try objective.proposer(prior: Self.prior, caps: [1, 1, 1], klWeight: 0).terms[0]
        #expect(abs(term.weight - 2 / sd) < 1e-12)  // minimized: positive
        let maximized = try Self.objective([ResolvedTarget(metric: "eval/math/score", goal: .maximize, weight: 1, margin: nil)])
        #expect(try maximized.proposer(prior: Self.prior, caps: [1, 1, 1], klWeight: 0).terms[0].weight < 0)
    }

    @Test func floorsNoSampleCanKeepAreRefusedByName() throws {
        let (x, metrics) = try Self.swarm()
        let objective = try MixObjective.fit(
            targets: [ResolvedTarget(metric: "eval/math/score", goal: .maximize, weight: 1, margin: 0)], reported: [], metrics: metrics,
            x: x, domains: Self.domains, kinds: [.linear], source: "m")
        // Capping math below the prior's share makes the prior's math score unreachable.
        #expect {
            try objective.proposer(prior: Self.prior, caps: [1, 0.1, 1], klWeight: 0).propose(samples: 200)
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "floors" && message.contains("eval/math/score ≥") && message.contains("widen the margins")
        }
    }

    @Test func goalsAreImpliedByMetricNames() {
        #expect(TargetGoal.implied(by: "eval/loss") == .minimize)
        #expect(TargetGoal.implied(by: "eval/code/loss") == .minimize)
        #expect(TargetGoal.implied(by: "eval/math/score") == .maximize)
        #expect(TargetGoal.implied(by: "eval/code/pass@1") == .maximize)
        #expect(TargetGoal.implied(by: "eval/task/antonyms/acc_norm") == .maximize)
        #expect(TargetGoal.implied(by: "train/tokens") == nil)
    }
}
