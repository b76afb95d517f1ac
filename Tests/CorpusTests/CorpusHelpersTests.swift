import Documents
import FactoryCore
import Foundation
import Testing

@testable import Corpus

@Suite struct CorpusHelpersTests {
    @Test func globMatching() {
        #expect(Glob("*.py").matches("json/decoder.py"))
        #expect(!Glob("*.py").matches("json/decoder.pyc"))
        #expect(Glob("lib/**/*.go").matches("lib/a/b/c.go"))
        #expect(Glob("lib/**/*.go").matches("lib/c.go"))
        #expect(!Glob("lib/**/*.go").matches("src/lib/c.go"))
        #expect(Glob("**/testdata/**").matches("a/testdata/x/y.go"))
        #expect(Glob("file[0-9]?.t*t").matches("file3a.txt"))
        #expect(!Glob("file[!0-9].txt").matches("file3.txt"))
        #expect(Glob("*a*b*c").matches("xxaybbzc"))
        #expect(!Glob("*.private.swiftinterface").matches("linux/Swift.swiftmodule/x.swiftinterface"))
    }

    @Test(arguments: ["words.txt", "random.bin"])
    func gunzipMatchesGzip(name: String) throws {
        let original = try fixtureBytes("gzip/\(name)")
        let compressed = try fixtureBytes("gzip/\(name).gz")
        #expect(try Gzip.decompress(compressed, path: name) == original)
        #expect(try Gzip.decompress(compressed + compressed + [0, 0, 0], path: name) == original + original)
    }

    @Test func corruptGzipIsReported() throws {
        let intact = try fixtureBytes("gzip/words.txt.gz")
        var damaged = intact
        damaged[damaged.count - 6] ^= 0xFF
        #expect(throws: FactoryError.corrupt(path: "w.gz", reason: "invalid gzip data near byte \(intact.count - 4): incorrect data check")) {
            try Gzip.decompress(damaged, path: "w.gz")
        }
        #expect(
            throws: FactoryError.corrupt(
                path: "w.gz", reason: "truncated gzip data: the file ends at byte 40 before the compressed data does")
        ) {
            try Gzip.decompress(Array(intact.prefix(40)), path: "w.gz")
        }
        #expect(throws: FactoryError.corrupt(path: "w.gz", reason: "unexpected bytes after the gzip data at byte \(intact.count)")) {
            try Gzip.decompress(intact + Array("junk".utf8), path: "w.gz")
        }
        #expect(throws: FactoryError.corrupt(path: "w.txt", reason: "not a gzip file (no gzip magic number)")) {
            try Gzip.decompress(Array("plain".utf8), path: "w.txt")
        }
    }

    private func fixtureBytes(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: CorpusFixtures.path(name))))
    }

    @Test func licenseDetection() {
        let dep5 = """
            Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
            Upstream-Name: x

            Files: debian/*
            License: MIT

            Files: *
            Copyright: someone
            License: GPL-2+
            """
        #expect(LicenseDetector.shortLicense(copyright: dep5) == "GPL-2+")
        #expect(
            LicenseDetector.shortLicense(
                copyright: "This is under the GNU General\nPublic License, version 3, or (at your option) any later version.") == "GPL-3+")
        #expect(LicenseDetector.shortLicense(copyright: "Redistribution and use in source and binary forms ... public domain") == "BSD")
        #expect(LicenseDetector.shortLicense(copyright: "nothing recognisable") == "unknown")
    }

    @Test func splitterModes() {
        let text = "Genesis 1\n\n  1 In the beginning\n  2 And the earth\n\nGenesis 2\n\n  1 Thus\n"
        #expect(TextSplitter.split(text, mode: .sections) == ["Genesis 1\n\n  1 In the beginning\n  2 And the earth", "Genesis 2\n\n  1 Thus"])
        #expect(TextSplitter.split(text, mode: .paragraphs).count == 4)
        #expect(TextSplitter.split("a\n%\n\n%\nb  \n", mode: .delimiter, delimiter: "%") == ["a", "b"])
        #expect(TextSplitter.split("\n\n  body\n\n", mode: .file) == ["  body"])
    }
}
