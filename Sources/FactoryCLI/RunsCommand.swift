import ArgumentParser
import FactoryCore
import Lineage

/// `factory runs`: list, inspect and record runs.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, show and record runs in the lineage store.",
        subcommands: [List.self, Show.self, Start.self, Finish.self, Log.self, Link.self, Event.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List runs, oldest first.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Only runs of this kind.") var kind: String?
        @Option(help: "Only runs in this status.") var status: RunStatus?
        @Option(help: "Only runs with this tag.") var tag: String?
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            let query = RunQuery(kind: kind, status: status, tag: tag)
            let runs = try store.openExistingEndingDeadRuns().records.runs(query)
            print(json ? try RecordJSON.encode(runs) : RunDetails.renderList(runs))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a run: provenance, config, inputs, outputs, metrics, events.")
        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The run id (or a unique prefix).", valueName: "run")) var runID: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let records = try store.openExistingEndingDeadRuns().records
            let details = try RunDetails(run: try records.resolveRun(runID), store: records)
            print(json ? try RecordJSON.encode(details) : details.renderText())
        }
    }
}
