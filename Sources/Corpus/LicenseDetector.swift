/// Reads a short license id out of a Debian `copyright` file.
///
/// Machine-readable files (DEP-5, with a `Format:` line) name it in the `License:` field of the
/// `Files: *` paragraph. For free-form files the license whose telltale phrase appears first
/// wins (`PSF-2.0`, `GPL-2+`, `LGPL`, `BSD`, `MIT`, `public-domain`); a source config's `license`
/// key overrides the result where a package's text and program differ (the KJV text is public
/// domain, the reader program GPL).
enum LicenseDetector {
    /// The short license of a copyright file's text, or `"unknown"`.
    static func shortLicense(copyright text: String) -> String {
        if let machineReadable = dep5License(text) { return machineReadable }
        return freeFormLicense(text) ?? "unknown"
    }

    /// The `License:` of the `Files: *` paragraph (else of the first paragraph that has one).
    static func dep5License(_ text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.contains(where: { $0.hasPrefix("Format:") }) else { return nil }
        var paragraphs = [[Substring]]()
        var current = [Substring]()
        for line in lines {
            if line.allSatisfy(\.isWhitespace) {
                if !current.isEmpty { paragraphs.append(current) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { paragraphs.append(current) }
        func field(_ name: String, in paragraph: [Substring]) -> String? {
            paragraph.first { $0.hasPrefix("\(name):") }.map { $0.dropFirst(name.count + 1).trimmingSpaces }
        }
        let licensed = paragraphs.filter { field("Files", in: $0) != nil && !(field("License", in: $0) ?? "").isEmpty }
        let main = licensed.first { field("Files", in: $0)!.split(separator: " ").contains("*") } ?? licensed.first
        return main.flatMap { field("License", in: $0) }
    }

    /// The license whose phrase occurs earliest in whitespace-normalized text.
    static func freeFormLicense(_ text: String) -> String? {
        let normalized = text.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
        let phrases: [(phrase: String, id: String)] = [
            ("python software foundation license", "PSF-2.0"),
            ("psf license agreement", "PSF-2.0"),
            ("gnu lesser general public license", "LGPL"),
            ("gnu library general public license", "LGPL"),
            ("gnu general public license", "GPL"),
            ("redistribution and use in source and binary forms", "BSD"),
            ("permission is hereby granted, free of charge", "MIT"),
            ("public domain", "public-domain"),
        ]
        var best: (offset: Int, id: String, range: Range<String.Index>)?
        for (phrase, id) in phrases {
            guard let range = normalized.range(of: phrase) else { continue }
            let offset = normalized.distance(from: normalized.startIndex, to: range.lowerBound)
            if best == nil || offset < best!.offset { best = (offset, id, range) }
        }
        guard let best else { return nil }
        guard best.id == "GPL" || best.id == "LGPL" else { return best.id }
        let window = normalized[best.range.upperBound...].prefix(300)
        var id = best.id
        if let version = ["3", "2.1", "2"].first(where: { window.contains("version \($0)") }) { id += "-\(version)" }
        if window.contains("any later version") { id += "+" }
        return id
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
