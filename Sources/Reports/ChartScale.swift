import Foundation

/// Maps data values onto a pixel interval, linearly or on a base-10 logarithm.
public struct ChartScale: Equatable, Sendable {
    /// How values are spaced along the axis.
    public enum Kind: Equatable, Sendable {
        /// Equal differences are equal distances.
        case linear
        /// Equal ratios are equal distances; only positive values map.
        case logarithmic
    }

    /// The data interval, mapped onto ``start`` and ``end`` (for a logarithmic scale both bounds are positive).
    public let domain: ClosedRange<Double>
    /// The pixel coordinate of `domain.lowerBound`.
    public let start: Double
    /// The pixel coordinate of `domain.upperBound` (less than ``start`` for a y axis, which grows downwards).
    public let end: Double
    /// Linear or logarithmic.
    public let kind: Kind

    /// A scale from `domain` onto `start...end` (or `end...start`).
    public init(domain: ClosedRange<Double>, start: Double, end: Double, kind: Kind = .linear) {
        self.domain = domain
        self.start = start
        self.end = end
        self.kind = kind
    }

    /// The pixel coordinate of `value`; `nil` when a logarithmic scale is given a value that is not
    /// positive, or the value is not finite. Values outside the domain map outside the pixel interval.
    public func position(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        let fraction: Double
        switch kind {
        case .linear:
            let span = domain.upperBound - domain.lowerBound
            fraction = span == 0 ? 0.5 : (value - domain.lowerBound) / span
        case .logarithmic:
            guard value > 0, domain.lowerBound > 0 else { return nil }
            let span = log10(domain.upperBound) - log10(domain.lowerBound)
            fraction = span == 0 ? 0.5 : (log10(value) - log10(domain.lowerBound)) / span
        }
        return start + fraction * (end - start)
    }
}
