import Testing

@testable import Corpus

@Suite struct RoffTextTests {
    @Test func manPageBecomesText() throws {
        let source = try SourceFileText.read(path: CorpusFixtures.path("sample.7"))
        let expected = """
            SAMPLE(7)

            NAME
            sample - a page for the roff converter

            DESCRIPTION
            This text flows across lines and uses “quotes”, an em—dash and • bullets.

            ls(1) and italic words follow.

            -v
            Be verbose.
              keep   this
              layout
            The end.
            """
        #expect(RoffText.convert(source) == expected)
    }

    @Test func escapesRender() {
        #expect(RoffEscapes.render("\\fB\\-\\-all\\fR \\s-1SMALL\\s0 \\N'65'\\[u00E9]\\*(lqq\\*(rq \\h'3n'x\\e \\(co") == "--all SMALL Aé“q” x\\ ©")
        #expect(RoffEscapes.render("text \\\" comment") == "text ")
    }

    @Test func soLinkPageIsEmpty() {
        #expect(RoffText.convert(".so man3/other.3\n") == "")
    }

    @Test func tableRowsKeepCells() {
        let source = ".TS\nallbox;\nl l.\nName\tValue\n_\nT{\nlong\nT}\tx\n.TE\nafter\n"
        #expect(RoffText.convert(source) == "Name  Value\nlong\nx\n\nafter")
    }
}
