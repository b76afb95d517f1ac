// swift-tools-version: 6.0
import PackageDescription

/// Kernel-only optimisation flags: bounds checks stay on everywhere except in `Tensors`.
let kernelSwiftSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release))
]

let package = Package(
    name: "ModelFactory",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "factory", targets: ["FactoryCLI"]),
        .library(name: "FactoryCore", targets: ["FactoryCore"]),
        // The parsers the libFuzzer targets of fuzz/Package.swift drive (a separate package, so the
        // instrumented build never touches this one's; see fuzz/README.md).
        .library(name: "Models", targets: ["Models"]),
        .library(name: "Tokenization", targets: ["Tokenization"]),
        .library(name: "Documents", targets: ["Documents"]),
        .library(name: "Mixing", targets: ["Mixing"]),
        .library(name: "Lineage", targets: ["Lineage"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "Corpus", targets: ["Corpus"]),
        .library(name: "Curation", targets: ["Curation"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", from: "0.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CLAPACK",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "CKernels"),
        .target(
            name: "FactoryCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .target(
            name: "Tensors",
            dependencies: ["CBLAS", "CKernels", "FactoryCore"],
            swiftSettings: kernelSwiftSettings,
            linkerSettings: [
                .linkedLibrary("openblas", .when(platforms: [.linux])),
                .linkedFramework("Accelerate", .when(platforms: [.macOS])),
            ]
        ),
        .target(
            name: "FactoryNumerics",
            dependencies: ["CLAPACK", "FactoryCore"],
            linkerSettings: [
                .linkedLibrary("openblas", .when(platforms: [.linux])),
                .linkedFramework("Accelerate", .when(platforms: [.macOS])),
            ]
        ),
        .target(
            name: "Lineage",
            dependencies: [
                "FactoryCore",
                "FactoryNumerics",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]
        ),
        .target(name: "Models", dependencies: ["Tokenization", "Tensors", "FactoryCore"]),
        .target(
            name: "Mixing",
            dependencies: ["FactoryCore", "FactoryNumerics", "Shards", "Execution", .product(name: "SwiftCSV", package: "SwiftCSV")]
        ),
        .target(name: "Execution", dependencies: ["FactoryCore"]),
        .target(
            name: "Evaluation", dependencies: ["Inference", "Models", "Shards", "Tokenization", "Tensors", "Corpus", "Documents", "FactoryCore"]),
        .target(name: "Inference", dependencies: ["Models", "Tokenization", "Tensors", "FactoryCore"]),
        .target(name: "Training", dependencies: ["Models", "Shards", "Tokenization", "Evaluation", "Tensors", "FactoryCore"]),
        .target(name: "Runs", dependencies: ["Training", "Lineage", "Models", "Evaluation", "Shards", "Tokenization", "Tensors", "FactoryCore"]),
        .target(
            name: "Server",
            dependencies: ["Inference", "Tokenization", "FactoryCore", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .target(name: "Documents", dependencies: ["CZlib", "FactoryCore"]),
        .target(name: "Corpus", dependencies: ["Documents", "FactoryCore"]),
        .target(name: "Curation", dependencies: ["Documents", "FactoryNumerics", "FactoryCore"]),
        .target(name: "Tokenization", dependencies: ["FactoryCore", .product(name: "HeapModule", package: "swift-collections")]),
        .target(name: "Shards", dependencies: ["Documents", "Tokenization", "FactoryCore"]),
        .target(name: "Reports", dependencies: ["Curation", "FactoryCore"]),
        .target(
            name: "Pipeline",
            dependencies: [
                "FactoryCore", "FactoryNumerics", "Tensors", "Documents", "Corpus", "Curation", "Tokenization", "Shards", "Lineage",
                "Training", "Evaluation", "Mixing", "Execution", "Reports",
            ]
        ),
        .executableTarget(
            name: "FactoryCLI",
            dependencies: [
                "FactoryCore",
                "Tensors",
                "Models",
                "Training",
                "Inference",
                "Server",
                "Runs",
                "Evaluation",
                "Lineage",
                "Documents",
                "Corpus",
                "Curation",
                "Tokenization",
                "Shards",
                "Mixing",
                "Execution",
                "Reports",
                "Pipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "FactoryCoreTests", dependencies: ["FactoryCore"]),
        .testTarget(name: "FactoryNumericsTests", dependencies: ["FactoryNumerics", "FactoryCore"]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(
            name: "EvaluationTests",
            dependencies: ["Evaluation", "Inference", "Models", "Tensors", "Corpus", "Documents", "Shards", "Tokenization", "FactoryCore"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Evaluation", "Shards", "Tokenization"]),
        .testTarget(name: "RunsTests", dependencies: ["Runs", "Training", "Lineage", "Models", "Shards", "Tokenization", "FactoryCore"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Tokenization"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "InferenceTests", dependencies: ["Inference", "Models", "Tensors", "Tokenization", "FactoryCore"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Inference", "Models", "Tokenization", "FactoryCore", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "LineageTests", dependencies: ["Lineage"]),
        .testTarget(
            name: "MixingTests", dependencies: ["Mixing", "FactoryNumerics", "Shards", "Tokenization", "Execution"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ExecutionTests", dependencies: ["Execution"]),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents", "FactoryCore"]),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus", "Documents", "FactoryCore"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "CurationTests", dependencies: ["Curation", "Corpus", "Documents", "FactoryNumerics", "Reports", "FactoryCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "TokenizationTests", dependencies: ["Tokenization", "FactoryCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ShardsTests", dependencies: ["Shards", "Tokenization", "FactoryCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Lineage", "FactoryCore"]),
        .testTarget(
            name: "FactoryCLITests",
            dependencies: [
                "FactoryCLI", "Pipeline", "Lineage", "Execution", "FactoryCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
