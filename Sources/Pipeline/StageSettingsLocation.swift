import FactoryCore

/// Where a stage's settings are written: the pipeline file and the stage's table
/// (`stages.tokenizer`), so that every error about a setting names the file and the full key
/// (`pipeline.toml: key 'stages.tokenizer.vocab_size': …`).
struct StageSettingsLocation: Sendable, Equatable {
    /// The pipeline file.
    let file: String
    /// The stage's table, `stages.NAME`.
    let keyPrefix: String

    init(file: String, keyPrefix: String) {
        self.file = file
        self.keyPrefix = keyPrefix
    }

    /// The full key path of `key` inside the stage's table (`run.train.steps`, `sources[0]`).
    func keyPath(_ key: String) -> String {
        key.isEmpty ? keyPrefix : key.hasPrefix("[") ? keyPrefix + key : "\(keyPrefix).\(key)"
    }

    /// An error about `key` of the stage's table.
    func error(_ key: String, _ message: String) -> FactoryError {
        .config(file: file, keyPath: keyPath(key), line: nil, message: message)
    }

    /// Runs `body`, which reports configuration errors against ``file`` with key paths relative
    /// to the stage's table (a decode of the settings, a config type's `validate(source:)`), and
    /// rethrows those errors with the full key path. Errors about other files pass unchanged.
    func qualifyingKeys<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch FactoryError.config(let errorFile, let key, let line, let message) where errorFile == file {
            throw FactoryError.config(file: file, keyPath: keyPath(key), line: line, message: message)
        }
    }
}
