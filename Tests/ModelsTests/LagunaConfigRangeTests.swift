import FactoryCore
import Foundation
import Testing

@testable import Models

/// A hostile `config.json`: every size range-checked and named, parameter counts that cannot
/// overflow, and memory estimates instead of allocations.
@Suite struct LagunaConfigRangeTests {
    /// `laguna-tiny-moe`'s config.json with `key` set to the JSON text `value`.
    static func decode(_ key: String, _ value: String) throws -> LagunaConfig {
        let base = try LagunaPreset.tinyMoE.config().huggingFaceJSON()
        var object = try #require(try JSONSerialization.jsonObject(with: base) as? [String: Any])
        object[key] = nil
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        return try LagunaConfig.decode(json: Data(("{\"\(key)\": \(value), " + text.dropFirst()).utf8), source: "config.json")
    }

    @Test(arguments: [
        ("intermediate_size", "4611686018427387904", "must be in 0...2147483648, got 4611686018427387904"),
        ("hidden_size", "-1", "must be positive, got -1"),
        ("num_attention_heads", "0", "must be positive, got 0"),
        ("num_hidden_layers", "1000000000", "must be in 1...65536, got 1000000000"),
        ("rms_norm_eps", "0", "must be positive, got 0.0"),
        ("initializer_range", "-0.02", "must not be negative, got -0.02"),
        ("eos_token_id", "9000", "9000 is not a token id of vocab_size 8192"),
        ("moe_routed_scaling_factor", "0", "must be positive, got 0.0"),
    ])
    func aBadSizeIsRefusedByKey(key: String, value: String, message: String) throws {
        #expect(throws: FactoryError.config(file: "config.json", keyPath: key, line: nil, message: message)) {
            try Self.decode(key, value)
        }
    }

    @Test func aParameterCountBeyond64BitsIsRefusedNotTrapped() throws {
        // Each size is in range, but 2^31 experts × 2·2^31 × 2^31 does not fit in an Int.
        var config = try LagunaPreset.tinyMoE.config()
        config.numExperts = 1 << 31
        config.moeIntermediateSize = 1 << 31
        config.hiddenSize = 1 << 31
        #expect(LagunaParameterCount.checkedTotal(config) == nil)
        #expect {
            try config.validate(source: "config.json")
        } throws: { error in
            guard case .config(_, let key, _, let message) = error as? FactoryError else { return false }
            return key == "" && message.hasPrefix("the parameter count of this config does not fit in a 64-bit integer")
        }
    }

    @Test func aHugeHiddenSizeIsCountedAndEstimatedWithoutAllocating() throws {
        let config = try Self.decode("hidden_size", "1000000000")
        let count = try #require(LagunaParameterCount.checkedTotal(config))
        #expect(count == LagunaParameterCount(config).total)
        #expect(count > 16_000_000_000_000)
        let weights = try #require(LagunaMemoryEstimate.weightBytes(config))
        #expect(weights == count * 4)
        #expect(throws: FactoryError.self) {
            try MemoryBudget.require(weights, for: "the model", name: "config.json: key 'hidden_size'")
        }
        let tiny = try LagunaPreset.tiny.config()
        #expect(LagunaMemoryEstimate.weightBytes(tiny) == LagunaParameterCount(tiny).total * 4)
        #expect(LagunaMemoryEstimate.activationBytes(tiny, batch: 1 << 40, time: 1 << 40) == nil)
    }
}
