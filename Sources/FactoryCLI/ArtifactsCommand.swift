import ArgumentParser
import FactoryCore
import Lineage

/// `factory artifacts`: add, list, show and verify content-addressed artifacts.
struct ArtifactsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "artifacts",
        abstract: "Add, list, show and verify content-addressed artifacts.",
        subcommands: [Add.self, List.self, Show.self, Verify.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store a file or directory as an artifact; prints its digest.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The file or directory.") var path: String
        @Option(help: "What it is (dataset, shard-set, tokenizer, checkpoint, report, config, …).") var kind: String
        @Option(help: "A name for people (default: the file name).") var name: String?
        @Option(help: "Metadata as a JSON object.") var metadata: String?

        func run() throws {
            let value = try metadata.map { try CanonicalJSON.decode($0, source: "--metadata") } ?? .table([:])
            print(try store.open().addArtifact(atPath: path, kind: kind, name: name, metadata: value).digest.hex)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List artifacts by digest.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Only artifacts of this kind.") var kind: String?
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            let artifacts = try store.openExisting().records.artifacts(kind: kind, digestPrefix: "")
            print(json ? try RecordJSON.encode(artifacts) : ArtifactListing.renderList(artifacts))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an artifact and the runs that produced and used it.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The digest (or a unique prefix of at least 4 hex characters).") var artifact: String

        func run() throws {
            let opened = try store.openExisting()
            let record = try opened.records.resolveArtifact(artifact)
            print(
                ArtifactListing.renderDetails(
                    record, edges: try opened.records.edges(ofArtifact: record.digest), objectPath: opened.objects.path(for: record.digest)))
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check the lineage database (SQLite's integrity check), re-hash artifacts (all when none is named) and report damage, missing or corrupt objects; exits 1 if any."
        )
        @OptionGroup var store: StoreOptions
        @Argument(help: "Digests (or unique prefixes).") var artifacts: [String] = []

        func run() throws {
            let opened = try store.openExisting()
            let databaseProblems = try opened.records.integrityProblems()
            if !databaseProblems.isEmpty {
                print("DAMAGED  lineage database \(opened.root)/lineage.sqlite (SQLite integrity check):")
                for problem in databaseProblems { print("  \(problem)") }
                throw ExitCode(1)
            }
            print("ok       lineage database \(opened.root)/lineage.sqlite")
            let records =
                artifacts.isEmpty
                ? try opened.records.artifacts(kind: nil, digestPrefix: "")
                : try artifacts.map(opened.records.resolveArtifact)
            var damaged = 0
            for record in records {
                let problems = opened.verify(record)
                if problems.isEmpty {
                    print("ok       \(record.digest.hex) \(record.kind) \(record.name)")
                } else {
                    damaged += 1
                    print("DAMAGED  \(record.digest.hex) \(record.kind) \(record.name)")
                    for problem in problems { print("  \(problem)") }
                }
            }
            print("\(records.count) artifacts verified, \(damaged) damaged")
            if damaged > 0 { throw ExitCode(1) }
        }
    }
}
