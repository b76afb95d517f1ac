import FactoryCore
import Models
import Tensors

/// A hash of every tensor of some parameter sets (weights, optimizer state), in name order: what
/// replicas compare to prove they hold the same bits. The fast kind (`WeightHashKernel`, 64 bits
/// per tensor) runs every few steps; SHA-256 (4 words per tensor) runs at checkpoints.
public struct WeightHash: Equatable, Sendable {
    /// Which hash of the raw bytes each tensor gets.
    public enum Kind: String, Sendable, Equatable {
        /// `WeightHashKernel`: one 64-bit word per tensor.
        case fast64 = "fast64"
        /// SHA-256 of the `Float` bytes: four 64-bit words per tensor.
        case sha256 = "sha256"

        /// 64-bit words per tensor.
        public var wordsPerTensor: Int { self == .fast64 ? 1 : 4 }
    }

    /// The hash each tensor got.
    public let kind: Kind
    /// `<set>/<tensor name>` for every tensor hashed, in order.
    public let names: [String]
    /// `kind.wordsPerTensor` words for each tensor of `names`, in order.
    public let words: [UInt64]

    /// Hashes the tensors of `sets` (label, set) in the given order, then in each set's name order;
    /// tensors are hashed in parallel on `pool` (each on one thread, so the words do not depend
    /// on the thread count).
    public init(of sets: [(label: String, parameters: ParameterSet)], kind: Kind = .fast64, pool: ThreadPool = .serial) {
        let tensors = sets.flatMap { label, parameters in parameters.names.map { (label + "/" + $0, parameters[$0]) } }
        let width = kind.wordsPerTensor
        let words = pool.parallelReduce(
            count: tensors.count, grain: 1, initial: [UInt64](),
            chunk: { range in range.flatMap { Self.words(of: tensors[$0].1, kind: kind) } },
            combine: +)
        precondition(words.count == tensors.count * width)
        self.kind = kind
        names = tensors.map(\.0)
        self.words = words
    }

    /// The weights and every optimizer state tensor of one replica: sets `weights`, `adamw.m`,
    /// `adamw.v` and, with Muon, `muon.momentum`.
    public init(parameters: ParameterSet, optimizer: Optimizer, kind: Kind = .fast64, pool: ThreadPool = .serial) {
        var sets: [(label: String, parameters: ParameterSet)] = [
            ("weights", parameters), ("adamw.m", optimizer.adamW.firstMoments), ("adamw.v", optimizer.adamW.secondMoments),
        ]
        if let momentum = optimizer.muon?.momentum { sets.append(("muon.momentum", momentum)) }
        self.init(of: sets, kind: kind, pool: pool)
    }

    /// Another replica's hash of the same tensors (its `words`, as gathered from it).
    public init(kind: Kind, names: [String], words: [UInt64]) throws {
        guard words.count == names.count * kind.wordsPerTensor else {
            throw FactoryError.invalidArgument(
                name: "weight hash", message: "\(words.count) words for \(names.count) tensors of \(kind.rawValue) hashes")
        }
        self.kind = kind
        self.names = names
        self.words = words
    }

    /// The words of the tensor at `index` in `names`.
    public func hash(ofTensorAt index: Int) -> ArraySlice<UInt64> {
        words[(index * kind.wordsPerTensor)..<((index + 1) * kind.wordsPerTensor)]
    }

    /// All words folded in order into one 64-bit value (for logs).
    public var combined: UInt64 { WeightHashKernel.combine(words) }

    private static func words(of tensor: Tensor, kind: Kind) -> [UInt64] {
        switch kind {
        case .fast64:
            return [WeightHashKernel.hash(tensor)]
        case .sha256:
            var hasher = DigestHasher()
            tensor.withUnsafeBufferPointer { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
            let bytes = hasher.finalize().bytes
            return (0..<4).map { word in (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[8 * word + $1]) } }
        }
    }
}
