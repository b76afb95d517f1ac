import FactoryCore
import Foundation

/// Measures encoding throughput, for `bench/` comparisons against other tokenizers.
public enum TokenizerBenchmark {
    /// One measurement.
    public struct Measurement: Sendable {
        /// Threads used.
        public var threads: Int
        /// UTF-8 bytes of one pass over the texts.
        public var bytesPerPass: Int
        /// Tokens of one pass.
        public var tokensPerPass: Int
        /// Passes timed.
        public var passes: Int
        /// Seconds for all timed passes.
        public var seconds: Double
        /// SHA-256 of every token id of one pass, as little-endian `UInt32`s in text order, so
        /// that other implementations can show they produce the same ids.
        public var idsDigest: Digest

        /// Megabytes (10⁶ bytes) of text encoded per second.
        public var megabytesPerSecond: Double { Double(bytesPerPass * passes) / seconds / 1e6 }
    }

    /// Encodes `texts` with ``Tokenizer/encodeBatch(_:threads:matchingAddedTokens:)`` once to
    /// warm up, then repeatedly until `minimumSeconds` have passed (each pass with fresh caches).
    public static func measure(
        tokenizer: Tokenizer, texts: [String], threads: Int, minimumSeconds: Double
    ) -> Measurement {
        let warmup = tokenizer.encodeBatch(texts, threads: threads)
        var hasher = DigestHasher()
        var tokens = 0
        for ids in warmup {
            tokens += ids.count
            ids.map(\.littleEndian).withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
        var passes = 0
        let start = ProgressReporter.monotonicSeconds()
        var elapsed = 0.0
        repeat {
            _ = tokenizer.encodeBatch(texts, threads: threads)
            passes += 1
            elapsed = ProgressReporter.monotonicSeconds() - start
        } while elapsed < minimumSeconds
        return Measurement(
            threads: threads, bytesPerPass: texts.reduce(0) { $0 + $1.utf8.count }, tokensPerPass: tokens,
            passes: passes, seconds: elapsed, idsDigest: hasher.finalize())
    }
}
