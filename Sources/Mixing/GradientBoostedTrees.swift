import FactoryCore

/// Gradient-boosted regression trees for squared loss: each tree fits the residuals of the
/// ensemble so far on a random subsample of the rows, with exact greedy splits; predictions add
/// the trees' outputs times the shrinkage.
public struct GradientBoostedTrees: Codable, Sendable, Equatable {
    /// One node of a tree, stored in a flat array; leaves have `feature == -1`.
    public struct Node: Codable, Sendable, Equatable {
        public var feature: Int
        public var threshold: Double
        public var left: Int
        public var right: Int
        public var value: Double
    }

    /// Hyper-parameters.
    public struct Settings: Codable, Sendable, Equatable {
        public var trees = 600
        public var maximumDepth = 4
        public var minimumLeafSize = 5
        public var shrinkage = 0.03
        public var rowSubsample = 0.8
        public var seed: UInt64 = 0

        public init() {}
    }

    public var baseline: Double
    public var shrinkage: Double
    public var trees: [[Node]]

    public func predict(_ x: [Double]) -> Double {
        var total = baseline
        for tree in trees {
            var node = 0
            while tree[node].feature >= 0 {
                node = x[tree[node].feature] <= tree[node].threshold ? tree[node].left : tree[node].right
            }
            total += shrinkage * tree[node].value
        }
        return total
    }

    /// Fits to rows `x` and targets `y`.
    public static func fit(_ x: [[Double]], _ y: [Double], settings: Settings = Settings()) -> GradientBoostedTrees {
        let n = y.count
        let featureCount = x.first?.count ?? 0
        let baseline = y.reduce(0, +) / Double(n)
        var predictions = [Double](repeating: baseline, count: n)
        var trees = [[Node]]()
        // Column-major features and each feature's row order, sorted once.
        let columns = (0..<featureCount).map { feature in x.map { $0[feature] } }
        let sortedRows = columns.map { column in (0..<n).sorted { column[$0] < column[$1] } }
        let stream = RandomStream(seed: settings.seed).split("gbdt-rows")
        var inNode = [Bool](repeating: false, count: n)
        for treeIndex in 0..<settings.trees {
            let residuals = zip(y, predictions).map { $0 - $1 }
            let treeStream = stream.split(treeIndex)
            let rows = (0..<n).filter { Double(treeStream.uniform(at: UInt64($0))) < settings.rowSubsample }
            var nodes = [Node]()
            var builder = TreeBuilder(columns: columns, sortedRows: sortedRows, residuals: residuals, settings: settings)
            builder.grow(rows, depth: 0, nodes: &nodes, inNode: &inNode)
            let tree = GradientBoostedTrees(baseline: 0, shrinkage: settings.shrinkage, trees: [nodes])
            for i in 0..<n { predictions[i] += tree.predict(x[i]) }
            trees.append(nodes)
        }
        return GradientBoostedTrees(baseline: baseline, shrinkage: settings.shrinkage, trees: trees)
    }
}

/// Grows one tree by exact greedy splits, scanning each feature's presorted row order.
private struct TreeBuilder {
    let columns: [[Double]]
    let sortedRows: [[Int]]
    let residuals: [Double]
    let settings: GradientBoostedTrees.Settings

    /// Appends the subtree for `rows` to `nodes` and returns its root's position.
    @discardableResult
    mutating func grow(_ rows: [Int], depth: Int, nodes: inout [GradientBoostedTrees.Node], inNode: inout [Bool]) -> Int {
        let position = nodes.count
        var total = 0.0
        for row in rows { total += residuals[row] }
        let mean = rows.isEmpty ? 0 : total / Double(rows.count)
        nodes.append(.init(feature: -1, threshold: 0, left: -1, right: -1, value: mean))
        guard depth < settings.maximumDepth, rows.count >= 2 * settings.minimumLeafSize else { return position }
        for row in rows { inNode[row] = true }
        defer { for row in rows { inNode[row] = false } }
        var best: (gain: Double, feature: Int, threshold: Double)?
        let parentScore = total * total / Double(rows.count)
        let count = rows.count
        for feature in columns.indices {
            let column = columns[feature]
            var leftSum = 0.0
            var leftCount = 0
            var previous: Int?
            for row in sortedRows[feature] where inNode[row] {
                if let previous, leftCount >= settings.minimumLeafSize, count - leftCount >= settings.minimumLeafSize,
                    column[previous] < column[row]
                {
                    let rightSum = total - leftSum
                    let gain = leftSum * leftSum / Double(leftCount) + rightSum * rightSum / Double(count - leftCount) - parentScore
                    if gain > (best?.gain ?? 1e-12) { best = (gain, feature, (column[previous] + column[row]) / 2) }
                }
                leftSum += residuals[row]
                leftCount += 1
                previous = row
            }
        }
        guard let best else { return position }
        let left = rows.filter { columns[best.feature][$0] <= best.threshold }
        let right = rows.filter { columns[best.feature][$0] > best.threshold }
        for row in rows { inNode[row] = false }
        let leftPosition = grow(left, depth: depth + 1, nodes: &nodes, inNode: &inNode)
        let rightPosition = grow(right, depth: depth + 1, nodes: &nodes, inNode: &inNode)
        nodes[position] = .init(feature: best.feature, threshold: best.threshold, left: leftPosition, right: rightPosition, value: mean)
        return position
    }
}
