import FactoryCore
import Tensors

/// One layer's self-attention (`model.layers.{i}.self_attn`): projections, per-head q/k RMSNorm,
/// partial RoPE, grouped-query attention (full or sliding window), softplus output gate, `o_proj`.
struct LagunaAttentionBlock {
    /// What the backward pass needs from the forward pass.
    struct Trace {
        let input: Tensor
        let rawQuery: Tensor, queryInverseRMS: [Float]
        let rawKey: Tensor, keyInverseRMS: [Float]
        let query: Tensor, key: Tensor, value: Tensor
        let attention: Tensor, logSumExp: [Float]
        let gate: Tensor, gated: Tensor
    }

    let prefix: String
    let heads: Int
    let keyValueHeads: Int
    let headDimension: Int
    let window: Int?
    let normEpsilon: Float
    let rotary: RotaryTable
    let pool: ThreadPool

    init(config: LagunaConfig, layer: Int, rotary: RotaryTable, pool: ThreadPool) {
        prefix = "model.layers.\(layer).self_attn."
        heads = config.numAttentionHeadsPerLayer[layer]
        keyValueHeads = config.numKeyValueHeads
        headDimension = config.headDim
        window = config.window(ofLayer: layer)
        normEpsilon = Float(config.rmsNormEps)
        self.rotary = rotary
        self.pool = pool
    }

    /// `x [B·T, H]` (already normalized) → `[B·T, H]`.
    func forward(_ x: Tensor, batch: Int, time: Int, parameters: ParameterSet) throws -> (Tensor, Trace) {
        let d = headDimension
        let rawQuery = try LinearKernel.forward(x, weight: parameters[prefix + "q_proj.weight"], pool: pool)
            .reshaped([batch * time * heads, d])
        let rawKey = try LinearKernel.forward(x, weight: parameters[prefix + "k_proj.weight"], pool: pool)
            .reshaped([batch * time * keyValueHeads, d])
        let value = try LinearKernel.forward(x, weight: parameters[prefix + "v_proj.weight"], pool: pool)
            .reshaped([batch, time, keyValueHeads, d])
        let (normalizedQuery, queryInverseRMS) = try RMSNormKernel.forward(
            rawQuery, weight: parameters[prefix + "q_norm.weight"], eps: normEpsilon, pool: pool)
        let (normalizedKey, keyInverseRMS) = try RMSNormKernel.forward(
            rawKey, weight: parameters[prefix + "k_norm.weight"], eps: normEpsilon, pool: pool)
        var query = try normalizedQuery.reshaped([batch, time, heads, d])
        var key = try normalizedKey.reshaped([batch, time, keyValueHeads, d])
        try RotaryKernel.forward(&query, table: rotary, pool: pool)
        try RotaryKernel.forward(&key, table: rotary, pool: pool)
        let (attention, logSumExp) = try AttentionKernel.forward(query: query, key: key, value: value, window: window, pool: pool)
        let flatAttention = try attention.reshaped([batch * time, heads * d])
        let gate = try LinearKernel.forward(x, weight: parameters[prefix + "g_proj.weight"], pool: pool)
        let gated = try OutputGateKernel.forward(attention: flatAttention, gate: gate, headDimension: d, pool: pool)
        let output = try LinearKernel.forward(gated, weight: parameters[prefix + "o_proj.weight"], pool: pool)
        let trace = Trace(
            input: x, rawQuery: rawQuery, queryInverseRMS: queryInverseRMS, rawKey: rawKey, keyInverseRMS: keyInverseRMS,
            query: query, key: key, value: value, attention: attention, logSumExp: logSumExp, gate: gate, gated: gated)
        return (output, trace)
    }

    /// Accumulates this block's parameter gradients and returns the gradient of its input.
    func backward(_ dOutput: Tensor, trace: Trace, parameters: ParameterSet, gradients: inout ParameterSet) throws -> Tensor {
        let d = headDimension
        let (batch, time) = (trace.query.shape[0], trace.query.shape[1])
        let dGated = try gradients.update(prefix + "o_proj.weight") {
            try LinearKernel.backward(
                outputGradient: dOutput, input: trace.gated, weight: parameters[prefix + "o_proj.weight"], weightGradient: &$0, pool: pool)
        }
        let flatAttention = try trace.attention.reshaped([batch * time, heads * d])
        let (dAttention, dGate) = try OutputGateKernel.backward(
            outputGradient: dGated, attention: flatAttention, gate: trace.gate, headDimension: d, pool: pool)
        var dInput = try gradients.update(prefix + "g_proj.weight") {
            try LinearKernel.backward(
                outputGradient: dGate, input: trace.input, weight: parameters[prefix + "g_proj.weight"], weightGradient: &$0, pool: pool)
        }
        var (dQuery, dKey, dValue) = try AttentionKernel.backward(
            outputGradient: dAttention.reshaped([batch, time, heads, d]), query: trace.query, key: trace.key, value: trace.value,
            output: trace.attention, logSumExp: trace.logSumExp, window: window, pool: pool)
        try RotaryKernel.backward(&dQuery, table: rotary, pool: pool)
        try RotaryKernel.backward(&dKey, table: rotary, pool: pool)
        let dRawQuery = try NormGradient.backward(
            dQuery.reshaped(trace.rawQuery.shape), input: trace.rawQuery, inverseRMS: trace.queryInverseRMS,
            weightName: prefix + "q_norm.weight", parameters: parameters, gradients: &gradients, pool: pool)
        let dRawKey = try NormGradient.backward(
            dKey.reshaped(trace.rawKey.shape), input: trace.rawKey, inverseRMS: trace.keyInverseRMS,
            weightName: prefix + "k_norm.weight", parameters: parameters, gradients: &gradients, pool: pool)
        for (name, gradient) in [("q_proj.weight", dRawQuery), ("k_proj.weight", dRawKey), ("v_proj.weight", dValue)] {
            let flat = try gradient.reshaped([batch * time, gradient.count / (batch * time)])
            let contribution = try gradients.update(prefix + name) {
                try LinearKernel.backward(
                    outputGradient: flat, input: trace.input, weight: parameters[prefix + name], weightGradient: &$0, pool: pool)
            }
            try ElementwiseKernel.add(contribution, into: &dInput, pool: pool)
        }
        return dInput
    }
}
