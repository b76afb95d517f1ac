import FactoryCore
import Foundation

/// A node of a drawn graph: an identifier edges refer to, the text in its box, and a kind that
/// picks its colour (for a lineage graph: `dataset`, `tokenizer`, `checkpoint`, a run kind, …).
public struct DAGNode: Equatable, Sendable {
    public let id: String
    public let label: String
    public let kind: String

    /// A node `id` shown as `label` (the id when empty).
    public init(id: String, label: String = "", kind: String = "") {
        self.id = id
        self.label = label.isEmpty ? id : label
        self.kind = kind
    }
}

/// A directed acyclic graph drawn top to bottom in layers (``DAGLayout``): boxes with the node
/// labels and kinds, arrowed edges routed through bend points, and a legend of the kinds.
public struct DAGDrawing: SVGChart {
    public let title: String
    public let nodes: [DAGNode]
    /// Edges as `(from, to)` node ids.
    public let edges: [(from: String, to: String)]
    /// The layered layout of ``nodes`` and ``edges``.
    public let layout: DAGLayout

    static let boxHeight = 36.0
    static let layerGap = 46.0
    static let horizontalGap = 18.0
    static let bendWidth = 12.0
    static let margin = 16.0
    static let labelLimit = 30

    /// Lays out `nodes` and `edges` for drawing.
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` for a repeated node id, an edge
    ///   naming an unknown id, or a cycle.
    public init(title: String, nodes: [DAGNode], edges: [(from: String, to: String)]) throws {
        var index = [String: Int]()
        for (position, node) in nodes.enumerated() {
            guard index.updateValue(position, forKey: node.id) == nil else {
                throw FactoryError.invalidArgument(name: "node '\(node.id)'", message: "appears more than once")
            }
        }
        let indexed = try edges.map { edge -> (from: Int, to: Int) in
            guard let from = index[edge.from] else {
                throw FactoryError.invalidArgument(name: "edge '\(edge.from)' → '\(edge.to)'", message: "unknown node '\(edge.from)'")
            }
            guard let to = index[edge.to] else {
                throw FactoryError.invalidArgument(name: "edge '\(edge.from)' → '\(edge.to)'", message: "unknown node '\(edge.to)'")
            }
            return (from, to)
        }
        self.title = title
        self.nodes = nodes
        self.edges = edges
        layout = try DAGLayout(nodeCount: nodes.count, edges: indexed)
    }

    /// The distinct kinds in first-appearance order; kind `k` is drawn in ``ChartPalette/color(_:)`` of its position.
    public var kinds: [String] {
        var seen = Set<String>()
        return nodes.map(\.kind).filter { seen.insert($0).inserted }
    }

    /// The centre x and top y of every vertex in the layout.
    func positions() -> (positions: [DAGLayout.Vertex: (x: Double, y: Double)], width: Double) {
        func width(_ vertex: DAGLayout.Vertex) -> Double {
            switch vertex {
            case .node(let index): boxWidth(nodes[index])
            case .bend: Self.bendWidth
            }
        }
        let layerWidths = layout.layers.map { layer in
            layer.map(width).reduce(0, +) + Self.horizontalGap * Double(max(layer.count - 1, 0))
        }
        let widest = layerWidths.max() ?? 0
        let top = title.isEmpty ? Self.margin : 40
        var positions = [DAGLayout.Vertex: (x: Double, y: Double)]()
        for (layer, vertices) in layout.layers.enumerated() {
            var x = Self.margin + (widest - layerWidths[layer]) / 2
            let y = top + Double(layer) * (Self.boxHeight + Self.layerGap)
            for vertex in vertices {
                let w = width(vertex)
                positions[vertex] = (x + w / 2, y)
                x += w + Self.horizontalGap
            }
        }
        return (positions, widest + 2 * Self.margin)
    }

    func boxWidth(_ node: DAGNode) -> Double {
        let label = SVGCanvas.truncated(node.label, to: Self.labelLimit)
        return max(SVGCanvas.textWidth(label, fontSize: 11), SVGCanvas.textWidth(node.kind, fontSize: 9), 48) + 16
    }

    public func svg() -> String {
        let (positions, graphWidth) = positions()
        let kinds = kinds.filter { !$0.isEmpty }
        let legendWidth =
            kinds.isEmpty
            ? 0 : 24 + (kinds.map { SVGCanvas.textWidth($0, fontSize: 11) }.max() ?? 0) + ChartFrame.legendSwatch
        let top = title.isEmpty ? Self.margin : 40
        let graphHeight = Double(layout.layers.count) * (Self.boxHeight + Self.layerGap) - Self.layerGap
        let width = max(graphWidth + legendWidth, SVGCanvas.textWidth(title, fontSize: 14) + 2 * Self.margin)
        let height = max(top + max(graphHeight, 0), top + Double(kinds.count) * 18) + Self.margin
        let colorOfKind = Dictionary(uniqueKeysWithValues: self.kinds.enumerated().map { ($0.element, ChartPalette.color($0.offset)) })

        var canvas = SVGCanvas(width: width, height: height)
        if !title.isEmpty {
            canvas.text(title, x: width / 2, y: 22, anchor: "middle", fontSize: ChartFrame.titleFontSize, bold: true)
        }
        for index in layout.edges.indices {
            var points = [(x: Double, y: Double)]()
            for (step, vertex) in layout.route(ofEdge: index).enumerated() {
                let position = positions[vertex]!
                switch vertex {
                case .node: points.append((position.x, step == 0 ? position.y + Self.boxHeight : position.y))
                case .bend:
                    points.append((position.x, position.y))
                    points.append((position.x, position.y + Self.boxHeight))
                }
            }
            canvas.polyline(points, stroke: "#888888", strokeWidth: 1.2)
            let tip = points[points.count - 1]
            let from = points[points.count - 2]
            let angle = atan2(tip.y - from.y, tip.x - from.x)
            let length = 8.0
            let spread = 0.4
            canvas.polygon(
                [
                    tip,
                    (tip.x - length * cos(angle - spread), tip.y - length * sin(angle - spread)),
                    (tip.x - length * cos(angle + spread), tip.y - length * sin(angle + spread)),
                ], fill: "#888888")
        }
        for (index, node) in nodes.enumerated() {
            let position = positions[.node(index)]!
            let w = boxWidth(node)
            let fill = colorOfKind[node.kind].map { Self.tint($0) } ?? "#f4f4f4"
            canvas.rect(
                x: position.x - w / 2, y: position.y, width: w, height: Self.boxHeight, fill: fill,
                stroke: colorOfKind[node.kind] ?? "#888888", cornerRadius: 4,
                tooltip: node.kind.isEmpty ? node.label : "\(node.label) (\(node.kind))")
            let label = SVGCanvas.truncated(node.label, to: Self.labelLimit)
            if node.kind.isEmpty {
                canvas.text(label, x: position.x, y: position.y + 22, anchor: "middle", fontSize: 11)
            } else {
                canvas.text(label, x: position.x, y: position.y + 16, anchor: "middle", fontSize: 11)
                canvas.text(node.kind, x: position.x, y: position.y + 29, anchor: "middle", fontSize: 9, fill: "#666666")
            }
        }
        for (row, kind) in kinds.enumerated() {
            let x = graphWidth + 8
            let y = top + Double(row) * 18
            let color = colorOfKind[kind]!
            canvas.rect(x: x, y: y, width: ChartFrame.legendSwatch, height: ChartFrame.legendSwatch, fill: color)
            canvas.text(kind, x: x + ChartFrame.legendSwatch + 6, y: y + 9, fontSize: 11)
        }
        return canvas.svg(title: title)
    }

    /// `color` (`#rrggbb`) mixed 80% towards white, for box backgrounds.
    static func tint(_ color: String) -> String {
        let hex = Array(color.dropFirst())
        let channels = stride(from: 0, to: 6, by: 2).map { Int(String(hex[$0...$0 + 1]), radix: 16) ?? 0 }
        return "#"
            + channels.map { channel in
                let mixed = (channel * 2 + 255 * 8 + 5) / 10
                let text = String(mixed, radix: 16)
                return text.count == 1 ? "0" + text : text
            }.joined()
    }
}
