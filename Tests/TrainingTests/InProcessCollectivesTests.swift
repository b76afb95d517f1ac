import FactoryCore
import Testing

@testable import Models
@testable import Tensors
@testable import Training

/// The in-process collectives: ordered all-reduce, all-gather, broadcast, barrier and abort, with
/// ranks on their own threads.
@Suite struct InProcessCollectivesTests {
    /// Random sets of two tensors whose elements span many magnitudes, so that the order of a
    /// floating-point sum shows in the last bits.
    static func terms(_ count: Int) throws -> [ParameterSet] {
        let stream = RandomStream(seed: 17)
        return try (0..<count).map { term in
            var set = ParameterSet()
            for (index, name) in ["a", "b"].enumerated() {
                let values = (0..<257).map { element -> Float in
                    let draw = stream.split(term).split(index)
                    return draw.normal(at: UInt64(2 * element)) * Float(1 << (Int(draw.word(at: UInt64(2 * element + 1)) % 20)))
                }
                set.append(name, try Tensor(shape: [257], storage: values))
            }
            return set
        }
    }

    /// Runs `body(collectives)` on every rank of a new group of `size`, each rank on its own thread.
    static func onEveryRank<Value: Sendable>(
        size: Int, _ body: @escaping @Sendable (InProcessCollectives) throws -> Value
    ) throws -> [Value] {
        let group = InProcessCollectives.group(size: size)
        let run = { @Sendable (rank: Int) throws -> Value in
            do { return try body(group[rank]) } catch {
                group[rank].abort()
                throw error
            }
        }
        let (root, others) = try ReplicaThreads.run(count: size, root: { try run(0) }, replica: run)
        return [root] + others
    }

    @Test func allReduceSumsInRankThenTermOrderBitwise() throws {
        let terms = try Self.terms(6)
        let reference = try Self.fold(terms)
        // The data is order-sensitive: pairing the terms differently changes the bits.
        var pairwise = ParameterSet()
        for name in terms[0].names {
            var left = terms[0][name]
            var right = terms[3][name]
            for index in 1..<3 {
                try ElementwiseKernel.add(terms[index][name], into: &left, pool: .serial)
                try ElementwiseKernel.add(terms[index + 3][name], into: &right, pool: .serial)
            }
            try ElementwiseKernel.add(right, into: &left, pool: .serial)
            pairwise.append(name, left)
        }
        #expect(pairwise != reference)
        for shares in [[6], [3, 3], [1, 2, 3], [2, 1, 0, 3]] {
            let starts = shares.indices.map { shares[..<$0].reduce(0, +) }
            let sums = try Self.onEveryRank(size: shares.count) { collectives in
                let mine = Array(terms[starts[collectives.rank]..<(starts[collectives.rank] + shares[collectives.rank])])
                return try collectives.allReduceSum(mine, pool: ThreadPool(threadCount: 2))
            }
            for (rank, sum) in sums.enumerated() { #expect(sum == reference, "rank \(rank) of shares \(shares)") }
        }
        // Rank 0 is first in the order, so handing over its terms already folded (as the trainer's
        // replica 0 does) changes nothing.
        let prefolded = try Self.onEveryRank(size: 2) { collectives in
            try collectives.allReduceSum(collectives.rank == 0 ? [Self.fold(Array(terms[..<3]))] : Array(terms[3...]), pool: .serial)
        }
        #expect(prefolded.allSatisfy { $0 == reference })
    }

    /// The elementwise left fold of `terms`.
    static func fold(_ terms: [ParameterSet]) throws -> ParameterSet {
        var sum = terms[0]
        for term in terms.dropFirst() {
            for name in sum.names { try sum.update(name) { try ElementwiseKernel.add(term[name], into: &$0, pool: .serial) } }
        }
        return sum
    }

    @Test func aGroupOfOneHandsItsOnlyTermBackUncopied() throws {
        let term = try Self.terms(1)[0]
        let sum = try InProcessCollectives.group(size: 1)[0].allReduceSum([term], pool: .serial)
        for name in term.names {
            let (original, reduced) = (term[name].withUnsafeBufferPointer { $0.baseAddress }, sum[name].withUnsafeBufferPointer { $0.baseAddress })
            #expect(original == reduced, "\(name) was copied")
        }
    }

    @Test func gatherAndBroadcastKeepRankOrderOverManyRounds() throws {
        let results = try Self.onEveryRank(size: 3) { collectives -> [String] in
            var seen = [String]()
            for round in 0..<200 {
                let gathered = try collectives.allGather([round, collectives.rank])
                seen.append(gathered.map { "\($0[0]):\($0[1])" }.joined(separator: " "))
                let root = round % 3
                seen.append("\(try collectives.broadcast([Double(10 * collectives.rank + round)], from: root))")
                if round % 50 == 0 { try collectives.barrier() }
            }
            var mine = ParameterSet()
            mine.append("rank", try Tensor(shape: [collectives.rank + 1], repeating: Float(collectives.rank)))
            let sets = try collectives.allGather(mine)
            seen.append(sets.map { "\($0["rank"].storage)" }.joined(separator: " "))
            seen.append("\(try collectives.broadcast(mine, from: 2)["rank"].storage)")
            return seen
        }
        #expect(results[0] == results[1] && results[1] == results[2])
        #expect(results[0][0] == "0:0 0:1 0:2")
        #expect(results[0][1] == "[0.0]")
        #expect(results[0][3] == "[11.0]")
        #expect(results[0][399] == "[209.0]")
        #expect(results[0][400] == "[0.0] [1.0, 1.0] [2.0, 2.0, 2.0]")
        #expect(results[0][401] == "[2.0, 2.0, 2.0]")
    }

    @Test func aFailingRankStopsTheOthersAndItsErrorIsReported() throws {
        let failure = FactoryError.invalidArgument(name: "rank 1", message: "failed on purpose")
        #expect(throws: failure) {
            _ = try Self.onEveryRank(size: 3) { collectives in
                try collectives.barrier()
                if collectives.rank == 1 { throw failure }
                try collectives.barrier()
                return collectives.rank
            }
        }
        #expect {
            _ = try Self.onEveryRank(size: 2) { try $0.broadcast([1], from: 2) }
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "broadcast root" && message.contains("2 is not a rank of 2")
        }
    }
}
