import FactoryCore
import Foundation

/// The code and machine a run executed on.
public struct CodeProvenance: Hashable, Sendable, Codable {
    /// `FactoryVersion.current` of the build.
    public var factoryVersion: String
    /// `git rev-parse HEAD` when run inside a checkout.
    public var gitCommit: String?
    /// Digest of `git diff HEAD --binary` when the checkout has uncommitted changes to tracked
    /// files; `nil` when it is clean or not a checkout.
    public var gitDiffDigest: Digest?
    /// Digest of the running executable's bytes.
    public var executableDigest: Digest?
    /// The host's name.
    public var host: String

    /// A provenance record.
    public init(factoryVersion: String, gitCommit: String?, gitDiffDigest: Digest?, executableDigest: Digest?, host: String) {
        self.factoryVersion = factoryVersion
        self.gitCommit = gitCommit
        self.gitDiffDigest = gitDiffDigest
        self.executableDigest = executableDigest
        self.host = host
    }

    private enum CodingKeys: String, CodingKey {
        case factoryVersion = "factory_version"
        case gitCommit = "git_commit"
        case gitDiffDigest = "git_diff_digest"
        case executableDigest = "executable_digest"
        case host
    }

    /// Captures the provenance of this process: the git state of `workingDirectory` (when it is
    /// inside a checkout and `git` is installed), the running executable, the host and version.
    public static func capture(
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) -> CodeProvenance {
        let commit = Git.run(["rev-parse", "--verify", "HEAD"], in: workingDirectory)
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        var diffDigest: Digest?
        if commit != nil, let diff = Git.run(["diff", "HEAD", "--binary"], in: workingDirectory), !diff.isEmpty {
            diffDigest = Digest.of(diff)
        }
        return CodeProvenance(
            factoryVersion: FactoryVersion.current, gitCommit: commit, gitDiffDigest: diffDigest,
            executableDigest: executableDigest, host: HostInfo.hostName)
    }

    /// The digest of this process's executable, computed once per process.
    public static let executableDigest: Digest? = {
        #if os(Linux)
            let path = "/proc/self/exe"
        #else
            guard let path = Bundle.main.executablePath else { return nil }
        #endif
        return try? Digest.ofFile(atPath: path)
    }()
}
