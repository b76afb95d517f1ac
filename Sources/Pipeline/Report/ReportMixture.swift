import FactoryCore
import FactoryNumerics
import Foundation
import Mixing
import Reports

extension PipelineReport {
    /// The AutoMixer: the swarm, the surrogate's predicted-vs-measured scatter with its rank
    /// correlation, the proposed mixture against the prior with the check runs, predicted and
    /// measured per metric, the signal measurement and the swarm's Pareto front over capabilities.
    func appendMixture(swarm: String, mix folder: String, to document: inout ReportDocument) throws {
        document.heading("Mixture search")
        let mixtures = try NumericTable.read(path: "\(swarm)/\(SwarmStage.sweepFolder)/mixtures.csv")
        let metrics = try NumericTable.read(path: "\(swarm)/\(SwarmStage.sweepFolder)/metrics.csv")
        let surrogate = try SurrogateFile.load(folder + "/surrogate.json")
        let predictions = try SwarmPredictions(path: folder + "/" + AutoMixer.predictionsFile)
        let spearman = RankCorrelation.spearman(predictions.outOfFold, predictions.actual)
        document.paragraph(
            "\(mixtures.rows.count) proxy runs on mixtures sampled around the prior; surrogate: \(surrogate.kind.rawValue) for "
                + "\(surrogate.target) (cross-validated Spearman "
                + surrogate.crossValidatedSpearman.keys.sorted().map {
                    "\($0) \(NumberFormatting.fixed(surrogate.crossValidatedSpearman[$0]!, decimals: 3))"
                }.joined(separator: ", ")
                + ").")
        let swarmRows = mixtures.rows.indices.map { row -> [String] in
            let target = (try? metrics.column(surrogate.target, source: "metrics.csv"))?[safe: row]
            return [mixtures.index[row]] + mixtures.rows[row].map { NumberFormatting.fixed($0, decimals: 3) }
                + [target.map { NumberFormatting.fixed($0, decimals: 4) } ?? "-"]
        }
        document.chart(
            try BarChart(
                title: "The swarm: each proxy run's mixture", categories: mixtures.index.map { "run \($0)" },
                series: mixtures.columns.indices.map { column in ChartSeries(name: mixtures.columns[column], values: mixtures.rows.map { $0[column] })
                },
                arrangement: .stacked, yLabel: "weight", valueDecimals: 2),
            caption: "Mixtures sampled from a Dirichlet around the prior, within the per-domain epoch caps.")
        try document.table(header: ["run"] + mixtures.columns + [surrogate.target], rows: swarmRows, caption: "The swarm.")
        let points = zip(predictions.index, zip(predictions.actual, predictions.outOfFold)).map {
            ChartPoint(x: $1.1, y: $1.0, label: "run \($0)")
        }
        var caption = "Out-of-fold predictions of the chosen surrogate against the measured \(surrogate.target)."
        if !predictions.heldOut.isEmpty {
            let heldOut = predictions.heldOut
            let rho = RankCorrelation.spearman(heldOut.map(\.predicted), heldOut.map(\.actual))
            caption +=
                " The last \(heldOut.count) runs, predicted by a surrogate fitted without them: Spearman "
                + "\(NumberFormatting.fixed(rho, decimals: 3)) (runs \(heldOut.map(\.index).joined(separator: ", ")))."
        }
        document.chart(
            ScatterPlot(
                title: "Surrogate: predicted vs measured (Spearman \(NumberFormatting.fixed(spearman, decimals: 3)))", points: points,
                xLabel: "predicted \(surrogate.target)", yLabel: "measured \(surrogate.target)", showsDiagonal: true),
            caption: caption)
        let prior = try Mixture.load(tomlFile: folder + "/prior.toml")
        let proposed = try Mixture.load(tomlFile: folder + "/proposed.toml")
        let domains = prior.domains
        document.chart(
            try BarChart(
                title: "Proposed mixture against the prior", categories: domains,
                series: [
                    ChartSeries(name: "prior", values: prior.vector(over: domains)),
                    ChartSeries(name: "proposed", values: proposed.vector(over: domains)),
                ],
                yLabel: "weight", valueDecimals: 3),
            caption: "The prior is the token shares to a temperature; the proposal minimizes the surrogate under per-domain epoch caps.")
        if let check = try? NumericTable.read(path: folder + "/check/metrics.csv"),
            let values = try? check.column(surrogate.target, source: "check/metrics.csv"), values.count == 2
        {
            document.paragraph(
                "Check runs with the proxy budget: \(surrogate.target) \(NumberFormatting.fixed(values[0], decimals: 4)) for the proposed "
                    + "mixture against \(NumberFormatting.fixed(values[1], decimals: 4)) for the prior.")
        }
        try appendTargets(mix: folder, to: &document)
        try appendSignal(swarm: swarm, to: &document)
        try appendParetoFront(metrics: metrics, to: &document)
    }
}

/// `predictions.csv` of an AutoMixer folder: measured target, out-of-fold prediction and, for
/// held-out runs, the prediction of the surrogate fitted without them.
struct SwarmPredictions {
    var index = [String]()
    var actual = [Double]()
    var outOfFold = [Double]()
    var heldOut = [(index: String, actual: Double, predicted: Double)]()

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw FactoryError.fileNotFound(path: path)
        }
        for (number, line) in text.split(separator: "\n").enumerated().dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 4, let measured = Double(cells[1]), let predicted = Double(cells[2]) else {
                throw FactoryError.corrupt(path: path, reason: "line \(number + 1) is not index,actual,out_of_fold,held_out")
            }
            index.append(cells[0])
            actual.append(measured)
            outOfFold.append(predicted)
            if let held = Double(cells[3]) { heldOut.append((cells[0], measured, held)) }
        }
    }
}

extension Array {
    subscript(safe position: Int) -> Element? { indices.contains(position) ? self[position] : nil }
}
