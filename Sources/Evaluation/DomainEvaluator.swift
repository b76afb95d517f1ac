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

    /// Domains left out, with the reason: a stream shorter than one window of `time + 1` tokens,
    /// or windows whose targets are all special tokens (no text bytes, so no bits per byte).
    /// Callers report them; they never silently vanish from the results.
    public let skippedDomains: [String: String]

    /// - Parameters:
    ///   - tokenizer: the tokenizer that encoded `validation`.
    ///   - source: the validation folder, as the user named it (for the refusal).
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` naming `source` when no domain
    ///   can be evaluated at all (every one is in ``skippedDomains``).
    public init(validation: DomainTokens, tokenizer: Tokenizer, time: Int, batchSize: Int, maximumSequences: Int, source: String) throws {
        self.validation = validation
        let specials = Set(tokenizer.addedTokens.filter(\.special).map(\.id))
        tokenByteLengths = (0..<tokenizer.vocabularySize).map { id in
            specials.contains(UInt32(id)) ? 0 : (tokenizer.bytes(ofToken: UInt32(id))?.count ?? 0)
        }
        self.time = time
        self.batchSize = batchSize
        self.maximumSequences = maximumSequences
        var skipped = [String: String]()
        for domain in validation.domains {
            let stream = validation.streams[domain]!
            let windows = min(maximumSequences, max((stream.count - 1) / time, 0))
            if windows == 0 {
                skipped[domain] = "its \(stream.count) validation tokens are fewer than one window of \(time + 1)"
            } else if Self.targetBytes(stream, windows: windows, time: time, lengths: tokenByteLengths) == 0 {
                skipped[domain] = "its targets are special tokens only (no text bytes for bits per byte)"
            }
        }
        skippedDomains = skipped
        guard skipped.count < validation.domains.count else {
            let reasons = skipped.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
            throw FactoryError.invalidArgument(
                name: "validation shards \(source)", message: "no domain can be evaluated at sequence length \(time) (\(reasons))")
        }
    }

    private static func targetBytes(_ stream: [UInt32], windows: Int, time: Int, lengths: [Int]) -> Int {
        var bytes = 0
        for window in 0..<windows {
            for offset in 1...time {
                let target = Int(stream[window * time + offset])
                bytes += target < lengths.count ? lengths[target] : 0
            }
        }
        return bytes
    }

    /// Evaluates `model` on every domain but the ``skippedDomains``.
    public func evaluate(_ model: LagunaModel, pool: ThreadPool = .machineWide) throws -> [String: Result] {
        var results = [String: Result]()
        for domain in validation.domains where skippedDomains[domain] == nil {
            let stream = validation.streams[domain]!
            let windows = min(maximumSequences, (stream.count - 1) / time)
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
                loss: nats / Double(predicted), bitsPerByte: nats / log(2) / Double(bytes), tokens: predicted)
        }
        return results
    }
}
