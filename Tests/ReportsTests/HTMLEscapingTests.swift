import Testing

@testable import Reports

@Suite struct HTMLEscapingTests {
    @Test func escapesMarkupAndQuotes() {
        #expect(
            HTMLEscaping.escape(#"<a href="x">Tom & 'Jerry'</a>"#)
                == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
    }

    @Test func leavesOtherTextAlone() {
        #expect(HTMLEscaping.escape("naïve — 3·x ≤ 5") == "naïve — 3·x ≤ 5")
    }
}
