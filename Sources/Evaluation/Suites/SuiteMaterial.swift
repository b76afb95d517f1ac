import Corpus
import FactoryCore
import Foundation

/// Where a suite's material came from, as the manifest records it: the package and its version,
/// the license (from the Debian copyright file as the corpus reads it, or the configuration),
/// the folder, the files read and one digest over their names and contents.
enum SuiteMaterial {
    /// The record of `files` (paths relative to `source.path`) of a configured source.
    /// The digest is SHA-256 of the lines `relative-path TAB sha256-of-file`, in name order.
    static func record(name: String, source: TaskSuiteConfig.Source, files: [String]) throws -> TaskSuiteManifest.Material {
        var hasher = DigestHasher()
        for relative in files.sorted() {
            let file = try Digest.ofFile(atPath: source.path + "/" + relative)
            hasher.update("\(relative)\t\(file.hex)\n")
        }
        return TaskSuiteManifest.Material(
            name: name, package: source.package, version: source.package.flatMap { DebianPackage.version(of: $0) },
            license: license(of: source), path: source.path, files: files.count, digest: hasher.finalize().hex)
    }

    /// The license of a configured source: its `license`, else its package's copyright file's.
    static func license(of source: TaskSuiteConfig.Source) -> String {
        source.license ?? source.package.flatMap { DebianPackage.license(of: $0) } ?? "unknown"
    }

    /// Checks that a source's folder exists.
    ///
    /// - Throws: ``FactoryError/config(file:keyPath:line:message:)`` naming `sources.KEY.path`,
    ///   with the package that installs it.
    static func requireFolder(_ source: TaskSuiteConfig.Source, key: String, configFile: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            let hint = source.package.map { " (the Debian package '\($0)' installs it; `make setup` installs that)" } ?? ""
            throw FactoryError.config(
                file: configFile, keyPath: "sources.\(key).path", line: nil,
                message: "no such folder: \(source.path)\(hint); or leave the suite out of `suites`")
        }
    }
}

/// One task file a suite built, with what the manifest reports about it.
struct BuiltTask: Sendable {
    /// The file name in a task folder: `NAME.jsonl`.
    var fileName: String { "\(task.header.name).jsonl" }

    var task: TaskFile
    /// Items the material offered (before the training split and the size cap).
    var candidates: Int
    /// Items dropped because their material is in the corpus's training split.
    var excludedAsTraining: Int
}
