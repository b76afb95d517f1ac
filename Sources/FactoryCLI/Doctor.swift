import ArgumentParser
import FactoryCore
import Tensors

/// `factory doctor`: what this machine and build offer, and whether BLAS works.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the factory version, the machine, the linked BLAS and its measured GEMM rate.")

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
    }
}
