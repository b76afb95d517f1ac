import ArgumentParser
import FactoryCore
import Lineage

/// `factory lineage NODE`: what an artifact or run came from, or what came from it.
struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Walk the lineage of an artifact or run: upstream (what made it) or downstream (what was made from it).")

    @OptionGroup var store: StoreOptions
    @Argument(help: "An artifact digest or a run id (or a unique prefix of either).") var node: String
    @Flag(help: "Everything it came from, transitively (the default).") var upstream = false
    @Flag(help: "Everything made from it, transitively.") var downstream = false
    @Option(help: "The output format.") var format = LineageGraphFormat.text

    func validate() throws {
        guard !(upstream && downstream) else { throw ValidationError("choose one of --upstream and --downstream") }
    }

    func run() throws {
        let records = try store.openExistingEndingDeadRuns().records
        let graph = try records.graph(from: try records.resolveNode(node), direction: downstream ? .downstream : .upstream)
        print(try format.render(graph))
    }
}
