import Documents
import FactoryCore

/// Reads labelled training texts from JSON Lines: one object per line with `text` and either
/// `label` (0 or 1, or `false`/`true`) or `score` (a number in [0, 1]); an optional string `id`
/// names the example's held-out group (default: its line number).
enum LabelledTextReader {
    /// Every example of the file at `path`.
    ///
    /// - Throws: ``FactoryError/corrupt(path:reason:)`` naming the line and the field.
    static func read(path: String) throws -> [QualityExample] {
        let reader = try JSONLinesReader(path: path)
        var examples = [QualityExample]()
        while let object = try reader.nextObject() {
            func fail(_ field: String, _ message: String) -> FactoryError {
                .corrupt(path: path, reason: "line \(reader.lineNumber): field '\(field)' \(message)")
            }
            guard let text = object["text"]?.string else { throw fail("text", "is missing or not a string") }
            let target: Double
            switch (object["label"], object["score"]) {
            case (let label?, nil):
                switch label {
                case .bool(let flag): target = flag ? 1 : 0
                case .integer(let value) where value == 0 || value == 1: target = Double(value)
                case .float(let value) where value == 0 || value == 1: target = value
                default: throw fail("label", "must be 0 or 1")
                }
            case (nil, let score?):
                let value: Double
                switch score {
                case .integer(let number): value = Double(number)
                case .float(let number): value = number
                default: throw fail("score", "must be a number in [0, 1]")
                }
                guard (0...1).contains(value) else { throw fail("score", "must be in [0, 1], found \(value)") }
                target = value
            case (nil, nil): throw fail("label", "is missing (give 'label' 0/1 or 'score' in [0, 1])")
            case (_?, _?): throw fail("score", "conflicts with 'label' (give one of them)")
            }
            let group: String
            switch object["id"] {
            case nil: group = "line \(reader.lineNumber)"
            case .string(let id)?: group = id
            default: throw fail("id", "must be a string")
            }
            examples.append(QualityExample(text: text, target: target, group: group))
        }
        guard !examples.isEmpty else { throw FactoryError.corrupt(path: path, reason: "holds no labelled examples") }
        return examples
    }
}
