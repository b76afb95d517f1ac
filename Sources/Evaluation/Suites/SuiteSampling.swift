import FactoryCore

/// The deterministic choices of the suites: which candidates a task takes, which distractors a
/// document gets and where its gold answer goes. Everything is drawn from ``RandomStream``s split
/// by the task's name and the item's id, so adding or removing other candidates changes no
/// other item's distractors, and the same inputs give the same files.
struct SuiteSampling: Sendable {
    /// The configuration's seed.
    let seed: Int

    /// Candidates in the order of SHA-256 of `"select\0" + task + "\0" + seed + "\0" + id`: a
    /// spread-out, input-order-independent sequence; a task takes its prefix.
    func ordered<Item>(_ items: [Item], task: String, id: (Item) -> String) -> [Item] {
        items.map { (Digest.of("select\u{0}\(task)\u{0}\(seed)\u{0}\(id($0))"), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The stream of one item of one task.
    func stream(task: String, id: String) -> RandomStream {
        RandomStream(seed: UInt64(seed)).split("suite-item").split(task).split(id)
    }

    /// A uniform integer in `0..<bound` (rejection sampling, the same on every platform).
    static func uniform(_ bound: Int, _ stream: inout RandomStream) -> Int {
        precondition(bound > 0, "empty range")
        let span = UInt64(bound)
        let limit = UInt64.max - UInt64.max % span
        while true {
            let word = stream.next()
            if word < limit { return Int(word % span) }
        }
    }

    /// `count` distinct strings of `pool` other than `gold` and those in `excluded`, drawn
    /// uniformly; `nil` when the pool has too few (after 64 draws per wanted distractor).
    static func distractors(
        from pool: [String], count: Int, gold: String, excluded: Set<String> = [], _ stream: inout RandomStream
    ) -> [String]? {
        var chosen = [String]()
        var seen: Set<String> = excluded.union([gold])
        var attempts = 0
        while chosen.count < count, attempts < 64 * count, !pool.isEmpty {
            attempts += 1
            let candidate = pool[uniform(pool.count, &stream)]
            if seen.insert(candidate).inserted { chosen.append(candidate) }
        }
        return chosen.count == count ? chosen : nil
    }

    /// The choices with `gold` inserted among `distractors` at a uniform position, and that index.
    static func place(gold: String, among distractors: [String], _ stream: inout RandomStream) -> (choices: [String], gold: Int) {
        let index = uniform(distractors.count + 1, &stream)
        var choices = distractors
        choices.insert(gold, at: index)
        return (choices, index)
    }
}
