// swift-tools-version: 6.0
import PackageDescription

/// libFuzzer targets for the parsers of Model Factory (see README.md here). A package of its own, so
/// `swift build` of the main package neither sees nor builds it; `scripts/fuzz.sh` (`make fuzz`) builds
/// it with `-sanitize=fuzzer` into `.build-fuzz`.
let package = Package(
    name: "ModelFactoryFuzz",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "factory-fuzz", targets: ["FactoryFuzz"])
    ],
    dependencies: [
        .package(name: "ModelFactory", path: "..")
    ],
    targets: [
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "FactoryFuzz",
            dependencies: [
                "CFuzzerDriver",
                .product(name: "FactoryCore", package: "ModelFactory"),
                .product(name: "Models", package: "ModelFactory"),
                .product(name: "Tokenization", package: "ModelFactory"),
                .product(name: "Documents", package: "ModelFactory"),
                .product(name: "Mixing", package: "ModelFactory"),
                .product(name: "Lineage", package: "ModelFactory"),
                .product(name: "Training", package: "ModelFactory"),
                .product(name: "Corpus", package: "ModelFactory"),
                .product(name: "Curation", package: "ModelFactory"),
                .product(name: "Pipeline", package: "ModelFactory"),
                .product(name: "Evaluation", package: "ModelFactory"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
