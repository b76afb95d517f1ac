import ArgumentParser
import FactoryCore
import Foundation
import Lineage

/// `--store PATH`, shared by the lineage commands.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("store"), help: "The store directory (default: $FACTORY_STORE, else .factory in the current directory).")
    var path: String?

    /// The store's root as an absolute path.
    var root: String {
        guard let path else { return StoreLocation.resolve() }
        return FilePath.absolute(path)
    }

    /// Opens the store, creating it when missing.
    func open() throws -> FactoryStore {
        try FactoryStore.open(root: root)
    }

    /// Runs a stage through `FactoryStore.recordStage` in this store and prints the run and its
    /// outputs (for `factory lineage`).
    func recordStage(
        kind: String, name: String, config: RunConfig, inputs: [StageArtifact], body: () throws -> [StageArtifact]
    ) throws {
        printLineage(try open().recordStage(kind: kind, name: name, config: config, inputs: inputs, body: body))
    }

    /// Prints a recorded run and its outputs (for `factory lineage`).
    func printLineage(_ record: StageRecord) {
        print("lineage: run \(record.run.id) (\(record.run.kind)) in \(root)")
        for output in record.outputs { print("lineage: produced \(output.kind) \(output.digest.hex) \(output.name)") }
    }

    /// Opens a store that must already exist (for commands that only read).
    func openExisting() throws -> FactoryStore {
        guard FileManager.default.fileExists(atPath: root + "/lineage.sqlite") else {
            throw FactoryError.fileNotFound(path: root + "/lineage.sqlite")
        }
        return try FactoryStore.open(root: root)
    }

    /// Opens a store that must already exist, first ending the runs of this host whose process
    /// died without ending them (for commands that show runs, so none shows as running forever).
    func openExistingEndingDeadRuns() throws -> FactoryStore {
        let store = try openExisting()
        try store.endRunsOfDeadProcesses()
        return store
    }
}
