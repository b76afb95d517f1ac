import FactoryCore
import Foundation
import Testing

@testable import Lineage

@Suite struct MetricTests {
    private func points(_ key: String, _ steps: Range<Int64>, time: Double = 1) -> [MetricPoint] {
        steps.map { MetricPoint(key: key, step: $0, value: Double($0) * 0.5 + 1, wallTime: Date(timeIntervalSince1970: time)) }
    }

    @Test func writingTheSamePointsAgainChangesNothing() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        _ = try store.testRun("run1")
        try store.records.logMetrics(points("train/loss", 0..<100), run: "run1")
        try store.records.logMetrics(points("train/loss", 0..<100, time: 99), run: "run1")
        try store.records.logMetrics(points("train/loss", 50..<150), run: "run1")
        #expect(try store.records.metricCount(run: "run1") == 150)
        let series = try store.records.metricSeries(run: "run1", key: "train/loss")
        #expect(series.map(\.step) == Array(0..<150))
        #expect(series.allSatisfy { $0.value == Double($0.step) * 0.5 + 1 })
        #expect(series[0].wallTime == Date(timeIntervalSince1970: 1), "the first write of a point is kept")
    }

    @Test func aConflictingValueIsRefusedAndTheBatchIsNotWritten() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        _ = try store.testRun("run1")
        try store.records.logMetrics(points("eval/loss", 0..<10), run: "run1")
        var batch = points("eval/loss", 10..<20)
        batch.append(MetricPoint(key: "eval/loss", step: 3, value: 42, wallTime: Date()))
        #expect(
            throws: FactoryError.invalidArgument(
                name: "metric eval/loss", message: "run run1 already has 2.5 at step 3; refusing to overwrite it with 42.0")
        ) {
            try store.records.logMetrics(batch, run: "run1")
        }
        #expect(try store.records.metricCount(run: "run1") == 10)
    }

    @Test func nanIsStoredAndReloggingItIsANoOp() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        _ = try store.testRun("run1")
        let diverged = [MetricPoint(key: "train/loss", step: 7, value: .nan, wallTime: Date(timeIntervalSince1970: 5))]
        try store.records.logMetrics(diverged, run: "run1")
        try store.records.logMetrics(diverged, run: "run1")
        let series = try store.records.metricSeries(run: "run1", key: "train/loss")
        #expect(series.count == 1 && series[0].value.isNaN)
    }

    @Test func finalValuesAreAtTheHighestStep() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        _ = try store.testRun("run1")
        try store.records.logMetrics(points("b", 5..<9) + points("a", 0..<3), run: "run1")
        try store.records.logMetrics(points("b", 0..<5), run: "run1")
        #expect(try store.records.finalMetric(run: "run1", key: "b")?.step == 8)
        #expect(try store.records.finalMetrics(run: "run1").map { "\($0.key)@\($0.step)" } == ["a@2", "b@8"])
        #expect(try store.records.finalMetric(run: "run1", key: "missing") == nil)
    }

    @Test func unknownRunsAndBadKeysAreRefused() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        #expect(throws: FactoryError.invalidArgument(name: "run", message: "no run with id 'ghost'")) {
            try store.records.logMetrics(points("k", 0..<1), run: "ghost")
        }
        _ = try store.testRun("run1")
        #expect { try store.records.logMetrics(points("", 0..<1), run: "run1") } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "metric key" && message.contains("must be 1 to 200 characters, got 0")
        }
    }

    @Test func csvParsesAndNamesTheBadLine() throws {
        let parsed = try MetricCSV.parse("key,step,value,wall_time\nloss,0,2.5,100\r\nloss,1,nan,101\n", source: "m.csv")
        #expect(parsed.count == 2 && parsed[0].value == 2.5 && parsed[1].value.isNaN)
        #expect(parsed[1].wallTime == Date(timeIntervalSince1970: 101))
        #expect(throws: FactoryError.config(file: "m.csv", keyPath: "", line: 3, message: "step 'x' is not an integer")) {
            try MetricCSV.parse("key,step,value\nloss,0,1\nloss,x,1\n", source: "m.csv")
        }
        #expect(
            throws: FactoryError.config(
                file: "m.csv", keyPath: "", line: 1, message: "expected the header key,step,value or key,step,value,wall_time")
        ) {
            try MetricCSV.parse("step,value\n", source: "m.csv")
        }
        // Quoted keys may hold commas; a short row (padded by the parser) names its line.
        #expect(try MetricCSV.parse("key,step,value\n\"eval/loss,code\",3,1.5\n", source: "m.csv").map(\.key) == ["eval/loss,code"])
        #expect(throws: FactoryError.config(file: "m.csv", keyPath: "", line: 3, message: "value '' is not a number")) {
            try MetricCSV.parse("key,step,value\nloss,0,1\nloss,1\n", source: "m.csv")
        }
    }
}
