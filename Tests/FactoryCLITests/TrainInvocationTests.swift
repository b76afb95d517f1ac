import ArgumentParser
import Execution
import Testing

@testable import FactoryCLI

/// The command lines sweeps and pipelines build for `factory train` parse back, through the real
/// command tree, into the same options: a flag renamed on one side fails here.
@Suite struct TrainInvocationTests {
    @Test(arguments: [
        TrainInvocation(config: "run.toml"),
        TrainInvocation(config: "runs/a b/run.toml", resume: true, threads: 3, store: "/tmp/store"),
        TrainInvocation(config: "run.toml", resume: true, allowConfigChange: true),
        TrainInvocation(
            config: "run.toml", dryRun: true, injectFaults: ["replica=1,step=37,tensor=lm_head.weight,bit=3", "replica=0,step=2,tensor=x,bit=1"]),
    ])
    func argumentsParseBackIntoTheSameInvocation(_ invocation: TrainInvocation) throws {
        let parsed = try Factory.parseAsRoot(invocation.arguments)
        let command = try #require(parsed as? TrainCommand)
        #expect(command.invocation == invocation)
    }
}
