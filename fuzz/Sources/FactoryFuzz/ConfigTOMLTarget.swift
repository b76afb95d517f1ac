import Corpus
import Curation
import FactoryCore
import Mixing
import Training

/// TOML through the config decoder (`ConfigValue.parseTOML`, `ConfigLoader.decode`) into each typed
/// config the factory reads from TOML, then that config's own checks: one parse, every schema.
enum ConfigTOMLTarget {
    static let source = "fuzz.toml"

    static func run(_ input: FuzzInput) -> Int32 {
        FuzzInput.expectingFactoryErrors {
            let value = try ConfigValue.parseTOML(input.text, source: source)
            decodeEach(value)
        }
    }

    /// Decodes `value` as every config type; each refusal must be a `FactoryError`.
    static func decodeEach(_ value: ConfigValue) {
        let attempts: [() throws -> Void] = [
            { try ConfigLoader.decode(TrainingRunConfig.self, from: value, source: source).validate(source: source) },
            { try ConfigLoader.decode(CorpusConfig.self, from: value, source: source).validate(file: source) },
            { try ConfigLoader.decode(CurationConfig.self, from: value, source: source).validate(file: source) },
            { _ = try ConfigLoader.decode(AutoMixerConfig.self, from: value, source: source) },
        ]
        for attempt in attempts { _ = FuzzInput.expectingFactoryErrors(attempt) }
    }
}
