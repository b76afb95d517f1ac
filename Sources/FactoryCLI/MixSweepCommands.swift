import ArgumentParser
import Execution
import FactoryCore
import Foundation
import Mixing

/// The running `factory` binary, for jobs that run it again.
enum FactoryExecutable {
    static var path: String {
        #if os(Linux)
            return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        #else
            return Bundle.main.executablePath ?? CommandLine.arguments[0]
        #endif
    }
}

/// `factory mix sample`.
struct MixSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample", abstract: "Sample a swarm of mixtures around the prior, within the epoch caps.")

    @Option(help: "The mix config (mix.toml).")
    var config: String
    @Option(help: "Where to write the mixtures (CSV).")
    var output: String

    func run() throws {
        let mixer = AutoMixer(config: try AutoMixerConfig.load(path: config), factory: FactoryExecutable.path, store: "")
        let sampler = try mixer.swarmSampler()
        let mixtures = try sampler.sample(count: mixer.config.swarm.count)
        let table = NumericTable(
            columns: sampler.domains, index: mixtures.indices.map { "\($0 + 1)" }, hasIndexColumn: true,
            rows: mixtures.map { $0.vector(over: sampler.domains) })
        try AtomicFile.write(Data(table.csvText().utf8), toPath: output)
        print("prior:\n\(sampler.prior.tomlText)\(mixtures.count) mixtures -> \(output)")
    }
}

/// `factory mix sweep`.
struct MixSweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep", abstract: "Train one proxy per mixture (resuming an interrupted sweep) and collect their metrics.")

    @Option(help: "The proxy run file (run.toml).")
    var base: String
    @Option(help: "Mixture CSV (from `factory mix sample`).")
    var mixtures: String
    @Option(help: "The sweep folder.")
    var directory: String
    @Option(help: "Concurrent proxy runs.")
    var workers = HostInfo.activeCores
    @Option(help: "Threads per proxy run.")
    var threads = 1
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard (1...AutoMixerConfig.Sweep.maximumWorkers).contains(workers) else {
            throw ValidationError("--workers must be between 1 and \(AutoMixerConfig.Sweep.maximumWorkers), got \(workers)")
        }
        try ThreadsOption.validate(threads)
    }

    func run() throws {
        let table = try MixtureTable.read(path: mixtures)
        let parsed = try zip(table.index, table.rows).map { label, row in
            try Mixture.normalizing(Dictionary(uniqueKeysWithValues: zip(table.columns, row)), source: "\(mixtures) row \(label)")
        }
        let sweep = ProxySweep(
            directory: directory, baseRunFile: base, mixtures: parsed, factory: FactoryExecutable.path, store: store.root,
            threadsPerRun: threads)
        try sweep.prepare()
        let progress = ProgressReporter(label: "proxy runs", total: sweep.pendingRuns().count, unit: "runs")
        try sweep.run(executor: LocalExecutor(workers: workers), progress: progress)
        progress.finish()
        let metrics = try sweep.collect()
        print("\(metrics.rows.count) runs -> \(directory)/metrics.csv")
    }
}

/// `factory mix auto`.
struct MixAutoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auto", abstract: "Sample, sweep, fit, propose and check a mixture, as mix.toml says.")

    @Option(help: "The mix config (mix.toml).")
    var config: String
    @Flag(help: "Only sample the swarm and train its proxies (into DIRECTORY/swarm); fit and propose later with --swarm.")
    var swarmOnly = false
    @Option(help: "Fit and propose from this finished sweep folder (another run's swarm/, only read) instead of training a swarm.")
    var swarm: String?
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if swarmOnly, swarm != nil { throw ValidationError("give --swarm-only or --swarm, not both") }
    }

    func run() throws {
        let mixer = AutoMixer(config: try AutoMixerConfig.load(path: config), factory: FactoryExecutable.path, store: store.root)
        if swarmOnly {
            let results = try mixer.runSwarm()
            print("swarm: \(results.metrics.rows.count) proxy runs -> \(results.source)")
            return
        }
        let report = try mixer.propose(from: try swarm.map { try mixer.finishedSwarm(in: $0) } ?? mixer.runSwarm())
        print(report.renderText(), terminator: "")
    }
}
