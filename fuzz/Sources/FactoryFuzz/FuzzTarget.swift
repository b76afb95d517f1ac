import FactoryCore

/// One parser under fuzzing: its name on the command line, what it feeds the input to, and the
/// libFuzzer callback that does it.
struct FuzzTarget {
    /// The callback libFuzzer calls with each input (a C function: it cannot capture anything).
    typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

    let name: String
    let summary: String
    let callback: Callback

    /// Every target, in the order `scripts/fuzz.sh` runs them; each has a seed corpus in `fuzz/corpus/NAME`.
    static let all: [FuzzTarget] = [
        FuzzTarget(name: "config-toml", summary: "TOML → run, corpus, curation and mix configs (ConfigLoader + validate)") {
            ConfigTOMLTarget.run(FuzzInput($0, $1))
        },
        FuzzTarget(name: "config-json", summary: "JSON → config.json (LagunaConfig) and a run config (ConfigLoader)") {
            ConfigJSONTarget.run(FuzzInput($0, $1))
        },
        FuzzTarget(name: "safetensors", summary: "a safetensors file: header length, JSON header, tensor data") {
            SafeTensorsTarget.run(FuzzInput($0, $1))
        },
        FuzzTarget(name: "tokenizer-json", summary: "tokenizer.json, then encoding and decoding a sample text") {
            TokenizerJSONTarget.run(FuzzInput($0, $1))
        },
        FuzzTarget(name: "jsonl", summary: "a JSON Lines document file (JSONLinesReader)") {
            JSONLinesTarget.run(FuzzInput($0, $1))
        },
        FuzzTarget(name: "csv", summary: "CSV: mixture/metric tables (NumericTable) and metric points (MetricCSV)") {
            CSVTarget.run(FuzzInput($0, $1))
        },
        FuzzTarget(name: "pipeline", summary: "a pipeline file (PipelineDefinition with every stage kind)") {
            PipelineFileTarget.run(FuzzInput($0, $1))
        },
        FuzzTarget(name: "task-file", summary: "a capability task file (TaskFile.parse), written back and read again") {
            TaskFileTarget.run(FuzzInput($0, $1))
        },
    ]

    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}
