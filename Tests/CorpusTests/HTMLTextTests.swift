import Testing

@testable import Corpus

@Suite struct HTMLTextTests {
    @Test func trickyPageBecomesCleanText() throws {
        let html = try SourceFileText.read(path: CorpusFixtures.path("page.html"))
        let expected = """
            Tom & Jerry — a <tale>

            First paragraph spans lines, © 😀 &unknown; &amp

            - one
            - two
            lines

            1. alpha
            2. beta

              code  keeps
                spacing <3

            key value

            3 < 4 and a bold word.
            """
        #expect(HTMLText.convert(html) == expected)
    }

    @Test func scriptsStylesAndCommentsVanish() {
        let text = HTMLText.convert("<p>a<script type=x>if (a < b) { '</p>' }</SCRIPT>b<style>x{}</style><!-- c -->d</p>")
        #expect(text == "abd")
    }

    @Test func entitiesDecodeAndMalformedOnesStay() {
        #expect(HTMLText.convert("&lt;&#60;&#x3C;&#X3c;&amp;lt; &#0; &bogus; & x") == "<<<<&lt; \u{FFFD} &bogus; & x")
    }

    @Test func unclosedMarkupIsText() {
        #expect(HTMLText.convert("a < b and 1<2 <3") == "a < b and 1<2 <3")
    }
}
