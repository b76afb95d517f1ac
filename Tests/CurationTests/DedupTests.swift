import Documents
import FactoryCore
import Testing

@testable import Curation

/// Helpers for the dedup tests: deterministic synthetic texts.
enum DedupFixtures {
    /// `count` pseudo-random three-letter words (a 17,576-word vocabulary; letters only, since
    /// simplification maps digits to `0`).
    static func words(count: Int, seed: UInt64) -> [String] {
        let stream = RandomStream(seed: seed).split("words")
        return (0..<count).map { index in
            var value = stream.word(at: UInt64(index))
            return String(
                (0..<3).map { _ in
                    defer { value /= 26 }
                    return Character(Unicode.Scalar(UInt8(97 + value % 26)))
                })
        }
    }

    static func document(
        _ id: String, _ text: String, source: String = "web", domain: String = "prose", metadata: [String: String] = [:]
    ) -> Document {
        Document(id: id, text: text, domain: domain, source: source, license: "test", metadata: metadata)
    }
}

@Suite struct DedupTests {
    let deduplicator = Deduplicator(parameters: try! MinHashParameters())

    @Test func normalizationCollapsesWhitespaceAndComposes() {
        #expect(TextNormalization.normalized("  Caf\u{65}\u{301}\n\tau  lait ") == "Caf\u{e9} au lait")
        #expect(TextNormalization.simplifiedWords("Crème brûlée, 2024 edition: 3.14!") == ["creme", "brulee", "0", "edition", "00"])
    }

    @Test func exactDuplicatesUnderWhitespaceAndNFCAreRemoved() throws {
        let text = DedupFixtures.words(count: 50, seed: 1).joined(separator: " ")
        let documents = [
            DedupFixtures.document("b", "Caf\u{e9} " + text),
            DedupFixtures.document("a", "Caf\u{65}\u{301}\n  " + text.replacingOccurrences(of: " ", with: "\t "), source: "mirror"),
            DedupFixtures.document("c", DedupFixtures.words(count: 50, seed: 2).joined(separator: " ")),
        ]
        let (kept, report) = try deduplicator.deduplicate(documents)
        #expect(kept.map(\.id) == ["a", "c"])
        #expect(kept[0].metadata[Deduplicator.clusterSizeKey] == "2")
        #expect(report.removals == [DedupRemoval(id: "b", source: "web", domain: "prose", reason: .exact, survivor: "a")])
        #expect(report.bySource["web"]?.exact == 1 && report.bySource["mirror"]?.exact == 0)
        #expect(report.total.kept == 2)
    }

    @Test func nearDuplicatesClusterAndUnrelatedTextsDoNot() throws {
        let base = DedupFixtures.words(count: 200, seed: 7)
        var edited = base
        for position in [20, 90, 160] { edited[position] = "changed" }
        var documents = [
            DedupFixtures.document("orig", base.joined(separator: " ")),
            DedupFixtures.document("copy", edited.joined(separator: " "), source: "forum", domain: "chat"),
        ]
        documents += (0..<20).map {
            DedupFixtures.document("other\($0)", DedupFixtures.words(count: 200, seed: 100 + UInt64($0)).joined(separator: " "))
        }
        let (kept, report) = try deduplicator.deduplicate(documents)
        #expect(report.removals == [DedupRemoval(id: "orig", source: "web", domain: "prose", reason: .fuzzy, survivor: "copy")])
        #expect(report.bySource["forum"]?.fuzzy == 0 && report.bySource["web"]?.fuzzy == 1)
        #expect(report.byDomain["prose"]?.kept == 20)
        #expect(kept.count == 21)
        #expect(kept.first { $0.id == "copy" }?.metadata[Deduplicator.clusterSizeKey] == "2")
    }

    @Test func resultIsDeterministicAndOrderFree() throws {
        var documents = (0..<30).map { index in
            DedupFixtures.document("d\(index)", DedupFixtures.words(count: 120, seed: UInt64(index % 10)).joined(separator: " "))
        }
        documents[3].text += " tail"
        let (kept, report) = try deduplicator.deduplicate(documents)
        let (again, reportAgain) = try Deduplicator(parameters: try! MinHashParameters()).deduplicate(documents)
        #expect(kept == again && report == reportAgain)
        let (shuffled, shuffledReport) = try deduplicator.deduplicate(documents.reversed())
        #expect(Set(shuffled.map(\.id)) == Set(kept.map(\.id)))
        #expect(shuffledReport.total == report.total)
        #expect(kept.count == 10)
        let texts = documents.map(\.text)
        #expect(deduplicator.hasher.signatures(of: texts) == texts.map(deduplicator.hasher.signature(of:)))
        #expect(
            MinHasher(parameters: try! MinHashParameters(seed: 9)).signature(of: documents[0].text)
                != deduplicator.hasher.signature(of: documents[0].text))
    }

    @Test func unionFindIsTransitive() {
        var sets = UnionFind(count: 8)
        sets.union(0, 1)
        sets.union(2, 1)
        sets.union(3, 2)
        sets.union(6, 5)
        let roots = (0..<8).map { sets.find($0) }
        #expect(roots[0] == roots[3])
        #expect(roots[0] != roots[5])
        #expect(roots[4] == 4)
        let clusters = sets.clusters()
        #expect(clusters == [[0, 1, 2, 3], [5, 6]])
        let merged = sets.union(3, 0)
        #expect(!merged)
    }

    @Test func invalidParametersNameTheField() {
        #expect(throws: FactoryError.invalidArgument(name: "minhash.rows", message: "must be at least 1, found 0")) {
            try MinHashParameters(rows: 0)
        }
    }
}
