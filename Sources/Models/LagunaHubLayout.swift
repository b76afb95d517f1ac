import FactoryCore
import Foundation
import Tensors

/// The tensor names of sparse layers in checkpoint files, as `transformers`' `save_pretrained`
/// writes them: it reverses the Laguna conversion that `from_pretrained` applies on load, so
/// files hold one matrix per expert, and the in-memory (fused) names appear only in memory.
///
/// | in memory (fused, `named_parameters()`)      | on disk (hub)                                              |
/// | -------------------------------------------- | ---------------------------------------------------------- |
/// | `mlp.experts.gate_up_proj [E, 2I, H]`        | `mlp.experts.{e}.gate_proj.weight [I, H]` (rows `0..<I`),   |
/// |                                              | `mlp.experts.{e}.up_proj.weight [I, H]` (rows `I..<2I`)     |
/// | `mlp.experts.down_proj [E, H, I]`            | `mlp.experts.{e}.down_proj.weight [H, I]`                   |
/// | `mlp.gate.e_score_correction_bias [E]`       | `mlp.experts.e_score_correction_bias`                       |
/// | `mlp.shared_experts.{gate,up,down}_proj.*`   | `mlp.shared_expert.{gate,up,down}_proj.*`                   |
///
/// Dense layers and all other tensors keep their names.
public enum LagunaHubLayout {
    /// The parameters under their on-disk names.
    public static func hubTensors(of parameters: ParameterSet, config: LagunaConfig) throws -> [String: Tensor] {
        var tensors = [String: Tensor]()
        for name in parameters.names { tensors[name] = parameters[name] }
        let (experts, width, hidden) = (config.numExperts, config.moeIntermediateSize, config.hiddenSize)
        for layer in sparseLayers(of: config) {
            let prefix = "model.layers.\(layer).mlp."
            let gateUp = tensors.removeValue(forKey: prefix + "experts.gate_up_proj")!
            let down = tensors.removeValue(forKey: prefix + "experts.down_proj")!
            for e in 0..<experts {
                let base = e * 2 * width * hidden
                tensors[prefix + "experts.\(e).gate_proj.weight"] = try slice(gateUp, from: base, shape: [width, hidden])
                tensors[prefix + "experts.\(e).up_proj.weight"] = try slice(gateUp, from: base + width * hidden, shape: [width, hidden])
                tensors[prefix + "experts.\(e).down_proj.weight"] = try slice(down, from: e * hidden * width, shape: [hidden, width])
            }
            try rename(prefix + "gate.e_score_correction_bias", to: prefix + "experts.e_score_correction_bias", in: &tensors, source: "parameters")
            for projection in ["gate_proj", "up_proj", "down_proj"] {
                try rename(
                    prefix + "shared_experts.\(projection).weight", to: prefix + "shared_expert.\(projection).weight",
                    in: &tensors, source: "parameters")
            }
        }
        return tensors
    }

    /// The parameters under their on-disk names, in the order of the parameter layout (each
    /// fused expert tensor replaced in place by its per-expert matrices), the order in which
    /// weights are split into shards.
    public static func orderedHubTensors(of parameters: ParameterSet, config: LagunaConfig) throws -> [(name: String, tensor: Tensor)] {
        let tensors = try hubTensors(of: parameters, config: config)
        var names: [String] = []
        for name in parameters.names {
            if name.hasSuffix(".mlp.experts.gate_up_proj") {
                let prefix = String(name.dropLast("gate_up_proj".count))
                for e in 0..<config.numExperts { names += [prefix + "\(e).gate_proj.weight", prefix + "\(e).up_proj.weight"] }
            } else if name.hasSuffix(".mlp.experts.down_proj") {
                let prefix = String(name.dropLast("down_proj".count))
                names += (0..<config.numExperts).map { prefix + "\($0).down_proj.weight" }
            } else if tensors[name] != nil {
                names.append(name)
            } else if name.hasSuffix(".mlp.gate.e_score_correction_bias") {
                names.append(String(name.dropLast("gate.e_score_correction_bias".count)) + "experts.e_score_correction_bias")
            } else {
                names.append(name.replacingOccurrences(of: ".mlp.shared_experts.", with: ".mlp.shared_expert."))
            }
        }
        precondition(names.count == tensors.count && Set(names) == Set(tensors.keys), "hub names out of step with hubTensors")
        return names.map { ($0, tensors[$0]!) }
    }

    /// `tensors` read from `source` under their in-memory names: sparse layers stored in the hub
    /// layout are fused, those already fused pass through. A layer holding both layouts, or an
    /// expert matrix missing or misshapen, is a `FactoryError.corrupt` naming the file and tensor.
    public static func fusedTensors(_ tensors: [String: Tensor], config: LagunaConfig, source: String) throws -> [String: Tensor] {
        var tensors = tensors
        let (experts, width, hidden) = (config.numExperts, config.moeIntermediateSize, config.hiddenSize)
        for layer in sparseLayers(of: config) {
            let prefix = "model.layers.\(layer).mlp."
            if tensors[prefix + "experts.e_score_correction_bias"] != nil {
                try rename(prefix + "experts.e_score_correction_bias", to: prefix + "gate.e_score_correction_bias", in: &tensors, source: source)
            }
            for projection in ["gate_proj", "up_proj", "down_proj"] where tensors[prefix + "shared_expert.\(projection).weight"] != nil {
                try rename(
                    prefix + "shared_expert.\(projection).weight", to: prefix + "shared_experts.\(projection).weight",
                    in: &tensors, source: source)
            }
            guard tensors[prefix + "experts.0.gate_proj.weight"] != nil else { continue }
            for fused in ["experts.gate_up_proj", "experts.down_proj"] where tensors[prefix + fused] != nil {
                throw FactoryError.corrupt(
                    path: source, reason: "layer \(layer) holds both \(prefix + fused) and per-expert tensors \(prefix)experts.{e}.*")
            }
            var gateUp = [Float]()
            var down = [Float]()
            gateUp.reserveCapacity(experts * 2 * width * hidden)
            down.reserveCapacity(experts * hidden * width)
            for e in 0..<experts {
                let names = ["gate_proj", "up_proj", "down_proj"].map { prefix + "experts.\(e).\($0).weight" }
                let shapes = [[width, hidden], [width, hidden], [hidden, width]]
                for (name, shape) in zip(names, shapes) {
                    guard let tensor = tensors.removeValue(forKey: name) else {
                        throw FactoryError.corrupt(path: source, reason: "missing tensor \(name) (shape \(shape))")
                    }
                    guard tensor.shape == shape else {
                        throw FactoryError.corrupt(path: source, reason: "tensor \(name) has shape \(tensor.shape), expected \(shape)")
                    }
                    if name.hasSuffix("down_proj.weight") { down += tensor.storage } else { gateUp += tensor.storage }
                }
            }
            tensors[prefix + "experts.gate_up_proj"] = try Tensor(shape: [experts, 2 * width, hidden], storage: gateUp)
            tensors[prefix + "experts.down_proj"] = try Tensor(shape: [experts, hidden, width], storage: down)
        }
        return tensors
    }

    private static func sparseLayers(of config: LagunaConfig) -> [Int] {
        (0..<config.numHiddenLayers).filter { config.mlpLayerTypes[$0] == .sparse }
    }

    private static func slice(_ tensor: Tensor, from start: Int, shape: [Int]) throws -> Tensor {
        try Tensor(shape: shape, storage: Array(tensor.storage[start..<(start + shape.reduce(1, *))]))
    }

    private static func rename(_ name: String, to newName: String, in tensors: inout [String: Tensor], source: String) throws {
        guard tensors[newName] == nil else {
            throw FactoryError.corrupt(path: source, reason: "holds both \(name) and \(newName), two names of one tensor")
        }
        tensors[newName] = tensors.removeValue(forKey: name)
    }
}
