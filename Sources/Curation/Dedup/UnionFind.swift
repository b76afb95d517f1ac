/// Disjoint sets over the integers `0..<count`, with path halving and union by size.
struct UnionFind: Sendable {
    private var parent: [Int]
    private var size: [Int]

    /// Creates `count` singleton sets.
    init(count: Int) {
        parent = Array(0..<count)
        size = Array(repeating: 1, count: count)
    }

    /// The representative of the set holding `element`.
    mutating func find(_ element: Int) -> Int {
        var node = element
        while parent[node] != node {
            parent[node] = parent[parent[node]]
            node = parent[node]
        }
        return node
    }

    /// Merges the sets holding `a` and `b`; returns whether they were separate.
    @discardableResult
    mutating func union(_ a: Int, _ b: Int) -> Bool {
        var rootA = find(a)
        var rootB = find(b)
        guard rootA != rootB else { return false }
        if size[rootA] < size[rootB] { swap(&rootA, &rootB) }
        parent[rootB] = rootA
        size[rootA] += size[rootB]
        return true
    }

    /// The sets with more than one element, each as its members in increasing order, ordered by
    /// their least member.
    mutating func clusters() -> [[Int]] {
        var members = [Int: [Int]]()
        for element in 0..<parent.count { members[find(element), default: []].append(element) }
        return members.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }
}
