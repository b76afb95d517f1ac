import ArgumentParser
import Evaluation
import FactoryCore
import Foundation
import Tensors

/// `factory doctor`: what this machine and build offer, and whether BLAS works.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the factory version, the machine, the linked BLAS and its measured GEMM rate, and check the code sandbox.")

    @Option(help: "Matrix size for the GEMM measurement.")
    var gemmSize = 1024

    @Option(help: "Seconds to spend measuring GEMM.")
    var seconds = 1.0

    func run() throws {
        print("factory_version: \(FactoryVersion.current)")
        print("swift_version: \(HostInfo.swiftVersion)")
        print("os: \(HostInfo.operatingSystem)")
        print("cores: \(HostInfo.activeCores)")
        print("blas: \(BLASLibrary.description)")
        print("blas_threads: \(BLASLibrary.threadCount)")
        let measurement = try GEMMBenchmark.measure(size: gemmSize, minimumSeconds: seconds)
        try BLASSanity.check()
        print("gemm_size: \(measurement.size)")
        print("gemm_gflops: \(String(format: "%.1f", measurement.gigaflops))")
        print("store: \(StoreLocation.resolve())")
        printSandbox()
    }

    /// The code sandbox: found and working (a trivial Python program run in it, timed), or why
    /// not. Its absence only disables code evaluation, so it is reported, not thrown.
    private func printSandbox() {
        do {
            let runner = try SandboxedPythonRunner.locate()
            let sandbox = runner.sandbox
            let trivial = try sandbox.run([runner.python, "-I", "-c", "pass"], limits: runner.limits)
            guard trivial.succeeded else {
                print("sandbox: unavailable: python3 -c pass \(trivial.summary) in it")
                return
            }
            let user = geteuid() == 0 ? "uid \(Sandbox.unprivilegedID) (dropped from root)" : "uid \(geteuid())"
            print("sandbox: bubblewrap \(sandbox.version) at \(sandbox.bubblewrap), user namespaces work, runs as \(user)")
            print("sandbox_python: \(runner.python) \(runner.pythonVersion)")
            print("sandbox_trivial_run_ms: \(String(format: "%.0f", trivial.wallSeconds * 1000))")
        } catch {
            print("sandbox: unavailable: \(error)")
        }
    }
}
