import FactoryCore
import Foundation
import Testing

@testable import Mixing

/// The whole capability loop with a stand-in `factory`: a swarm scored on capability suites, the
/// signal measurement (which runs, which seeds, which rows), the default targets it selects, and
/// the proposal's outcomes. The stand-in's score depends on the run (signal) and its seed (noise):
/// seed 0 → 0.5 + 0.1 × run number, seed s > 0 → 0.6 + 0.01 × s; chance 0.25, stderr 0.01.
@Suite struct AutoMixerCapabilityTests {
    static func makeFactory(in directory: String) throws -> String {
        let path = directory + "/factory"
        try """
        #!/bin/sh
        case "$1" in
        train)
            folder=$(dirname "$3")
            number=$(basename "$folder" | sed 's/run-0*//')
            printf '{"eval/loss": %s.5}' "$number" > "$folder/final_metrics.json" ;;
        eval)
            while [ "$1" != "--output" ]; do shift; done
            folder=$(dirname "$2")
            number=$(basename "$folder" | sed 's/run-0*//')
            seed=$(awk -F'=' '{ key = $1; gsub(/ /, "", key) } key == "seed" { value = $2; gsub(/ /, "", value); print value }' "$folder/run.toml")
            seed=${seed:-0}
            score=$(awk -v n="$number" -v s="$seed" 'BEGIN { if (s == 0) print 0.5 + 0.1 * n; else print 0.6 + 0.01 * s }')
            printf '{"tasks": [], "capabilities": [{"capability": "math", "score": %s, "stderr": 0.01, "chance": 0.25,
              "tasks": [], "metrics": {}}], "settings": {}}' "$score" > "$2" ;;
        esac
        """.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @Test func theSwarmMeasuresSignalAndTheMixerTargetsTheUsableCapability() throws {
        let directory = NSTemporaryDirectory() + "factory-capmix-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ProxySweepResumeTests.makeCorpus(in: directory)
        let factory = try Self.makeFactory(in: directory)
        let text = """
            base = "\(directory)/proxy.toml"
            directory = "\(directory)/mix"
            [capabilities]
            tasks = "\(directory)/tasks"
            [swarm]
            count = 6
            max_epochs = 1000.0
            [signal]
            mixtures = 3
            seeds = 3
            [sweep]
            workers = 2
            holdout = 0.0
            [propose]
            check = true
            surrogate = "linear"
            margin = 0.05
            """
        try text.write(toFile: directory + "/mix.toml", atomically: true, encoding: .utf8)
        let mixer = AutoMixer(config: try AutoMixerConfig.load(path: directory + "/mix.toml"), factory: factory, store: directory + "/store")
        let swarm = try mixer.runSwarm()
        #expect(try swarm.metrics.column("eval/math/score", source: "m") == [0.6, 0.7, 0.8, 0.9, 1.0, 1.1])
        // Only the extra seeds of the first mixture are trained for the signal, with seeds 1 and 2.
        let signalMixtures = try NumericTable.read(path: directory + "/mix/signal/mixtures.csv")
        #expect(signalMixtures.rows.count == 2 && signalMixtures.rows.allSatisfy { $0 == swarm.mixtures[0].vector(over: signalMixtures.columns) })
        let signal = try #require(swarm.signal)
        let math = try #require(signal.rows.first { $0.metric == "eval/math/score" })
        // Mixtures: swarm runs 1–3 (0.6, 0.7, 0.8); seeds: swarm run 1 (0.6) and seeds 1, 2 (0.61, 0.62).
        #expect(abs(math.mixtureSpread - SignalTableTests.sd([0.6, 0.7, 0.8])) < 1e-12)
        #expect(abs(math.seedSpread - SignalTableTests.sd([0.6, 0.61, 0.62])) < 1e-12)
        #expect(math.usable && signal.usableCapabilities == ["math"])
        #expect(try SignalTable.read(path: directory + "/mix/signal.csv") == signal)

        // A finished swarm read back brings its signal table, and the default targets follow it.
        let finished = try mixer.finishedSwarm(in: directory + "/mix/swarm")
        #expect(finished.signal == signal)
        let report = try mixer.propose(from: finished)
        #expect(report.targets == [ResolvedTarget(metric: "eval/math/score", goal: .maximize, weight: 1, margin: 0.05)])
        #expect(report.outcomes.map(\.metric) == ["eval/math/score", "eval/loss"])
        let outcome = report.outcomes[0]
        #expect(outcome.floor == outcome.predictedPrior - 0.05)
        #expect(outcome.predictedProposal >= outcome.floor! - 1e-9)
        // The check runs (run 1 the proposal, run 2 the prior) are scored too, and joined per metric.
        #expect(outcome.measuredProposal == 0.6 && outcome.measuredPrior == 0.7)
        #expect(report.outcomes[1].measuredProposal == 1.5 && report.outcomes[1].measuredPrior == 2.5)
        #expect(report.check! == (0.6, 0.7))
        #expect(FileManager.default.fileExists(atPath: directory + "/mix/check/run-002/capabilities.json"))
        #expect(try TargetOutcome.read(path: directory + "/mix/targets.csv") == report.outcomes)
        #expect(report.renderText().contains("the capabilities usable by the signal measurement"))

        // Without a swarm, `factory mix signal` trains the mixtures too: runs 1–3 with seed 0, then seeds 1 and 2.
        var alone = mixer.config
        alone.directory = directory + "/alone"
        let table = try AutoMixer(config: alone, factory: factory, store: directory + "/store").runSignal()
        let seeds = try (1...5).map { index -> String in
            let run = try String(contentsOfFile: directory + "/alone/signal/run-00\(index)/run.toml", encoding: .utf8)
            return run.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("seed = ") } ?? "none"
        }
        #expect(seeds == ["seed = 0", "seed = 0", "seed = 0", "seed = 1", "seed = 2"])
        let aloneMath = try #require(table.rows.first { $0.metric == "eval/math/score" })
        #expect(abs(aloneMath.mixtureSpread - SignalTableTests.sd([0.6, 0.7, 0.8])) < 1e-12)
        #expect(abs(aloneMath.seedSpread - SignalTableTests.sd([0.6, 0.61, 0.62])) < 1e-12)
    }
}
