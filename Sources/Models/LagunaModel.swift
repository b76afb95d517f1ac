import FactoryCore
import Tensors

/// A Laguna causal language model: configuration plus parameters, with a forward pass that
/// produces logits and a hand-written backward pass for the next-token loss. Layers have dense
/// or sparse (Mixture-of-Experts) MLPs, by `mlp_layer_types`.
public struct LagunaModel: Sendable {
    public let config: LagunaConfig
    public var parameters: ParameterSet

    /// Wraps parameters, checking their names and shapes against `config`.
    public init(config: LagunaConfig, parameters: ParameterSet) throws {
        try config.validate(source: "model config")
        let expected = LagunaParameters.layout(of: config)
        guard parameters.names == expected.map(\.name) else {
            throw FactoryError.invalidArgument(name: "model parameters", message: "names do not match the config's layout")
        }
        for (name, shape) in expected where parameters[name].shape != shape {
            throw FactoryError.invalidArgument(name: "parameter \(name)", message: "shape \(parameters[name].shape), expected \(shape)")
        }
        self.config = config
        self.parameters = parameters
    }

    /// A freshly initialized model (`LagunaParameters.initialize`).
    public static func initialized(_ config: LagunaConfig, seed: UInt64) throws -> LagunaModel {
        try LagunaModel(config: config, parameters: LagunaParameters.initialize(config, seed: seed))
    }

    /// The logits `[B·T, V]` for a batch.
    public func logits(_ batch: TokenBatch, pool: ThreadPool = .machineWide) throws -> Tensor {
        try forward(batch, pool: pool).logits
    }

    /// The mean next-token cross-entropy over `targets` (negative ids ignored; plus the auxiliary
    /// load-balancing term when the config asks for it), every parameter's gradient, and the logits.
    public func lossAndGradients(
        _ batch: TokenBatch, targets: [Int32], pool: ThreadPool = .machineWide
    ) throws -> (loss: Float, gradients: ParameterSet, logits: Tensor) {
        let result = try forwardBackward(batch, targets: targets, pool: pool)
        return (result.loss, result.gradients, result.logits)
    }

    /// One training pass: the loss (with the auxiliary load-balancing term when the config asks
    /// for it), every parameter's gradient, the logits and the sparse layers' expert loads.
    public func forwardBackward(_ batch: TokenBatch, targets: [Int32], pool: ThreadPool = .machineWide) throws -> LagunaForwardBackward {
        let trace = try forward(batch, pool: pool)
        var (loss, _, dLogits) = try CrossEntropyKernel.lossAndGradient(logits: trace.logits, targets: targets, pool: pool)
        var loads = LagunaExpertLoads()
        var routerLogits: [Int: Tensor] = [:]
        for (layer, mlpTrace) in trace.mlpTraces.enumerated() {
            guard let sparse = mlpTrace.sparse else { continue }
            loads.add(LagunaExpertLoads(counts: [layer: sparse.dispatch.loads]))
            routerLogits[layer] = sparse.routing.cappedLogits
        }
        var auxiliaryLoss: Float?
        var auxiliaryGradients: [Int: Tensor] = [:]
        if config.outputRouterLogits, !routerLogits.isEmpty {
            let layers = routerLogits.keys.sorted()
            let (aux, gradients) = try RouterAuxLossKernel.lossAndGradients(
                logits: layers.map { routerLogits[$0]! }, topK: config.numExpertsPerToken)
            let coefficient = Float(config.routerAuxLossCoef)
            for (layer, var gradient) in zip(layers, gradients) {
                ReductionKernel.scale(&gradient, by: coefficient, pool: pool)
                auxiliaryGradients[layer] = gradient
            }
            auxiliaryLoss = aux
            loss += coefficient * aux
        }
        let gradients = try backward(dLogits, trace: trace, batch: batch, auxiliaryGradients: auxiliaryGradients, pool: pool)
        return LagunaForwardBackward(
            loss: loss, auxiliaryLoss: auxiliaryLoss, gradients: gradients, logits: trace.logits, expertLoads: loads)
    }

    private var outputWeightName: String { config.tieWordEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight" }

    /// Everything the backward pass needs.
    private struct Trace {
        var layerInputs: [Tensor] = []
        var firstNorms: [(output: Tensor, inverseRMS: [Float])] = []
        var attentionTraces: [LagunaAttentionBlock.Trace] = []
        var midpoints: [Tensor] = []
        var secondNorms: [(output: Tensor, inverseRMS: [Float])] = []
        var mlpTraces: [LagunaMLPBlock.Trace] = []
        var finalInput: Tensor
        var finalNorm: (output: Tensor, inverseRMS: [Float])
        var logits: Tensor
    }

    private func attentionBlocks(time: Int, pool: ThreadPool) -> [LagunaAttentionBlock] {
        var tables: [LagunaConfig.LayerType: RotaryTable] = [:]
        for layerType in Set(config.layerTypes) {
            let rope = config.ropeParameters[layerType]!
            tables[layerType] = RotaryTable(
                headDimension: config.headDim, partialRotaryFactor: rope.partialRotaryFactor, theta: rope.ropeTheta, length: time)
        }
        return (0..<config.numHiddenLayers).map {
            LagunaAttentionBlock(config: config, layer: $0, rotary: tables[config.layerTypes[$0]]!, pool: pool)
        }
    }

    private func mlpBlock(_ layer: Int, pool: ThreadPool) -> LagunaMLPBlock {
        LagunaMLPBlock(config: config, layer: layer, pool: pool)
    }

    private func forward(_ batch: TokenBatch, pool: ThreadPool) throws -> Trace {
        let eps = Float(config.rmsNormEps)
        let blocks = attentionBlocks(time: batch.time, pool: pool)
        var x = try EmbeddingKernel.forward(tokens: batch.tokens, table: parameters["model.embed_tokens.weight"])
        var trace = Trace(finalInput: x, finalNorm: (x, []), logits: x)
        for layer in 0..<config.numHiddenLayers {
            let prefix = "model.layers.\(layer)."
            let firstNorm = try RMSNormKernel.forward(x, weight: parameters[prefix + "input_layernorm.weight"], eps: eps, pool: pool)
            let (attention, attentionTrace) = try blocks[layer].forward(
                firstNorm.output, batch: batch.batch, time: batch.time, parameters: parameters)
            let midpoint = try ElementwiseKernel.sum(x, attention, pool: pool)
            let secondNorm = try RMSNormKernel.forward(
                midpoint, weight: parameters[prefix + "post_attention_layernorm.weight"], eps: eps, pool: pool)
            let (mlp, mlpTrace) = try mlpBlock(layer, pool: pool).forward(secondNorm.output, parameters: parameters)
            trace.layerInputs.append(x)
            trace.firstNorms.append(firstNorm)
            trace.attentionTraces.append(attentionTrace)
            trace.midpoints.append(midpoint)
            trace.secondNorms.append(secondNorm)
            trace.mlpTraces.append(mlpTrace)
            x = try ElementwiseKernel.sum(midpoint, mlp, pool: pool)
        }
        trace.finalInput = x
        trace.finalNorm = try RMSNormKernel.forward(x, weight: parameters["model.norm.weight"], eps: eps, pool: pool)
        trace.logits = try LinearKernel.forward(trace.finalNorm.output, weight: parameters[outputWeightName], pool: pool)
        return trace
    }

    /// `auxiliaryGradients`: per sparse layer, the auxiliary loss's gradient with respect to its
    /// soft-capped router logits.
    private func backward(
        _ dLogits: Tensor, trace: Trace, batch: TokenBatch, auxiliaryGradients: [Int: Tensor], pool: ThreadPool
    ) throws -> ParameterSet {
        var gradients = parameters.zeros()
        let blocks = attentionBlocks(time: batch.time, pool: pool)
        let dFinalNorm = try gradients.update(outputWeightName) {
            try LinearKernel.backward(
                outputGradient: dLogits, input: trace.finalNorm.output, weight: parameters[outputWeightName], weightGradient: &$0, pool: pool)
        }
        var dx = try NormGradient.backward(
            dFinalNorm, input: trace.finalInput, inverseRMS: trace.finalNorm.inverseRMS, weightName: "model.norm.weight",
            parameters: parameters, gradients: &gradients, pool: pool)
        for layer in (0..<config.numHiddenLayers).reversed() {
            let prefix = "model.layers.\(layer)."
            let dSecondNorm = try mlpBlock(layer, pool: pool).backward(
                dx, trace: trace.mlpTraces[layer], parameters: parameters, gradients: &gradients,
                cappedLogitGradient: auxiliaryGradients[layer])
            let dMidpoint = try NormGradient.backward(
                dSecondNorm, input: trace.midpoints[layer], inverseRMS: trace.secondNorms[layer].inverseRMS,
                weightName: prefix + "post_attention_layernorm.weight", parameters: parameters, gradients: &gradients, pool: pool)
            try ElementwiseKernel.add(dMidpoint, into: &dx, pool: pool)
            let dFirstNorm = try blocks[layer].backward(
                dx, trace: trace.attentionTraces[layer], parameters: parameters, gradients: &gradients)
            let dInput = try NormGradient.backward(
                dFirstNorm, input: trace.layerInputs[layer], inverseRMS: trace.firstNorms[layer].inverseRMS,
                weightName: prefix + "input_layernorm.weight", parameters: parameters, gradients: &gradients, pool: pool)
            try ElementwiseKernel.add(dInput, into: &dx, pool: pool)
        }
        // As nn.Embedding(padding_idx:), lookups of the padding token pass no gradient to its row.
        if let pad = config.padTokenId {
            for (row, token) in batch.tokens.enumerated() where Int(token) == pad {
                for column in 0..<config.hiddenSize { dx[row, column] = 0 }
            }
        }
        try gradients.update("model.embed_tokens.weight") {
            try EmbeddingKernel.backward(tokens: batch.tokens, outputGradient: dx, tableGradient: &$0, pool: pool)
        }
        return gradients
    }
}
