import FactoryCore
import Foundation

/// A config factor of an ablation and how it enters the regression.
public struct AblationFactor: Hashable, Sendable {
    /// How a factor's values become regression columns.
    public enum Encoding: String, Hashable, Sendable {
        /// Numeric values as they are; any non-numeric value makes the factor categorical.
        case automatic
        /// log10 of numeric values (learning rates, sizes): the effect is per tenfold change.
        case log10
        /// One indicator column per level except the first (the baseline), even for numbers.
        case categorical
    }

    /// The config key (in full, or a unique suffix).
    public var name: String
    /// How it is encoded.
    public var encoding: Encoding

    /// A factor.
    public init(name: String, encoding: Encoding = .automatic) {
        self.name = name
        self.encoding = encoding
    }

    /// The regression columns for this factor's values (one per observation): their names and
    /// one row of values per observation.
    ///
    /// - Throws: when the factor takes one value only, or log10 meets a value ≤ 0 or a text.
    func columns(for values: [ConfigValue]) throws -> (names: [String], rows: [[Double]]) {
        let numbers = values.compactMap(\.numericValue)
        let isNumeric = numbers.count == values.count
        switch encoding {
        case .log10:
            if let text = values.first(where: { $0.numericValue == nil })?.plainText {
                throw FactoryError.invalidArgument(name: name, message: "log10 needs numbers, found '\(text)'")
            }
            if let bad = numbers.first(where: { $0 <= 0 }) {
                throw FactoryError.invalidArgument(name: name, message: "log10 needs positive values, found \(bad)")
            }
            guard Set(numbers).count > 1 else { throw singleLevel(values) }
            return (["log10(\(name))"], numbers.map { [Foundation.log10($0)] })
        case .automatic where isNumeric:
            guard Set(numbers).count > 1 else { throw singleLevel(values) }
            return ([name], numbers.map { [$0] })
        case .automatic, .categorical:
            let levels = Self.levels(values)
            guard levels.count > 1 else { throw singleLevel(values) }
            let indicators = levels.dropFirst()
            return (indicators.map { "\(name)=\($0)" }, values.map { value in indicators.map { $0 == value.plainText ? 1.0 : 0.0 } })
        }
    }

    private func singleLevel(_ values: [ConfigValue]) -> FactoryError {
        .invalidArgument(
            name: name,
            message: "takes the single value \(values.first?.plainText ?? "?") across the \(values.count) runs; its effect cannot be estimated")
    }

    /// The distinct values in order: numerically when all are numbers, else by text.
    static func levels(_ values: [ConfigValue]) -> [String] {
        var byText = [String: Double?]()
        for value in values { byText[value.plainText] = value.numericValue }
        if byText.values.allSatisfy({ $0 != nil }) {
            return byText.sorted { ($0.value!, $0.key) < ($1.value!, $1.key) }.map(\.key)
        }
        return byText.keys.sorted()
    }
}
