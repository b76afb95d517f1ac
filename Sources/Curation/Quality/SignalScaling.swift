import FactoryCore
import Foundation

/// How heuristic signals enter the classifiers: counts as `log(1 + value)`, then every signal
/// standardized by the mean and standard deviation of the training documents and clipped to ±5.
public struct SignalScaling: Codable, Equatable, Sendable {
    /// The scaling of one signal.
    public struct Entry: Codable, Equatable, Sendable {
        /// The signal's name (``QualitySignal`` raw value).
        public var signal: String
        /// Whether the value is replaced by `log(1 + value)` first.
        public var logarithmic: Bool
        /// The training mean of the (transformed) value.
        public var mean: Double
        /// The training standard deviation of the (transformed) value; 0 makes the feature 0.
        public var deviation: Double
    }

    /// One entry per ``QualitySignal``, in ``QualitySignal/allCases`` order.
    public var entries: [Entry]

    /// The largest magnitude of a standardized value.
    public static let clip = 5.0

    /// Fits means and deviations to the signals of training documents (sums in document order).
    public static func fit(_ samples: [QualitySignalValues]) -> SignalScaling {
        SignalScaling(
            entries: QualitySignal.allCases.enumerated().map { index, signal in
                let values = samples.map { transform($0.values[index], logarithmic: signal.isCount) }
                let count = Double(max(values.count, 1))
                let mean = values.reduce(0, +) / count
                let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
                return Entry(signal: signal.rawValue, logarithmic: signal.isCount, mean: mean, deviation: variance.squareRoot())
            })
    }

    /// The standardized, clipped values of `signals`, in ``QualitySignal/allCases`` order.
    func scaled(_ signals: QualitySignalValues) -> [Double] {
        zip(entries, signals.values).map { entry, value in
            guard entry.deviation > 0 else { return 0 }
            let standardized = (Self.transform(value, logarithmic: entry.logarithmic) - entry.mean) / entry.deviation
            return min(max(standardized, -Self.clip), Self.clip)
        }
    }

    /// Checks that the entries name every signal in order with finite statistics; `fail` turns a
    /// field path and a message into the error to throw.
    public func validate(fail: (String, String) -> FactoryError) throws {
        let signals = QualitySignal.allCases
        guard entries.count == signals.count else {
            throw fail("signal_scaling.entries", "expected \(signals.count) entries (one per signal), found \(entries.count)")
        }
        for (index, (entry, signal)) in zip(entries, signals).enumerated() {
            let path = "signal_scaling.entries[\(index)]"
            guard entry.signal == signal.rawValue else {
                throw fail("\(path).signal", "expected '\(signal.rawValue)', found '\(entry.signal)'")
            }
            guard entry.mean.isFinite, entry.deviation.isFinite, entry.deviation >= 0 else {
                throw fail(path, "mean and deviation must be finite and the deviation non-negative")
            }
        }
    }

    private static func transform(_ value: Double, logarithmic: Bool) -> Double {
        logarithmic ? Foundation.log1p(max(value, 0)) : value
    }
}
