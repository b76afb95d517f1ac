/// Tokens routed to each expert of each sparse layer over one or more forward passes (a token
/// counts once for each of its k experts), with the statistics the trainer records.
public struct LagunaExpertLoads: Equatable, Sendable {
    /// Load statistics of one layer.
    public struct Statistics: Equatable, Sendable {
        /// The largest number of tokens any expert received.
        public let maximum: Int
        /// The mean number of tokens per expert.
        public let mean: Double
        /// The share of experts that received no token.
        public let zeroFraction: Double

        /// `maximum / mean`: 1 when perfectly balanced, `E / k` when every token picks the same experts.
        public var maximumOverMean: Double { mean > 0 ? Double(maximum) / mean : 0 }
    }

    /// Per sparse layer index, the tokens routed to each expert.
    public private(set) var counts: [Int: [Int]]

    /// Loads from explicit counts (layer index → per-expert tokens).
    public init(counts: [Int: [Int]] = [:]) {
        self.counts = counts
    }

    /// Adds another pass's loads (micro-batches of one step), layer by layer.
    public mutating func add(_ other: LagunaExpertLoads) {
        for (layer, loads) in other.counts {
            if let mine = counts[layer] {
                precondition(mine.count == loads.count, "layer \(layer): \(mine.count) experts here, \(loads.count) added")
                counts[layer] = zip(mine, loads).map { $0 + $1 }
            } else {
                counts[layer] = loads
            }
        }
    }

    /// The sparse layers with loads, in order.
    public var layers: [Int] { counts.keys.sorted() }

    /// The statistics of `layer`'s loads.
    public func statistics(layer: Int) -> Statistics {
        let loads = counts[layer] ?? []
        guard !loads.isEmpty else { return Statistics(maximum: 0, mean: 0, zeroFraction: 0) }
        return Statistics(
            maximum: loads.max()!, mean: Double(loads.reduce(0, +)) / Double(loads.count),
            zeroFraction: Double(loads.filter { $0 == 0 }.count) / Double(loads.count))
    }

    /// Metrics per layer: `moe/layer_{i}/max_load`, `…/mean_load`, `…/max_over_mean`,
    /// `…/zero_fraction`, and `moe/max_over_mean` (the largest over layers).
    public var metrics: [String: Double] {
        var values = [String: Double]()
        var worst = 0.0
        for layer in layers {
            let stats = statistics(layer: layer)
            values["moe/layer_\(layer)/max_load"] = Double(stats.maximum)
            values["moe/layer_\(layer)/mean_load"] = stats.mean
            values["moe/layer_\(layer)/max_over_mean"] = stats.maximumOverMean
            values["moe/layer_\(layer)/zero_fraction"] = stats.zeroFraction
            worst = max(worst, stats.maximumOverMean)
        }
        if !layers.isEmpty { values["moe/max_over_mean"] = worst }
        return values
    }
}
