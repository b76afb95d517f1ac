/// Finds stop strings in streamed text: `feed` returns the text that can no longer be the start
/// of a stop string and holds back the rest; on a match it returns the text before the stop
/// string (the stop string itself is not emitted, as in the OpenAI API) and reports the stop.
///
/// Matching is on UTF-8 bytes, at the earliest position where any stop string occurs; fed text
/// is whole characters (what `IncrementalDetokenizer` emits), so held-back text always starts at
/// a character boundary. Empty stop strings are ignored.
public struct StopStringMatcher: Sendable {
    private let stops: [[UInt8]]
    /// Text fed but not yet emitted: a suffix that begins some stop string.
    private var held: [UInt8] = []
    /// The stop string that matched, once one has.
    public private(set) var matched: String?

    /// A matcher for `stops`.
    public init(stops: [String]) {
        self.stops = stops.map { Array($0.utf8) }.filter { !$0.isEmpty }
    }

    /// Feeds `text`; returns what may be emitted and whether a stop string has matched. After a
    /// match every further call returns `("", true)`.
    public mutating func feed(_ text: String) -> (emit: String, stopped: Bool) {
        guard matched == nil else { return ("", true) }
        held += text.utf8
        if let (start, stop) = firstMatch() {
            matched = String(decoding: stop, as: UTF8.self)
            defer { held = [] }
            return (String(decoding: held[..<start], as: UTF8.self), true)
        }
        let keep = heldBackLength()
        let emit = String(decoding: held[..<(held.count - keep)], as: UTF8.self)
        held.removeFirst(held.count - keep)
        return (emit, false)
    }

    /// Returns the held-back text at the end of the stream (empty after a match).
    public mutating func finish() -> String {
        defer { held = [] }
        return matched == nil ? String(decoding: held, as: UTF8.self) : ""
    }

    /// The earliest position in `held` where a stop string occurs whole, and that stop string
    /// (the first listed, when several start there).
    private func firstMatch() -> (start: Int, stop: [UInt8])? {
        for start in held.indices {
            for stop in stops where held.count - start >= stop.count && held[start..<(start + stop.count)].elementsEqual(stop) {
                return (start, stop)
            }
        }
        return nil
    }

    /// The length of the longest suffix of `held` that is the beginning of a stop string.
    private func heldBackLength() -> Int {
        let longest = min(held.count, (stops.map(\.count).max() ?? 1) - 1)
        for length in stride(from: longest, to: 0, by: -1) {
            let suffix = held[(held.count - length)...]
            if stops.contains(where: { $0.count > length && $0.starts(with: suffix) }) { return length }
        }
        return 0
    }
}
