/// Splits a roff request's argument text the way troff does: at spaces, except inside double
/// quotes, where `""` stands for one quote character.
enum RoffArguments {
    static func split(_ text: Substring) -> [Substring] {
        var arguments = [Substring]()
        var index = text.startIndex
        while index < text.endIndex {
            while index < text.endIndex, text[index] == " " || text[index] == "\t" { index = text.index(after: index) }
            guard index < text.endIndex else { break }
            if text[index...].hasPrefix("\\\"") { break }
            if text[index] == "\"" {
                var argument = ""
                index = text.index(after: index)
                while index < text.endIndex {
                    if text[index] == "\"" {
                        let next = text.index(after: index)
                        if next < text.endIndex, text[next] == "\"" {
                            argument.append("\"")
                            index = text.index(after: next)
                            continue
                        }
                        index = next
                        break
                    }
                    argument.append(text[index])
                    index = text.index(after: index)
                }
                arguments.append(Substring(argument))
            } else {
                let start = index
                while index < text.endIndex, text[index] != " ", text[index] != "\t" { index = text.index(after: index) }
                arguments.append(text[start..<index])
            }
        }
        return arguments
    }
}
