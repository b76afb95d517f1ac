import FactoryCore
import Foundation

/// `[composite]`: how the two axes' probabilities combine into one quality score in [0, 1].
///
/// - `weighted_product` (default): `p_clean^noise_weight · p_info^information_weight`; a
///   document must do well on both axes, and a weight of 0 ignores an axis.
/// - `weighted_mean`: `(noise_weight · p_clean + information_weight · p_info) / (sum of weights)`.
public struct CompositeScore: Decodable, Equatable, Sendable {
    /// The combination rule: `weighted_product` or `weighted_mean`.
    var method = "weighted_product"
    /// The noise axis's weight.
    var noiseWeight = 1.0
    /// The information axis's weight.
    var informationWeight = 1.0

    /// The methods understood.
    static let methods = ["weighted_product", "weighted_mean"]

    enum CodingKeys: String, CodingKey {
        case method
        case noiseWeight = "noise_weight"
        case informationWeight = "information_weight"
    }

    /// The default: the unweighted product.
    public init() {}

    /// A combination with these settings (validated by ``validate(fail:)``).
    public init(method: String, noiseWeight: Double, informationWeight: Double) {
        self.method = method
        self.noiseWeight = noiseWeight
        self.informationWeight = informationWeight
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        method = try container.decodeIfPresent(String.self, forKey: .method) ?? method
        noiseWeight = try container.decodeIfPresent(Double.self, forKey: .noiseWeight) ?? noiseWeight
        informationWeight = try container.decodeIfPresent(Double.self, forKey: .informationWeight) ?? informationWeight
    }

    /// The composite of the probability of being clean and that of being informative.
    public func combine(clean: Double, information: Double) -> Double {
        if method == "weighted_mean" {
            return (noiseWeight * clean + informationWeight * information) / (noiseWeight + informationWeight)
        }
        return Foundation.pow(clean, noiseWeight) * Foundation.pow(information, informationWeight)
    }

    /// Checks the settings; `fail` turns a key and a message into the error to throw.
    public func validate(fail: (String, String) -> FactoryError) throws {
        guard Self.methods.contains(method) else {
            throw fail("method", "expected one of \(Self.methods.joined(separator: ", ")), found '\(method)'")
        }
        for (key, weight) in [("noise_weight", noiseWeight), ("information_weight", informationWeight)] {
            guard weight >= 0, weight.isFinite else { throw fail(key, "must be a non-negative number, found \(weight)") }
        }
        guard noiseWeight + informationWeight > 0 else { throw fail("noise_weight", "the two weights must not both be 0") }
    }
}
