import Models
import Tensors

/// A 64-bit hash of every tensor of some parameter sets (weights, optimizer state), in name order,
/// and their combination: what replicas compare to prove they hold the same bits.
public struct WeightHash: Equatable, Sendable {
    /// `<set>/<tensor name>` for every tensor hashed, in order.
    public let names: [String]
    /// The hash of each tensor in `names`.
    public let tensorHashes: [UInt64]
    /// All tensor hashes folded in order.
    public let combined: UInt64

    /// Hashes the tensors of `sets` (label, set) in the given order, then in each set's name order.
    public init(of sets: [(label: String, parameters: ParameterSet)]) {
        var names = [String]()
        var hashes = [UInt64]()
        for (label, parameters) in sets {
            for name in parameters.names {
                names.append(label + "/" + name)
                hashes.append(WeightHashKernel.hash(parameters[name]))
            }
        }
        self.names = names
        tensorHashes = hashes
        combined = WeightHashKernel.combine(hashes)
    }

    /// The weights and every optimizer state tensor of one replica.
    public init(parameters: ParameterSet, optimizer: Optimizer) {
        var sets: [(label: String, parameters: ParameterSet)] = [
            ("weights", parameters), ("adamw.m", optimizer.adamW.firstMoments), ("adamw.v", optimizer.adamW.secondMoments),
        ]
        if let momentum = optimizer.muon?.momentum { sets.append(("muon.momentum", momentum)) }
        self.init(of: sets)
    }
}
