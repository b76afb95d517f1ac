import ArgumentParser
import FactoryCore
import Foundation
import Mixing

/// `factory mix`: AutoMixer's steps — sample a swarm, fit surrogates, predict, propose.
struct MixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mix", abstract: "Learn a data mixture: fit surrogates to a swarm's results and propose a mixture.",
        subcommands: [
            MixSampleCommand.self, MixSweepCommand.self, MixFitCommand.self, MixPredictCommand.self, MixProposeCommand.self,
            MixAutoCommand.self, MixSignalCommand.self,
        ])
}

/// `factory mix fit`.
struct MixFitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fit", abstract: "Fit a surrogate from mixtures to one metric.")

    @Option(help: "Mixture CSV (an index column, then one column per domain).")
    var mixtures: String
    @Option(help: "Metric CSV (an index column, then one column per metric).")
    var metrics: String
    @Option(help: "The metric column to predict.")
    var target: String
    @Option(help: "A surrogate kind, or auto (each kind, chosen by cross-validated Spearman).")
    var surrogate = SurrogateChoice.auto
    @Option(help: "Cross-validation folds (at least 2).")
    var folds = 5
    @Option(help: "Where to write the surrogate (JSON).")
    var output: String

    func validate() throws {
        guard folds >= Surrogate.minimumFolds else {
            throw ValidationError("--folds must be at least \(Surrogate.minimumFolds) (each fold is measured on rows the others saw), got \(folds)")
        }
    }

    func run() throws {
        let kinds = surrogate.kinds
        let rows = try MixtureTable.trainingRows(mixtures: mixtures, metrics: metrics, target: target)
        let fitted = try Surrogate.fit(target: target, domains: rows.domains, x: rows.x, y: rows.y, kinds: kinds, folds: folds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(fitted), toPath: output)
        for kind in kinds {
            let score = fitted.crossValidatedSpearman[kind.rawValue].map { String(format: "%.4f", $0) } ?? "undefined (constant predictions)"
            print("cv_spearman[\(kind.rawValue)]: \(score)")
        }
        print("chosen: \(fitted.kind.rawValue) -> \(output)")
    }
}

/// `factory mix predict`.
struct MixPredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict", abstract: "Predict a metric for mixtures with a fitted surrogate.")

    @Option(help: "A surrogate written by `factory mix fit`.")
    var surrogate: String
    @Option(help: "Mixture CSV.")
    var mixtures: String
    @Option(help: "Where to write predictions (CSV: index, prediction, uncertainty).")
    var output: String

    func run() throws {
        let model = try SurrogateFile.load(surrogate)
        let (table, x) = try MixtureTable.rows(path: mixtures, domains: model.domains)
        var lines = [(table.hasIndexColumn ? "index," : "") + "prediction,uncertainty"]
        for (label, row) in zip(table.index, x) {
            let (prediction, uncertainty) = model.predict(row)
            lines.append((table.hasIndexColumn ? "\(label)," : "") + "\(prediction),\(uncertainty)")
        }
        try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), toPath: output)
        print("\(x.count) predictions -> \(output)")
    }
}

/// `factory mix propose`.
struct MixProposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose", abstract: "Minimize weighted surrogate predictions over the simplex under per-domain caps.")

    @Option(
        name: .customLong("surrogate"),
        help: "A surrogate, optionally with a finite weight (negative maximizes its metric): PATH or PATH:WEIGHT (repeatable).")
    var surrogates: [String]
    @Option(help: "The prior mixture (TOML with a [mixture] table); default: uniform.")
    var prior: String?
    @Option(name: .customLong("cap"), help: "A cap on a domain's weight: DOMAIN=MAX, MAX in [0, 1] (repeatable).")
    var caps: [String] = []
    @Option(help: "Weight of the KL penalty toward the prior (finite, non-negative).")
    var kl = 0.0
    @Option(help: "Where to write the proposed mixture (TOML).")
    var output: String?

    func validate() throws {
        guard !surrogates.isEmpty else { throw ValidationError("give at least one --surrogate") }
        guard kl >= 0, kl.isFinite else { throw ValidationError("--kl must be a finite, non-negative number, got \(kl)") }
        for entry in surrogates { _ = try Self.pathAndWeight(entry) }
    }

    func run() throws {
        let terms = try surrogates.map { entry -> MixtureProposer.Term in
            let (path, weight) = try Self.pathAndWeight(entry)
            return MixtureProposer.Term(surrogate: try SurrogateFile.load(path), weight: weight)
        }
        let domains = terms[0].surrogate.domains
        let priorMixture =
            try prior.map { try Mixture.load(tomlFile: $0) }
            ?? Mixture.normalizing(Dictionary(uniqueKeysWithValues: domains.map { ($0, 1.0) }))
        var capByDomain = [String: Double]()
        for entry in caps {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]), domains.contains(parts[0]) else {
                throw ValidationError("--cap '\(entry)' must be DOMAIN=MAX with a domain of the surrogate (\(domains.joined(separator: ", ")))")
            }
            guard (0...1).contains(value) else { throw ValidationError("--cap '\(entry)': MAX must be between 0 and 1, got \(value)") }
            capByDomain[parts[0]] = value
        }
        let proposer = try MixtureProposer(
            terms: terms, prior: priorMixture, caps: domains.map { capByDomain[$0] ?? 1 }, klWeight: kl)
        let proposal = try proposer.propose()
        print(proposal.mixture.tomlText, terminator: "")
        print("objective: \(proposal.objective) (best dense sample: \(proposal.bestSampleObjective))")
        for (metric, value) in proposal.predictions.sorted(by: { $0.key < $1.key }) {
            print("predicted \(metric): \(value.prediction) ± \(value.uncertainty)")
        }
        print("at zero: \(proposal.domainsAtZero.joined(separator: ", ")); at cap: \(proposal.domainsAtCap.joined(separator: ", "))")
        if let output { try AtomicFile.write(Data(proposal.mixture.tomlText.utf8), toPath: output) }
    }

    static func pathAndWeight(_ entry: String) throws -> (String, Double) {
        guard let colon = entry.lastIndex(of: ":"), let weight = Double(entry[entry.index(after: colon)...]) else { return (entry, 1) }
        guard weight.isFinite else { throw ValidationError("--surrogate '\(entry)': the weight must be a finite number, got \(weight)") }
        return (String(entry[..<colon]), weight)
    }
}
