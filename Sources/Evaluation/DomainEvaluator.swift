import FactoryCore
import Foundation
import Models
import Shards
import Tensors
import Tokenization

/// Per-domain held-out loss (nats per token) and bits per byte on validation token streams.
///
/// Each domain's stream is cut into consecutive windows of `time + 1` tokens from its start
/// (the same windows every time, so evaluations are comparable across steps and runs), up to
/// `maximumSequences` windows per domain.
public struct DomainEvaluator: Sendable {
    /// One domain's result.
    public struct Result: Sendable, Equatable {
        /// Mean next-token cross-entropy in nats.
        public let loss: Double
        /// Bits per byte of the predicted text (special tokens count zero bytes).
        public let bitsPerByte: Double
        /// Tokens predicted.
        public let tokens: Int
    }

    public let validation: DomainTokens
    /// UTF-8 byte length of every token id's text (0 for special tokens).
    public let tokenByteLengths: [Int]
    public let time: Int
    public let batchSize: Int
    public let maximumSequences: Int

    /// - Parameter tokenizer: the tokenizer that encoded `validation` (checked by digest when
    ///   `tokenizerDigest` is given).
    public init(validation: DomainTokens, tokenizer: Tokenizer, time: Int, batchSize: Int, maximumSequences: Int) {
        self.validation = validation
        let specials = Set(tokenizer.addedTokens.filter(\.special).map(\.id))
        tokenByteLengths = (0..<tokenizer.vocabularySize).map { id in
            specials.contains(UInt32(id)) ? 0 : (tokenizer.bytes(ofToken: UInt32(id))?.count ?? 0)
        }
        self.time = time
        self.batchSize = batchSize
        self.maximumSequences = maximumSequences
    }

    /// Evaluates `model` on every domain.
    public func evaluate(_ model: LagunaModel, pool: ThreadPool = .machineWide) throws -> [String: Result] {
        var results = [String: Result]()
        for domain in validation.domains {
            let stream = validation.streams[domain]!
            let windows = min(maximumSequences, max((stream.count - 1) / time, 0))
            guard windows > 0 else { continue }
            var nats = 0.0
            var bytes = 0
            var predicted = 0
            for first in stride(from: 0, to: windows, by: batchSize) {
                let rows = min(batchSize, windows - first)
                var inputs = [Int32]()
                var targets = [Int32]()
                for row in 0..<rows {
                    let start = (first + row) * time
                    for offset in 0..<time {
                        inputs.append(Int32(bitPattern: stream[start + offset]))
                        let target = stream[start + offset + 1]
                        targets.append(Int32(bitPattern: target))
                        bytes += Int(target) < tokenByteLengths.count ? tokenByteLengths[Int(target)] : 0
                    }
                }
                let logits = try model.logits(TokenBatch(batch: rows, time: time, tokens: inputs), pool: pool)
                let perToken = try CrossEntropyKernel.lossAndGradient(logits: logits, targets: targets, pool: pool).perTokenLoss
                nats += perToken.reduce(0.0) { $0 + Double($1) }
                predicted += targets.count
            }
            results[domain] = Result(
                loss: nats / Double(predicted), bitsPerByte: bytes > 0 ? nats / log(2) / Double(bytes) : .nan, tokens: predicted)
        }
        return results
    }
}
