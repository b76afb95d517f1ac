import FactoryCore
import Tensors

/// A sparse Mixture-of-Experts MLP under `prefix` (`model.layers.{i}.mlp.`), as `transformers`'
/// `LagunaSparseMoeBlock`: sigmoid top-k routing (`MoERouterKernel`) by `gate.weight` and
/// `gate.e_score_correction_bias`, the routed experts `experts.gate_up_proj` and
/// `experts.down_proj` computed by expert over grouped tokens (`MoEDispatch`, `ExpertMLPKernel`),
/// scaled by `moe_routed_scaling_factor`, plus the always-on shared expert `shared_experts.*`.
struct LagunaSparseMoEBlock {
    struct Trace {
        let input: Tensor
        let routing: MoERouterKernel.Routing
        let dispatch: MoEDispatch
        let grouped: Tensor
        let expertOutputs: Tensor
        let expertTrace: ExpertMLPKernel.Trace
        let shared: LagunaDenseMLPBlock.Trace
    }

    let config: LagunaConfig
    let prefix: String
    let pool: ThreadPool

    private var softcap: Float { Float(config.moeRouterLogitSoftcapping) }
    private var scale: Float { Float(config.moeRoutedScalingFactor) }
    private var shared: LagunaDenseMLPBlock { LagunaDenseMLPBlock(prefix: prefix + "shared_experts.", pool: pool) }

    func forward(_ x: Tensor, parameters: ParameterSet) throws -> (Tensor, Trace) {
        let (sharedOutput, sharedTrace) = try shared.forward(x, parameters: parameters)
        let logits = try LinearKernel.forward(x, weight: parameters[prefix + "gate.weight"], pool: pool)
        let routing = try MoERouterKernel.forward(
            logits: logits, correctionBias: parameters[prefix + "gate.e_score_correction_bias"],
            topK: config.numExpertsPerToken, softcap: softcap, pool: pool)
        let dispatch = try MoEDispatch(
            experts: routing.experts, expertCount: config.numExperts, expertsPerToken: config.numExpertsPerToken)
        let grouped = try dispatch.gather(x, pool: pool)
        let (expertOutputs, expertTrace) = try ExpertMLPKernel.forward(
            grouped, dispatch: dispatch, gateUp: parameters[prefix + "experts.gate_up_proj"],
            down: parameters[prefix + "experts.down_proj"], pool: pool)
        var output = try dispatch.combine(expertOutputs, weights: routing.weights, scale: scale, pool: pool)
        try ElementwiseKernel.add(sharedOutput, into: &output, pool: pool)
        let trace = Trace(
            input: x, routing: routing, dispatch: dispatch, grouped: grouped, expertOutputs: expertOutputs,
            expertTrace: expertTrace, shared: sharedTrace)
        return (output, trace)
    }

    /// The input gradient; `cappedLogitGradient` is an auxiliary loss's gradient with respect to
    /// this layer's soft-capped router logits, if any.
    func backward(
        _ dOutput: Tensor, trace: Trace, parameters: ParameterSet, gradients: inout ParameterSet,
        cappedLogitGradient: Tensor?
    ) throws -> Tensor {
        var dInput = try shared.backward(dOutput, trace: trace.shared, parameters: parameters, gradients: &gradients)
        let (dExpertOutputs, dWeights) = try trace.dispatch.combineBackward(
            dOutput, grouped: trace.expertOutputs, weights: trace.routing.weights, scale: scale, pool: pool)
        let dGrouped = try gradients.update(prefix + "experts.gate_up_proj", prefix + "experts.down_proj") { dGateUp, dDown in
            try ExpertMLPKernel.backward(
                outputGradient: dExpertOutputs, input: trace.grouped, trace: trace.expertTrace, dispatch: trace.dispatch,
                gateUp: parameters[prefix + "experts.gate_up_proj"], down: parameters[prefix + "experts.down_proj"],
                gateUpGradient: &dGateUp, downGradient: &dDown, pool: pool)
        }
        try ElementwiseKernel.add(try trace.dispatch.gatherBackward(dGrouped, pool: pool), into: &dInput, pool: pool)
        let dLogits = try MoERouterKernel.backward(
            weightGradient: dWeights, routing: trace.routing, softcap: softcap, cappedLogitGradient: cappedLogitGradient, pool: pool)
        let fromRouter = try gradients.update(prefix + "gate.weight") {
            try LinearKernel.backward(
                outputGradient: dLogits, input: trace.input, weight: parameters[prefix + "gate.weight"], weightGradient: &$0, pool: pool)
        }
        try ElementwiseKernel.add(fromRouter, into: &dInput, pool: pool)
        return dInput
    }
}
