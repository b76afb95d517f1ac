import CFuzzerDriver
import Foundation

// factory-fuzz TARGET [libFuzzer flags and corpus folders]: fuzzes one parser (see FuzzTarget.all).
// The name is also put in FACTORY_FUZZ_TARGET, because libFuzzer starts the children of -fork and
// -jobs with the flags alone.
let environmentKey = "FACTORY_FUZZ_TARGET"
var arguments = CommandLine.arguments
var target: FuzzTarget?
if arguments.count > 1, let named = FuzzTarget.named(arguments[1]) {
    target = named
    arguments.remove(at: 1)
    setenv(environmentKey, named.name, 1)
} else if let name = ProcessInfo.processInfo.environment[environmentKey] {
    target = FuzzTarget.named(name)
}
guard let target else {
    let lines = FuzzTarget.all.map { "  \($0.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \($0.summary)" }
    FileHandle.standardError.write(
        Data(("usage: factory-fuzz TARGET [libFuzzer flags] [corpus folders]\ntargets:\n" + lines.joined(separator: "\n") + "\n").utf8))
    exit(2)
}
var cArguments = arguments.map { strdup($0) } + [nil]
var argumentCount = Int32(arguments.count)
let status = cArguments.withUnsafeMutableBufferPointer { buffer in
    var argv = buffer.baseAddress
    return LLVMFuzzerRunDriver(&argumentCount, &argv, target.callback)
}
exit(status)
