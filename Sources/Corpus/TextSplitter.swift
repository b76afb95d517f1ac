/// Cuts one text into document texts according to a source's `split` mode.
enum TextSplitter {
    /// The pieces of `text`, trimmed of surrounding blank lines, empty pieces dropped.
    static func split(_ text: String, mode: CorpusSourceConfig.SplitMode, delimiter: String? = nil) -> [String] {
        switch mode {
        case .file:
            return clean([Substring(text)])
        case .paragraphs:
            return clean(paragraphs(of: text).map { $0.joined(separator: "\n") })
        case .delimiter:
            var pieces = [Substring]()
            var current = [Substring]()
            for line in lines(of: text) {
                if line.trimmingTrailingWhitespace == delimiter ?? "" {
                    pieces.append(current.joined(separator: "\n")[...])
                    current = []
                } else {
                    current.append(line)
                }
            }
            pieces.append(current.joined(separator: "\n")[...])
            return clean(pieces)
        case .sections:
            var sections = [[Substring]]()
            var sectionHasBody = false
            for paragraph in paragraphs(of: text) {
                let isHeading = paragraph.count == 1
                if sections.isEmpty || (isHeading && sectionHasBody) {
                    sections.append(paragraph)
                    sectionHasBody = !isHeading
                } else {
                    sections[sections.count - 1].append("")
                    sections[sections.count - 1].append(contentsOf: paragraph)
                    sectionHasBody = true
                }
            }
            return clean(sections.map { $0.joined(separator: "\n") })
        }
    }

    private static func lines(of text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.last == "\r" ? $0.dropLast() : $0 }
    }

    /// Blank-line-separated runs of lines.
    private static func paragraphs(of text: String) -> [[Substring]] {
        var result = [[Substring]]()
        var current = [Substring]()
        for line in lines(of: text) {
            if line.allSatisfy(\.isWhitespace) {
                if !current.isEmpty { result.append(current) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    private static func clean<S: StringProtocol>(_ pieces: [S]) -> [String] {
        pieces.compactMap { piece in
            let lines = piece.split(separator: "\n", omittingEmptySubsequences: false)
            let first = lines.firstIndex { !$0.allSatisfy(\.isWhitespace) }
            let last = lines.lastIndex { !$0.allSatisfy(\.isWhitespace) }
            guard let first, let last else { return nil }
            return lines[first...last].map { String($0.trimmingTrailingWhitespace) }.joined(separator: "\n")
        }
    }
}

extension StringProtocol {
    /// The text without trailing white space.
    fileprivate var trimmingTrailingWhitespace: SubSequence {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[startIndex..<end]
    }
}
