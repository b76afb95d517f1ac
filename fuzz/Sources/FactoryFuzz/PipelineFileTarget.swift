import Pipeline

/// A pipeline file through `PipelineDefinition(toml:source:)` with every stage kind: the TOML, the
/// stage tables, each kind's settings and inputs, and the execution order (cycles, unknown inputs).
enum PipelineFileTarget {
    static func run(_ input: FuzzInput) -> Int32 {
        FuzzInput.expectingFactoryErrors { _ = try PipelineDefinition(toml: input.text, source: "fuzz-pipeline.toml") }
    }
}
