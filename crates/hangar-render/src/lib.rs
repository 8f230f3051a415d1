//! Untrusted Markdown (agent output, tool results, thread messages) to HTML that is safe to put
//! into the page or into an exported file.
//!
//! Two layers, so that one bug in either does not open a hole:
//! 1. `pulldown-cmark` parses the Markdown; raw HTML (block and inline) is dropped, never passed
//!    through, and images become plain links (nothing is fetched from a remote host).
//! 2. `ammonia` cleans the result against a small allowlist: text formatting, lists, tables, code,
//!    links; no scripts, event handlers, styles, frames, forms, SVG or MathML; links only
//!    `http`, `https` and `mailto`, marked `rel="noopener noreferrer nofollow"`.
//!
//! Links are never followed by the page: the UI intercepts clicks, shows the real URL and opens it
//! in the OS browser only when the person confirms.
//!
//! Builds for wasm32 and the host, so the chat view and the export share this one path.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// Markdown to sanitized HTML.
pub fn markdown_to_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        // Raw HTML is shown as the text it is, never interpreted.
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        // An image becomes a link the person can choose to open: nothing loads on its own.
        Event::Start(Tag::Image {
            dest_url, title, ..
        }) => Event::Start(Tag::Link {
            link_type: pulldown_cmark::LinkType::Inline,
            dest_url,
            title,
            id: CowStr::Borrowed(""),
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    clean(&html)
}

/// Plain text to HTML (escaped, nothing interpreted): tool output, raw JSON.
pub fn text_to_html(text: &str) -> String {
    ammonia::clean_text(text)
}

/// The only elements a rendered fragment may hold.
pub const ALLOWED_TAGS: &[&str] = &[
    "a",
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "input",
    "span",
];

/// The allowlist cleaner every rendered fragment passes through.
pub fn clean(html: &str) -> String {
    let tags: HashSet<&str> = ALLOWED_TAGS.iter().copied().collect();
    let schemes: HashSet<&str> = ["http", "https", "mailto"].into_iter().collect();
    let mut builder = ammonia::Builder::default();
    builder
        .tags(tags)
        .clean_content_tags(["script", "style"].into_iter().collect())
        .generic_attributes(HashSet::new())
        .tag_attributes(
            [
                ("a", ["href", "title"].into_iter().collect::<HashSet<_>>()),
                ("code", ["class"].into_iter().collect()),
                (
                    "input",
                    ["type", "checked", "disabled"].into_iter().collect(),
                ),
                ("th", ["align"].into_iter().collect()),
                ("td", ["align"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(schemes)
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"))
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            // Only the checkbox of a task list, and never an enabled one.
            ("input", "type") if value != "checkbox" => None,
            ("code", "class") if !value.starts_with("language-") => None,
            _ => Some(value.into()),
        });
    builder.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real markup of `html`: every `<…>` (escaped text is `&lt;…`, so it is not counted).
    fn tags(html: &str) -> Vec<String> {
        html.split('<')
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap_or("").to_ascii_lowercase())
            .collect()
    }

    fn assert_inert(html: &str) {
        for tag in tags(html) {
            let name = tag
                .trim_start_matches('/')
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("");
            assert!(ALLOWED_TAGS.contains(&name), "<{tag}> in {html}");
            for bad in ["on", "style=", "src="] {
                assert!(
                    !tag.split_whitespace().skip(1).any(|a| a.starts_with(bad)),
                    "{bad} attribute in <{tag}>"
                );
            }
            if let Some(href) = tag.split("href=\"").nth(1) {
                assert!(
                    href.starts_with("http://")
                        || href.starts_with("https://")
                        || href.starts_with("mailto:"),
                    "link {href} in {html}"
                );
            }
        }
    }

    #[test]
    fn markdown_formats_and_code_blocks_keep_their_language() {
        let html =
            markdown_to_html("# Title\n\n**bold** and `code`\n\n```rust\nfn main() {}\n```\n");
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(
            html.contains("<pre><code class=\"language-rust\">fn main() {}"),
            "{html}"
        );
    }

    #[test]
    fn raw_html_is_shown_as_text_never_as_markup() {
        let html = markdown_to_html(
            "hi <script>alert(1)</script> <b onclick=x>b</b>\n\n<iframe src=x></iframe>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert_inert(&html);
    }

    #[test]
    fn links_keep_only_web_and_mail_schemes() {
        let html = markdown_to_html(
            "[a](https://example.com/x) [b](javascript:alert(1)) [c](data:text/html,<b>) \
             [d](file:///etc/passwd) [e](mailto:a@b.c) [f](/relative) [g](vbscript:x)",
        );
        assert!(html.contains("href=\"https://example.com/x\""), "{html}");
        assert!(html.contains("href=\"mailto:a@b.c\""), "{html}");
        assert!(
            html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
        for bad in ["javascript:", "data:", "file:", "/relative", "vbscript:"] {
            assert!(!html.contains(&format!("href=\"{bad}")), "{bad} in {html}");
        }
    }

    #[test]
    fn images_become_links_and_nothing_is_fetched() {
        let html = markdown_to_html("![tracker](https://evil.example/pixel.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("<a href=\"https://evil.example/pixel.png\""),
            "{html}"
        );
        assert!(html.contains(">tracker</a>"), "{html}");
    }

    #[test]
    fn hostile_corpus_renders_inert() {
        let corpus = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<svg onload=alert(1)><script>alert(2)</script></svg>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<form action=https://evil.example><input type=submit></form>",
            "<div style=\"background:url(https://evil.example)\">x</div>",
            "<object data=x></object><embed src=x>",
            "![x](https://evil.example/a.png)",
            "<details open ontoggle=alert(1)>",
            "`<script>` in code stays text",
        ];
        for input in corpus {
            let html = markdown_to_html(input);
            assert_inert(&html);
            // And the cleaner alone, fed the raw string as HTML.
            assert_inert(&clean(input));
        }
    }

    #[test]
    fn plain_text_is_escaped() {
        assert_eq!(text_to_html("<b>&"), "&lt;b&gt;&amp;");
    }
}
