import Evaluation

/// A capability task file through `TaskFile.parse` (header, documents of its kind, the chance
/// check); a file that reads is written back (`encoded`) and must read back to the same bytes.
enum TaskFileTarget {
    static func run(_ input: FuzzInput) -> Int32 {
        FuzzInput.expectingFactoryErrors {
            let task = try TaskFile.parse(input.bytes, file: "fuzz.jsonl")
            let written = try task.encoded()
            let again = try TaskFile.parse(written, file: "fuzz.jsonl (written back)").encoded()
            guard again == written else {
                fatalError("a task file written back reads back differently: \(String(decoding: written, as: UTF8.self))")
            }
        }
    }
}
