import Foundation

/// Facts about the machine a run executes on, for provenance and `factory doctor`.
public enum HostInfo {
    /// Cores available to this process.
    public static var activeCores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// The host's name.
    public static var hostName: String { ProcessInfo.processInfo.hostName }

    /// The operating system and its version, e.g. "Linux 6.1.0 (Debian GNU/Linux 12 (bookworm))".
    public static var operatingSystem: String {
        #if os(Linux)
            let release = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
            let prettyName = release.split(separator: "\n")
                .first { $0.hasPrefix("PRETTY_NAME=") }
                .map { $0.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            var uts = utsname()
            uname(&uts)
            let kernel = withUnsafeBytes(of: &uts.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return "Linux \(kernel)" + (prettyName.map { " (\($0))" } ?? "")
        #else
            return ProcessInfo.processInfo.operatingSystemVersionString
        #endif
    }

    /// The Swift compiler that built this binary.
    public static var swiftVersion: String {
        #if swift(>=6.3)
            return "6.3 or later"
        #elseif swift(>=6.2)
            return "6.2"
        #elseif swift(>=6.1)
            return "6.1"
        #else
            return "6.0"
        #endif
    }
}
