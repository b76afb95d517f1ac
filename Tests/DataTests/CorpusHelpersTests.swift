import FactoryCore
import Foundation
import Testing
@testable import Data

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
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: CorpusFixtures.path("gzip/\(name)"))))
        let compressed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: CorpusFixtures.path("gzip/\(name).gz"))))
        #expect(try Inflate.gunzip(compressed, path: name) == original)
    }

    @Test func corruptGzipIsReported() throws {
        var compressed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: CorpusFixtures.path("gzip/words.txt.gz"))))
        compressed[compressed.count - 6] ^= 0xFF
        #expect(throws: FactoryError.corrupt(path: "w.gz", reason: "gzip checksum or length mismatch")) {
            try Inflate.gunzip(compressed, path: "w.gz")
        }
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
        #expect(LicenseDetector.shortLicense(copyright: "This is under the GNU General\nPublic License, version 3, or (at your option) any later version.") == "GPL-3+")
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
