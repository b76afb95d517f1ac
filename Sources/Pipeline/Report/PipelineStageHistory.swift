import FactoryCore
import Lineage

/// The pipeline-stage runs upstream of some final runs, found through the lineage store: each
/// run's input artifacts lead to the stage runs that produced them.
struct PipelineStageHistory {
    /// The runs, oldest first.
    let runs: [RunRecord]
    /// Which run's output each run read: (producer id, consumer id, role).
    let links: [(from: String, to: String, role: String)]

    /// Walks upstream from `finalRuns`.
    init(store: FactoryStore, finalRuns: [String]) throws {
        var found = [String: RunRecord]()
        var links = [(from: String, to: String, role: String)]()
        var pending = finalRuns.sorted()
        while let id = pending.popLast() {
            guard found[id] == nil, let run = try store.records.run(id) else { continue }
            found[id] = run
            for edge in try store.records.edges(ofRun: id) where edge.direction == .input {
                let producers = try store.records.runs(producing: edge.artifact)
                    .filter { $0.kind == PipelineRunner.runKind && $0.status == .finished }
                guard let producer = producers.last else { continue }
                links.append((producer.id, id, edge.role))
                pending.append(producer.id)
            }
        }
        runs = found.values.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
        self.links = links.sorted { ($0.from, $0.to, $0.role) < ($1.from, $1.to, $1.role) }
    }

    /// The stage name of a run (`demo/train` → `train`).
    static func stageName(_ run: RunRecord) -> String {
        run.name.split(separator: "/").last.map(String.init) ?? run.name
    }
}
