/// A shell-style glob over `/`-separated relative paths.
///
/// `*` matches any run of characters within one path component, `?` one character, `[abc]`,
/// `[a-z]` and `[!x]` one character of (or outside) a set, and a whole `**` component any number
/// of components, including none. A pattern without `/` matches a file name at any depth
/// (`*.py` matches `json/decoder.py`), as in `.gitignore`; a pattern with `/` is anchored at the
/// root (`lib/**/*.py`).
public struct Glob: Sendable, Equatable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    private let components: [[UInt8]]
    private let matchesNameAnywhere: Bool

    /// Parses a pattern; an empty pattern matches nothing.
    public init(_ pattern: String) {
        self.pattern = pattern
        let trimmed = pattern.hasPrefix("/") ? String(pattern.dropFirst()) : pattern
        components = trimmed.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
        matchesNameAnywhere = !pattern.contains("/")
    }

    public var description: String { pattern }

    /// Whether the characters `*`, `?` or `[` appear, i.e. whether `text` is a pattern at all.
    static func hasWildcards(_ text: some StringProtocol) -> Bool {
        text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// Whether `path` (relative, `/`-separated) matches.
    public func matches(_ path: String) -> Bool {
        guard !components.isEmpty else { return false }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
        if matchesNameAnywhere {
            guard components.count == 1, let name = parts.last else { return false }
            return Self.matchComponent(components[0][...], name[...])
        }
        return Self.matchComponents(components[...], parts[...])
    }

    private static func matchComponents(_ pattern: ArraySlice<[UInt8]>, _ parts: ArraySlice<[UInt8]>) -> Bool {
        guard let first = pattern.first else { return parts.isEmpty }
        if first == Array("**".utf8) {
            let rest = pattern.dropFirst()
            var tail = parts
            while true {
                if matchComponents(rest, tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        }
        guard let part = parts.first, matchComponent(first[...], part[...]) else { return false }
        return matchComponents(pattern.dropFirst(), parts.dropFirst())
    }

    /// Matches one component with `*`, `?` and bracket sets, backtracking only to the last `*`.
    static func matchComponent(_ pattern: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex
        var n = name.startIndex
        var starPattern: Int?
        var starName = n
        while n < name.endIndex {
            if p < pattern.endIndex {
                switch pattern[p] {
                case UInt8(ascii: "*"):
                    starPattern = p
                    starName = n
                    p += 1
                    continue
                case UInt8(ascii: "?"):
                    p += 1
                    n += 1
                    continue
                case UInt8(ascii: "["):
                    if let (matched, next) = matchSet(pattern, at: p, byte: name[n]) {
                        if matched {
                            p = next
                            n += 1
                            continue
                        }
                    } else if name[n] == UInt8(ascii: "[") {
                        p += 1
                        n += 1
                        continue
                    }
                case let literal where literal == name[n]:
                    p += 1
                    n += 1
                    continue
                default:
                    break
                }
            }
            guard let star = starPattern else { return false }
            p = star + 1
            starName += 1
            n = starName
        }
        while p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.endIndex
    }

    /// Evaluates the bracket set opening at `start`; `nil` when it is not closed (a literal `[`).
    private static func matchSet(_ pattern: ArraySlice<UInt8>, at start: Int, byte: UInt8) -> (Bool, Int)? {
        var index = start + 1
        var negated = false
        if index < pattern.endIndex, pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^") {
            negated = true
            index += 1
        }
        var matched = false
        var first = true
        while index < pattern.endIndex {
            let current = pattern[index]
            if current == UInt8(ascii: "]"), !first {
                return (matched != negated, index + 1)
            }
            first = false
            if index + 2 < pattern.endIndex, pattern[index + 1] == UInt8(ascii: "-"), pattern[index + 2] != UInt8(ascii: "]") {
                if current <= byte, byte <= pattern[index + 2] { matched = true }
                index += 3
            } else {
                if current == byte { matched = true }
                index += 1
            }
        }
        return nil
    }
}
