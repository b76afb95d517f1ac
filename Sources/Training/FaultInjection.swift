import FactoryCore
import Foundation
import Models

/// A drill: flips one bit of one element of one replica's weights, optimizer state or gradient at
/// a given step, once (the replay after a rollback runs clean).
///
/// - `weights` and `optimizer`: flipped right after the replica's optimizer update of `step`, so
///   the check at `step` (if there is one) sees it.
/// - `gradient`: flipped in the replica's copy of the all-reduced gradient of `step`, just before
///   its update, as if that replica's memory or arithmetic failed after the exchange; the update
///   then differs and the weights and optimizer state show it. (A corruption before the all-reduce
///   would reach every replica alike and no comparison of replicas can see it.)
public struct FaultInjection: Equatable, Sendable {
    /// What the flip corrupts.
    public enum Target: String, Sendable, Equatable, CaseIterable {
        case weights, gradient, optimizer
    }

    /// The replica whose state is corrupted.
    public var replica: Int
    /// The step after (`gradient`: during) whose update the bit is flipped.
    public var step: Int
    /// The parameter's name; for `optimizer`, the state tensor as integrity events name it
    /// (`adamw.m/<name>`, `adamw.v/<name>` or `muon.momentum/<name>`), or a parameter's name for
    /// its first state buffer (`adamw.m`, or `muon.momentum` for a Muon matrix).
    public var tensor: String
    /// The element's flat index in the tensor.
    public var element: Int
    /// The bit of the element's `Float` bit pattern, 0 (least significant) to 31.
    public var bit: Int
    /// What the flip corrupts.
    public var target: Target

    /// A fault to inject.
    public init(replica: Int, step: Int, tensor: String, element: Int = 0, bit: Int, target: Target = .weights) {
        self.replica = replica
        self.step = step
        self.tensor = tensor
        self.element = element
        self.bit = bit
        self.target = target
    }

    /// Parses `replica=1,step=37,tensor=NAME,bit=K` with optional `element=E` (default 0) and
    /// `target=weights|gradient|optimizer` (default `weights`), as `--inject-fault` takes it.
    public init(parsing text: String) throws {
        func fail(_ message: String) -> FactoryError { .invalidArgument(name: "--inject-fault '\(text)'", message: message) }
        var fields = [String: String]()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else { throw fail("'\(part)' is not key=value") }
            guard ["replica", "step", "tensor", "bit", "element", "target"].contains(pair[0]) else {
                throw fail("unknown key '\(pair[0])' (known: replica, step, tensor, bit, element, target)")
            }
            guard fields.updateValue(pair[1], forKey: pair[0]) == nil else { throw fail("'\(pair[0])' is given twice") }
        }
        func integer(_ key: String, default value: Int? = nil) throws -> Int {
            guard let text = fields[key] else {
                if let value { return value }
                throw fail("'\(key)' is missing")
            }
            guard let number = Int(text) else { throw fail("\(key) '\(text)' is not an integer") }
            return number
        }
        guard let tensor = fields["tensor"] else { throw fail("'tensor' is missing") }
        let targetName = fields["target"] ?? Target.weights.rawValue
        guard let target = Target(rawValue: targetName) else {
            throw fail("target '\(targetName)' is not one of \(Target.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.init(
            replica: try integer("replica"), step: try integer("step"), tensor: tensor, element: try integer("element", default: 0),
            bit: try integer("bit"), target: target)
    }

    /// Flips the bit in `parameters` (weights or a gradient), checking that the tensor, element and
    /// bit exist.
    public func apply(to parameters: inout ParameterSet) throws {
        try flip(tensor, in: &parameters)
    }

    /// Flips the bit in `optimizer`'s state tensor `tensor` names.
    public func apply(to optimizer: inout Optimizer) throws {
        let adamW = optimizer.adamW
        var (first, second) = (adamW.firstMoments, adamW.secondMoments)
        var momentum = optimizer.muon?.momentum
        let parts = tensor.split(separator: "/", maxSplits: 1).map(String.init)
        let (set, name) = parts.count == 2 ? (parts[0], parts[1]) : (nil, tensor)
        switch set {
        case "adamw.m": try flip(name, in: &first)
        case "adamw.v": try flip(name, in: &second)
        case "muon.momentum" where momentum != nil: try flip(name, in: &momentum!)
        case nil where momentum?.contains(name) == true: try flip(name, in: &momentum!)
        case nil: try flip(name, in: &first)
        default:
            throw FactoryError.invalidArgument(
                name: "fault tensor",
                message: "'\(set!)' is not an optimizer state set of this run (adamw.m, adamw.v\(momentum == nil ? "" : ", muon.momentum"))")
        }
        optimizer = Optimizer(
            adamW: AdamW(settings: adamW.settings, stepCount: adamW.stepCount, firstMoments: first, secondMoments: second),
            muon: optimizer.muon.map { Muon(settings: $0.settings, groups: $0.groups, momentum: momentum!) })
    }

    private func flip(_ name: String, in parameters: inout ParameterSet) throws {
        guard parameters.contains(name) else {
            throw FactoryError.invalidArgument(
                name: "fault tensor", message: "'\(name)' is not a\(target == .optimizer ? "n optimizer state" : "") tensor of this model")
        }
        guard (0..<parameters[name].count).contains(element) else {
            throw FactoryError.invalidArgument(
                name: "fault element", message: "\(element) is outside \(name)'s \(parameters[name].count) elements")
        }
        guard (0..<32).contains(bit) else {
            throw FactoryError.invalidArgument(name: "fault bit", message: "\(bit) is not a bit of a 32-bit float (0 to 31)")
        }
        let (element, mask) = (element, UInt32(1) << UInt32(bit))
        parameters.update(name) { tensor in
            tensor.withUnsafeMutableBufferPointer { $0[element] = Float(bitPattern: $0[element].bitPattern ^ mask) }
        }
    }
}
