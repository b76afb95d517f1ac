import Foundation

/// Where the content-addressed artifact store and lineage database live.
///
/// `FACTORY_STORE` in the environment wins; otherwise `.factory` in the working directory.
public enum StoreLocation {
    /// The environment variable that overrides the default location.
    public static let environmentKey = "FACTORY_STORE"

    /// The store's root directory as an absolute path.
    public static func resolve(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) -> String {
        if let configured = environment[environmentKey], !configured.isEmpty {
            return FilePath.absolute(configured, workingDirectory: workingDirectory)
        }
        return URL(fileURLWithPath: workingDirectory, isDirectory: true).appendingPathComponent(".factory").path
    }
}
