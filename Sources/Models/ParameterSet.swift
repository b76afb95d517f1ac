import FactoryCore
import Tensors

/// Named tensors in a fixed order: a model's parameters, or their gradients.
public struct ParameterSet: Equatable, Sendable {
    /// Names in the order `transformers`' `named_parameters()` lists them.
    public private(set) var names: [String]
    private var tensors: [String: Tensor]

    /// An empty set.
    public init() {
        names = []
        tensors = [:]
    }

    /// Adds a tensor under a new name.
    public mutating func append(_ name: String, _ tensor: Tensor) {
        precondition(tensors[name] == nil, "duplicate parameter \(name)")
        names.append(name)
        tensors[name] = tensor
    }

    /// The tensor called `name`.
    public subscript(name: String) -> Tensor {
        get {
            guard let tensor = tensors[name] else { preconditionFailure("no parameter named \(name)") }
            return tensor
        }
        set {
            precondition(tensors[name] != nil, "no parameter named \(name)")
            tensors[name] = newValue
        }
    }

    /// Mutates the tensor called `name` in place, without copying its storage.
    public mutating func update<Result>(_ name: String, _ body: (inout Tensor) throws -> Result) rethrows -> Result {
        precondition(tensors[name] != nil, "no parameter named \(name)")
        return try body(&tensors[name]!)
    }

    /// Mutates two different tensors in place at once, without copying their storage.
    public mutating func update<Result>(
        _ first: String, _ second: String, _ body: (inout Tensor, inout Tensor) throws -> Result
    ) rethrows -> Result {
        precondition(first != second, "updating \(first) twice at once")
        guard var a = tensors.removeValue(forKey: first) else { preconditionFailure("no parameter named \(first)") }
        guard var b = tensors.removeValue(forKey: second) else { preconditionFailure("no parameter named \(second)") }
        defer {
            tensors[first] = a
            tensors[second] = b
        }
        return try body(&a, &b)
    }

    /// Whether a tensor is called `name`.
    public func contains(_ name: String) -> Bool { tensors[name] != nil }

    /// A set with the same names and shapes, all zeros.
    public func zeros() -> ParameterSet {
        var result = ParameterSet()
        for name in names { result.append(name, try! Tensor(shape: self[name].shape)) }
        return result
    }

    /// Total number of scalars.
    public var scalarCount: Int { names.reduce(0) { $0 + self[$1].count } }

    /// Replaces every tensor with the one of the same name in `tensors`, checking that names and
    /// shapes match exactly; `source` names the file in errors.
    public mutating func load(_ loaded: [String: Tensor], source: String) throws {
        for name in names {
            guard let tensor = loaded[name] else {
                throw FactoryError.corrupt(path: source, reason: "missing tensor \(name)")
            }
            guard tensor.shape == self[name].shape else {
                throw FactoryError.corrupt(path: source, reason: "tensor \(name) has shape \(tensor.shape), expected \(self[name].shape)")
            }
            self[name] = tensor
        }
        if let extra = loaded.keys.sorted().first(where: { !contains($0) }) {
            throw FactoryError.corrupt(path: source, reason: "unexpected tensor \(extra) (not a parameter of this config)")
        }
    }
}
