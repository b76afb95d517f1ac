import FactoryCore
import Models

/// JSON through the config decoder: a Hugging Face `config.json` (`LagunaConfig.decode`, which
/// parses with `ConfigValue.parseJSON` and validates), and the same tree decoded as each typed TOML
/// config (the decoder is one; only the parser differs).
enum ConfigJSONTarget {
    static func run(_ input: FuzzInput) -> Int32 {
        _ = FuzzInput.expectingFactoryErrors {
            _ = try LagunaConfig.decode(json: input.data, source: "config.json")
        }
        return FuzzInput.expectingFactoryErrors {
            ConfigTOMLTarget.decodeEach(try ConfigValue.parseJSON(input.bytes, source: ConfigTOMLTarget.source))
        }
    }
}
