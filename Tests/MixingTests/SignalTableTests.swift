import FactoryCore
import Foundation
import Testing

@testable import Mixing

/// Signal against noise per suite, on synthetic metrics tables with capability columns.
@Suite struct SignalTableTests {
    /// Four mixtures and two seeds of the first: math moves with the mixture far more than with
    /// the seed, stem moves more with the seed, common_sense sits at chance.
    static func tables() -> (mixtures: NumericTable, seeds: NumericTable) {
        let columns = [
            "eval/common_sense/chance", "eval/common_sense/score", "eval/common_sense/stderr", "eval/loss", "eval/math/chance",
            "eval/math/score", "eval/math/stderr", "eval/stem/chance", "eval/stem/score", "eval/stem/stderr",
        ]
        let mixtures = NumericTable(
            columns: columns, index: ["1", "2", "3", "4"], hasIndexColumn: true,
            rows: [
                [0.25, 0.26, 0.02, 5.0, 0.25, 0.40, 0.02, 0.2, 0.30, 0.02],
                [0.25, 0.24, 0.02, 5.2, 0.25, 0.50, 0.02, 0.2, 0.31, 0.02],
                [0.25, 0.25, 0.02, 5.4, 0.25, 0.60, 0.02, 0.2, 0.30, 0.02],
                [0.25, 0.27, 0.02, 5.6, 0.25, 0.70, 0.02, 0.2, 0.31, 0.02],
            ])
        let seeds = NumericTable(
            columns: columns, index: ["1", "1"], hasIndexColumn: true,
            rows: [
                [0.25, 0.26, 0.02, 5.0, 0.25, 0.40, 0.02, 0.2, 0.30, 0.02],
                [0.25, 0.25, 0.02, 5.1, 0.25, 0.42, 0.02, 0.2, 0.36, 0.02],
            ])
        return (mixtures, seeds)
    }

    /// The sample standard deviation, written out independently of the code under test.
    static func sd(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        var squares = 0.0
        for value in values { squares += (value - mean) * (value - mean) }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    @Test func spreadsSNRChanceAndUsability() throws {
        let (mixtures, seeds) = Self.tables()
        let table = try SignalTable.measure(mixtureRuns: mixtures, seedRuns: seeds, source: "signal")
        #expect(table.rows.map(\.metric) == ["eval/loss", "eval/common_sense/score", "eval/math/score", "eval/stem/score"])
        let math = table.rows[2]
        #expect(abs(math.mixtureSpread - Self.sd([0.4, 0.5, 0.6, 0.7])) < 1e-12)
        #expect(abs(math.seedSpread - Self.sd([0.4, 0.42])) < 1e-12)
        #expect(abs(math.snr! - Self.sd([0.4, 0.5, 0.6, 0.7]) / Self.sd([0.4, 0.42])) < 1e-9)
        #expect(abs(math.mean - (0.4 + 0.5 + 0.6 + 0.7 + 0.4 + 0.42) / 6) < 1e-12)
        #expect(math.chance == 0.25 && !math.atChance && math.usable)
        let commonSense = table.rows[1]
        // Mean 0.255 is within 2 standard errors (0.04) of chance 0.25.
        #expect(commonSense.atChance && !commonSense.usable)
        let stem = table.rows[3]
        #expect(!stem.atChance && stem.snr! < 1 && !stem.usable)
        let loss = table.rows[0]
        #expect(loss.chance == nil && !loss.atChance && loss.usable)
        #expect(table.usableCapabilities == ["math"])
        // A higher threshold turns math away too.
        let strict = try SignalTable.measure(mixtureRuns: mixtures, seedRuns: seeds, minSNR: math.snr! + 1, source: "signal")
        #expect(strict.usableCapabilities.isEmpty)
    }

    @Test func equalSeedsGiveAnInfiniteOrUndefinedRatio() throws {
        let mixtures = NumericTable(
            columns: ["eval/math/score", "eval/code/score"], index: ["1", "2"], hasIndexColumn: true, rows: [[0.3, 0.1], [0.5, 0.1]])
        let seeds = NumericTable(
            columns: ["eval/math/score", "eval/code/score"], index: ["1", "1"], hasIndexColumn: true, rows: [[0.3, 0.1], [0.3, 0.1]])
        let table = try SignalTable.measure(mixtureRuns: mixtures, seedRuns: seeds, source: "s")
        #expect(table.rows.map(\.metric) == ["eval/code/score", "eval/math/score"])
        #expect(table.rows[1].snr == .infinity && table.rows[1].usable)
        #expect(table.rows[0].snr == nil && !table.rows[0].usable)
    }

    @Test func theFileRoundTripsAndBadTablesAreNamed() throws {
        let (mixtures, seeds) = Self.tables()
        let table = try SignalTable.measure(mixtureRuns: mixtures, seedRuns: seeds, source: "signal")
        let path = NSTemporaryDirectory() + "factory-signal-" + UUID().uuidString + ".csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try table.write(toPath: path)
        #expect(try SignalTable.read(path: path) == table)
        #expect(table.renderText().contains("eval/stem/score"))
        #expect(table.renderText().contains("no (at chance)"))

        let one = NumericTable(columns: ["eval/math/score"], index: ["1"], hasIndexColumn: true, rows: [[0.3]])
        #expect { try SignalTable.measure(mixtureRuns: one, seedRuns: seeds, source: "signal.csv") } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "signal.csv" && message.contains("at least 2 mixtures and 2 seeds, got 1 and 2")
        }
        let broken = NumericTable(
            columns: ["eval/math/score"], index: ["1", "2"], hasIndexColumn: true, rows: [[0.3], [.nan]])
        #expect { try SignalTable.measure(mixtureRuns: broken, seedRuns: broken, source: "signal.csv") } throws: { error in
            "\(error)".contains("eval/math/score of run 2 is nan")
        }
        try "index,mean\neval/loss,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try SignalTable.read(path: path) } throws: { error in
            guard case .corrupt(let file, let reason) = error as? FactoryError else { return false }
            return file == path && reason.contains("not a signal table")
        }
    }

    /// Without `target` or `[targets]`, the mixer takes the usable capabilities, each with a floor.
    @Test func theDefaultTargetsAreTheUsableCapabilities() throws {
        let (mixtures, seeds) = Self.tables()
        let signal = try SignalTable.measure(mixtureRuns: mixtures, seedRuns: seeds, source: "signal")
        var config = AutoMixerConfig(base: "proxy.toml", directory: "out", swarm: .init(count: 8))
        config.propose = .init(margin: 0.03)
        let mixer = AutoMixer(config: config, factory: "", store: "")
        let (targets, why) = try mixer.chooseTargets(metrics: mixtures, signal: signal, source: "metrics.csv")
        #expect(targets == [ResolvedTarget(metric: "eval/math/score", goal: .maximize, weight: 1, margin: 0.03)])
        #expect(why.contains("eval/common_sense/score (at chance)") && why.contains("eval/stem/score (SNR"))
        let (fallback, reason) = try mixer.chooseTargets(metrics: mixtures, signal: nil, source: "metrics.csv")
        #expect(fallback.map(\.metric) == ["eval/loss"] && reason.contains("no signal measurement"))
        config.target = "eval/stem/score"
        let (explicit, _) = try AutoMixer(config: config, factory: "", store: "").chooseTargets(
            metrics: mixtures, signal: signal, source: "metrics.csv")
        #expect(explicit == [ResolvedTarget(metric: "eval/stem/score", goal: .maximize, weight: 1, margin: nil)])
    }
}
