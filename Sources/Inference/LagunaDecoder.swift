import FactoryCore
import Models
import Tensors

/// Incremental generation for a `LagunaModel`: `prefill` runs a prompt through the blocked
/// attention kernels into a `LagunaCache`; `decode` advances many sequences by one token in one
/// batched step.
///
/// Batch invariance: every product of a decode step goes through `RowwiseLinearKernel` (one
/// fixed-order dot product per output element), routed experts included, and every other operation
/// (norms, rotary, attention over the sequence's own cache, gates, routing, expert combination) is
/// computed row by row. So a sequence's logits are bitwise the same whatever shares the step.
public struct LagunaDecoder: SequenceDecoder {
    public typealias Cache = LagunaCache

    public let model: LagunaModel
    public let cacheStorage: KVCacheStorage
    let pool: ThreadPool

    /// A decoder over `model`, caching keys and values as `cacheStorage`.
    public init(model: LagunaModel, cacheStorage: KVCacheStorage = .fp32, pool: ThreadPool = .machineWide) throws {
        try model.config.validate(source: "model config")
        self.model = model
        self.cacheStorage = cacheStorage
        self.pool = pool
    }

    var config: LagunaConfig { model.config }
    var parameters: ParameterSet { model.parameters }

    public var vocabularySize: Int { config.vocabSize }
    public var maximumSequenceLength: Int { config.maxPositionEmbeddings }

    public func cacheBytes(forTokens tokens: Int) -> Int {
        (0..<config.numHiddenLayers).reduce(0) { total, layer in
            let capacity = config.window(ofLayer: layer).map { LayerKVCache.ringCapacity(window: $0, storage: cacheStorage) }
            let slots = LayerKVCache.slots(forLength: tokens, ringCapacity: capacity)
            return total
                + 2 * KVRowStore.byteCount(storage: cacheStorage, slots: slots, heads: config.numKeyValueHeads, headDimension: config.headDim)
        }
    }

    /// An empty cache for one sequence.
    public func emptyCache() -> LagunaCache {
        LagunaCache(
            layers: (0..<config.numHiddenLayers).map {
                LayerKVCache(
                    storage: cacheStorage, window: config.window(ofLayer: $0), keyValueHeads: config.numKeyValueHeads,
                    headDimension: config.headDim)
            })
    }

    public func prefill(_ prompt: [UInt32], allPositions: Bool) throws -> (cache: LagunaCache, logits: Tensor) {
        guard !prompt.isEmpty else {
            throw FactoryError.invalidArgument(name: "prompt", message: "must hold at least one token")
        }
        guard prompt.count <= maximumSequenceLength else {
            throw FactoryError.invalidArgument(
                name: "prompt", message: "\(prompt.count) tokens exceed max_position_embeddings (\(maximumSequenceLength))")
        }
        let tokens = try checkedTokens(prompt, field: "prompt")
        let time = prompt.count
        var cache = emptyCache()
        let eps = Float(config.rmsNormEps)
        let tables = rotaryTables {
            RotaryTable(headDimension: config.headDim, partialRotaryFactor: $0.partialRotaryFactor, theta: $0.ropeTheta, length: time)
        }
        var x = try EmbeddingKernel.forward(tokens: tokens, table: parameters["model.embed_tokens.weight"])
        for layer in 0..<config.numHiddenLayers {
            let prefix = "model.layers.\(layer)."
            let normed = try RMSNormKernel.forward(x, weight: parameters[prefix + "input_layernorm.weight"], eps: eps, pool: pool).output
            let projections = try attentionInputs(normed, layer: layer, table: tables[config.layerTypes[layer]]!, rowwise: false)
            for position in 0..<time {
                try appendKeyValue(projections, row: position, position: position, layer: layer, to: &cache)
            }
            let attention = try AttentionKernel.forward(
                query: projections.query.reshaped([1, time, projections.heads, config.headDim]),
                key: projections.key.reshaped([1, time, config.numKeyValueHeads, config.headDim]),
                value: projections.value.reshaped([1, time, config.numKeyValueHeads, config.headDim]),
                window: config.window(ofLayer: layer), pool: pool
            ).output
            x = try finishLayer(
                x, attention: attention.reshaped([time, projections.heads * config.headDim]), normed: normed, layer: layer, rowwise: false)
        }
        cache.advance(by: time)
        var final = try RMSNormKernel.forward(x, weight: parameters["model.norm.weight"], eps: eps, pool: pool).output
        if !allPositions {
            let width = config.hiddenSize
            final = try Tensor(shape: [1, width], storage: Array(final.storage[(time - 1) * width..<time * width]))
        }
        return (cache, try LinearKernel.forward(final, weight: parameters[outputWeightName], pool: pool))
    }

    public func decode(_ caches: inout [LagunaCache], tokens: [UInt32]) throws -> Tensor {
        guard caches.count == tokens.count else {
            throw FactoryError.invalidArgument(name: "tokens", message: "\(tokens.count) tokens for \(caches.count) caches")
        }
        let ids = try checkedTokens(tokens, field: "tokens")
        for (index, cache) in caches.enumerated() {
            guard cache.layers.count == config.numHiddenLayers, cache.storage == cacheStorage else {
                throw FactoryError.invalidArgument(
                    name: "caches[\(index)]", message: "was not made by this decoder (\(cacheStorage.rawValue), \(config.numHiddenLayers) layers)")
            }
            guard cache.length < maximumSequenceLength else {
                throw FactoryError.invalidArgument(
                    name: "caches[\(index)]", message: "already holds \(cache.length) positions, the model's max_position_embeddings")
            }
            guard cache.length > 0 else {
                throw FactoryError.invalidArgument(name: "caches[\(index)]", message: "is empty: prefill a prompt first")
            }
        }
        let rows = tokens.count
        guard rows > 0 else { return try Tensor(shape: [0, vocabularySize]) }
        let positions = caches.map(\.length)
        let eps = Float(config.rmsNormEps)
        let tables = rotaryTables {
            RotaryTable(headDimension: config.headDim, partialRotaryFactor: $0.partialRotaryFactor, theta: $0.ropeTheta, positions: positions)
        }
        var x = try EmbeddingKernel.forward(tokens: ids, table: parameters["model.embed_tokens.weight"])
        for layer in 0..<config.numHiddenLayers {
            let prefix = "model.layers.\(layer)."
            let normed = try RMSNormKernel.forward(x, weight: parameters[prefix + "input_layernorm.weight"], eps: eps, pool: pool).output
            let projections = try attentionInputs(normed, layer: layer, table: tables[config.layerTypes[layer]]!, rowwise: true)
            for row in 0..<rows {
                try appendKeyValue(projections, row: row, position: positions[row], layer: layer, to: &caches[row])
            }
            let attention = try cachedAttention(projections.query, heads: projections.heads, layer: layer, caches: caches, positions: positions)
            x = try finishLayer(x, attention: attention, normed: normed, layer: layer, rowwise: true)
        }
        for row in 0..<rows { caches[row].advance() }
        let final = try RMSNormKernel.forward(x, weight: parameters["model.norm.weight"], eps: eps, pool: pool).output
        return try RowwiseLinearKernel.forward(final, weight: parameters[outputWeightName], pool: pool)
    }

    // MARK: - Layers

    private var outputWeightName: String { config.tieWordEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight" }

    private func rotaryTables(_ make: (LagunaConfig.RopeParameters) -> RotaryTable) -> [LagunaConfig.LayerType: RotaryTable] {
        var tables: [LagunaConfig.LayerType: RotaryTable] = [:]
        for layerType in Set(config.layerTypes) { tables[layerType] = make(config.ropeParameters[layerType]!) }
        return tables
    }

    private func linear(_ x: Tensor, _ name: String, rowwise: Bool) throws -> Tensor {
        rowwise
            ? try RowwiseLinearKernel.forward(x, weight: parameters[name], pool: pool)
            : try LinearKernel.forward(x, weight: parameters[name], pool: pool)
    }

    /// One layer's normalized, rotated queries `[N, heads·d]` and keys `[N, kvHeads·d]`, and values.
    private struct AttentionInputs {
        let heads: Int
        let query: Tensor
        let key: Tensor
        let value: Tensor
    }

    private func attentionInputs(_ x: Tensor, layer: Int, table: RotaryTable, rowwise: Bool) throws -> AttentionInputs {
        let prefix = "model.layers.\(layer).self_attn."
        let (rows, d) = (x.shape[0], config.headDim)
        let (heads, kvHeads) = (config.numAttentionHeadsPerLayer[layer], config.numKeyValueHeads)
        let eps = Float(config.rmsNormEps)
        let rawQuery = try linear(x, prefix + "q_proj.weight", rowwise: rowwise).reshaped([rows * heads, d])
        let rawKey = try linear(x, prefix + "k_proj.weight", rowwise: rowwise).reshaped([rows * kvHeads, d])
        let value = try linear(x, prefix + "v_proj.weight", rowwise: rowwise)
        var query = try RMSNormKernel.forward(rawQuery, weight: parameters[prefix + "q_norm.weight"], eps: eps, pool: pool).output
        var key = try RMSNormKernel.forward(rawKey, weight: parameters[prefix + "k_norm.weight"], eps: eps, pool: pool).output
        if rowwise {
            query = try query.reshaped([rows, heads, d])
            key = try key.reshaped([rows, kvHeads, d])
            try RotaryKernel.forwardRows(&query, table: table, pool: pool)
            try RotaryKernel.forwardRows(&key, table: table, pool: pool)
        } else {
            query = try query.reshaped([1, rows, heads, d])
            key = try key.reshaped([1, rows, kvHeads, d])
            try RotaryKernel.forward(&query, table: table, pool: pool)
            try RotaryKernel.forward(&key, table: table, pool: pool)
        }
        return AttentionInputs(
            heads: heads, query: try query.reshaped([rows, heads * d]), key: try key.reshaped([rows, kvHeads * d]), value: value)
    }

    private func appendKeyValue(_ inputs: AttentionInputs, row: Int, position: Int, layer: Int, to cache: inout LagunaCache) throws {
        let width = config.numKeyValueHeads * config.headDim
        inputs.key.withUnsafeBufferPointer { keys in
            inputs.value.withUnsafeBufferPointer { values in
                cache.layers[layer].append(
                    key: keys.baseAddress! + row * width, value: values.baseAddress! + row * width, position: position)
            }
        }
    }

    /// One query per sequence (`query [N, heads·d]`) over that sequence's cache of `layer`, which
    /// already holds the query's own position: `[N, heads·d]`.
    private func cachedAttention(_ query: Tensor, heads: Int, layer: Int, caches: [LagunaCache], positions: [Int]) throws -> Tensor {
        let (rows, d, kvHeads) = (positions.count, config.headDim, config.numKeyValueHeads)
        let group = heads / kvHeads
        var output = try Tensor(shape: [rows, heads * d])
        query.withUnsafeBufferPointer { qs in
            output.withUnsafeMutableBufferPointer { os in
                let (qs, os) = (SendableBuffer(qs), SendableBuffer(os))
                pool.parallelFor(count: rows * kvHeads, grain: 1) { tasks in
                    var keys: [Float] = []
                    var values: [Float] = []
                    var scores: [Float] = []
                    for task in tasks {
                        let (row, kvHead) = (task / kvHeads, task % kvHeads)
                        let cache = caches[row].layers[layer]
                        let ranges = cache.visibleSlots(position: positions[row])
                        let count = ranges.reduce(0) { $0 + $1.count }
                        if keys.count < count * d {
                            keys = [Float](repeating: 0, count: count * d)
                            values = keys
                            scores = [Float](repeating: 0, count: count)
                        }
                        keys.withUnsafeMutableBufferPointer { ks in
                            values.withUnsafeMutableBufferPointer { vs in
                                scores.withUnsafeMutableBufferPointer { ss in
                                    var offset = 0
                                    for range in ranges {
                                        cache.keys.read(head: kvHead, slots: range, into: ks.baseAddress! + offset * d)
                                        cache.values.read(head: kvHead, slots: range, into: vs.baseAddress! + offset * d)
                                        offset += range.count
                                    }
                                    for head in kvHead * group..<(kvHead + 1) * group {
                                        let base = (row * heads + head) * d
                                        DecodeAttentionKernel.attend(
                                            query: qs.base + base, keys: ks.baseAddress!, values: vs.baseAddress!, count: count,
                                            headDimension: d, scores: ss.baseAddress!, output: os.base + base)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// The rest of a layer after attention: gate, `o_proj`, residual, norm, MLP, residual.
    private func finishLayer(_ x: Tensor, attention: Tensor, normed: Tensor, layer: Int, rowwise: Bool) throws -> Tensor {
        let prefix = "model.layers.\(layer)."
        let gate = try linear(normed, prefix + "self_attn.g_proj.weight", rowwise: rowwise)
        let gated = try OutputGateKernel.forward(attention: attention, gate: gate, headDimension: config.headDim, pool: pool)
        let attentionOutput = try linear(gated, prefix + "self_attn.o_proj.weight", rowwise: rowwise)
        let midpoint = try ElementwiseKernel.sum(x, attentionOutput, pool: pool)
        let secondNorm = try RMSNormKernel.forward(
            midpoint, weight: parameters[prefix + "post_attention_layernorm.weight"], eps: Float(config.rmsNormEps), pool: pool
        ).output
        let mlp: Tensor
        switch config.mlpLayerTypes[layer] {
        case .dense: mlp = try denseMLP(secondNorm, prefix: prefix + "mlp.", rowwise: rowwise)
        case .sparse: mlp = try sparseMLP(secondNorm, prefix: prefix + "mlp.", rowwise: rowwise)
        }
        return try ElementwiseKernel.sum(midpoint, mlp, pool: pool)
    }

    private func denseMLP(_ x: Tensor, prefix: String, rowwise: Bool) throws -> Tensor {
        let gate = try linear(x, prefix + "gate_proj.weight", rowwise: rowwise)
        let up = try linear(x, prefix + "up_proj.weight", rowwise: rowwise)
        let hidden =
            rowwise ? try SwiGLUKernel.forwardRowwise(gate: gate, up: up, pool: pool) : try SwiGLUKernel.forward(gate: gate, up: up, pool: pool)
        return try linear(hidden, prefix + "down_proj.weight", rowwise: rowwise)
    }

    /// As `transformers`' `LagunaSparseMoeBlock` (and the Models block): sigmoid top-k routing,
    /// routed experts scaled by `moe_routed_scaling_factor`, plus the shared expert.
    private func sparseMLP(_ x: Tensor, prefix: String, rowwise: Bool) throws -> Tensor {
        let shared = try denseMLP(x, prefix: prefix + "shared_experts.", rowwise: rowwise)
        let logits = try linear(x, prefix + "gate.weight", rowwise: rowwise)
        let routing = try MoERouterKernel.forward(
            logits: logits, correctionBias: parameters[prefix + "gate.e_score_correction_bias"], topK: config.numExpertsPerToken,
            softcap: Float(config.moeRouterLogitSoftcapping), pool: pool)
        let dispatch = try MoEDispatch(experts: routing.experts, expertCount: config.numExperts, expertsPerToken: config.numExpertsPerToken)
        let grouped = try dispatch.gather(x, pool: pool)
        let gateUp = parameters[prefix + "experts.gate_up_proj"]
        let down = parameters[prefix + "experts.down_proj"]
        let expertOutputs =
            rowwise
            ? try RowwiseExpertMLPKernel.forward(grouped, dispatch: dispatch, gateUp: gateUp, down: down, pool: pool)
            : try ExpertMLPKernel.forward(grouped, dispatch: dispatch, gateUp: gateUp, down: down, pool: pool).output
        var output = try dispatch.combine(expertOutputs, weights: routing.weights, scale: Float(config.moeRoutedScalingFactor), pool: pool)
        try ElementwiseKernel.add(shared, into: &output, pool: pool)
        return output
    }

    private func checkedTokens(_ tokens: [UInt32], field: String) throws -> [Int32] {
        try tokens.enumerated().map { index, token in
            guard Int(token) < vocabularySize else {
                throw FactoryError.invalidArgument(
                    name: "\(field)[\(index)]", message: "token id \(token) is outside the vocabulary (0..<\(vocabularySize))")
            }
            return Int32(token)
        }
    }
}
