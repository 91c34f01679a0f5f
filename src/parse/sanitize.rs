//! Cleaning of rendered Markdown that carries raw HTML or unsafe links, for
//! sites that leave `raw_html` off: formatting stays, scripts go.
//!
//! Authors paste from Word, WPS and web pages, so raw HTML is usually harmless
//! formatting (`<span>`, `<br>`, `<sup>`, tables). Showing it as text would
//! spoil the page; keeping it whole would let a pasted `<script>` or an
//! `onclick` run on the portal. ammonia keeps a list of safe tags and
//! attributes and drops the rest.

use std::sync::LazyLock;

use ammonia::Builder;

/// The cleaner, configured once: ammonia's safe defaults plus what herald's
/// own Markdown output needs (heading ids, footnote classes, task-list boxes,
/// table alignment).
static CLEANER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::default();
    builder
        .add_generic_attributes(["id", "class", "style"])
        .attribute_filter(|_element, attribute, value| {
            if attribute == "style" {
                alignment_only(value).map(Into::into)
            } else {
                Some(value.into())
            }
        })
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("img", ["title"])
        .add_tag_attributes("a", ["title"])
        .set_tag_attribute_value("input", "disabled", "")
        .link_rel(None);
    builder
});

/// Returns `html` with unsafe tags, attributes and URLs removed.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// Keeps only a `text-align` with a plain value, which is what Markdown
/// tables write; colours, positions and fonts pasted from Word go.
fn alignment_only(style: &str) -> Option<String> {
    style.split(';').find_map(|declaration| {
        let (property, value) = declaration.split_once(':')?;
        let value = value.trim().to_ascii_lowercase();
        (property.trim().eq_ignore_ascii_case("text-align")
            && matches!(value.as_str(), "left" | "center" | "right" | "justify"))
        .then(|| format!("text-align: {value}"))
    })
}

/// Whether an inline HTML fragment opens an element whose content the browser
/// takes as plain text up to its closing tag, or to the end of the page.
pub fn opens_raw_text(fragment: &str) -> bool {
    let Some(rest) = fragment.trim_start().strip_prefix('<') else {
        return false;
    };
    let name: String = rest
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        name.as_str(),
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
            | "plaintext"
    )
}

/// Whether a link or image address uses a scheme that can run code or
/// smuggle content (`javascript:`, `vbscript:`, `data:` …). Relative
/// addresses and the ordinary web, mail and phone schemes are safe.
pub fn is_unsafe_url(url: &str) -> bool {
    let trimmed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let Some((scheme, _)) = trimmed.split_once(':') else {
        return false;
    };
    // A colon after a slash, `?` or `#` belongs to the path, not a scheme.
    if scheme.contains(['/', '?', '#']) {
        return false;
    }
    !matches!(
        scheme.to_ascii_lowercase().as_str(),
        "http" | "https" | "mailto" | "tel"
    )
}

#[cfg(test)]
mod tests {
    use super::{clean, is_unsafe_url};

    #[test]
    fn scripts_events_and_javascript_urls_are_removed() {
        let cleaned = clean(
            r#"<p onclick="steal()">好<script>alert(1)</script><a href="javascript:alert(2)">点</a><iframe src="https://evil.example"></iframe></p>"#,
        );
        assert_eq!(cleaned, "<p>好<a>点</a></p>");
    }

    #[test]
    fn pasted_formatting_and_herald_markup_stay() {
        let html = concat!(
            r#"<h2 id="一目标任务">一、目标任务</h2>"#,
            r##"<p><span style="color: red; text-align: center">红字</span><br><sup class="footnote-reference"><a href="#1">1</a></sup></p>"##,
            r#"<table><thead><tr><th style="text-align: center">项目</th></tr></thead></table>"#,
            r#"<ul><li><input disabled="" type="checkbox" checked="">完成</li></ul>"#,
            r#"<img src="/stories/x/a.jpg" alt="合影" title="合影">"#,
        );
        let cleaned = clean(html);
        assert!(cleaned.contains(r#"<h2 id="一目标任务">"#), "{cleaned}");
        assert!(
            cleaned.contains(r#"<span style="text-align: center">红字</span>"#),
            "{cleaned}"
        );
        assert!(
            cleaned.contains(r##"<sup class="footnote-reference"><a href="#1">"##),
            "{cleaned}"
        );
        assert!(
            cleaned.contains(r#"<th style="text-align: center">"#),
            "{cleaned}"
        );
        assert!(cleaned.contains(r#"type="checkbox""#), "{cleaned}");
        assert!(
            cleaned.contains(r#"<img src="/stories/x/a.jpg" alt="合影" title="合影">"#),
            "{cleaned}"
        );
    }

    #[test]
    fn unsafe_schemes_are_recognised_through_disguises() {
        for url in [
            "javascript:alert(1)",
            " JavaScript:x",
            "java\tscript:x",
            "vbscript:x",
            "data:text/html,<b>",
        ] {
            assert!(is_unsafe_url(url), "{url}");
        }
        for url in [
            "https://example.org/a:b",
            "../plans/a.md",
            "/a:b",
            "#x:y",
            "mailto:a@b.c",
            "tel:123",
            "a.md?x=1:2",
        ] {
            assert!(!is_unsafe_url(url), "{url}");
        }
    }
}
