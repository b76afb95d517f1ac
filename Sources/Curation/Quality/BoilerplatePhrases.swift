/// Phrases that mark a line as web boilerplate: C4's line rules (`javascript`, `lorem ipsum`,
/// cookie and policy notices) plus common navigation and call-to-action phrases.
enum BoilerplatePhrases {
    /// The phrases, lowercase ASCII.
    static let phrases: [[UInt8]] = [
        "javascript", "lorem ipsum", "cookie", "privacy policy", "terms of use", "terms of service",
        "all rights reserved", "sign up", "log in", "login", "subscribe", "click here", "read more",
        "share on", "newsletter", "skip to content",
    ].map { Array($0.utf8) }

    /// For each byte value, the phrases starting with that (lowercase) byte.
    private static let phrasesByFirstByte: [[[UInt8]]] = (0..<256).map { byte in
        phrases.filter { $0[0] == UInt8(byte) }
    }

    private static let shortestPhrase = phrases.map(\.count).min()!

    /// Whether `line` holds one of the ``phrases``, ignoring ASCII case.
    static func contains(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard line.count >= shortestPhrase else { return false }
        for start in 0...(line.count - shortestPhrase) {
            let candidates = phrasesByFirstByte[Int(lowercased(line[start]))]
            for phrase in candidates where start + phrase.count <= line.count && matches(phrase, in: line, at: start) {
                return true
            }
        }
        return false
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    private static func matches(_ phrase: [UInt8], in line: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        for offset in 1..<phrase.count where lowercased(line[start + offset]) != phrase[offset] { return false }
        return true
    }
}
