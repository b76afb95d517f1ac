import Foundation
import Synchronization

/// Progress for long work: a live bar with rate and ETA when standard error is a terminal, plain
/// periodic lines otherwise (CI logs, pipes). Safe to advance from many threads.
public final class ProgressReporter: Sendable {
    /// How progress is shown.
    public enum Style: Sendable {
        /// One line redrawn in place, at most every `interval`.
        case live
        /// A new line every `interval` and one at the end.
        case lines
    }

    private struct State {
        var completed = 0
        var lastDrawn: Double
        var finished = false
    }

    private let label: String
    private let total: Int?
    private let unit: String
    private let style: Style
    private let interval: Double
    private let started: Double
    private let write: @Sendable (String) -> Void
    private let clock: @Sendable () -> Double
    private let state: Mutex<State>

    /// - Parameters:
    ///   - label: what is being done ("tokenize", "dedup").
    ///   - total: the amount of work, when known; without it no percentage or ETA is shown.
    ///   - unit: what one step counts ("docs", "tokens", "steps").
    ///   - style: `nil` picks `.live` when standard error is a terminal, else `.lines`.
    ///   - interval: seconds between redraws (default 0.1 s live, 10 s lines).
    ///   - write: where text goes (standard error by default).
    ///   - clock: monotonic seconds (injectable for tests).
    public init(
        label: String,
        total: Int?,
        unit: String = "it",
        style: Style? = nil,
        interval: Double? = nil,
        write: @escaping @Sendable (String) -> Void = ProgressReporter.writeToStandardError,
        clock: @escaping @Sendable () -> Double = ProgressReporter.monotonicSeconds
    ) {
        let resolvedStyle = style ?? (isatty(STDERR_FILENO) == 1 ? .live : .lines)
        self.label = label
        self.total = total
        self.unit = unit
        self.style = resolvedStyle
        self.interval = interval ?? (resolvedStyle == .live ? 0.1 : 10)
        self.write = write
        self.clock = clock
        let now = clock()
        self.started = now
        self.state = Mutex(State(lastDrawn: now))
    }

    /// Records `count` more units of finished work.
    public func advance(by count: Int = 1) {
        let now = clock()
        let line: String? = state.withLock { state in
            guard !state.finished else { return nil }
            state.completed += count
            guard now - state.lastDrawn >= interval else { return nil }
            state.lastDrawn = now
            return render(completed: state.completed, now: now)
        }
        if let line { emit(line, final: false) }
    }

    /// Prints the final summary; later calls to `advance` and `finish` do nothing.
    public func finish() {
        let now = clock()
        let completed: Int? = state.withLock { state in
            guard !state.finished else { return nil }
            state.finished = true
            return state.completed
        }
        guard let completed else { return }
        let elapsed = max(now - started, 0)
        let rate = elapsed > 0 ? Double(completed) / elapsed : 0
        emit(
            "\(label): done, \(completed) \(unit) in \(Self.formatDuration(elapsed)) "
                + "(\(Self.formatCount(rate)) \(unit)/s)",
            final: true)
    }

    private func emit(_ line: String, final: Bool) {
        switch style {
        case .live: write("\r\u{1B}[2K" + line + (final ? "\n" : ""))
        case .lines: write(line + "\n")
        }
    }

    private func render(completed: Int, now: Double) -> String {
        Self.formatLine(
            label: label, completed: completed, total: total, unit: unit,
            elapsed: now - started, bar: style == .live)
    }

    /// One progress line: label, optional bar, counts, percentage, rate and ETA.
    public static func formatLine(
        label: String, completed: Int, total: Int?, unit: String, elapsed: Double, bar: Bool
    ) -> String {
        let rate = elapsed > 0 ? Double(completed) / elapsed : 0
        var parts = [label + ":"]
        if let total, total > 0 {
            let fraction = min(max(Double(completed) / Double(total), 0), 1)
            if bar {
                let width = 24
                let filled = Int((fraction * Double(width)).rounded(.down))
                parts.append("[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]")
            }
            parts.append(String(format: "%3.0f%%", fraction * 100))
            parts.append("\(completed)/\(total) \(unit)")
            parts.append("\(formatCount(rate)) \(unit)/s")
            let remaining = rate > 0 ? Double(max(total - completed, 0)) / rate : nil
            parts.append("ETA " + (remaining.map(formatDuration) ?? "?"))
        } else {
            parts.append("\(completed) \(unit)")
            parts.append("\(formatCount(rate)) \(unit)/s")
        }
        return parts.joined(separator: " ")
    }

    /// `12`, `3.4k`, `5.6M`.
    public static func formatCount(_ value: Double) -> String {
        switch value {
        case ..<1_000: return value < 10 && value != value.rounded() ? String(format: "%.2f", value) : String(format: "%.0f", value)
        case ..<1_000_000: return String(format: "%.1fk", value / 1_000)
        case ..<1_000_000_000: return String(format: "%.1fM", value / 1_000_000)
        default: return String(format: "%.1fG", value / 1_000_000_000)
        }
    }

    /// `0:07`, `12:34`, `1:02:03`.
    public static func formatDuration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        return hours > 0
            ? String(format: "%d:%02d:%02d", hours, minutes, secs)
            : String(format: "%d:%02d", minutes, secs)
    }

    /// Writes to standard error without buffering.
    public static let writeToStandardError: @Sendable (String) -> Void = { text in
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Seconds on a monotonic clock.
    public static let monotonicSeconds: @Sendable () -> Double = {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
