//! Property tests: the pure parts of the pipeline, fed arbitrary and hostile text, never
//! panic and keep their promises. Each property runs 2,000 generated cases per `cargo test`.

use std::path::Path;

use herald::error::ErrorKind;
use herald::parse::date::Date;
use herald::parse::document::Document;
use herald::parse::frontmatter;
use herald::parse::markdown::{MarkdownOptions, cut_summary, render};
use herald::parse::slug::{anchor, slugify};
use proptest::prelude::*;

#[path = "fuzz/src/lib.rs"]
#[allow(dead_code)]
mod checks;

use checks::tags;

/// Text that looks like what authors paste: Chinese, ASCII, markup, YAML and control bytes.
fn messy_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("---\n".to_string()),
            Just("title: 标题\n".to_string()),
            Just("date: 2013年2月22日\n".to_string()),
            Just("<script>alert(1)</script>".to_string()),
            Just("[链接](../a.md)".to_string()),
            Just("[点我](javascript:alert(1))".to_string()),
            Just("<img src=x onerror=alert(1)>".to_string()),
            Just("<a href=\"JaVaScRiPt:alert(1)\">".to_string()),
            Just("<div>\n".to_string()),
            Just("\n## 标题 {#x onclick=alert(1)}\n".to_string()),
            Just("![图](x.jpg)".to_string()),
            Just("\r\n".to_string()),
            Just("\u{feff}".to_string()),
            Just("<!-- more -->".to_string()),
            "[\\PC]{0,12}",
            "[一-龥，。！？]{0,20}",
            "[\\x00-\\x1f]{0,3}",
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn front_matter_splitting_never_panics_and_keeps_the_text(text in messy_text()) {
        if let Ok(split) = frontmatter::split(&text) {
            prop_assert!(text.contains(split.yaml));
            prop_assert!(text.ends_with(split.body));
            prop_assert!(split.body_line >= 3);
        }
    }

    #[test]
    fn documents_parse_or_fail_with_a_place(text in messy_text()) {
        match Document::parse(text.clone(), Path::new("content/a.md"), Path::new("a.md")) {
            Ok(doc) => prop_assert!(text.ends_with(doc.body())),
            Err(error) => prop_assert!(error.location.is_some(), "{error:?}"),
        }
    }

    #[test]
    fn dates_parse_or_are_refused_without_panicking(text in "[0-9年月日/: T+-]{0,24}") {
        if let Some(date) = Date::parse(&text) {
            // Whatever was accepted reads back as a real day.
            prop_assert!(Date::parse(&date.day.format("%Y-%m-%d").to_string()).is_some());
        }
    }

    #[test]
    fn slugs_are_url_safe_and_anchors_never_empty(text in "\\PC{0,40}") {
        let slug = slugify(&text);
        prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{slug}");
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{slug}");
        prop_assert!(!anchor(&text).is_empty());
    }

    #[test]
    fn markdown_never_lets_scripts_through(text in messy_text()) {
        let resolve = |_: &str| None;
        let out = match render(&text, &MarkdownOptions { raw_html: false, resolve_link: &resolve, resolve_image: &resolve, resolve_file: &resolve }) {
            Ok(out) => out,
            Err(error) => {
                prop_assert!(matches!(error.kind, ErrorKind::MarkdownTooDeep { .. } | ErrorKind::HtmlTooDeep { .. }), "{error:?}");
                return Ok(());
            }
        };
        for (tag, attributes) in tags(&out.html) {
            prop_assert!(!["script", "iframe", "object", "embed", "style"].contains(&tag.as_str()), "{}", out.html);
            for (name, value) in attributes {
                prop_assert!(!name.starts_with("on"), "{}", out.html);
                let is_address = matches!(name.as_str(), "href" | "src" | "action" | "formaction");
                prop_assert!(!is_address || !value.trim_start().to_ascii_lowercase().starts_with("javascript:"), "{}", out.html);
            }
        }
        prop_assert!(out.reading_minutes >= 1);
    }

    #[test]
    fn summaries_stay_short_and_whole(text in "\\PC{0,400}") {
        let cut = cut_summary(&text, 120);
        prop_assert!(cut.chars().count() <= 121);
        prop_assert!(text.starts_with(cut.trim_end_matches('…')));
    }
}
