import FactoryCore
import Foundation
import Lineage
import Testing

@testable import Models
@testable import Runs
@testable import Training

/// `--resume` refuses a run file whose settings would not continue the checkpoint's run exactly,
/// naming each key with its old and new value, unless changes are allowed; then it records them.
@Suite struct ResumeDriftTests {
    @Test func aChangedLearningRateOrBatchIsRefusedThenAllowedAndRecorded() throws {
        let fixture = try TrainingFixture()
        let store = try FactoryStore.open(root: fixture.directory + "/store")
        let original = try TrainingRunTests.runFile(fixture, name: "drift", extra: "")
        try TrainingRun.execute(runFile: original, store: store, resume: false, progress: false)
        let checkpoint = fixture.directory + "/runs/drift/checkpoints/step-0000002"
        let recorded = try #require(LagunaCheckpoint.read(directory: checkpoint).manifest?.metadata)
        #expect(recorded["run.optimizer.lr"] == "0.01" && recorded["run.train.batch"] == "2")

        // Same name, so the same output folder; the learning rate doubled and another batch.
        let text = try String(contentsOfFile: original, encoding: .utf8)
        try text.replacingOccurrences(of: "lr = 1e-2", with: "lr = 2e-2").replacingOccurrences(of: "batch = 2", with: "batch = 3")
            .write(toFile: original, atomically: true, encoding: .utf8)
        #expect(
            throws: FactoryError.invalidArgument(
                name: "--resume",
                message: "\(checkpoint) was trained with other settings (optimizer.lr 0.01 -> 0.02; train.batch 2 -> 3); "
                    + "resuming would not continue that run exactly. Restore them, or pass --allow-config-change "
                    + "to resume with the new ones (the change is recorded)")
        ) {
            try TrainingRun.execute(runFile: original, store: store, resume: true, progress: false)
        }

        let id = try TrainingRun.execute(runFile: original, store: store, resume: true, allowConfigChange: true, progress: false)
        let warnings = try store.records.events(ofRun: id).filter { $0.kind == .warning }
        #expect(warnings.count == 1)
        #expect(warnings.first?.step == 2)
        #expect(warnings.first?.details == ["optimizer.lr": "optimizer.lr 0.01 -> 0.02", "train.batch": "train.batch 2 -> 3"])
        #expect(try store.records.run(id)?.status == .finished)
        // The new checkpoints record the new settings.
        let final = try #require(LagunaCheckpoint.read(directory: fixture.directory + "/runs/drift/final").manifest?.metadata)
        #expect(final["run.optimizer.lr"] == "0.02" && final["run.train.batch"] == "3")
    }

    @Test func settingsThatKeepTheWeightsBitwiseMayChange() throws {
        let fixture = try TrainingFixture()
        let store = try FactoryStore.open(root: fixture.directory + "/store")
        let path = try TrainingRunTests.runFile(fixture, name: "cadence", extra: "")
        try TrainingRun.execute(runFile: path, store: store, resume: false, progress: false)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "log_every = 1", with: "log_every = 2").replacingOccurrences(of: "threads = 2", with: "threads = 1")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let id = try TrainingRun.execute(runFile: path, store: store, resume: true, progress: false)
        #expect(try store.records.events(ofRun: id).isEmpty)
    }

    @Test func aHugeBatchIsRefusedWithTheMemoryEstimateBeforeAllocating() throws {
        let fixture = try TrainingFixture()
        let store = try FactoryStore.open(root: fixture.directory + "/store")
        let path = try TrainingRunTests.runFile(fixture, name: "huge", extra: "")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "batch = 2", with: "batch = 1000000000").write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try TrainingRun.execute(runFile: path, store: store, resume: false, progress: false)
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "\(path): key 'train'" && message.contains("train.batch = 1000000000")
                && message.contains("of memory; this machine has")
        }
        #expect(try store.records.runs(RunQuery()).isEmpty)
    }
}
