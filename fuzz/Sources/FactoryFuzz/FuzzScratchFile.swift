import Foundation

/// A file for the readers that take a path: each input is written to it before parsing. One per
/// process and target, in the temporary folder.
enum FuzzScratchFile {
    /// Writes `bytes` to this process's scratch file for `target` and returns its path.
    static func write(_ bytes: [UInt8], target: String) -> String {
        let path = NSTemporaryDirectory() + "/factory-fuzz-\(getpid())-\(target)"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            fatalError("cannot write the scratch file \(path)")
        }
        return path
    }
}
