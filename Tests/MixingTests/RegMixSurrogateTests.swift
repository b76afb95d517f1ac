import FactoryCore
import FactoryNumerics
import Foundation
import Testing

@testable import Mixing

/// The RegMix swarm: fit on the 512 training mixtures, predict the
/// 256 unseen test mixtures, and rank them as the real validation losses do.
@Suite struct RegMixSurrogateTests {
    static let target = "metric/the_pile_pile_cc_val_loss"

    /// The RegMix CSVs, copied from `../shared/datasets/regmix` (MIT, see LICENSE there) into the
    /// test fixtures so that a clean clone has them.
    static func directory() throws -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/regmix", withExtension: nil) else {
            throw FactoryError.fileNotFound(path: "Fixtures/regmix")
        }
        return url.path
    }

    static func load(_ split: String) throws -> (x: [[Double]], y: [Double], domains: [String]) {
        let folder = try directory()
        let mixtures = try NumericTable.read(path: "\(folder)/\(split)_mixture_1m.csv")
        let metrics = try NumericTable.read(path: "\(folder)/\(split)_pile_loss_1m.csv")
        let aligned = try mixtures.aligned(to: metrics, source: "mixtures", otherSource: "metrics")
        return (aligned.rows, try metrics.column(target, source: "metrics"), mixtures.columns)
    }

    @Test func autoSelectedSurrogateRanksUnseenMixturesWell() throws {
        let train = try Self.load("train")
        let test = try Self.load("test")
        let surrogate = try Surrogate.fit(target: Self.target, domains: train.domains, x: train.x, y: train.y)
        let predictions = test.x.map { surrogate.predict($0).prediction }
        let rho = RankCorrelation.spearman(predictions, test.y)
        print("RegMix Pile-CC: chosen \(surrogate.kind), CV Spearman \(surrogate.crossValidatedSpearman), test Spearman \(rho)")
        #expect(rho >= 0.97, "test Spearman \(rho) with \(surrogate.kind)")
        #expect(surrogate.predict(test.x[0]).uncertainty > 0)
    }
}
