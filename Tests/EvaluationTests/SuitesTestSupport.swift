import Foundation

@testable import Evaluation

/// Small material written by the tests: a Python documentation source tree, manual pages, a
/// Maxima manual page and a WordNet database, enough for every suite to build a few documents.
final class SuiteFixture {
    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "factory-suites-test-" + UUID().uuidString
        try write("python/_sources/library/demo.rst.txt", Self.pythonPage)
        try write("python/_sources/tutorial/more.rst.txt", Self.pythonPage2)
        for (name, description) in Self.manPages {
            try write("man/man2/\(name).2", ".TH \(name.uppercased()) 2\n.SH NAME\n\(name) \\- \(description)\n.SH SYNOPSIS\n.B int \(name)(void);\n")
        }
        try write("man/man2/redirect.2", ".so man2/alpha.2\n")
        try write("maxima/maxima_1.html", Self.maximaPage)
        try write("wordnet/data.noun", Self.nouns)
        try write("wordnet/data.adj", Self.adjectives)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func write(_ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// A configuration reading only this fixture.
    func config(documents: Int = 50, choices: Int = 3) -> TaskSuiteConfig {
        var config = TaskSuiteConfig()
        config.documents = documents
        config.choices = choices
        config.pythonDocs = .init(path: root + "/python", package: nil, license: "PSF-2.0")
        config.manpages = .init(path: root + "/man", package: nil, license: "GPL-2+")
        config.maxima = .init(path: root + "/maxima", package: nil, license: "GPL-2")
        config.wordnet = .init(path: root + "/wordnet", package: nil, license: "WordNet")
        return config
    }

    /// The same settings as a tasks.toml.
    func toml(documents: Int = 50, choices: Int = 3) -> String {
        """
        documents = \(documents)
        choices = \(choices)
        seed = 0

        [sources.python_docs]
        path = "\(root)/python"
        license = "PSF-2.0"

        [sources.manpages]
        path = "\(root)/man"
        license = "GPL-2+"

        [sources.maxima]
        path = "\(root)/maxima"
        license = "GPL-2"

        [sources.wordnet]
        path = "\(root)/wordnet"
        license = "WordNet"
        """
    }

    static let pythonPage = """
        Demo
        ====

        Some examples::

           >>> x = 40
           >>> x + 2
           42
           >>> 'ab' * 3
           'ababab'
           >>> object()
           <object object at 0x7f0000000000>
           >>> for i in range(2):
           ...     print(i)
           0
           1
           >>> len('hello')
           5

        More text.

           >>> sorted([3, 1, 2])
           [1, 2, 3]
        """

    static let pythonPage2 = """
        Tutorial
        ========

        >>> 7 // 2
        3
        >>> 'Spam'.upper()
        'SPAM'
        >>> divmod(17, 5)
        (3, 2)
        """

    static let manPages = [
        ("alpha", "open and possibly create a file"), ("beta", "close a file descriptor"), ("gamma", "read from a file descriptor"),
        ("delta", "write to a file descriptor"), ("epsilon", "create a child process"),
    ]

    static let maximaPage = """
        <dl class="def">
        <dt id="index-binomial"><span class="category">Function: </span><span><strong>binomial</strong> <em>(<var>x</var>, <var>y</var>)</em></span></dt>
        <dd><p>The binomial coefficient of <var>x</var> and <var>y</var>. More text here.
        </p></dd></dl>
        <dl class="def">
        <dt id="index-factor"><span class="category">Function: </span><span><strong>factor</strong> <em>(<var>expr</var>)</em></span></dt>
        <dd><p>Factors the expression <var>expr</var> into irreducible factors; factor works over the integers.</p></dd></dl>
        <dl class="def">
        <dt id="index-expand"><span class="category">Function: </span><span><strong>expand</strong> <em>(<var>expr</var>)</em></span></dt>
        <dd><p>Expands products and exponentiated sums in an expression.</p></dd></dl>
        <dl class="def">
        <dt id="index-empty"><span class="category">Function: </span><span><strong>empty</strong></span></dt>
        <dd></dd><dt id="index-other"><span class="category">Operator: </span><span><strong>!</strong></span></dt>
        <dd><p>Represents something else entirely here.</p></dd></dl>
        """

    static let nouns = """
          1 This line is a licence header and starts with a space.
        00000001 03 n 01 entity 0 000 | that which exists
        00000002 03 n 01 animal 0 001 @ 00000001 n 0000 | a living organism that moves
        00000003 05 n 02 dog 0 domestic_dog 0 001 @ 00000002 n 0000 | a domesticated canine; "the dog barked"
        00000004 05 n 01 cat 0 001 @ 00000002 n 0000 | a small feline kept as a pet
        00000005 05 n 01 tool 0 001 @ 00000001 n 0000 | an implement used to do work
        00000006 05 n 01 hammer 0 001 @ 00000005 n 0000 | a tool for driving nails
        00000007 05 n 01 plant 0 001 @ 00000001 n 0000 | a living organism without locomotion

        """

    static let adjectives = """
        00000101 00 a 01 hot 0 001 ! 00000102 a 0101 | having a high temperature; "a hot stove"
        00000102 00 a 01 cold 0 001 ! 00000101 a 0101 | having a low temperature
        00000103 00 a 01 wet 0 001 ! 00000104 a 0101 | covered with water
        00000104 00 a 01 dry 0 001 ! 00000103 a 0101 | free from liquid
        00000105 00 a 01 big 0 001 ! 00000106 a 0101 | above average in size
        00000106 00 a 01 small 0 001 ! 00000105 a 0101 | below average in size

        """
}

/// The files of a folder by name, for byte comparisons.
func folderContents(_ path: String) throws -> [String: Data] {
    var contents = [String: Data]()
    for name in try FileManager.default.contentsOfDirectory(atPath: path) {
        contents[name] = try Data(contentsOf: URL(fileURLWithPath: path + "/" + name))
    }
    return contents
}

/// The JSON objects of a task file's lines.
func taskLines(_ path: String) throws -> [[String: Any]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
        try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
}
