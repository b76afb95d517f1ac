import ArgumentParser

/// `factory curate`: data curation steps over JSON Lines documents.
struct CurateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curate",
        abstract: "Curate JSON Lines documents: deduplication, two-axis quality scoring, diversity-preserving selection.",
        subcommands: [CurateDedupCommand.self, CurateQualityCommand.self, CurateRunCommand.self, CurateReportCommand.self]
    )
}
