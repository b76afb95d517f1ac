import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on a folder that one process writes into (a trainer's output folder), so a
/// second writer is refused at once instead of overwriting the first one's files.
///
/// The lock is `flock` on the folder itself: no lock file is written into the folder (its
/// content digests stay the same), and the operating system releases it when the holder ends in
/// any way, `kill -9` included, so `--resume` after a crash finds the folder free. The lock is
/// held until ``release()`` or until the value is gone.
public final class FolderLock: Sendable {
    /// The locked folder.
    public let folder: String
    /// The open folder holding the lock; -1 once released.
    private let descriptor: Atomic<Int32>

    private init(folder: String, descriptor: Int32) {
        self.folder = folder
        self.descriptor = Atomic(descriptor)
    }

    deinit { release() }

    /// Creates `folder` when missing and locks it, without waiting.
    ///
    /// - Parameter name: what the folder is to the user (`train.output in run.toml`); it names
    ///   the refusal.
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` naming `name`, the folder and the
    ///   holder's process id when another process holds the lock; ``FactoryError/io(path:operation:reason:)``
    ///   when the folder cannot be created or opened.
    public static func acquire(_ folder: String, name: String) throws -> FolderLock {
        try FilePath.createFolder(folder)
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw FactoryError.io(path: folder, operation: "open the folder to lock it", reason: String(cString: strerror(errno)))
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            let holder = code == EWOULDBLOCK ? holders(of: descriptor) : []
            close(descriptor)
            guard code == EWOULDBLOCK else {
                throw FactoryError.io(path: folder, operation: "lock the folder", reason: String(cString: strerror(code)))
            }
            let who = holder.isEmpty ? "another process" : "process \(holder.map(String.init).joined(separator: ", "))"
            throw FactoryError.invalidArgument(
                name: "\(name) \(folder)",
                message:
                    "is in use by \(who), which is writing into it; a second writer would overwrite its files. Wait for it to end, or choose another folder"
            )
        }
        return FolderLock(folder: folder, descriptor: descriptor)
    }

    /// Releases the lock (also done when the value is gone, or by the system when the process
    /// ends); releasing it again does nothing.
    public func release() {
        let open = descriptor.exchange(-1, ordering: .acquiringAndReleasing)
        if open >= 0 { close(open) }
    }

    /// The process ids holding a `flock` on the file open as `descriptor`, from `/proc/locks`
    /// (Linux); empty where the system does not say.
    static func holders(of descriptor: Int32) -> [Int32] {
        var status = stat()
        guard fstat(descriptor, &status) == 0, let text = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else {
            return []
        }
        let device = UInt64(status.st_dev)
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff)
        let minor = (device & 0xff) | ((device >> 12) & ~0xff)
        let file = String(format: "%02llx:%02llx:%llu", major, minor, UInt64(status.st_ino))
        // "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"; waiters have "->" after the number.
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK", fields[5] == file else { return nil }
            return Int32(fields[4])
        }
    }
}
