import FactoryCore
import Foundation
import Testing

@testable import Mixing

/// mix.toml's targets, capabilities and signal settings: read, and refused naming file and key.
@Suite struct CapabilityMixConfigTests {
    static func load(_ text: String) throws -> (AutoMixerConfig, String) {
        let path = NSTemporaryDirectory() + "factory-mixcfg-" + UUID().uuidString + ".toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            return (try AutoMixerConfig.load(path: path), path)
        } catch {
            throw Refusal(text: "\(error)", path: path)
        }
    }

    struct Refusal: Error {
        let text: String
        let path: String
    }

    static let head = "base = \"proxy.toml\"\ndirectory = \"out\"\n[swarm]\ncount = 8\n"

    @Test func targetsCapabilitiesAndSignalAreRead() throws {
        let (config, _) = try Self.load(
            Self.head + """
                [capabilities]
                tasks = "tasks"
                max_documents = 20
                [signal]
                mixtures = 4
                seeds = 3
                min_snr = 1.5
                [targets."eval/loss"]
                weight = 0.5
                [targets."eval/math/score"]
                weight = 2.0
                margin = 0.02
                [targets."train/tokens_per_second"]
                goal = "maximize"
                """)
        #expect(config.capabilities == .init(tasks: "tasks", maxDocuments: 20))
        #expect(config.signal == .init(mixtures: 4, seeds: 3, minSNR: 1.5))
        #expect(
            config.explicitTargets == [
                ResolvedTarget(metric: "eval/loss", goal: .minimize, weight: 0.5, margin: nil),
                ResolvedTarget(metric: "eval/math/score", goal: .maximize, weight: 2, margin: 0.02),
                ResolvedTarget(metric: "train/tokens_per_second", goal: .maximize, weight: 1, margin: nil),
            ])
        // The single-target form still works, and neither form leaves the choice to the mixer.
        let (single, _) = try Self.load("target = \"eval/loss\"\n" + Self.head)
        #expect(single.explicitTargets == [ResolvedTarget(metric: "eval/loss", goal: .minimize, weight: 1, margin: nil)])
        let (neither, _) = try Self.load(Self.head)
        #expect(neither.explicitTargets == nil)
    }

    @Test(arguments: [
        ("target = \"eval/loss\"\n", "[targets.\"eval/math/score\"]\nweight = 1.0\n", "key 'targets': give `target` or a [targets] table, not both"),
        ("", "[targets.\"eval/math/score\"]\nweight = -1.0\n", "key 'targets.\"eval/math/score\".weight': must be a finite number ≥ 0, got -1.0"),
        ("", "[targets.\"eval/math/score\"]\nweight = 0.0\n", "key 'targets.\"eval/math/score\".weight': 0 leaves the target out"),
        ("", "[targets.\"eval/math/score\"]\nmargin = -0.1\n", "key 'targets.\"eval/math/score\".margin': must be a finite number ≥ 0, got -0.1"),
        ("", "[targets.\"train/speed\"]\nweight = 1.0\n", "key 'targets.\"train/speed\".goal': say `goal = \"minimize\"` or `\"maximize\"`"),
        ("", "[targets.\"eval/math/score\"]\ngoal = \"up\"\n", "targets.eval/math/score.goal"),
        ("", "[targets.\"eval/math/score\"]\nweight = 0.0\nmargin = 0.1\n", "key 'targets': needs a metric with a positive weight"),
        ("target = \"train/speed\"\n", "", "key 'target': the name 'train/speed' implies no goal"),
        ("", "[capabilities]\ntasks = \"t\"\nmax_documents = 0\n", "key 'capabilities.max_documents': must be at least 1, got 0"),
        ("", "[signal]\nseeds = 1\n", "key 'signal.seeds': must be between 2 and 1000 (a spread needs two), got 1"),
        ("", "[signal]\nmixtures = 9\n", "key 'signal.mixtures': must be at most swarm.count (8)"),
        ("", "[signal]\nmin_snr = -1.0\n", "key 'signal.min_snr': must be a finite number ≥ 0, got -1.0"),
        ("", "[propose]\nmargin = -0.5\n", "key 'propose.margin': must be a finite number ≥ 0, got -0.5"),
    ])
    func badSettingsAreNamedByFileAndKey(top: String, table: String, message: String) throws {
        do {
            _ = try Self.load(top + Self.head + table)
            Issue.record("accepted: \(table)")
        } catch let refusal as Refusal {
            #expect(refusal.text.contains(refusal.path), "\(refusal.text)")
            #expect(refusal.text.contains(message), "\(refusal.text)")
        }
    }
}
