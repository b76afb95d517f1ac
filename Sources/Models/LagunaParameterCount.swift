/// How many parameters a Laguna configuration has, by kind, computed from its layout alone
/// (nothing is allocated, so it works for XS.2-sized configs).
public struct LagunaParameterCount: Equatable, Sendable {
    /// Every parameter.
    public let total: Int
    /// The token embedding plus an untied `lm_head`.
    public let embedding: Int
    /// The routed experts' weights (`mlp.experts.*`), of which only `num_experts_per_tok` of
    /// `num_experts` work on each token.
    public let routedExperts: Int
    /// The parameters that work on each token: everything but the routed experts, plus the
    /// `num_experts_per_tok / num_experts` share of them. The embedding table counts in full, as
    /// model cards count it.
    public let activePerToken: Int

    /// Parameters outside the embedding and `lm_head`, the size scaling laws count.
    public var nonEmbedding: Int { total - embedding }

    /// Counts the parameters of `config`, which must be validated (`LagunaConfig.validate`
    /// refuses configs whose count overflows).
    public init(_ config: LagunaConfig) {
        var (total, embedding, routed) = (0, 0, 0)
        for (name, shape) in LagunaParameters.layout(of: config) {
            let count = shape.reduce(1, *)
            total += count
            if name == "model.embed_tokens.weight" || name == "lm_head.weight" { embedding += count }
            if name.contains(".mlp.experts.") { routed += count }
        }
        self.total = total
        self.embedding = embedding
        self.routedExperts = routed
        let inactive = config.numExperts > 0 ? routed / config.numExperts * (config.numExperts - config.numExpertsPerToken) : 0
        self.activePerToken = total - inactive
    }

    /// The number of parameters of `config`, or `nil` when a tensor's size or the total does not
    /// fit in an `Int`. Safe for any config whose dimensions are each at most
    /// `LagunaConfig.maximumDimension` (the layout's own products then cannot overflow).
    public static func checkedTotal(_ config: LagunaConfig) -> Int? {
        var total = 0
        for (_, shape) in LagunaParameters.layout(of: config) {
            var count = 1
            for extent in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: extent)
                guard !overflow else { return nil }
                count = product
            }
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard !overflow else { return nil }
            total = sum
        }
        return total
    }
}
