/// The junk that ``NoiseCorruptor`` injects: web boilerplate lines, markup fragments and
/// keyword-spam patterns of the kind found in crawled text. `{site}`, `{year}`, `{n}` and
/// `{word}` are filled in per use.
enum NoiseTemplates {
    static let sites = ["TechDaily", "the-best-guides.com", "NewsNow24", "MyRecipeHub", "Forum Central", "shopmart", "InfoPortal"]

    static let boilerplateLines = [
        "Home | About Us | Contact | Blog | Login",
        "Home > {word} > {word}",
        "Skip to content",
        "Menu",
        "Search",
        "Sign up for our newsletter and get 10% off your first order!",
        "Subscribe",
        "Follow us on Facebook, Twitter and Instagram",
        "Share on Facebook Share on Twitter Share via Email",
        "This website uses cookies to improve your experience. Accept Reject Read More",
        "We use cookies to personalise content and ads. By continuing to browse you agree to our Cookie Policy.",
        "© {year} {site}. All rights reserved.",
        "Copyright {year} {site} | Privacy Policy | Terms of Use | Sitemap",
        "Posted by admin on March {n}, {year} | {n} Comments",
        "Related posts:",
        "Click here to download the PDF",
        "Advertisement",
        "Previous article Next article",
        "Leave a comment",
        "You must be logged in to post a comment.",
        "Loading...",
        "Please enable JavaScript to view the comments powered by Disqus.",
        "Tags: {word}, {word}, {word}, {word}",
        "Read more »",
        "Back to top ↑",
        "Accept all cookies",
        "Sponsored Content",
        "Powered by WordPress | Theme by {site}",
        "{n} people found this helpful",
        "Was this article helpful? Yes No",
        "Log in | Register | Forgot password?",
        "Categories: {word} | {word} | Uncategorized",
        "Print | Email | Share",
        "Last updated: {n}/{n}/{year}",
        "Top {n} {word} deals of {year} - click here",
    ]

    static let openingTags = [
        "<div class=\"content-wrapper\">", "<p>", "<span style=\"font-weight:bold\">", "<td align=\"left\">",
        "<li class=\"menu-item\">", "<div id=\"main\">", "<font face=\"Arial\" size=\"2\">", "<b>", "<i>",
        "<a href=\"/category/{word}\">", "<section class=\"post\">", "<tr><td>",
    ]

    static let closingTags = ["</div>", "</p>", "</span>", "</td>", "</li>", "</font>", "</b>", "</i>", "</a>", "</section>", "</td></tr>"]

    static let markupFragments = [
        "&nbsp;", "&amp;", "&#8217;", "<br/>", "<br>", "&quot;", "<hr />", "&raquo;",
        "<script type=\"text/javascript\">var _gaq = _gaq || []; _gaq.push(['_trackPageview']);</script>",
        "<!-- sidebar -->", "<img src=\"/images/spacer.gif\" width=\"1\" height=\"1\">",
        "<style>.nav{display:none}</style>", "<input type=\"hidden\" name=\"token\" value=\"{n}\">",
    ]

    static let keywordPatterns = [
        "cheap {word} {word}", "best {word} {year}", "buy {word} online", "{word} {word} free shipping",
        "{word} for sale", "top {word} {word}", "{word} near me", "{word} discount code", "{word} {word} review",
        "free {word} download", "{word} {word} {word}",
    ]
}
