import FactoryCore
import Foundation
import Testing

@testable import Mixing

@Suite struct ProposerAndSwarmTests {
    static func linearSurrogate(_ domains: [String], weights: [Double]) -> Surrogate {
        Surrogate(
            target: "loss", domains: domains, kind: .linear, model: .linear(LinearSurrogate(intercept: 1, weights: weights)),
            foldModels: [], crossValidatedSpearman: [:])
    }

    @Test func projectionLandsOnTheCappedSimplex() throws {
        let simplex = try CappedSimplex(caps: [0.5, 0.3, 1, 1], domains: ["a", "b", "c", "d"])
        for v in [[3.0, 2, -1, 0.5], [0.25, 0.25, 0.25, 0.25], [-5, -5, -5, -4], [0.9, 0.9, 0, 0]] {
            let x = simplex.project(v)
            #expect(abs(x.reduce(0, +) - 1) < 1e-9)
            #expect(zip(x, simplex.caps).allSatisfy { $0 >= -1e-12 && $0 <= $1 + 1e-12 })
        }
        // A feasible point projects to itself.
        let inside = [0.2, 0.1, 0.3, 0.4]
        #expect(zip(simplex.project(inside), inside).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect { try CappedSimplex(caps: [0.2, 0.3], domains: ["a", "b"]) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "domain caps" && message.contains("at most 0.5 of the mixture (a ≤ 0.2, b ≤ 0.3)")
        }
    }

    /// A linear objective is minimized at a vertex of the feasible set: fill the cheapest domain
    /// up to its cap, then the next cheapest.
    @Test func linearObjectiveGoesToTheCheapestDomainsUpToTheirCaps() throws {
        let domains = ["a", "b", "c"]
        let surrogate = Self.linearSurrogate(domains, weights: [3, 1, 2])
        let prior = try Mixture.normalizing(["a": 1, "b": 1, "c": 1])
        let proposal = try MixtureProposer(terms: [.init(surrogate: surrogate, weight: 1)], prior: prior, caps: [1, 0.6, 1])
            .propose(samples: 2000)
        #expect(abs(proposal.mixture.weight(of: "b") - 0.6) < 1e-4)
        #expect(abs(proposal.mixture.weight(of: "c") - 0.4) < 1e-4)
        #expect(proposal.domainsAtZero == ["a"])
        #expect(proposal.domainsAtCap == ["b"])
        #expect(proposal.objective <= proposal.bestSampleObjective)
    }

    @Test func klPenaltyPullsTowardThePrior() throws {
        let domains = ["a", "b"]
        let surrogate = Self.linearSurrogate(domains, weights: [1, 0])
        let prior = try Mixture(["a": 0.5, "b": 0.5])
        let free = try MixtureProposer(terms: [.init(surrogate: surrogate, weight: 1)], prior: prior, caps: [1, 1]).propose(samples: 500)
        let penalized = try MixtureProposer(terms: [.init(surrogate: surrogate, weight: 1)], prior: prior, caps: [1, 1], klWeight: 1)
            .propose(samples: 500)
        #expect(free.mixture.weight(of: "a") < 1e-4)
        // Minimizing a + KL(x‖½,½) gives a = 1 / (1 + e), in closed form.
        #expect(abs(penalized.mixture.weight(of: "a") - 1 / (1 + exp(1.0))) < 1e-3)
    }

    @Test func swarmIsDeterministicAndRespectsCaps() throws {
        var settings = SwarmSampler.Settings()
        settings.seed = 4
        settings.maximumEpochs = 2
        let sampler = try SwarmSampler(availableTokens: ["code": 1000, "math": 300, "prose": 5000], budgetTokens: 2000, settings: settings)
        let mixtures = try sampler.sample(count: 40)
        #expect(mixtures == (try sampler.sample(count: 40)))
        #expect(Set(mixtures.map(\.weights)).count == 40)
        for mixture in mixtures {
            #expect(mixture.weight(of: "math") <= 0.3 + 1e-12)
            #expect(mixture.weights.allSatisfy { $0 == 0 || $0 >= settings.minimumWeight })
        }
        let prior = sampler.prior
        #expect(prior.weight(of: "prose") > prior.weight(of: "math"))
        #expect(abs(prior.weight(of: "prose") / prior.weight(of: "code") - (5.0).squareRoot()) < 1e-9)
    }

    @Test func normalizingSumsInDomainOrder() throws {
        // Summed in different orders these weights give different totals in the last bits.
        let weights = ["a": 0.1, "b": 0.2, "c": 0.3, "d": 1e-16, "e": 0.7]
        let sorted = (((0.1 + 0.2) + 0.3) + 1e-16) + 0.7
        #expect(sorted != (((0.7 + 0.3) + 0.2) + 0.1) + 1e-16)
        let mixture = try Mixture.normalizing(weights)
        #expect(mixture.weights == ["a", "b", "c", "d", "e"].map { weights[$0]! / sorted })
    }

    @Test func badInputsAreNamed() throws {
        let directory = NSTemporaryDirectory() + "factory-mix-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func write(_ name: String, _ text: String) throws -> String {
            let path = directory + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let mixtures = try write("m.csv", "index,a,b\n1,0.5,0.5\n2,0.2,0.8\n3,1,0\n4,0,1\n5,0.3,0.7\n")
        let metrics = try write("y.csv", "index,loss\n1,2\n2,3\n3,1\n4,4\n5,2.5\n")
        func message(_ body: () throws -> Void) -> String {
            do {
                try body()
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(
            message { _ = try MixtureTable.trainingRows(mixtures: mixtures, metrics: metrics, target: "los") }
                .contains("key 'los': no such column"))
        let shifted = try write("y2.csv", "index,loss\n1,2\n2,3\n3,1\n4,4\n6,2.5\n")
        #expect(
            message { _ = try MixtureTable.trainingRows(mixtures: mixtures, metrics: shifted, target: "loss") }
                .contains("rows do not match"))
        let negative = try write("neg.csv", "index,a,b\n1,-0.5,1.5\n")
        #expect(message { _ = try MixtureTable.rows(path: negative, domains: ["a", "b"]) }.contains("row '1' has weight -0.5"))
        let notANumber = try write("nan.csv", "index,a,b\n1,nan,1\n")
        #expect(
            message { _ = try MixtureTable.rows(path: notANumber, domains: ["a", "b"]) }.contains(
                "row '1' has weight nan; weights must be between 0 and 1"))
        let unknown = try write("unknown.csv", "index,a,z\n1,0.5,0.5\n")
        #expect(message { _ = try MixtureTable.rows(path: unknown, domains: ["a", "b"]) }.contains("key 'z': unknown domain"))
        let ragged = try write("ragged.csv", "index,a,b\n1,0.5\n")
        #expect(message { _ = try NumericTable.read(path: ragged) }.contains("ragged.csv:2"))
        #expect(message { _ = try Mixture(["a": 0.7, "b": 0.2]) }.contains("sum to"))
    }
}
