import Foundation

/// What dpkg knows about an installed Debian package: the files it installed and the short
/// license of its `copyright` file.
public enum DebianPackage {
    /// The absolute paths dpkg lists for `package` (`/var/lib/dpkg/info/PKG.list` or the
    /// architecture-qualified `PKG:ARCH.list`), or `nil` when the package is not installed.
    public static func installedFiles(of package: String, infoDirectory: String = "/var/lib/dpkg/info") -> Set<String>? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: infoDirectory)) ?? []
        let listNames = names.filter { $0 == "\(package).list" || ($0.hasPrefix("\(package):") && $0.hasSuffix(".list")) }.sorted()
        guard !listNames.isEmpty else { return nil }
        var files = Set<String>()
        for name in listNames {
            guard let data = FileManager.default.contents(atPath: "\(infoDirectory)/\(name)") else { continue }
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") { files.insert(String(line)) }
        }
        return files
    }

    /// The path of a package's copyright file.
    static func copyrightPath(of package: String, docDirectory: String = "/usr/share/doc") -> String {
        "\(docDirectory)/\(package)/copyright"
    }

    /// A short license id for `package`, read from its copyright file; `nil` when there is none.
    public static func license(of package: String, docDirectory: String = "/usr/share/doc") -> String? {
        guard let data = FileManager.default.contents(atPath: copyrightPath(of: package, docDirectory: docDirectory)) else {
            return nil
        }
        return LicenseDetector.shortLicense(copyright: String(decoding: data, as: UTF8.self))
    }

    /// The installed version of `package` as dpkg's status file records it (`3.11.2-6+deb12u6`),
    /// or `nil` when the package is not installed there.
    public static func version(of package: String, statusFile: String = "/var/lib/dpkg/status") -> String? {
        guard let data = FileManager.default.contents(atPath: statusFile) else { return nil }
        for paragraph in String(decoding: data, as: UTF8.self).components(separatedBy: "\n\n") {
            let lines = paragraph.split(separator: "\n")
            guard lines.contains(where: { $0 == "Package: \(package)" }),
                lines.contains(where: { $0.hasPrefix("Status:") && $0.hasSuffix(" installed") })
            else { continue }
            return lines.first { $0.hasPrefix("Version: ") }.map { String($0.dropFirst("Version: ".count)) }
        }
        return nil
    }
}
