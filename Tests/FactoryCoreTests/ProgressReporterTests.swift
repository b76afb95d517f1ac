import Synchronization
import Testing

@testable import FactoryCore

@Suite struct ProgressReporterTests {
    final class Capture: Sendable {
        let lines = Mutex<[String]>([])
        let now = Mutex<Double>(0)
    }

    @Test func plainLinesArePeriodicAndFinal() {
        let capture = Capture()
        let progress = ProgressReporter(
            label: "tokenize", total: 100, unit: "docs", style: .lines, interval: 10,
            write: { text in capture.lines.withLock { $0.append(text) } },
            clock: { capture.now.withLock { $0 } })
        for _ in 0..<100 {
            capture.now.withLock { $0 += 0.5 }
            progress.advance()
        }
        progress.finish()
        progress.finish()
        let lines = capture.lines.withLock { $0 }
        // 50 seconds of work at one line per 10 seconds, then the summary.
        #expect(lines.count == 6)
        #expect(lines[0] == "tokenize:  20% 20/100 docs 2 docs/s ETA 0:40\n")
        #expect(lines.last == "tokenize: done, 100 docs in 0:50 (2 docs/s)\n")
    }

    @Test func liveBarRedrawsInPlace() {
        let line = ProgressReporter.formatLine(label: "train", completed: 50, total: 200, unit: "steps", elapsed: 25, bar: true)
        #expect(line == "train: [######..................]  25% 50/200 steps 2 steps/s ETA 1:15")
        let unknownTotal = ProgressReporter.formatLine(label: "scan", completed: 5000, total: nil, unit: "files", elapsed: 2, bar: true)
        #expect(unknownTotal == "scan: 5000 files 2.5k files/s")
    }

    @Test func formats() {
        #expect(ProgressReporter.formatDuration(3723) == "1:02:03")
        #expect(ProgressReporter.formatCount(1_500_000) == "1.5M")
        #expect(ProgressReporter.formatCount(0.25) == "0.25")
    }
}
