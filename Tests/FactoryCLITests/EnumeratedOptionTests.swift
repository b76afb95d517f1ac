import ArgumentParser
import Lineage
import Models
import Testing

@testable import FactoryCLI

/// Enumerated options parse into their enums, and unknown values are usage errors.
@Suite struct EnumeratedOptionTests {
    @Test func knownValuesParseIntoTheirEnums() throws {
        let list = try #require(try Factory.parseAsRoot(["runs", "list", "--status", "killed"]) as? RunsCommand.List)
        #expect(list.status == .killed)
        let lineage = try #require(try Factory.parseAsRoot(["lineage", "abcd", "--format", "dot"]) as? LineageCommand)
        #expect(lineage.format == .dot)
        let bench = try #require(
            try Factory.parseAsRoot(["mix", "fit", "--mixtures", "m", "--metrics", "x", "--target", "t", "--output", "o", "--surrogate", "gbdt"])
                as? MixFitCommand)
        #expect(bench.surrogate.kinds == [.gbdt])
        let info = try #require(try Factory.parseAsRoot(["model", "info", "--preset", "laguna-proxy"]) as? ModelInfoCommand)
        #expect(info.shape.preset == .proxy)
    }

    @Test(arguments: [
        ["runs", "list", "--status", "sleeping"], ["lineage", "abcd", "--format", "yaml"],
        ["tokenizer", "train", "a.txt", "--output", "t.json", "--vocab-size", "300", "--pattern", "gpt9"],
        ["model", "info", "--preset", "laguna-huge"],
    ])
    func unknownValuesAreRejected(_ arguments: [String]) {
        #expect { try Factory.parseAsRoot(arguments) } throws: { error in
            let message = Factory.message(for: error)
            return message.contains("'\(arguments[arguments.count - 1])'") && message.contains(arguments[arguments.count - 2])
        }
    }
}

/// The benchmarks are one group, out of the top-level help.
@Suite struct BenchGroupTests {
    @Test func benchmarksLiveUnderFactoryBench() throws {
        #expect(try Factory.parseAsRoot(["bench", "train", "--steps", "1"]) is TrainBenchCommand)
        #expect(try Factory.parseAsRoot(["bench", "replica"]) is ReplicaBenchCommand)
        #expect(try Factory.parseAsRoot(["bench", "lineage"]) is LineageBenchCommand)
        #expect(try Factory.parseAsRoot(["bench", "tokenizer", "--tokenizer", "t.json", "a.txt"]) is TokenizerBenchCommand)
        let topLevel = Factory.configuration.subcommands.map { $0.configuration.commandName ?? "" }
        #expect(!topLevel.contains { $0.hasSuffix("-bench") })
    }
}
