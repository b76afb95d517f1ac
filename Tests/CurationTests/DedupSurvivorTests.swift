import Documents
import FactoryCore
import Testing

@testable import Curation

@Suite struct DedupSurvivorTests {
    static let parameters = try! MinHashParameters()

    static func text(seed: UInt64, edits: [Int] = []) -> String {
        var words = DedupFixtures.words(count: 150, seed: seed)
        for position in edits { words[position] = "edited" }
        return words.joined(separator: " ")
    }

    static func scored(_ id: String, _ text: String, _ score: String?, bucket: String? = nil) -> Document {
        var metadata = [String: String]()
        if let score { metadata["quality_composite"] = score }
        if let bucket { metadata[DedupReport.qualityBucketKey] = bucket }
        return DedupFixtures.document(id, text, metadata: metadata)
    }

    @Test func highestScoreSurvivesExactAndFuzzyClusters() throws {
        let documents = [
            Self.scored("a", Self.text(seed: 1), "0.2"),
            Self.scored("b", Self.text(seed: 1), "0.9"),
            Self.scored("c", Self.text(seed: 1, edits: [40]), "0.95"),  // near duplicate of a and b
            Self.scored("d", Self.text(seed: 1), nil),  // no score: ranks last
            Self.scored("e", Self.text(seed: 2), "0.1"),
        ]
        let deduplicator = Deduplicator(parameters: Self.parameters, survivorPriority: .highest(key: "quality_composite"))
        let (kept, report) = try deduplicator.deduplicate(documents)
        #expect(kept.map(\.id) == ["c", "e"])
        #expect(kept[0].metadata[Deduplicator.clusterSizeKey] == "4")
        #expect(kept[1].metadata[Deduplicator.clusterSizeKey] == "1")
        // Exact: a and d lose to b; fuzzy: b (standing for 3) loses to c.
        #expect(
            report.removals == [
                DedupRemoval(id: "a", source: "web", domain: "prose", reason: .exact, survivor: "b"),
                DedupRemoval(id: "b", source: "web", domain: "prose", reason: .fuzzy, survivor: "c"),
                DedupRemoval(id: "d", source: "web", domain: "prose", reason: .exact, survivor: "b"),
            ])

        let (leastID, _) = try Deduplicator(parameters: Self.parameters).deduplicate(documents)
        #expect(leastID.map(\.id) == ["a", "e"])
        let (lowest, _) = try Deduplicator(parameters: Self.parameters, survivorPriority: .lowest(key: "quality_composite"))
            .deduplicate(documents)
        #expect(lowest.map(\.id) == ["a", "e"])
    }

    @Test func tiesGoToTheLeastID() throws {
        let documents = [
            Self.scored("z", Self.text(seed: 3), "0.5"),
            Self.scored("m", Self.text(seed: 3), "0.50"),
            Self.scored("q", Self.text(seed: 3), "0.4"),
        ]
        let (kept, _) = try Deduplicator(parameters: Self.parameters, survivorPriority: .highest(key: "quality_composite"))
            .deduplicate(documents)
        #expect(kept.map(\.id) == ["m"])
        #expect(kept[0].metadata[Deduplicator.clusterSizeKey] == "3")
    }

    /// Against a brute-force reference: the clusters do not depend on the rule (take them from a
    /// least-id run), and each cluster's survivor must be its member with the highest score.
    @Test func survivorsAreEachClustersBestMember() throws {
        var documents = [Document]()
        var state: UInt64 = 99
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for group in 0..<12 {
            for copy in 0..<(1 + Int(next() % 4)) {
                let edits = copy == 0 ? [] : [Int(next() % 150)]
                let text = next() % 3 == 0 ? Self.text(seed: 500 + UInt64(group)) : Self.text(seed: 500 + UInt64(group), edits: edits)
                let score = next() % 5 == 0 ? nil : String(Double(next() % 1000) / 1000)
                documents.append(Self.scored("g\(group)-\(copy)-\(next() % 100)", text, score))
            }
        }
        let (_, leastIDReport) = try Deduplicator(parameters: Self.parameters).deduplicate(documents)
        let byID = Dictionary(uniqueKeysWithValues: documents.map { ($0.id, $0) })
        var clusters = [String: [String]]()  // least-id survivor → members
        for document in documents { clusters[document.id] = [document.id] }
        // Exact removals first: an exact survivor may itself be removed by the fuzzy stage.
        for removal in leastIDReport.removals.filter({ $0.reason == .exact }) + leastIDReport.removals.filter({ $0.reason == .fuzzy }) {
            clusters[removal.survivor]! += clusters[removal.id]!
            clusters[removal.id] = nil
        }
        func score(_ id: String) -> Double { byID[id]!.metadata["quality_composite"].flatMap(Double.init) ?? -.infinity }
        let expected = Set(
            clusters.values.map { members in
                members.max { (score($0), $1) < (score($1), $0) }!
            })
        #expect(clusters.values.contains { $0.count > 2 })

        let deduplicator = Deduplicator(parameters: Self.parameters, survivorPriority: .highest(key: "quality_composite"))
        let (kept, report) = try deduplicator.deduplicate(documents)
        #expect(Set(kept.map(\.id)) == expected)
        for survivor in kept {
            let size = clusters.values.first { $0.contains(survivor.id) }!.count
            #expect(survivor.metadata[Deduplicator.clusterSizeKey] == String(size))
        }
        let (reversed, reversedReport) = try deduplicator.deduplicate(documents.reversed())
        #expect(Set(reversed.map(\.id)) == expected)
        #expect(reversedReport.total == report.total)
    }

    @Test func malformedScoresNameTheDocument() {
        let documents = [Self.scored("a", "x y z", "0.3"), Self.scored("b", "x y z", "high")]
        #expect(
            throws: FactoryError.invalidArgument(
                name: "document 'b' metadata 'quality_composite'",
                message: "is 'high', not a finite number (dedup survivor rule highest:quality_composite)")
        ) {
            try Deduplicator(parameters: Self.parameters, survivorPriority: .highest(key: "quality_composite")).deduplicate(documents)
        }
    }

    @Test func rulesParseAndPrint() throws {
        #expect(try DedupSurvivorPriority(parsing: "least-id") == .leastID)
        #expect(try DedupSurvivorPriority(parsing: "highest:quality_composite") == .highest(key: "quality_composite"))
        #expect(try DedupSurvivorPriority(parsing: "lowest:a:b") == .lowest(key: "a:b"))
        for rule in [DedupSurvivorPriority.leastID, .highest(key: "k"), .lowest(key: "x")] {
            #expect(try DedupSurvivorPriority(parsing: rule.description) == rule)
        }
        for bad in ["", "best", "highest", "highest:", "least-id:x"] {
            #expect(
                throws: FactoryError.invalidArgument(
                    name: "--survivor", message: "'\(bad)' is not least-id, highest:KEY or lowest:KEY (KEY a metadata key)")
            ) { try DedupSurvivorPriority(parsing: bad, field: "--survivor") }
        }
    }

    @Test func reportCountsRemovalsByQualityBucket() throws {
        let documents = [
            Self.scored("a", Self.text(seed: 4), "0.9", bucket: "5"),
            Self.scored("b", Self.text(seed: 4), "0.3", bucket: "2"),
            Self.scored("c", Self.text(seed: 4, edits: [10]), "0.2", bucket: "1"),
            Self.scored("d", Self.text(seed: 5), "0.1", bucket: "1"),
            Self.scored("e", Self.text(seed: 6), nil),
        ]
        let (_, report) = try Deduplicator(parameters: Self.parameters).deduplicate(documents)
        // Least id keeps a (bucket 5); b goes as exact, c as fuzzy.
        #expect(report.byQualityBucket["5"] == counts(input: 1, exact: 0, fuzzy: 0))
        #expect(report.byQualityBucket["2"] == counts(input: 1, exact: 1, fuzzy: 0))
        #expect(report.byQualityBucket["1"] == counts(input: 2, exact: 0, fuzzy: 1))
        #expect(report.byQualityBucket[DedupReport.noQualityBucket] == counts(input: 1, exact: 0, fuzzy: 0))
        #expect(report.removals.map(\.qualityBucket) == ["2", "1"])
        #expect(report.table(report.byQualityBucket, heading: "quality bucket").contains("(none)"))

        let unbucketed = documents.map { document -> Document in
            var copy = document
            copy.metadata[DedupReport.qualityBucketKey] = nil
            return copy
        }
        #expect(try Deduplicator(parameters: Self.parameters).deduplicate(unbucketed).report.byQualityBucket.isEmpty)
    }

    private func counts(input: Int, exact: Int, fuzzy: Int) -> DedupCounts {
        var counts = DedupCounts()
        counts.input = input
        counts.exact = exact
        counts.fuzzy = fuzzy
        return counts
    }
}
