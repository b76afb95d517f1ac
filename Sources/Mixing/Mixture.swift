import FactoryCore
import Foundation

/// Domain weights on the simplex: non-negative, finite, summing to 1 within 1e-9.
public struct Mixture: Equatable, Sendable, Codable {
    /// Domains in sorted order.
    public let domains: [String]
    /// Weights in `domains` order.
    public let weights: [Double]

    /// Validates `weights`; `source` names the file (or flag) in errors.
    public init(_ weights: [String: Double], source: String = "mixture", knownDomains: [String]? = nil) throws {
        for (domain, weight) in weights {
            guard weight.isFinite, weight >= 0 else {
                throw FactoryError.config(file: source, keyPath: domain, line: nil, message: "weight \(weight) is not a non-negative number")
            }
            if let knownDomains, !knownDomains.contains(domain) {
                throw FactoryError.config(
                    file: source, keyPath: domain, line: nil, message: "unknown domain (known: \(knownDomains.joined(separator: ", ")))")
            }
        }
        let total = Self.sumInDomainOrder(weights)
        guard abs(total - 1) <= 1e-9 else {
            throw FactoryError.config(file: source, keyPath: "", line: nil, message: "weights sum to \(total), not 1")
        }
        domains = weights.keys.sorted()
        self.weights = domains.map { weights[$0]! }
    }

    /// Scales non-negative weights to sum to 1.
    public static func normalizing(_ weights: [String: Double], source: String = "mixture") throws -> Mixture {
        let total = sumInDomainOrder(weights)
        guard total > 0, weights.values.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw FactoryError.config(file: source, keyPath: "", line: nil, message: "weights must be non-negative with a positive sum")
        }
        return try Mixture(weights.mapValues { $0 / total }, source: source)
    }

    /// The sum of the weights in sorted domain order: a dictionary's own order changes from
    /// process to process, and with it the last bits of a floating-point sum (a swarm sampled
    /// again in another process must be bitwise the same swarm).
    static func sumInDomainOrder(_ weights: [String: Double]) -> Double {
        weights.keys.sorted().reduce(0) { $0 + weights[$1]! }
    }

    /// Domain → weight.
    public var dictionary: [String: Double] { Dictionary(uniqueKeysWithValues: zip(domains, weights)) }

    /// The weight of `domain` (0 when absent).
    public func weight(of domain: String) -> Double { dictionary[domain] ?? 0 }

    /// Weights in the order of `domains` (absent domains weigh 0).
    public func vector(over domains: [String]) -> [Double] { domains.map { weight(of: $0) } }

    /// Reads `[mixture]` from a TOML file (`domain = weight` lines).
    public static func load(tomlFile path: String) throws -> Mixture {
        struct File: Decodable { var mixture: [String: Double] }
        return try Mixture(ConfigLoader.decode(File.self, tomlFile: path).mixture, source: path)
    }

    /// `[mixture]` TOML text.
    public var tomlText: String {
        "[mixture]\n" + zip(domains, weights).map { "\"\($0)\" = \($1)" }.joined(separator: "\n") + "\n"
    }
}
