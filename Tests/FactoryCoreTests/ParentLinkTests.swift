import FactoryCore
import Foundation
import Synchronization
import Testing

/// Every child the factory starts is told its parent's process id, which a `factory` child ties
/// its lifetime to.
@Suite struct ParentLinkTests {
    @Test func childrenAreToldTheParentsProcessID() throws {
        let outcome = try ChildProcess.run("env", arguments: [])
        let lines = String(decoding: outcome.output, as: UTF8.self).split(separator: "\n")
        #expect(lines.contains("\(ParentLink.environmentKey)=\(getpid())"))
    }

    @Test func theIdentityOfADeadProcessIsNotRunning() throws {
        #expect(ProcessIdentity.current.isRunning)
        let pid = Mutex<Int32>(0)
        _ = try ChildProcess.run("true", arguments: []) { process in
            pid.withLock { $0 = process.processIdentifier }
            return {}
        }
        #expect(!ProcessIdentity(pid: pid.withLock { $0 }, start: nil).isRunning)
        #if os(Linux)
            // The same process id with another start time is another (later) process.
            #expect(ProcessIdentity.current.start != nil)
            #expect(!ProcessIdentity(pid: getpid(), start: "another-boot/1").isRunning)
        #endif
    }
}
