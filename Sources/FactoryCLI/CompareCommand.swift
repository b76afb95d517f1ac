import ArgumentParser
import Lineage

/// `factory compare RUN RUN…`: config differences and final metrics side by side.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Print the config differences and final metrics of runs side by side.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Two or more run ids (or unique prefixes).") var runs: [String]

    func run() throws {
        let records = try store.openExisting().records
        print(try RunComparison(runs: runs.map(records.resolveRun), store: records).renderText())
    }
}
