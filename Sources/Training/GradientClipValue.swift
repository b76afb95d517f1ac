/// `train.grad_clip` as a run file writes it: a maximum global gradient norm, or `"off"` for no
/// clipping (said explicitly, so that a non-positive number cannot switch clipping off unnoticed).
enum GradientClipValue: Codable, Equatable {
    case maximum(Double)
    case off

    /// The maximum norm, `nil` when off.
    var maximumNorm: Double? {
        if case .maximum(let norm) = self { return norm }
        return nil
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let norm = try? container.decode(Double.self) {
            self = .maximum(norm)
            return
        }
        let text = try container.decode(String.self)
        guard text == "off" else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a positive number or \"off\", got \"\(text)\"")
        }
        self = .off
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .maximum(let norm): try container.encode(norm)
        case .off: try container.encode("off")
        }
    }
}
