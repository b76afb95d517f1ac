import FactoryCore

/// A program to complete: the model continues `prompt` (a `def` line and its docstring, say),
/// and `prompt + completion` followed by `test` must exit with status 0 in the sandbox.
///
/// On disk: `{"id": …, "prompt": …, "test": …, "entry_point": …}`, `entry_point` optional.
public struct CodeDocument: Sendable, Equatable {
    public var id: String
    public var prompt: String
    /// Python source that asserts on the completed program.
    public var test: String
    /// The function under test, when the task names one.
    public var entryPoint: String?

    public init(id: String, prompt: String, test: String, entryPoint: String? = nil) {
        self.id = id
        self.prompt = prompt
        self.test = test
        self.entryPoint = entryPoint
    }

    init(_ fields: TaskLineFields) throws {
        try fields.requireOnly(["id", "prompt", "test", "entry_point"])
        id = try fields.string("id")
        prompt = try fields.string("prompt")
        test = try fields.string("test")
        entryPoint = try fields.optionalString("entry_point")
    }

    var lineValue: JSONValue {
        var members: [String: JSONValue] = ["id": .string(id), "prompt": .string(prompt), "test": .string(test)]
        if let entryPoint { members["entry_point"] = .string(entryPoint) }
        return .object(members)
    }
}
