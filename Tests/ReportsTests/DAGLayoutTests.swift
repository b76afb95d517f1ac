import FactoryCore
import Testing

@testable import Reports

@Suite struct DAGLayoutTests {
    /// raw-a, raw-b → corpus → dedup → tokenizer, shards; corpus → shards (a long edge);
    /// tokenizer → shards; shards → train → checkpoint.
    static let nodes = ["raw-a", "raw-b", "corpus", "dedup", "tokenizer", "shards", "train", "checkpoint"]
    static let edges = [
        (0, 2), (1, 2), (2, 3), (3, 4), (3, 5), (2, 5), (4, 5), (5, 6), (6, 7),
    ].map { (from: $0.0, to: $0.1) }

    @Test func layersAreLongestPaths() throws {
        let layout = try DAGLayout(nodeCount: Self.nodes.count, edges: Self.edges)
        #expect(layout.layerOfNode == [0, 0, 1, 2, 3, 4, 5, 6])
        for edge in layout.edges { #expect(layout.layerOfNode[edge.from] < layout.layerOfNode[edge.to]) }
        // corpus (1) → shards (4) passes through layers 2 and 3; dedup (2) → shards (4) through 3.
        #expect(layout.layers[2].contains(.bend(edge: 5, step: 1)))
        #expect(layout.layers[3].contains(.bend(edge: 5, step: 2)))
        #expect(layout.layers[3].contains(.bend(edge: 4, step: 1)))
        #expect(layout.route(ofEdge: 5) == [.node(2), .bend(edge: 5, step: 1), .bend(edge: 5, step: 2), .node(5)])
        let placed = layout.layers.flatMap { $0 }
        #expect(Set(placed).count == placed.count)
        #expect(placed.filter { if case .node = $0 { true } else { false } }.count == Self.nodes.count)
    }

    @Test func sweepsRemoveAvoidableCrossings() throws {
        // Input order crosses both edge pairs: a→y, b→x with x before y, and again below.
        let edges = [(0, 3), (1, 2), (2, 5), (3, 4)].map { (from: $0.0, to: $0.1) }
        let unordered = try DAGLayout(nodeCount: 6, edges: edges, sweeps: 0)
        #expect(unordered.crossings == 2)
        let ordered = try DAGLayout(nodeCount: 6, edges: edges)
        #expect(ordered.crossings == 0)
        #expect(ordered == (try DAGLayout(nodeCount: 6, edges: edges)))
    }

    @Test func completeBipartiteGraphKeepsItsOneCrossing() throws {
        // K(2,2) between two layers: every ordering has exactly one crossing.
        let edges = [(0, 2), (0, 3), (1, 2), (1, 3)].map { (from: $0.0, to: $0.1) }
        let layout = try DAGLayout(nodeCount: 4, edges: edges)
        #expect(layout.crossings == 1)
    }

    @Test func rejectsCyclesAndUnknownNodes() {
        #expect(
            throws: FactoryError.invalidArgument(
                name: "graph edges", message: "form a cycle through node 1; a layered drawing needs a DAG")
        ) {
            try DAGLayout(nodeCount: 3, edges: [(0, 1), (1, 2), (2, 1)].map { (from: $0.0, to: $0.1) })
        }
        #expect { try DAGLayout(nodeCount: 2, edges: [(from: 0, to: 2)]) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "edge 0 → 2" && message.contains("names a node outside 0..<2")
        }
        #expect { try DAGLayout(nodeCount: 1, edges: [(from: 0, to: 0)]) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "graph edges" && message.contains("form a cycle through node 0")
        }
    }

    @Test func drawingPointsEdgesDownward() throws {
        let drawing = try DAGDrawing(
            title: "Lineage",
            nodes: Self.nodes.enumerated().map { DAGNode(id: $0.element, kind: $0.offset < 2 ? "source" : "run") },
            edges: Self.edges.map { (from: Self.nodes[$0.from], to: Self.nodes[$0.to]) })
        let (positions, _) = drawing.positions()
        for (index, edge) in drawing.layout.edges.enumerated() {
            let route = drawing.layout.route(ofEdge: index)
            let ys = route.map { positions[$0]!.y }
            #expect(zip(ys, ys.dropFirst()).allSatisfy { $0 < $1 }, "edge \(edge) goes up")
        }
        // Boxes in one layer do not overlap.
        for layer in drawing.layout.layers {
            let spans = layer.compactMap { vertex -> (Double, Double)? in
                guard case .node(let index) = vertex else { return nil }
                let w = drawing.boxWidth(drawing.nodes[index])
                return (positions[vertex]!.x - w / 2, positions[vertex]!.x + w / 2)
            }
            for (left, right) in zip(spans, spans.dropFirst()) { #expect(left.1 <= right.0) }
        }
        let svg = drawing.svg()
        #expect(svg.components(separatedBy: "<polygon").count - 1 == Self.edges.count)
        #expect(try XMLCheck.isWellFormed(svg))
    }

    @Test func drawingRejectsUnknownAndRepeatedIds() {
        #expect(throws: FactoryError.invalidArgument(name: "edge 'a' → 'z'", message: "unknown node 'z'")) {
            try DAGDrawing(title: "", nodes: [DAGNode(id: "a")], edges: [(from: "a", to: "z")])
        }
        #expect(throws: FactoryError.invalidArgument(name: "node 'a'", message: "appears more than once")) {
            try DAGDrawing(title: "", nodes: [DAGNode(id: "a"), DAGNode(id: "a")], edges: [])
        }
    }
}
