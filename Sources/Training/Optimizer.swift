import FactoryCore
import Models
import Tensors

/// The optimizer a trainer steps: AdamW for every parameter, or Muon for the hidden matrices
/// with AdamW for the rest.
public struct Optimizer: Sendable {
    /// AdamW over every parameter, or, with Muon, over the AdamW group only.
    public private(set) var adamW: AdamW
    /// Muon over the hidden matrices, when training with Muon.
    public private(set) var muon: Muon?

    /// Zero state for `parameters`: Muon and AdamW when `muon` is given, else AdamW alone.
    public init(adamW settings: AdamW.Settings, muon muonSettings: Muon.Settings?, parameters: ParameterSet) throws {
        if let muonSettings {
            let muon = try Muon(settings: muonSettings, parameters: parameters)
            self.muon = muon
            adamW = AdamW(settings: settings, parameters: try muon.groups.zeros(in: .adamW, shapedLike: parameters))
        } else {
            adamW = AdamW(settings: settings, parameters: parameters)
        }
    }

    /// Restored state.
    public init(adamW: AdamW, muon: Muon?) {
        self.adamW = adamW
        self.muon = muon
    }

    /// `adamw` or `muon`, as run files and checkpoints name it.
    public var name: String { muon == nil ? "adamw" : "muon" }

    /// Scalars of optimizer state: two per AdamW parameter, one per Muon parameter.
    public var stateScalarCount: Int {
        adamW.firstMoments.scalarCount + adamW.secondMoments.scalarCount + (muon?.momentum.scalarCount ?? 0)
    }

    /// Applies one update at `learningRate` to every parameter; `orthogonalize`, when given,
    /// does Muon's Newton–Schulz step (see `Muon.step`).
    public mutating func step(
        parameters: inout ParameterSet, gradients: ParameterSet, learningRate: Float, pool: ThreadPool = .machineWide,
        orthogonalize: ((_ matrices: [Tensor]) throws -> [Tensor])? = nil
    ) throws {
        try muon?.step(
            parameters: &parameters, gradients: gradients, learningRate: learningRate, pool: pool, orthogonalize: orthogonalize)
        try adamW.step(parameters: &parameters, gradients: gradients, learningRate: learningRate, pool: pool)
    }
}
