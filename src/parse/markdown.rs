//! Markdown to HTML with pulldown-cmark: heading anchors, a table of contents,
//! `.md` links rewritten to URLs, raw HTML policy, summary and reading time.

mod events;
mod headings;
mod html;
mod links;

use pulldown_cmark::{Options, Parser};
use serde::Serialize;

use crate::error::ErrorKind;
use events::Events;
use headings::HeadingIds;
pub use html::MAX_CLEANED_TAGS;
use html::write_html;

/// What rendering needs from the rest of the site.
pub struct MarkdownOptions<'a> {
    /// Keep raw HTML and every link as written (true), or clean out what could run code (false).
    pub raw_html: bool,
    /// Turns a relative `.md` link (without its `#fragment`) into a URL; `None` when the file does not exist.
    pub resolve_link: &'a dyn Fn(&str) -> Option<String>,
    /// Turns a relative image path into a URL; `None` when the image does not exist.
    pub resolve_image: &'a dyn Fn(&str) -> Option<String>,
    /// Turns a relative link to any other file into its published URL; `None` leaves the
    /// link as written.
    pub resolve_file: &'a dyn Fn(&str) -> Option<String>,
}

/// One heading, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// 1 to 6.
    pub level: u8,
    /// The anchor id.
    pub id: String,
    /// The heading's text.
    pub title: String,
}

/// A rendered body. `Eq`, so that comparing two items that share one compares pointers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Headings in order.
    pub toc: Vec<TocEntry>,
    /// Plain-text summary: before `<!-- more -->`, else about the first 120 characters.
    pub summary: String,
    /// The plain text of the whole body, for search and counting.
    pub plain: String,
    /// Chinese characters in the body (punctuation not counted).
    pub cjk_chars: usize,
    /// Estimated minutes to read, at least 1.
    pub reading_minutes: u32,
    /// Body lines (0-based) with raw HTML or an unsafe link that was cleaned out.
    pub cleaned_lines: Vec<usize>,
    /// Links to `.md` files that do not exist, with their body line (0-based).
    pub broken_links: Vec<(String, usize)>,
    /// Relative image paths that resolved, as written.
    pub local_images: Vec<String>,
    /// Relative image paths that do not exist, with their body line (0-based).
    pub missing_images: Vec<(String, usize)>,
    /// Relative links to files other than `.md`, as written (without a `#fragment`), with
    /// their body line (0-based).
    pub local_files: Vec<(String, usize)>,
}

const SUMMARY_CHARS: usize = 120;

/// How deep Markdown blocks and inline markup may sit inside one another, and how deep the
/// elements of a block whose raw HTML is cleaned may nest. Real pages stay far below it (a
/// list in a list in a quote, emphasised, is 7). Past it the HTML cleaner's work grows with
/// the nesting times the length: 100,000 nested `<div>`s took 30 s, 200,000 six minutes.
pub const MAX_NESTING: usize = 100;

/// Why a body cannot be rendered, and where.
#[derive(Debug)]
pub struct BodyError {
    /// What is wrong.
    pub kind: ErrorKind,
    /// The body line (0-based).
    pub line: usize,
}

/// Renders a Markdown body. Events stream from the parser to the HTML and none is kept:
/// a list of every event of a large table took gigabytes.
pub fn render(body: &str, options: &MarkdownOptions<'_>) -> Result<Rendered, BodyError> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(index, _)| index + 1))
        .collect();
    let mut out = Rendered::default();
    let mut events = Events {
        parser: Parser::new_ext(body, parser_options()).into_offset_iter(),
        options,
        line_starts: &line_starts,
        out: &mut out,
        html_block: None,
        summary_plain: None,
        depth: 0,
        error: None,
    };
    let mut headings = HeadingIds::default();
    let html = write_html(headings.assign(&mut events), !options.raw_html);
    let Events {
        summary_plain,
        error,
        ..
    } = events;
    if let Some(error) = error {
        return Err(error);
    }
    out.html = html?;
    out.toc = headings.toc;

    let plain = out.plain.trim().to_string();
    out.summary = match summary_plain {
        Some(before_more) => before_more.trim().to_string(),
        None => cut_summary(&plain, SUMMARY_CHARS),
    };
    out.cjk_chars = plain.chars().filter(|c| is_cjk(*c)).count();
    let other_words = plain
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .count();
    let minutes = out.cjk_chars as f64 / 400.0 + other_words as f64 / 200.0;
    out.reading_minutes = (minutes.ceil() as u32).max(1);
    out.plain = plain;
    // Every body stays in memory for the whole build; growth by doubling would
    // leave up to half of each string unused.
    out.html.shrink_to_fit();
    out.plain.shrink_to_fit();
    Ok(out)
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Whether a character is a CJK ideograph (not punctuation).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Cuts plain text to about `limit` characters, at a sentence end when one is near.
pub fn cut_summary(plain: &str, limit: usize) -> String {
    // One character past the limit tells whether to cut; the rest need not be read.
    let chars: Vec<char> = plain.chars().take(limit + 1).collect();
    if chars.len() <= limit {
        return plain.to_string();
    }
    let head = &chars[..limit];
    let sentence_end = head
        .iter()
        .rposition(|c| {
            matches!(
                c,
                '。' | '\u{FF01}' | '\u{FF1F}' | '\u{FF1B}' | '!' | '?' | ';'
            )
        })
        .filter(|&index| index >= limit / 2);
    match sentence_end {
        Some(index) => head[..=index].iter().collect(),
        None => {
            let mut cut: String = head.iter().collect();
            cut.push('…');
            cut
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{MarkdownOptions, Rendered, cut_summary, render};

    fn md(body: &str) -> Rendered {
        let resolve = |path: &str| {
            (path == "../initiatives/leifeng.md").then(|| "/initiatives/leifeng/".to_string())
        };
        let image = |path: &str| (path == "photo.jpg").then(|| "/stories/x/photo.jpg".to_string());
        let file = |path: &str| (path == "通知.pdf").then(|| "/stories/x/通知.pdf".to_string());
        render(
            body,
            &MarkdownOptions {
                raw_html: false,
                resolve_link: &resolve,
                resolve_image: &image,
                resolve_file: &file,
            },
        )
        .unwrap()
    }

    #[test]
    fn a_page_hands_the_cleaner_a_bounded_number_of_tags() {
        let options = |raw_html| MarkdownOptions {
            raw_html,
            resolve_link: &|_: &str| None,
            resolve_image: &|_: &str| None,
            resolve_file: &|_: &str| None,
        };
        let block = format!("{} <b>x</b>\n\n", ">".repeat(98));
        // About 200 tags a block once rendered: a quarter of the limit passes, the whole fails at
        // the block that passes it.
        let half = block.repeat(super::MAX_CLEANED_TAGS / 800);
        assert!(render(&half, &options(false)).is_ok());
        let whole = block.repeat(super::MAX_CLEANED_TAGS / 200 + 10);
        let error = render(&whole, &options(false)).unwrap_err();
        assert!(matches!(
            error.kind,
            crate::error::ErrorKind::TooMuchHtml { .. }
        ));
        assert!(
            error.line > 0 && error.line < whole.lines().count(),
            "{}",
            error.line
        );
        assert!(
            render(&whole, &options(true)).is_ok(),
            "nothing is cleaned with raw_html"
        );
    }

    #[test]
    fn headings_get_unique_chinese_anchors_and_a_toc() {
        let out = md("## 一、目标任务\n\n正文\n\n## 一、目标任务\n\n### 时间 {#when}\n");
        assert!(
            out.html
                .contains(r#"<h2 id="一目标任务">一、目标任务</h2>"#),
            "{}",
            out.html
        );
        assert!(out.html.contains(r#"<h2 id="一目标任务-1">"#));
        assert!(out.html.contains(r#"<h3 id="when">"#));
        let ids: Vec<&str> = out.toc.iter().map(|entry| entry.id.as_str()).collect();
        assert_eq!(ids, ["一目标任务", "一目标任务-1", "when"]);
    }

    #[test]
    fn written_ids_are_never_given_twice() {
        // Found by fuzzing: the third heading was given `目标-1`, written by the first.
        let out = md("# 目标 {#目标-1}\n\n# 目标\n\n# 目标\n\n# 目标\n");
        let ids: Vec<&str> = out.toc.iter().map(|entry| entry.id.as_str()).collect();
        assert_eq!(ids, ["目标-1", "目标", "目标-2", "目标-3"]);
        assert!(out.html.contains(r#"<h1 id="目标-2">"#), "{}", out.html);
    }

    #[test]
    fn md_links_are_rewritten_and_missing_ones_reported() {
        let out = md("看[倡议书](../initiatives/leifeng.md#call)。\n\n又见[旧文](old.md)\n");
        assert!(
            out.html.contains(r#"href="/initiatives/leifeng/#call""#),
            "{}",
            out.html
        );
        assert_eq!(out.broken_links, vec![("old.md".to_string(), 2)]);
    }

    #[test]
    fn links_to_other_files_are_noted_and_resolved() {
        let out = md(
            "[通知](通知.pdf#page=2)\n\n[表](表.xls) [外](https://x.org/a.pdf) [页](../about/)\n",
        );
        assert!(
            out.html
                .contains(r#"href="/stories/x/%E9%80%9A%E7%9F%A5.pdf#page=2""#),
            "{}",
            out.html
        );
        assert!(out.html.contains(r#"href="%E8%A1%A8.xls""#), "{}", out.html);
        assert_eq!(
            out.local_files,
            vec![
                ("通知.pdf".to_string(), 0),
                ("表.xls".to_string(), 2),
                ("../about/".to_string(), 2)
            ]
        );
    }

    #[test]
    fn relative_images_are_resolved_and_missing_ones_reported() {
        let out =
            md("![合影](photo.jpg)\n\n![远景](gone.jpg)\n\n![外链](https://example.org/a.jpg)\n");
        assert!(
            out.html
                .contains(r#"<img src="/stories/x/photo.jpg" alt="合影" />"#),
            "{}",
            out.html
        );
        assert_eq!(out.local_images, vec!["photo.jpg".to_string()]);
        assert_eq!(out.missing_images, vec![("gone.jpg".to_string(), 2)]);
    }

    #[test]
    fn raw_html_is_cleaned_by_default_with_its_line() {
        let out = md(
            "第一段\n\n<script>alert(1)</script>\n\n<span style=\"color:red\" onclick=\"x()\">红字</span>\n",
        );
        assert_eq!(out.html, "<p>第一段</p>\n\n<p><span>红字</span></p>\n");
        assert_eq!(out.cleaned_lines, vec![2, 4]);
    }

    #[test]
    fn broken_raw_html_cannot_swallow_the_markdown_after_it() {
        // An unfinished tag in an HTML block, and an unclosed inline `<script>`.
        let out = md(
            "<p onclick=\"x()\">粘贴的 <avas\n\n## 目标 {#goal}\n\n文字<script>alert(1)\n\n## 措施\n\n结尾\n",
        );
        assert!(
            out.html.contains(r#"<h2 id="goal">目标</h2>"#),
            "{}",
            out.html
        );
        assert!(
            out.html.contains(r#"<h2 id="措施">措施</h2>"#),
            "{}",
            out.html
        );
        assert!(out.html.contains("结尾"), "{}", out.html);
        assert!(!out.html.contains("<script"), "{}", out.html);
    }

    #[test]
    fn footnotes_keep_their_numbers_when_a_page_is_cleaned() {
        let out = md("甲[^a]<b>粗</b>\n\n乙[^b]\n\n[^a]: 注一\n[^b]: 注二\n");
        assert!(
            out.html
                .contains(r##"<sup class="footnote-reference"><a href="#b">2</a></sup>"##),
            "{}",
            out.html
        );
        assert!(out.html.contains("<b>粗</b>"), "{}", out.html);
    }

    #[test]
    fn heading_attributes_cannot_add_event_handlers() {
        let out = md("## 目标 {#goal .wide onclick=alert(1)}\n");
        assert_eq!(out.html, "<h2 id=\"goal\" class=\"wide\">目标</h2>\n");
        assert_eq!(out.cleaned_lines, vec![0]);
    }

    #[test]
    fn unsafe_links_are_cleaned_and_safe_ones_kept() {
        let out = md(
            "[点我](javascript:alert(1)) 和 [官网](https://example.org/)\n\n![图](data:image/svg+xml,x)\n",
        );
        assert!(!out.html.contains("javascript"), "{}", out.html);
        assert!(!out.html.contains("data:"), "{}", out.html);
        assert!(
            out.html
                .contains(r#"<a href="https://example.org/">官网</a>"#),
            "{}",
            out.html
        );
        assert_eq!(out.cleaned_lines, vec![0, 2]);
        assert!(
            md("[官网](https://example.org/)\n")
                .cleaned_lines
                .is_empty()
        );
    }

    #[test]
    fn extensions_are_on() {
        let out = md("|a|b|\n|-|-|\n|1|2|\n\n~~删~~ 注[^1]\n\n- [x] 完成\n\n[^1]: 脚注\n");
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("<del>删</del>"));
        assert!(out.html.contains("checkbox"));
        assert!(out.html.contains("footnote"));
    }

    #[test]
    fn summary_stops_at_more_marker() {
        let out = md("开头一段。\n\n<!-- more -->\n\n后面的内容\n");
        assert_eq!(out.summary, "开头一段。");
        assert!(!out.html.contains("more"));
    }

    #[test]
    fn summary_cuts_long_text_on_a_character_boundary() {
        let long = "志愿服务".repeat(50);
        let cut = cut_summary(&long, 120);
        assert_eq!(cut.chars().count(), 121);
        assert!(cut.ends_with('…'));
        let sentences = format!("{}。{}", "甲".repeat(80), "乙".repeat(80));
        assert_eq!(
            cut_summary(&sentences, 120),
            format!("{}。", "甲".repeat(80))
        );
    }

    #[test]
    fn reading_time_counts_chinese_and_words() {
        let out = md(&"字".repeat(800));
        assert_eq!(out.cjk_chars, 800);
        assert_eq!(out.reading_minutes, 2);
        let out = md(&"word ".repeat(450));
        assert_eq!(out.reading_minutes, 3);
        assert_eq!(md("短").reading_minutes, 1);
        assert_eq!(md("你好,世界!").cjk_chars, 4);
    }
}
