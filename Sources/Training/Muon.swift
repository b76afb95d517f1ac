import FactoryCore
import Models
import Tensors

/// Muon (MomentUm Orthogonalized by Newton–Schulz) for the hidden matrices; `Optimizer` pairs it
/// with an AdamW for the rest (`ParameterGroups` says which is which). One state buffer per
/// Muon parameter.
///
/// For every Muon parameter, with gradient `g`, momentum `β` and learning rate `lr`:
///
/// 1. `buf ← β·buf + (1 − β)·g` and the Nesterov look-ahead `u = (1 − β)·g + β·buf`. This is the
///    exponential-moving-average form of Keller Jordan's reference `muon_update`
///    (`momentum.lerp_(grad, 1 − β)`, then `grad.lerp_(momentum, β)`). The older form,
///    `buf ← β·buf + g`, `u = g + β·buf`, differs from it only by the factor `1/(1 − β)`, which
///    the Frobenius normalization of step 2 removes; the EMA form keeps the buffer on the
///    gradient's scale, so it is the one stored in checkpoints.
/// 2. Each matrix of `u` (each expert's matrix separately) is orthogonalized by
///    `MuonUpdate.orthogonalize` (5 quintic Newton–Schulz steps).
/// 3. `p ← p·(1 − lr·λ) − lr·0.2·sqrt(max(rows, columns))·O`: decoupled weight decay at the
///    unscaled learning rate, and an update whose RMS matches AdamW's, so AdamW learning rates
///    carry over.
public struct Muon: Sendable {
    /// Hyper-parameters.
    public struct Settings: Sendable, Equatable {
        /// β of the momentum.
        public var momentum: Float
        /// Decoupled weight decay λ.
        public var weightDecay: Float

        /// Muon settings; the defaults are β = 0.95 and λ = 0.1.
        public init(momentum: Float = 0.95, weightDecay: Float = 0.1) {
            self.momentum = momentum
            self.weightDecay = weightDecay
        }
    }

    /// The hyper-parameters this optimizer runs with.
    public let settings: Settings
    /// Which parameter goes to which optimizer, and the Muon matrices.
    public let groups: ParameterGroups
    /// The momentum buffers of the Muon parameters (only those), named like the parameters.
    public private(set) var momentum: ParameterSet

    /// Zero state for the Muon group of `parameters`.
    public init(settings: Settings, parameters: ParameterSet) throws {
        self.settings = settings
        groups = ParameterGroups(layout: parameters.names.map { ($0, parameters[$0].shape) })
        momentum = try groups.zeros(in: .muon, shapedLike: parameters)
    }

    /// Restores saved state (for resuming): `momentum` must hold exactly the Muon group of `groups`.
    public init(settings: Settings, groups: ParameterGroups, momentum: ParameterSet) {
        self.settings = settings
        self.groups = groups
        self.momentum = momentum
    }

    /// Applies one update at `learningRate` to the Muon group (the other parameters are left alone).
    ///
    /// `orthogonalize` replaces step 2 for all matrices at once (the look-aheads of
    /// `groups.muonMatrices`, in order, to their orthogonalized forms in the same order):
    /// `MuonShards` splits the work across replicas; it must give the results
    /// `MuonUpdate.orthogonalize` gives, the default.
    public mutating func step(
        parameters: inout ParameterSet, gradients: ParameterSet, learningRate: Float, pool: ThreadPool = .machineWide,
        orthogonalize: ((_ matrices: [Tensor]) throws -> [Tensor])? = nil
    ) throws {
        var lookAheads = [String: Tensor]()
        for name in momentum.names {
            lookAheads[name] = try momentum.update(name) { buffer in
                try MuonKernel.nesterovMomentum(gradient: gradients[name], momentum: &buffer, beta: settings.momentum, pool: pool)
            }
        }
        let matrices = try groups.muonMatrices.map { try MuonUpdate.extract($0, from: lookAheads[$0.parameter]!) }
        let orthogonal = try orthogonalize?(matrices) ?? MuonUpdate.orthogonalize(matrices, pool: pool)
        var updates = [String: [Float]]()
        for (matrix, result) in zip(groups.muonMatrices, orthogonal) {
            updates[matrix.parameter, default: []].append(contentsOf: result.storage)
        }
        for matrix in groups.muonMatrices where matrix.expert ?? 0 == 0 {
            let update = try Tensor(shape: parameters[matrix.parameter].shape, storage: updates[matrix.parameter]!)
            try parameters.update(matrix.parameter) { parameter in
                try MuonKernel.apply(
                    update: update, to: &parameter, learningRate: learningRate, scale: matrix.updateScale,
                    weightDecay: settings.weightDecay, pool: pool)
            }
        }
    }
}
