import FactoryCore
import Foundation

/// Measures the single-precision GEMM rate of the linked BLAS, for `factory doctor` and benches.
public enum GEMMBenchmark {
    /// The result of one measurement.
    public struct Measurement: Sendable {
        /// Matrix size (n × n times n × n).
        public let size: Int
        /// Products timed.
        public let repetitions: Int
        /// Median seconds per product.
        public let medianSeconds: Double
        /// Billions of floating-point operations per second at the median time (2n³ per product).
        public var gigaflops: Double { 2 * pow(Double(size), 3) / medianSeconds / 1e9 }
    }

    /// Times `n × n` products on deterministic random inputs after one warm-up product, until
    /// `minimumSeconds` have passed (and at least three products).
    public static func measure(size n: Int = 1024, minimumSeconds: Double = 1) throws -> Measurement {
        guard n > 0 else { throw FactoryError.invalidArgument(name: "GEMM size", message: "must be positive, got \(n)") }
        let stream = RandomStream(seed: 0).split("gemm-benchmark")
        let a = try Tensor(shape: [n, n], storage: (0..<n * n).map { stream.uniform(at: UInt64($0)) - 0.5 })
        let b = try Tensor(shape: [n, n], storage: (0..<n * n).map { stream.uniform(at: UInt64(n * n + $0)) - 0.5 })
        _ = try GEMM.multiply(a, b)
        var times = [Double]()
        let start = ProgressReporter.monotonicSeconds()
        while times.count < 3 || ProgressReporter.monotonicSeconds() - start < minimumSeconds {
            let before = ProgressReporter.monotonicSeconds()
            _ = try GEMM.multiply(a, b)
            times.append(ProgressReporter.monotonicSeconds() - before)
        }
        times.sort()
        return Measurement(size: n, repetitions: times.count, medianSeconds: times[times.count / 2])
    }
}
