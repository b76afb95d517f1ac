import Models
import Tensors

/// Which optimizer updates which parameter when training with Muon, chosen by rule from the
/// Hugging Face names and shapes:
///
/// - Muon: every matrix inside a decoder layer (`model.layers.*`): attention `q/k/v/o/g_proj`,
///   dense MLP and shared-expert `gate/up/down_proj`; and rank-3 expert stacks
///   (`mlp.experts.*`, `[experts, rows, columns]`), each expert's matrix on its own.
/// - AdamW: everything else: the embeddings, `lm_head`, norm weights, the router
///   (`mlp.gate.weight`) and the routing correction bias.
///
/// The Muon group is listed as individual matrices so that the orthogonalization of each one can
/// run on a different replica (`replicaAssignment`).
public struct ParameterGroups: Sendable {
    /// The two optimizer groups.
    public enum Group: String, Sendable, Equatable {
        case adamW = "adamw"
        case muon
    }

    /// One matrix that Muon orthogonalizes: a whole rank-2 parameter, or one expert of a rank-3
    /// expert stack.
    public struct MuonMatrix: Sendable, Equatable {
        /// The parameter's name.
        public var parameter: String
        /// The expert index in a `[experts, rows, columns]` stack, `nil` for a rank-2 parameter.
        public var expert: Int?
        public var rows: Int
        public var columns: Int

        /// A matrix of a Muon parameter.
        public init(parameter: String, expert: Int?, rows: Int, columns: Int) {
            self.parameter = parameter
            self.expert = expert
            self.rows = rows
            self.columns = columns
        }

        /// The offset of this matrix's first element in its parameter's storage.
        public var offset: Int { (expert ?? 0) * rows * columns }

        /// Muon's update scale `0.2·sqrt(max(rows, columns))`: an orthogonalized update has RMS
        /// about `1/sqrt(max(rows, columns))`, so this gives it AdamW's typical RMS of 0.2 and
        /// lets AdamW learning rates carry over.
        public var updateScale: Float { 0.2 * Float(max(rows, columns)).squareRoot() }

        /// The multiply-adds of five Newton–Schulz steps on this matrix (m = the smaller side,
        /// n = the larger: per step `X Xᵀ` m²n, `A²` m³, `B X` m²n): the cost used to balance
        /// replicas.
        public var orthogonalizationCost: Int {
            let (m, n) = (min(rows, columns), max(rows, columns))
            return 5 * (2 * m * m * n + m * m * m)
        }
    }

    /// Parameter names in model order, with their group.
    public let assignments: [(name: String, group: Group)]
    /// The Muon matrices in model order (experts in index order).
    public let muonMatrices: [MuonMatrix]

    /// Groups for a model layout (`LagunaParameters.layout` or a `ParameterSet`'s names and shapes).
    public init(layout: [(name: String, shape: [Int])]) {
        var assignments = [(name: String, group: Group)]()
        var matrices = [MuonMatrix]()
        for (name, shape) in layout {
            let group = Self.group(name: name, shape: shape)
            assignments.append((name, group))
            guard group == .muon else { continue }
            if shape.count == 3 {
                for expert in 0..<shape[0] {
                    matrices.append(MuonMatrix(parameter: name, expert: expert, rows: shape[1], columns: shape[2]))
                }
            } else {
                matrices.append(MuonMatrix(parameter: name, expert: nil, rows: shape[0], columns: shape[1]))
            }
        }
        self.assignments = assignments
        muonMatrices = matrices
    }

    /// The rule: Muon for a matrix inside a decoder layer other than the router, and for a
    /// rank-3 expert stack; AdamW otherwise.
    public static func group(name: String, shape: [Int]) -> Group {
        guard name.hasPrefix("model.layers.") else { return .adamW }
        switch shape.count {
        case 2: return name.hasSuffix(".mlp.gate.weight") ? .adamW : .muon
        case 3: return name.contains(".mlp.experts.") ? .muon : .adamW
        default: return .adamW
        }
    }

    /// The names in `group`, in model order.
    public func names(in group: Group) -> [String] {
        assignments.filter { $0.group == group }.map(\.name)
    }

    /// Zero tensors for the parameters in `group`, shaped like those of `parameters`.
    public func zeros(in group: Group, shapedLike parameters: ParameterSet) throws -> ParameterSet {
        var result = ParameterSet()
        for name in names(in: group) { result.append(name, try Tensor(shape: parameters[name].shape)) }
        return result
    }

    /// For every Muon matrix (in `muonMatrices` order), the replica in `0..<replicas` that
    /// orthogonalizes it: largest cost first, each to the replica with the least work so far
    /// (ties to the lower index). Depends only on the layout and `replicas`, so every replica
    /// computes the same plan.
    public func replicaAssignment(replicas: Int) -> [Int] {
        precondition(replicas > 0, "replicas must be positive")
        var load = [Int](repeating: 0, count: replicas)
        var owner = [Int](repeating: 0, count: muonMatrices.count)
        let order = muonMatrices.indices.sorted { first, second in
            let (a, b) = (muonMatrices[first].orthogonalizationCost, muonMatrices[second].orthogonalizationCost)
            return a != b ? a > b : first < second
        }
        for index in order {
            let replica = load.indices.min { (load[$0], $0) < (load[$1], $1) }!
            owner[index] = replica
            load[replica] += muonMatrices[index].orthogonalizationCost
        }
        return owner
    }
}
