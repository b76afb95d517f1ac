import FactoryCore
import Foundation
import Testing

@testable import Models
@testable import Tensors
@testable import Training

@Suite struct MuonTests {
    /// A small model-shaped parameter set: a wide and a tall hidden matrix, a rank-3 expert
    /// stack, the router and its correction bias, a norm, the embeddings and `lm_head`.
    static let layout: [(name: String, shape: [Int])] = [
        ("model.embed_tokens.weight", [5, 4]),
        ("model.layers.0.self_attn.q_proj.weight", [3, 4]),
        ("model.layers.0.mlp.down_proj.weight", [5, 3]),
        ("model.layers.0.input_layernorm.weight", [4]),
        ("model.layers.1.mlp.experts.down_proj", [2, 3, 4]),
        ("model.layers.1.mlp.gate.weight", [2, 4]),
        ("model.layers.1.mlp.gate.e_score_correction_bias", [2]),
        ("lm_head.weight", [5, 4]),
    ]

    static func randomSet(_ label: String, scale: Float) throws -> ParameterSet {
        let stream = RandomStream(seed: 3).split(label)
        var set = ParameterSet()
        for (index, entry) in layout.enumerated() {
            let count = entry.shape.reduce(1, *)
            let values = (0..<count).map { scale * stream.split(index).normal(at: UInt64($0)) }
            set.append(entry.name, try Tensor(shape: entry.shape, storage: values))
        }
        return set
    }

    /// Three steps of Muon (β = 0.9, λ = 0.1) with AdamW (β₁ 0.9, β₂ 0.99, λ 0.1) on the rest,
    /// against both update rules written out in Double: EMA momentum with Nesterov look-ahead,
    /// five quintic Newton–Schulz steps on each matrix (the tall one transposed, each expert on
    /// its own), the `0.2·sqrt(max(rows, columns))` scale and decoupled decay at the unscaled rate.
    @Test func stepMatchesDoubleReference() throws {
        var parameters = try Self.randomSet("parameters", scale: 1)
        var optimizer = try Optimizer(
            adamW: AdamW.Settings(beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.1),
            muon: Muon.Settings(momentum: 0.9, weightDecay: 0.1), parameters: parameters)
        var reference = Dictionary(uniqueKeysWithValues: parameters.names.map { ($0, parameters[$0].storage.map(Double.init)) })
        var buffers = reference.mapValues { [Double](repeating: 0, count: $0.count) }
        var second = buffers
        let rates = [0.01, 0.02, 0.015]
        for (index, rate) in rates.enumerated() {
            let gradients = try Self.randomSet("gradients-\(index)", scale: 0.5)
            try optimizer.step(parameters: &parameters, gradients: gradients, learningRate: Float(rate), pool: ThreadPool(threadCount: 2))
            let t = Double(index + 1)
            for (name, shape) in Self.layout {
                let g = gradients[name].storage.map(Double.init)
                if ParameterGroups.group(name: name, shape: shape) == .muon {
                    var lookAhead = g
                    for i in g.indices {
                        buffers[name]![i] = 0.9 * buffers[name]![i] + 0.1 * g[i]
                        lookAhead[i] = 0.1 * g[i] + 0.9 * buffers[name]![i]
                    }
                    let (rows, columns) = (shape[shape.count - 2], shape[shape.count - 1])
                    let matrices = shape.count == 3 ? shape[0] : 1
                    for matrix in 0..<matrices {
                        let range = (matrix * rows * columns)..<((matrix + 1) * rows * columns)
                        let orthogonal = Self.newtonSchulz(Array(lookAhead[range]), rows: rows, columns: columns)
                        let scale = 0.2 * Double(max(rows, columns)).squareRoot()
                        for (offset, i) in range.enumerated() {
                            reference[name]![i] = reference[name]![i] * (1 - rate * 0.1) - rate * scale * orthogonal[offset]
                        }
                    }
                } else {
                    let decay = shape.count >= 2 ? 0.1 : 0
                    for i in g.indices {
                        buffers[name]![i] = 0.9 * buffers[name]![i] + 0.1 * g[i]
                        second[name]![i] = 0.99 * second[name]![i] + 0.01 * g[i] * g[i]
                        let step = (buffers[name]![i] / (1 - pow(0.9, t))) / ((second[name]![i] / (1 - pow(0.99, t))).squareRoot() + 1e-8)
                        reference[name]![i] = reference[name]![i] * (1 - rate * decay) - rate * step
                    }
                }
            }
        }
        for name in parameters.names {
            let actual = parameters[name].storage
            for (i, expected) in reference[name]!.enumerated() {
                #expect(abs(Double(actual[i]) - expected) <= 2e-5 * (1 + abs(expected)), "\(name)[\(i)]: \(actual[i]) vs \(expected)")
            }
        }
        let muon = try #require(optimizer.muon)
        for name in muon.momentum.names {
            let stored = muon.momentum[name].storage
            for (i, expected) in buffers[name]!.enumerated() { #expect(abs(Double(stored[i]) - expected) < 1e-6) }
        }
    }

    /// Five quintic Newton–Schulz steps in Double on a row-major matrix, transposing a tall one.
    static func newtonSchulz(_ values: [Double], rows: Int, columns: Int) -> [Double] {
        func multiply(_ a: [Double], _ b: [Double], _ m: Int, _ k: Int, _ n: Int) -> [Double] {
            var c = [Double](repeating: 0, count: m * n)
            for i in 0..<m { for l in 0..<k { for j in 0..<n { c[i * n + j] += a[i * k + l] * b[l * n + j] } } }
            return c
        }
        func transpose(_ a: [Double], _ m: Int, _ n: Int) -> [Double] {
            var t = [Double](repeating: 0, count: m * n)
            for i in 0..<m { for j in 0..<n { t[j * m + i] = a[i * n + j] } }
            return t
        }
        let tall = rows > columns
        let (m, n) = (min(rows, columns), max(rows, columns))
        var x = tall ? transpose(values, rows, columns) : values
        let norm = x.reduce(0) { $0 + $1 * $1 }.squareRoot() + 1e-7
        x = x.map { $0 / norm }
        for _ in 0..<5 {
            let a = multiply(x, transpose(x, m, n), m, n, m)
            let aa = multiply(a, a, m, m, m)
            let b = zip(a, aa).map { -4.7750 * $0 + 2.0315 * $1 }
            let bx = multiply(b, x, m, m, n)
            x = zip(x, bx).map { 3.4445 * $0 + $1 }
        }
        return tall ? transpose(x, m, n) : x
    }

    /// The grouping rule on a model with a dense and a sparse (MoE) layer.
    static var moeConfig: LagunaConfig {
        LagunaConfig(
            vocabSize: 40, hiddenSize: 16, intermediateSize: 24, numHiddenLayers: 2, numAttentionHeads: 2, numKeyValueHeads: 1,
            headDim: 8, slidingWindow: 8, layerTypes: [.slidingAttention, .fullAttention], mlpLayerTypes: [.dense, .sparse],
            moeIntermediateSize: 6, sharedExpertIntermediateSize: 10, numExperts: 4, numExpertsPerToken: 2)
    }

    @Test func groupsFollowTheRule() {
        let groups = ParameterGroups(layout: LagunaParameters.layout(of: Self.moeConfig))
        let muon = Set(groups.names(in: .muon))
        let adamW = Set(groups.names(in: .adamW))
        for suffix in ["q_proj.weight", "k_proj.weight", "v_proj.weight", "o_proj.weight", "g_proj.weight"] {
            #expect(muon.contains("model.layers.0.self_attn." + suffix) && muon.contains("model.layers.1.self_attn." + suffix))
        }
        for name in [
            "model.layers.0.mlp.gate_proj.weight", "model.layers.0.mlp.up_proj.weight", "model.layers.0.mlp.down_proj.weight",
            "model.layers.1.mlp.experts.gate_up_proj", "model.layers.1.mlp.experts.down_proj",
            "model.layers.1.mlp.shared_experts.gate_proj.weight", "model.layers.1.mlp.shared_experts.up_proj.weight",
            "model.layers.1.mlp.shared_experts.down_proj.weight",
        ] { #expect(muon.contains(name), "\(name) should be on Muon") }
        for name in [
            "model.embed_tokens.weight", "lm_head.weight", "model.norm.weight", "model.layers.0.input_layernorm.weight",
            "model.layers.0.post_attention_layernorm.weight", "model.layers.1.self_attn.q_norm.weight",
            "model.layers.1.mlp.gate.weight", "model.layers.1.mlp.gate.e_score_correction_bias",
        ] { #expect(adamW.contains(name), "\(name) should be on AdamW") }
        #expect(muon.count + adamW.count == LagunaParameters.layout(of: Self.moeConfig).count)

        // Each expert is its own matrix: 5 attention + 3 dense + 3 shared + 2 stacks × 4 experts.
        #expect(groups.muonMatrices.count == 5 * 2 + 3 + 3 + 2 * 4)
        let experts = groups.muonMatrices.filter { $0.parameter == "model.layers.1.mlp.experts.down_proj" }
        #expect(experts.map(\.expert) == [0, 1, 2, 3])
        #expect(experts.map(\.offset) == [0, 96, 192, 288])
        #expect(experts.allSatisfy { $0.rows == 16 && $0.columns == 6 && abs($0.updateScale - 0.8) < 1e-6 })
    }

    /// The replica plan covers every matrix once, balances work and is the same every time.
    @Test func replicaAssignmentBalancesWork() {
        let groups = ParameterGroups(layout: LagunaParameters.layout(of: Self.moeConfig))
        #expect(groups.replicaAssignment(replicas: 1).allSatisfy { $0 == 0 })
        let plan = groups.replicaAssignment(replicas: 3)
        #expect(plan == groups.replicaAssignment(replicas: 3))
        #expect(plan.count == groups.muonMatrices.count && Set(plan) == [0, 1, 2])
        var loads = [0, 0, 0]
        for (matrix, replica) in zip(groups.muonMatrices, plan) { loads[replica] += matrix.orthogonalizationCost }
        let largest = groups.muonMatrices.map(\.orthogonalizationCost).max()!
        #expect(loads.max()! - loads.min()! <= largest)
    }

    /// One momentum buffer per Muon parameter and two moments per AdamW parameter, nothing else.
    @Test func stateHoldsOneBufferPerMuonParameter() throws {
        let parameters = try LagunaParameters.initialize(Self.moeConfig, seed: 1)
        let optimizer = try Optimizer(adamW: AdamW.Settings(), muon: Muon.Settings(), parameters: parameters)
        let muon = try #require(optimizer.muon)
        #expect(muon.momentum.names == muon.groups.names(in: .muon))
        #expect(optimizer.adamW.firstMoments.names == muon.groups.names(in: .adamW))
        #expect(optimizer.adamW.secondMoments.names == muon.groups.names(in: .adamW))
        let muonScalars = muon.groups.names(in: .muon).reduce(0) { $0 + parameters[$1].count }
        let adamWScalars = muon.groups.names(in: .adamW).reduce(0) { $0 + parameters[$1].count }
        #expect(optimizer.stateScalarCount == muonScalars + 2 * adamWScalars)
        #expect(try Optimizer(adamW: AdamW.Settings(), muon: nil, parameters: parameters).stateScalarCount == 2 * parameters.scalarCount)
    }

    static func runConfig(_ optimizer: String) throws -> TrainingRunConfig {
        try ConfigLoader.decode(
            TrainingRunConfig.self,
            toml: """
                [model]
                preset = "laguna-proxy"
                [data]
                train = "shards/train"
                [optimizer]
                \(optimizer)
                lr = 0.002
                weight_decay = 0.05
                [schedule]
                kind = "constant"
                [train]
                steps = 10
                batch = 2
                sequence_length = 8
                output = "runs/x"
                """, source: "run.toml")
    }

    @Test func runFileChoosesTheOptimizer() throws {
        let muon = try Self.runConfig("name = \"muon\"\nmomentum = 0.9")
        try muon.validate(source: "run.toml")
        #expect(muon.muonSettings == Muon.Settings(momentum: 0.9, weightDecay: 0.05))
        #expect(try Self.runConfig("").muonSettings == nil)
        #expect(
            throws: FactoryError.config(
                file: "run.toml", keyPath: "optimizer.name", line: nil, message: "unknown optimizer 'sgd' (known: adamw, muon)")
        ) {
            try Self.runConfig("name = \"sgd\"").validate(source: "run.toml")
        }
        #expect { try Self.runConfig("momentum = 0.9").validate(source: "run.toml") } throws: { error in
            guard case .config(let file, let keyPath, _, let message) = error as? FactoryError else { return false }
            return file == "run.toml" && keyPath == "optimizer.momentum" && message.contains("applies to Muon only")
        }
        #expect { try Self.runConfig("name = \"muon\"\nmomentum = 1.5").validate(source: "run.toml") } throws: { error in
            guard case .config(let file, let keyPath, _, let message) = error as? FactoryError else { return false }
            return file == "run.toml" && keyPath == "optimizer.momentum" && message.contains("must be in [0, 1), got 1.5")
        }
    }

    /// What `factory train --dry-run` prints: every parameter with its optimizer and settings.
    @Test func planListsEveryParameter() throws {
        let layout = LagunaParameters.layout(of: Self.moeConfig)
        let plan = OptimizerPlan(layout: layout, run: try Self.runConfig("name = \"muon\""))
        #expect(plan.entries.map(\.name) == layout.map(\.name))
        let experts = try #require(plan.entries.first { $0.name == "model.layers.1.mlp.experts.gate_up_proj" })
        #expect(experts.optimizer == "muon" && experts.matrices == 4 && abs(experts.updateScale - 0.8) < 1e-6)
        #expect(experts.learningRate == 0.002 && experts.weightDecay == Double(Float(0.05)))
        let router = try #require(plan.entries.first { $0.name == "model.layers.1.mlp.gate.weight" })
        #expect(router.optimizer == "adamw" && router.updateScale == 1 && router.weightDecay == Double(Float(0.05)))
        let norm = try #require(plan.entries.first { $0.name == "model.norm.weight" })
        #expect(norm.optimizer == "adamw" && norm.weightDecay == 0)
        let text = plan.renderText()
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("model.layers.1.mlp.experts.gate_up_proj ") })
        #expect(
            line.split(separator: " ") == [
                "model.layers.1.mlp.experts.gate_up_proj", "[4,", "12,", "16]", "muon", "0.002", "0.8", "0.05", "4", "matrices",
            ])
        #expect(text.contains("optimizer state: \(plan.stateScalarCount) scalars"))
        let adamWPlan = OptimizerPlan(layout: layout, run: try Self.runConfig(""))
        #expect(adamWPlan.entries.allSatisfy { $0.optimizer == "adamw" })
        #expect(adamWPlan.stateScalarCount == 2 * LagunaParameters.count(of: Self.moeConfig))
    }
}
