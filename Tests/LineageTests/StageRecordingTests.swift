import FactoryCore
import Foundation
import Testing

@testable import Lineage

/// `FactoryStore.recordStage`: inputs, outputs and the run's end status.
@Suite struct StageRecordingTests {
    struct StageFailure: Error {}

    @Test func finishedStageLinksInputsAndOutputs() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        let input = try scratch.write("raw\n", to: "in/raw.txt")
        try scratch.write("a\n", to: "system/a.txt")
        try scratch.write("b\n", to: "system/sub/b.txt")
        let config = try RunConfig(value: .table(["size": .integer(3)]))
        let record = try store.recordStage(
            kind: "demo", name: "d", config: config,
            inputs: [
                StageArtifact(path: input, kind: "dataset", role: "train-data"),
                StageArtifact(listing: ["sub/b.txt", "a.txt"], under: scratch.path + "/system", kind: "source", role: "source", name: "system"),
            ]
        ) {
            [StageArtifact(path: try scratch.write("out\n", to: "out/result.txt"), kind: "report", role: "report")]
        }
        let run = try #require(try store.records.run(record.run.id))
        #expect(run.status == .finished && run.kind == "demo" && run.config == config)
        #expect(record.inputs.map(\.kind) == ["dataset", "source"] && record.outputs.map(\.kind) == ["report"])
        let listing = record.inputs[1]
        #expect(listing.layout == .file && listing.size > 0)
        #expect(listing.metadata == .table(["root": .string(scratch.path + "/system"), "files": .integer(2), "bytes": .integer(4)]))
        let text = String(decoding: try store.objects.read(listing.digest), as: UTF8.self)
        #expect(text.contains("\"a.txt\"") && text.contains(Digest.of("b\n").hex) && text.contains("factory-listing/1"))
        let edges = Set(try store.records.edges(ofRun: run.id))
        #expect(
            edges == [
                try LineageEdge(runID: run.id, artifact: record.inputs[0].digest, direction: .input, role: "train-data"),
                try LineageEdge(runID: run.id, artifact: listing.digest, direction: .input, role: "source"),
                try LineageEdge(runID: run.id, artifact: record.outputs[0].digest, direction: .output, role: "report"),
            ])
        #expect(store.verify(listing).isEmpty)

        // A changed source file gives a different listing.
        try scratch.write("b changed\n", to: "system/sub/b.txt")
        #expect(try FileListing(root: scratch.path + "/system", files: ["a.txt", "sub/b.txt"]).canonicalText != text)
    }

    @Test func failingStageEndsFailedAndRethrows() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        let input = try scratch.write("raw\n", to: "raw.txt")
        #expect(throws: StageFailure.self) {
            try store.recordStage(
                kind: "demo", name: "d", config: .empty, inputs: [StageArtifact(path: input, kind: "dataset", role: "train-data")]
            ) { throw StageFailure() }
        }
        let runs = try store.records.runs(RunQuery(kind: "demo"))
        #expect(runs.map(\.status) == [.failed])
        #expect(try store.records.edges(ofRun: runs[0].id).map(\.role) == ["train-data"])

        #expect(throws: FactoryError.fileNotFound(path: scratch.path + "/missing.txt")) {
            try store.recordStage(
                kind: "demo", name: "e", config: .empty,
                inputs: [StageArtifact(path: scratch.path + "/missing.txt", kind: "dataset", role: "train-data")]
            ) {
                Issue.record("the stage must not run when an input cannot be recorded")
                return []
            }
        }
        #expect(try store.records.runs(RunQuery(kind: "demo")).map(\.status) == [.failed, .failed])
    }
}
