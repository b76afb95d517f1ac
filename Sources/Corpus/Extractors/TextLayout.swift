/// Builds plain text from a stream of inline text, line breaks and paragraph breaks, the way a
/// browser or `nroff` lays out flowing text: runs of white space collapse to one space, breaks
/// collapse to the strongest one requested, and nothing dangles at the start or end.
struct TextLayout {
    private var output = ""
    private var pendingBreak = 0
    private var pendingSpace = false
    private var atLineStart = true

    /// Appends flowing text: white space (including newlines) becomes at most one space.
    mutating func appendFlowing(_ text: Substring) {
        for character in text {
            if character.isWhitespace && character != "\u{00A0}" {
                pendingSpace = true
            } else {
                emitPending()
                output.append(character == "\u{00A0}" ? " " : character)
                atLineStart = false
            }
        }
    }

    /// Appends text verbatim (preformatted blocks), keeping its spaces and newlines.
    mutating func appendVerbatim(_ text: Substring) {
        guard !text.isEmpty else { return }
        emitPending()
        output += text
        atLineStart = text.last == "\n"
    }

    /// Ends the current line (like `<br>` inside flowing text, or the end of a list item).
    mutating func lineBreak() { requestBreak(1) }

    /// Ends the current paragraph: the next text starts after a blank line.
    mutating func paragraphBreak() { requestBreak(2) }

    /// Asks for a space before the next text unless a line is just starting (table cells).
    mutating func space() { pendingSpace = true }

    /// Ends the current line now, even if it is empty (`<br><br>` gives an empty line).
    mutating func forcedNewline() {
        if pendingBreak > 0 { emitPending() }
        output.append("\n")
        atLineStart = true
        pendingSpace = false
    }

    /// The finished text: trailing spaces removed from every line, at most one blank line in a
    /// row, no blank lines at either end.
    func finish() -> String {
        var lines = [Substring]()
        var blankRun = 0
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            var trimmed = line
            while let last = trimmed.last, last == " " || last == "\t" { trimmed = trimmed.dropLast() }
            if trimmed.isEmpty {
                blankRun += 1
                if blankRun > 1 || lines.isEmpty { continue }
            } else {
                blankRun = 0
            }
            lines.append(trimmed)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    private mutating func requestBreak(_ strength: Int) {
        pendingBreak = max(pendingBreak, strength)
        pendingSpace = false
    }

    private mutating func emitPending() {
        if pendingBreak > 0 {
            if !output.isEmpty {
                if !atLineStart { output.append("\n") }
                if pendingBreak == 2 { output.append("\n") }
                atLineStart = true
            }
            pendingBreak = 0
            pendingSpace = false
        } else if pendingSpace {
            if !atLineStart { output.append(" ") }
            pendingSpace = false
        }
    }
}
