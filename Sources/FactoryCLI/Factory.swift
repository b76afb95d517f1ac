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

    /// Parses and runs the command as ArgumentParser does, after tying this process to a
    /// `factory` parent's lifetime (see `ParentLink`), and with Foundation's file errors that
    /// reach this far rendered as the path and the reason instead of a dump of their fields.
    static func main() async {
        ParentLink.tieToParent()
        do {
            var command = try await asyncParseAsRoot(nil)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch  where FoundationErrorText.isFoundationError(error) {
            exit(withError: FoundationFileError(message: FoundationErrorText.message(error)))
        } catch {
            exit(withError: error)
        }
    }
}

/// A Foundation file error as the path and the reason.
private struct FoundationFileError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
