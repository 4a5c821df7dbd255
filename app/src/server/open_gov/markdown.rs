//! An entry's body: Markdown written by staff, made HTML on the server and shown as it is, so
//! nothing in it may run or reach out: raw HTML is shown as text, and a link or image goes only
//! to `http(s)`, `mailto` or a path of this site.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

fn safe_url(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("https://")
        || u.starts_with("http://")
        || u.starts_with("mailto:")
        || (u.starts_with('/') && !u.starts_with("//"))
        || u.starts_with('#')
}

/// The HTML of a Markdown text, safe to put in a page as it is.
pub fn to_html(markdown: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, opts).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if !safe_url(&dest_url) => {
            Event::Start(Tag::Link { link_type, dest_url: CowStr::Borrowed("#"), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if !safe_url(&dest_url) => {
            Event::Start(Tag::Image { link_type, dest_url: CowStr::Borrowed(""), title, id })
        }
        e => e,
    });
    let mut out = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html() {
        let h = to_html("# 标题\n\n正文 **加粗**\n\n- 一\n- 二\n\n| 项 | 值 |\n|---|---|\n| a | b |\n");
        assert!(h.contains("<h1>标题</h1>") && h.contains("<strong>加粗</strong>") && h.contains("<li>一</li>"), "{h}");
        assert!(h.contains("<table>"), "{h}");
        assert!(to_html("[政策](https://www.gov.cn/a)").contains(r#"href="https://www.gov.cn/a""#));
        assert!(to_html("[目录](/open?kind=policy)").contains(r#"href="/open?kind=policy""#));
    }

    #[test]
    fn nothing_in_it_runs() {
        for (md, never) in [
            ("<script>alert(1)</script>", "<script"),
            ("a <img src=x onerror=alert(1)> b", "<img"),
            ("[x](javascript:alert(1))", "javascript:"),
            ("[x](JaVaScRiPt:alert(1))", "JaVaScRiPt:"),
            ("![x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
            ("[x](//evil.example/)", "//evil.example"),
            ("<iframe src=\"https://evil.example\"></iframe>", "<iframe"),
        ] {
            let h = to_html(md);
            assert!(!h.contains(never), "{md} → {h}");
        }
        assert!(to_html("<b>x</b>").contains("&lt;b&gt;"), "raw HTML is shown as text");
    }
}
