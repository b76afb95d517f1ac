import FactoryCore

/// A layered (Sugiyama-style) layout of a directed acyclic graph: every edge points from a lower
/// layer to a higher one, long edges pass through bend points in the layers between, and the order
/// within each layer is chosen to reduce edge crossings.
///
/// - Layering: longest path from the sources (a node's layer is one more than the largest layer
///   of its predecessors; sources are in layer 0).
/// - Ordering: start from input order, then alternate downward and upward barycenter sweeps
///   (each vertex moves to the mean position of its neighbours in the previous layer, ties keep
///   the current order) and keep the ordering with the fewest crossings seen.
public struct DAGLayout: Equatable, Sendable {
    /// A slot in a layer: a graph node, or the bend point of a long edge in an intermediate layer.
    public enum Vertex: Hashable, Sendable {
        /// Node number `index` (in the order the nodes were given).
        case node(Int)
        /// Edge number `edge` passing through the layer `step` layers below its source.
        case bend(edge: Int, step: Int)
    }

    /// The layer of each node.
    public let layerOfNode: [Int]
    /// The vertices of each layer, in drawing order (left to right).
    public let layers: [[Vertex]]
    /// The edges as given, `(from, to)` node indices.
    public let edges: [(from: Int, to: Int)]
    /// The number of pairwise edge-segment crossings in the chosen ordering.
    public let crossings: Int

    /// Lays out `nodeCount` nodes joined by `edges` (duplicates are kept once).
    ///
    /// - Parameter sweeps: barycenter sweeps (alternately down and up) to try.
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` for an edge naming a node that
    ///   does not exist, or when the edges form a cycle (naming a node on it).
    public init(nodeCount: Int, edges: [(from: Int, to: Int)], sweeps: Int = 8) throws {
        var unique = [(from: Int, to: Int)]()
        var seen = Set<[Int]>()
        for edge in edges {
            guard (0..<nodeCount).contains(edge.from), (0..<nodeCount).contains(edge.to) else {
                throw FactoryError.invalidArgument(
                    name: "edge \(edge.from) → \(edge.to)", message: "names a node outside 0..<\(nodeCount)")
            }
            if seen.insert([edge.from, edge.to]).inserted { unique.append(edge) }
        }
        let layerOfNode = try Self.longestPathLayers(nodeCount: nodeCount, edges: unique)
        var layers = [[Vertex]](repeating: [], count: (layerOfNode.max() ?? -1) + 1)
        for node in 0..<nodeCount { layers[layerOfNode[node]].append(.node(node)) }
        for (index, edge) in unique.enumerated() {
            let span = layerOfNode[edge.to] - layerOfNode[edge.from]
            for step in 1..<max(span, 1) { layers[layerOfNode[edge.from] + step].append(.bend(edge: index, step: step)) }
        }
        let segments = Self.segments(edges: unique, layerOfNode: layerOfNode)

        var best = layers
        var bestCrossings = Self.crossings(layers, segments: segments)
        var current = layers
        for sweep in 0..<sweeps where bestCrossings > 0 {
            current = Self.sweep(current, segments: segments, downward: sweep % 2 == 0)
            let count = Self.crossings(current, segments: segments)
            if count < bestCrossings { (best, bestCrossings) = (current, count) }
        }
        self.layerOfNode = layerOfNode
        self.layers = best
        self.edges = unique
        self.crossings = bestCrossings
    }

    /// The chain of vertices edge number `index` passes through, from its source to its target.
    public func route(ofEdge index: Int) -> [Vertex] {
        let edge = edges[index]
        let span = layerOfNode[edge.to] - layerOfNode[edge.from]
        return [.node(edge.from)] + (1..<max(span, 1)).map { .bend(edge: index, step: $0) } + [.node(edge.to)]
    }

    public static func == (lhs: DAGLayout, rhs: DAGLayout) -> Bool {
        lhs.layerOfNode == rhs.layerOfNode && lhs.layers == rhs.layers && lhs.crossings == rhs.crossings
            && lhs.edges.map { [$0.from, $0.to] } == rhs.edges.map { [$0.from, $0.to] }
    }

    /// Longest-path layers by Kahn's topological order.
    private static func longestPathLayers(nodeCount: Int, edges: [(from: Int, to: Int)]) throws -> [Int] {
        var successors = [[Int]](repeating: [], count: nodeCount)
        var indegree = [Int](repeating: 0, count: nodeCount)
        for edge in edges {
            successors[edge.from].append(edge.to)
            indegree[edge.to] += 1
        }
        var layer = [Int](repeating: 0, count: nodeCount)
        var ready = (0..<nodeCount).filter { indegree[$0] == 0 }
        var visited = 0
        while let node = ready.popLast() {
            visited += 1
            for next in successors[node] {
                layer[next] = max(layer[next], layer[node] + 1)
                indegree[next] -= 1
                if indegree[next] == 0 { ready.append(next) }
            }
        }
        if visited < nodeCount {
            let onCycle = (0..<nodeCount).first { indegree[$0] > 0 }!
            throw FactoryError.invalidArgument(
                name: "graph edges", message: "form a cycle through node \(onCycle); a layered drawing needs a DAG")
        }
        return layer
    }

    /// The unit segments between adjacent layers, keyed by the upper layer.
    private static func segments(edges: [(from: Int, to: Int)], layerOfNode: [Int]) -> [Int: [(upper: Vertex, lower: Vertex)]] {
        var result = [Int: [(upper: Vertex, lower: Vertex)]]()
        for (index, edge) in edges.enumerated() {
            let span = layerOfNode[edge.to] - layerOfNode[edge.from]
            var chain: [Vertex] = [.node(edge.from)]
            for step in 1..<max(span, 1) { chain.append(.bend(edge: index, step: step)) }
            chain.append(.node(edge.to))
            for step in 0..<(chain.count - 1) {
                result[layerOfNode[edge.from] + step, default: []].append((chain[step], chain[step + 1]))
            }
        }
        return result
    }

    /// One barycenter pass over all layers, top to bottom (`downward`) or bottom to top.
    private static func sweep(
        _ layers: [[Vertex]], segments: [Int: [(upper: Vertex, lower: Vertex)]], downward: Bool
    ) -> [[Vertex]] {
        var layers = layers
        let order = downward ? Array(layers.indices.dropFirst()) : Array(layers.indices.dropLast().reversed())
        for layer in order {
            let fixed = downward ? layer - 1 : layer + 1
            var fixedPosition = [Vertex: Int]()
            for (position, vertex) in layers[fixed].enumerated() { fixedPosition[vertex] = position }
            var neighbours = [Vertex: [Int]]()
            for segment in segments[downward ? fixed : layer] ?? [] {
                let (moving, anchor) = downward ? (segment.lower, segment.upper) : (segment.upper, segment.lower)
                neighbours[moving, default: []].append(fixedPosition[anchor]!)
            }
            let keyed = layers[layer].enumerated().map { position, vertex -> (Double, Int, Vertex) in
                let anchors = neighbours[vertex] ?? []
                let center =
                    anchors.isEmpty
                    ? Double(position) : Double(anchors.reduce(0, +)) / Double(anchors.count)
                return (center, position, vertex)
            }
            layers[layer] = keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        }
        return layers
    }

    /// Pairs of segments between the same two layers whose ends are in opposite order.
    static func crossings(_ layers: [[Vertex]], segments: [Int: [(upper: Vertex, lower: Vertex)]]) -> Int {
        var total = 0
        for (layer, list) in segments {
            var upperPosition = [Vertex: Int]()
            var lowerPosition = [Vertex: Int]()
            for (position, vertex) in layers[layer].enumerated() { upperPosition[vertex] = position }
            for (position, vertex) in layers[layer + 1].enumerated() { lowerPosition[vertex] = position }
            let ends = list.map { (upperPosition[$0.upper]!, lowerPosition[$0.lower]!) }
            for i in ends.indices {
                for j in ends.indices where j > i {
                    if (ends[i].0 - ends[j].0) * (ends[i].1 - ends[j].1) < 0 { total += 1 }
                }
            }
        }
        return total
    }
}
