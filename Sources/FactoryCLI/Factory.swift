import ArgumentParser
import FactoryCore

/// The `factory` command: thin commands over the Model Factory modules.
@main
struct Factory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "factory",
        abstract: "Model Factory: data, mixtures, training and lineage for language models.",
        version: FactoryVersion.current,
        subcommands: [
            Doctor.self, RunsCommand.self, ArtifactsCommand.self, LineageCommand.self, AblateCommand.self,
            CompareCommand.self, CorpusCommand.self, TokenizerCommand.self, ShardsCommand.self,
            TrainCommand.self, EvalCommand.self, ExperimentCommand.self, MixCommand.self, ModelCommand.self,
            CurateCommand.self, RunCommand.self, BenchCommand.self, GenerateCommand.self, ServeCommand.self,
        ]
    )
}
