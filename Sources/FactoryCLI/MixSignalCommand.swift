import ArgumentParser
import Foundation
import Mixing

/// `factory mix signal`.
struct MixSignalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signal",
        abstract: "Signal against noise per metric: proxies on the swarm's first mixtures against seeds of one mixture.",
        discussion: """
            Trains `[signal] mixtures` proxies (default 4, the swarm's first mixtures) and `seeds - 1` more seeds of the \
            first (default 2 seeds in all), scores each on the `[capabilities]` suites, and writes DIRECTORY/signal.csv: per \
            metric the mean, chance, spread across mixtures and across seeds, their ratio, and whether the metric is usable \
            as a target (signal-to-noise at least `min_snr`, default 1, and not at chance). Runs go to DIRECTORY/signal; a \
            rerun resumes them.
            """)

    @Option(help: "The mix config (mix.toml).")
    var config: String
    @OptionGroup var store: StoreOptions

    func run() throws {
        let mixer = AutoMixer(config: try AutoMixerConfig.load(path: config), factory: FactoryExecutable.path, store: store.root)
        let table = try mixer.runSignal()
        print(table.renderText(), terminator: "")
        print("-> \(mixer.config.directory)/\(SignalTable.fileName)")
    }
}
