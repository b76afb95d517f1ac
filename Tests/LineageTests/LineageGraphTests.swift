import FactoryCore
import Foundation
import Testing

@testable import Lineage

/// raw → r1 → a1 → r2 → a2 → r3 → a3 → r4 → a4 → r5 → a5, where r3 also reads a tokenizer `tok`
/// made by `rt` from `vocab`, and r5 also reads a1 directly (a diamond). An unrelated run `x`
/// reads raw and writes `xo`; another, `y`, is not connected at all.
@Suite struct LineageGraphTests {
    struct Chain {
        let store: FactoryStore
        let artifacts: [String: ArtifactRecord]
        let scratch: ScratchDirectory
    }

    private func makeChain() throws -> Chain {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        var artifacts = [String: ArtifactRecord]()
        for name in ["raw", "a1", "a2", "a3", "a4", "a5", "tok", "vocab", "xo", "yo"] {
            artifacts[name] = try store.addArtifact(bytes: Array("bytes of \(name)".utf8), kind: "dataset", name: name)
        }
        func run(_ id: String, inputs: [(String, String)], outputs: [String]) throws {
            _ = try store.testRun(id)
            for (name, role) in inputs {
                try store.records.link(LineageEdge(runID: id, artifact: artifacts[name]!.digest, direction: .input, role: role))
            }
            for name in outputs {
                try store.records.link(LineageEdge(runID: id, artifact: artifacts[name]!.digest, direction: .output, role: "output"))
            }
        }
        try run("r1", inputs: [("raw", "source")], outputs: ["a1"])
        try run("r2", inputs: [("a1", "train-data")], outputs: ["a2"])
        try run("rt", inputs: [("vocab", "source")], outputs: ["tok"])
        try run("r3", inputs: [("a2", "train-data"), ("tok", "tokenizer")], outputs: ["a3"])
        try run("r4", inputs: [("a3", "init")], outputs: ["a4"])
        try run("r5", inputs: [("a4", "init"), ("a1", "eval-data")], outputs: ["a5"])
        try run("x", inputs: [("raw", "source")], outputs: ["xo"])
        try run("y", inputs: [], outputs: ["yo"])
        return Chain(store: store, artifacts: artifacts, scratch: scratch)
    }

    private func names(_ graph: LineageGraph) -> (runs: Set<String>, artifacts: Set<String>) {
        (Set(graph.runs.map(\.id)), Set(graph.artifacts.map(\.name)))
    }

    @Test func upstreamOfTheLastArtifactReachesTheRawSources() throws {
        let chain = try makeChain()
        let graph = try chain.store.records.graph(from: .artifact(chain.artifacts["a5"]!.digest), direction: .upstream)
        let reached = names(graph)
        #expect(reached.runs == ["r1", "r2", "r3", "r4", "r5", "rt"])
        #expect(reached.artifacts == ["raw", "a1", "a2", "a3", "a4", "a5", "tok", "vocab"])
        // 6 outputs + inputs: r1 1, r2 1, rt 1, r3 2, r4 1, r5 2.
        #expect(graph.edges.count == 14)
    }

    @Test func downstreamOfTheRawSourceReachesEverythingMadeFromIt() throws {
        let chain = try makeChain()
        let graph = try chain.store.records.graph(from: .artifact(chain.artifacts["raw"]!.digest), direction: .downstream)
        let reached = names(graph)
        #expect(reached.runs == ["r1", "r2", "r3", "r4", "r5", "x"])
        #expect(reached.artifacts == ["raw", "a1", "a2", "a3", "a4", "a5", "xo"])
    }

    @Test func walksFromTheMiddleAndFromRuns() throws {
        let chain = try makeChain()
        let records = chain.store.records
        let down = names(try records.graph(from: .artifact(chain.artifacts["a2"]!.digest), direction: .downstream))
        #expect(down.runs == ["r3", "r4", "r5"])
        #expect(down.artifacts == ["a2", "a3", "a4", "a5"])
        let up = names(try records.graph(from: .run("r3"), direction: .upstream))
        #expect(up.runs == ["r1", "r2", "r3", "rt"])
        #expect(up.artifacts == ["raw", "a1", "a2", "tok", "vocab"])
        let isolated = names(try records.graph(from: .run("y"), direction: .upstream))
        #expect(isolated.runs == ["y"] && isolated.artifacts.isEmpty)
        #expect(try records.resolveNode("r3") == .run("r3"))
    }

    @Test func rendersTextJSONAndDot() throws {
        let chain = try makeChain()
        let graph = try chain.store.records.graph(from: .artifact(chain.artifacts["a5"]!.digest), direction: .upstream)
        let text = try LineageGraphFormat.text.render(graph)
        #expect(text.hasPrefix("artifact \(chain.artifacts["a5"]!.digest.hex.prefix(12)) dataset \"a5\""))
        #expect(text.contains("<- (output) run r1 proxy \"r1\" [running]"))
        #expect(text.contains("(shown above)"), "a1 is reached twice through the diamond")
        let dot = try LineageGraphFormat.dot.render(graph)
        #expect(dot.hasPrefix("digraph lineage {"))
        #expect(dot.contains("\"a:\(chain.artifacts["tok"]!.digest.hex)\" -> \"r:r3\" [label=\"tokenizer\"];"))
        #expect(dot.contains("\"r:r5\" -> \"a:\(chain.artifacts["a5"]!.digest.hex)\" [label=\"output\"];"))
        let json = try LineageGraphFormat.json.render(graph)
        let parsed = try CanonicalJSON.decode(json, source: "graph.json")
        guard case .table(let top) = parsed, case .array(let runs)? = top["runs"], case .array(let edges)? = top["edges"] else {
            Issue.record("unexpected JSON shape: \(json)")
            return
        }
        #expect(runs.count == 6 && edges.count == 14)
        #expect(top["direction"] == .string("upstream"))
    }

    @Test func linkingUnknownNodesIsRefused() throws {
        let chain = try makeChain()
        #expect(throws: FactoryError.invalidArgument(name: "run", message: "no run with id 'nope'")) {
            try chain.store.records.link(LineageEdge(runID: "nope", artifact: chain.artifacts["a1"]!.digest, direction: .input, role: "x"))
        }
        let unknown = Digest.of("never stored")
        #expect(throws: FactoryError.invalidArgument(name: "artifact", message: "no artifact \(unknown.hex) is recorded")) {
            try chain.store.records.link(LineageEdge(runID: "r1", artifact: unknown, direction: .input, role: "x"))
        }
        // Linking twice is a no-op.
        try chain.store.records.link(LineageEdge(runID: "r1", artifact: chain.artifacts["raw"]!.digest, direction: .input, role: "source"))
        #expect(try chain.store.records.edges(ofRun: "r1").count == 2)
    }
}
