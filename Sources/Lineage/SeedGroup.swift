/// Runs whose configurations are equal except for keys named `seed`: replicates of one setting.
public struct SeedGroup: Hashable, Sendable {
    /// The values of the ablation's factors in this group, in factor order.
    public var levels: [String]
    /// The runs, in the order they were observed.
    public var runIDs: [String]
    /// The mean of the metric.
    public var mean: Double
    /// The sample standard deviation (n − 1 in the denominator); `nil` for a single run.
    public var standardDeviation: Double?

    /// Groups observations by their configuration without seeds, ordered by factor levels.
    static func groups(_ observations: [AblationObservation], levels: [[String]]) -> [SeedGroup] {
        var order = [String]()
        var members = [String: [Int]]()
        for (index, observation) in observations.enumerated() {
            let key = observation.config.flattened
                .filter { !($0.path == "seed" || $0.path.hasSuffix(".seed")) }
                .map { "\($0.path)=\($0.value.plainText)" }
                .joined(separator: "\n")
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(index)
        }
        let groups = order.map { key -> SeedGroup in
            let indices = members[key]!
            let values = indices.map { observations[$0].value }
            let mean = values.reduce(0, +) / Double(values.count)
            let deviation =
                values.count > 1
                ? (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
                : nil
            return SeedGroup(
                levels: levels[indices[0]], runIDs: indices.map { observations[$0].runID }, mean: mean,
                standardDeviation: deviation)
        }
        return groups.sorted { $0.levels.lexicographicallyPrecedes($1.levels) }
    }
}
