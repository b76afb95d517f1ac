// swift-tools-version: 6.0
import PackageDescription

/// Kernel-only optimisation flags: bounds checks stay on everywhere except in `Tensors`.
let kernelSwiftSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "ModelFactory",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "factory", targets: ["FactoryCLI"]),
        .library(name: "FactoryCore", targets: ["FactoryCore"]),
        .library(name: "Tensors", targets: ["Tensors"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", from: "0.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "FactoryCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .target(
            name: "Tensors",
            dependencies: ["CBLAS", "FactoryCore"],
            swiftSettings: kernelSwiftSettings,
            linkerSettings: [
                .linkedLibrary("openblas", .when(platforms: [.linux])),
                .linkedFramework("Accelerate", .when(platforms: [.macOS])),
            ]
        ),
        .target(
            name: "Lineage",
            dependencies: [
                "FactoryCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(name: "Models", dependencies: ["Tensors", "FactoryCore"]),
        .target(
            name: "Mixing",
            dependencies: ["FactoryCore", "Data", "Execution", .product(name: "SwiftCSV", package: "SwiftCSV")]
        ),
        .target(name: "Execution", dependencies: ["FactoryCore"]),
        .target(name: "Evaluation", dependencies: ["Models", "Data", "Tensors", "FactoryCore"]),
        .target(name: "Training", dependencies: ["Models", "Data", "Evaluation", "Lineage", "Tensors", "FactoryCore"]),
        .target(name: "Data", dependencies: ["CZlib", "FactoryCore", "Reports", "Tensors"]),
        .target(name: "Reports", dependencies: ["FactoryCore"]),
        .target(
            name: "Pipeline",
            dependencies: ["FactoryCore", "Lineage", "Training", "Evaluation", "Mixing", "Execution", "Data", "Reports", "Tensors"]
        ),
        .executableTarget(
            name: "FactoryCLI",
            dependencies: [
                "FactoryCore",
                "Tensors",
                "Models",
                "Training",
                "Evaluation",
                "Lineage",
                "Data",
                "Mixing",
                "Execution",
                "Reports",
                "Pipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "FactoryCoreTests", dependencies: ["FactoryCore"]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Evaluation", "Data"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LineageTests", dependencies: ["Lineage"]),
        .testTarget(name: "MixingTests", dependencies: ["Mixing", "Data", "Execution"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ExecutionTests", dependencies: ["Execution"]),
        .testTarget(name: "DataTests", dependencies: ["Data"], resources: [.copy("Fixtures")]),
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
