import FactoryCore
import Inference

/// The sampling fields both completion endpoints share, checked.
struct SamplingFields {
    var sampling: SamplingParameters
    var stops: [String]

    /// Reads `temperature`, `top_p`, `top_k`, `min_p`, `repetition_penalty`, `seed` and `stop`,
    /// and refuses the OpenAI options this server does not implement (`n` > 1, penalties).
    init(_ fields: JSONFields) throws {
        var sampling = SamplingParameters()
        if let value = try fields.number("temperature", in: 0...2) { sampling.temperature = Float(value) }
        if let value = try fields.number("top_p", in: 0...1) {
            guard value > 0 else { throw APIError.invalid("top_p", "top_p must be greater than 0, got \(value)") }
            sampling.topP = Float(value)
        }
        if let value = try fields.int("top_k") {
            guard value >= -1 else { throw APIError.invalid("top_k", "top_k must be -1 (off), 0 (off) or positive, got \(value)") }
            sampling.topK = max(value, 0)
        }
        if let value = try fields.number("min_p", in: 0...1) { sampling.minP = Float(value) }
        if let value = try fields.number("repetition_penalty") {
            guard value > 0, value <= 10 else {
                throw APIError.invalid("repetition_penalty", "repetition_penalty must be in (0, 10], got \(value)")
            }
            sampling.repetitionPenalty = Float(value)
        }
        if let value = try fields.int("seed") { sampling.seed = UInt64(bitPattern: Int64(value)) }
        let stops = try fields.strings("stop")
        if let empty = stops.firstIndex(of: "") {
            throw APIError.invalid("stop", "stop[\(empty)] is empty; a stop string needs at least one character")
        }
        try fields.refuseUnsupported("n", unless: .integer(1))
        try fields.refuseUnsupported("best_of", unless: .integer(1))
        try fields.refuseUnsupported("frequency_penalty", unless: .integer(0), .float(0))
        try fields.refuseUnsupported("presence_penalty", unless: .integer(0), .float(0))
        try fields.refuseUnsupported("logit_bias", unless: .object([:]))
        self.sampling = sampling
        self.stops = stops
    }
}
