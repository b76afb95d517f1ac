import FactoryCore
import Foundation
import Models
import Tensors

/// `Collectives` for replicas that are threads of one process: every operation is a rendezvous
/// of all ranks that hands each one every rank's contribution (tensors are shared, not copied,
/// until someone writes to them).
///
/// Make the handles with `group(size:)` and give each to its own thread (not a `ThreadPool`
/// task or a `DispatchQueue.concurrentPerform` iteration: ranks block while they wait for each
/// other). A rank that fails must call `abort()`, so that the others stop waiting and throw
/// `CollectiveAborted`.
public struct InProcessCollectives: Collectives {
    public let rank: Int
    let group: InProcessRendezvous

    public var size: Int { group.size }

    /// Handles for ranks `0..<size` of one new group.
    public static func group(size: Int) -> [InProcessCollectives] {
        let group = InProcessRendezvous(size: size)
        return (0..<size).map { InProcessCollectives(rank: $0, group: group) }
    }

    /// Marks the group failed by this rank: every rank waiting in, or later entering, a collective
    /// throws `CollectiveAborted`.
    public func abort() { group.abort(by: rank) }

    /// Reduce-scatter then all-gather: rank r folds the tensors whose index in the name order is
    /// r modulo `size` (every term, in rank then term order), then the folded parts are gathered.
    /// Each element is still summed in the one fixed order. A group of one folds its terms where
    /// it is, and returns a single term as it is (no copy).
    public func allReduceSum(_ terms: [ParameterSet], pool: ThreadPool) throws -> ParameterSet {
        if size == 1, var sum = terms.first {
            for term in terms.dropFirst() {
                for name in sum.names { try sum.update(name) { try ElementwiseKernel.add(term[name], into: &$0, pool: pool) } }
            }
            return sum
        }
        let everyTerm = try group.exchange(rank: rank, value: terms).flatMap { $0 as! [ParameterSet] }
        guard let first = everyTerm.first else {
            throw FactoryError.invalidArgument(name: "all-reduce terms", message: "no rank contributed a term")
        }
        var part = ParameterSet()
        for (index, name) in first.names.enumerated() where index % size == rank {
            var sum = first[name]
            for term in everyTerm.dropFirst() { try ElementwiseKernel.add(term[name], into: &sum, pool: pool) }
            part.append(name, sum)
        }
        let parts = try group.exchange(rank: rank, value: part).map { $0 as! ParameterSet }
        var total = ParameterSet()
        for (index, name) in first.names.enumerated() { total.append(name, parts[index % size][name]) }
        return total
    }

    public func allGather(_ tensors: ParameterSet) throws -> [ParameterSet] {
        try group.exchange(rank: rank, value: tensors).map { $0 as! ParameterSet }
    }

    public func allGather<Element: BitwiseCopyable & Sendable>(_ values: [Element]) throws -> [[Element]] {
        try group.exchange(rank: rank, value: values).map { $0 as! [Element] }
    }

    public func broadcast(_ tensors: ParameterSet, from root: Int) throws -> ParameterSet {
        try checkRoot(root)
        return try group.exchange(rank: rank, value: rank == root ? tensors : ParameterSet())[root] as! ParameterSet
    }

    public func broadcast<Element: BitwiseCopyable & Sendable>(_ values: [Element], from root: Int) throws -> [Element] {
        try checkRoot(root)
        return try group.exchange(rank: rank, value: rank == root ? values : [])[root] as! [Element]
    }

    public func barrier() throws {
        _ = try group.exchange(rank: rank, value: 0)
    }

    private func checkRoot(_ root: Int) throws {
        guard (0..<size).contains(root) else {
            throw FactoryError.invalidArgument(name: "broadcast root", message: "\(root) is not a rank of \(size)")
        }
    }
}

/// What a rank waiting in a collective throws when another rank of its group failed.
public struct CollectiveAborted: Error, CustomStringConvertible {
    /// The rank that failed.
    public let rank: Int

    public var description: String { "replica \(rank) failed, so the collective operation was abandoned" }
}

/// The meeting point of an in-process group: each round, every rank deposits a value and, once
/// all have, takes the list of all of them; the next round opens when every rank has taken it.
final class InProcessRendezvous: @unchecked Sendable {
    let size: Int
    // All mutable state below is guarded by `condition`.
    private let condition = NSCondition()
    private var deposits: [(any Sendable)?]
    private var published: [any Sendable] = []
    private var arrived = 0
    private var departed = 0
    private var publishing = false
    private var abortedBy: Int?

    init(size: Int) {
        precondition(size > 0, "a group needs at least one rank")
        self.size = size
        deposits = Array(repeating: nil, count: size)
    }

    /// Deposits `value` for `rank` and returns every rank's value, in rank order.
    func exchange(rank: Int, value: any Sendable) throws -> [any Sendable] {
        condition.lock()
        defer { condition.unlock() }
        while publishing, abortedBy == nil { condition.wait() }
        try throwIfAborted()
        deposits[rank] = value
        arrived += 1
        if arrived == size {
            published = deposits.map { $0! }
            deposits = Array(repeating: nil, count: size)
            arrived = 0
            departed = 0
            publishing = true
            condition.broadcast()
        } else {
            while !publishing, abortedBy == nil { condition.wait() }
            try throwIfAborted()
        }
        let result = published
        departed += 1
        if departed == size {
            published = []
            publishing = false
            condition.broadcast()
        }
        return result
    }

    func abort(by rank: Int) {
        condition.lock()
        defer { condition.unlock() }
        if abortedBy == nil { abortedBy = rank }
        condition.broadcast()
    }

    private func throwIfAborted() throws {
        if let abortedBy { throw CollectiveAborted(rank: abortedBy) }
    }
}
