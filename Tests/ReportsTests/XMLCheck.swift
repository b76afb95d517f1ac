import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses text with Foundation's XMLParser (libxml2) to check well-formedness, collecting what
/// the tests look at.
final class XMLCheck: NSObject, XMLParserDelegate {
    private(set) var elements: [String] = []
    private(set) var text = ""
    private(set) var attributes: [[String: String]] = []
    private(set) var error: String?

    /// Whether `markup` parses as XML.
    static func isWellFormed(_ markup: String) throws -> Bool {
        let check = XMLCheck()
        return check.parse(markup)
    }

    /// Parses `markup`; `false` with ``error`` set when it is not well-formed.
    func parse(_ markup: String) -> Bool {
        let parser = XMLParser(data: Data(markup.utf8))
        parser.delegate = self
        let ok = parser.parse()
        if !ok { error = parser.parserError.map { "\($0)" } ?? "unknown error" }
        return ok
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        elements.append(elementName)
        attributes.append(attributeDict)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }
}
