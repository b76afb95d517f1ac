import ArgumentParser
import FactoryCore
import Foundation
import Lineage

extension RunsCommand {
    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a new running run with this process's provenance; prints its id.")
        @OptionGroup var store: StoreOptions
        @Option(help: "What sort of run (train, proxy, eval, tokenize, …).") var kind: String
        @Option(help: "A name for people (default: the kind).") var name: String?
        @Option(help: "The run's configuration, a .toml or .json file.") var config: String?
        @Option(help: "The random seed (non-negative).") var seed: Int?
        @Option(help: "A tag (repeatable).") var tag: [String] = []
        @Option(help: "Use this id instead of a random one.") var id: String?

        func validate() throws {
            if let seed, seed < 0 { throw ValidationError("--seed must not be negative, got \(seed)") }
        }

        func run() throws {
            let runConfig = try config.map(RunConfigFile.load) ?? .empty
            // The run outlives this process (others log to it and finish it): no process is its.
            let record = try store.open().startRun(
                kind: kind, name: name ?? kind, config: runConfig, seed: seed, tags: tag, id: id ?? RunRecord.newID(), process: nil)
            print(record.id)
        }
    }

    struct Finish: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a running run.")
        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The run id (or a unique prefix).", valueName: "run")) var runID: String
        @Option(help: "How it ended (finished, failed or killed).") var status = RunStatus.finished

        func run() throws {
            let records = try store.openExisting().records
            try records.endRun(try records.resolveRun(runID).id, status: status, at: Date())
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Log metric points from a CSV file (header key,step,value[,wall_time]); re-logging a point is a no-op.",
            discussion:
                "Steps are non-negative integers. A value is a number or nan (a diverged metric: logged, counted on standard error, and excluded by ablations); an infinite value is refused."
        )
        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The run id (or a unique prefix).", valueName: "run")) var runID: String
        @Option(help: "The CSV file ('-' for standard input).") var file: String
        @Option(help: "Points per transaction.") var batchSize = 1_000

        func validate() throws {
            guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
        }

        func run() throws {
            let text: String
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let data = FileManager.default.contents(atPath: file) else { throw FactoryError.fileNotFound(path: file) }
                text = String(decoding: data, as: UTF8.self)
            }
            let points = try MetricCSV.parse(text, source: file)
            let records = try store.openExisting().records
            let id = try records.resolveRun(runID).id
            for start in stride(from: 0, to: points.count, by: batchSize) {
                try records.logMetrics(Array(points[start..<min(start + batchSize, points.count)]), run: id)
            }
            let diverged = points.filter(\.value.isNaN)
            if !diverged.isEmpty {
                let keys = Set(diverged.map(\.key)).sorted().joined(separator: ", ")
                FileHandle.standardError.write(Data("logged \(diverged.count) nan values (diverged: \(keys))\n".utf8))
            }
        }
    }

    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that a run used or produced an artifact.")
        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The run id (or a unique prefix).", valueName: "run")) var runID: String
        @Option(help: "An artifact the run used, as DIGEST or DIGEST:ROLE (repeatable; role default 'input').")
        var input: [String] = []
        @Option(help: "An artifact the run produced, as DIGEST or DIGEST:ROLE (repeatable; role default 'output').")
        var output: [String] = []

        func run() throws {
            let records = try store.openExisting().records
            let id = try records.resolveRun(runID).id
            for (references, direction) in [(input, EdgeDirection.input), (output, .output)] {
                for reference in references {
                    let parts = reference.split(separator: ":", maxSplits: 1).map(String.init)
                    let artifact = try records.resolveArtifact(parts[0])
                    let role = parts.count > 1 ? parts[1] : direction.rawValue
                    try records.link(LineageEdge(runID: id, artifact: artifact.digest, direction: direction, role: role))
                }
            }
        }
    }

    struct Event: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Attach an event to a run.")
        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The run id (or a unique prefix).", valueName: "run")) var runID: String
        @Option(help: "What happened.") var kind: RunEventKind
        @Option(help: "One line describing it.") var message: String
        @Option(help: "The step it happened at (non-negative).") var step: Int64?

        func validate() throws {
            if let step, step < 0 { throw ValidationError("--step must not be negative, got \(step)") }
        }

        func run() throws {
            let records = try store.openExisting().records
            try records.recordEvent(
                RunEvent(
                    runID: try records.resolveRun(runID).id, kind: kind, time: Date(), step: step, message: message))
        }
    }
}
