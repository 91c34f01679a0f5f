//! The checks behind each fuzz target: one function per parsing stage, taking the raw
//! bytes libFuzzer makes up, running the stage's real entry point and asserting what it
//! promises. `tests/fuzz_seeds.rs` at the repository's root includes this file to replay
//! the committed seeds through the same checks in every `cargo test`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use herald::error::{ErrorKind, Lang};
use herald::format::date_zh;
use herald::media::{DECODE_LIMIT_BYTES, MAX_COPY_SIDE, MAX_WEBP_SIDE, copies_of};
use herald::model::paths::resolve_reference;
use herald::parse::date::Date;
use herald::parse::document::Document;
use herald::parse::frontmatter;
use herald::parse::markdown::{MarkdownOptions, cut_summary, render};
use herald::parse::slug::{anchor, is_ascii_slug, slugify};

/// The tags pulldown-cmark writes for the Markdown herald enables; anything else in the
/// HTML came from the author's raw HTML.
const MARKDOWN_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "code",
    "ol",
    "ul",
    "li",
    "em",
    "strong",
    "del",
    "a",
    "img",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "input",
    "sup",
    "div",
];

/// Tags that can run code or pull in another document; cleaning removes them all.
const RUNS_CODE: &[&str] = &[
    "script", "style", "iframe", "frame", "object", "embed", "applet", "form", "link", "meta",
    "base", "svg", "math", "template",
];

/// The largest single allocation asked for since the process started.
static LARGEST_ALLOCATION: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, keeping the largest request it was asked for and refusing any
/// past the decode limit, so that a decoder trusting a size in a header is caught even
/// when the machine could have given it the memory. Allocations of C code (libwebp) are
/// out of its sight.
pub struct LargestAllocation;

#[global_allocator]
static ALLOCATOR: LargestAllocation = LargestAllocation;

impl LargestAllocation {
    fn note(size: usize) -> bool {
        LARGEST_ALLOCATION.fetch_max(size, Ordering::Relaxed);
        size as u64 <= DECODE_LIMIT_BYTES
    }
}

unsafe impl GlobalAlloc for LargestAllocation {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !Self::note(layout.size()) {
            return std::ptr::null_mut();
        }
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !Self::note(layout.size()) {
            return std::ptr::null_mut();
        }
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !Self::note(new_size) {
            return std::ptr::null_mut();
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// The image stage, from the file's bytes to its copies in a cache: either copies that
/// decode at the size they claim, no larger than the image nor than any encoder takes,
/// PNG ones keeping an alpha channel; or an error about the image itself (empty, cut
/// short, damaged, too large, no image), never an internal one, whose report names the
/// file in both languages. No single allocation passes the decode limit.
pub fn image(data: &[u8]) {
    let shown = Path::new("content/galleries/a/photo.jpg");
    let cache = tempfile::tempdir().expect("a temporary folder");
    match copies_of(data, cache.path(), shown) {
        Ok(info) => {
            assert!(info.width >= 1 && info.height >= 1, "{info:?}");
            for variant in &info.variants {
                assert!(
                    variant.width <= info.width
                        && variant.height <= info.height
                        && variant.width.max(variant.height) <= MAX_COPY_SIDE
                        && (variant.format != "webp"
                            || variant.width.max(variant.height) <= MAX_WEBP_SIDE),
                    "{info:?}"
                );
                let suffix = variant.path_url.trim_start_matches("image");
                let file = std::fs::read_dir(cache.path())
                    .expect("the cache")
                    .filter_map(Result::ok)
                    .find(|entry| entry.file_name().to_string_lossy().ends_with(suffix))
                    .unwrap_or_else(|| panic!("no cached copy for {variant:?}"));
                let copy = image::open(file.path())
                    .unwrap_or_else(|error| panic!("{variant:?} does not decode: {error}"));
                assert_eq!(
                    (copy.width(), copy.height()),
                    (variant.width, variant.height)
                );
                if variant.format == "png" {
                    assert!(copy.color().has_alpha(), "{variant:?}");
                }
            }
        }
        Err(error) => {
            assert!(
                matches!(
                    error.kind,
                    ErrorKind::EmptyImage
                        | ErrorKind::TruncatedImage { .. }
                        | ErrorKind::BadImage { .. }
                        | ErrorKind::UnknownImageFormat
                        | ErrorKind::ImageTooLarge { .. }
                ),
                "{}",
                error.report(Lang::En)
            );
            for (lang, label) in [(Lang::Zh, "错误"), (Lang::En, "error")] {
                let report = error.report(lang);
                assert!(
                    report.starts_with(&format!("{label}: {}: ", shown.display())),
                    "{report}"
                );
            }
        }
    }
    let largest = LARGEST_ALLOCATION.load(Ordering::Relaxed);
    assert!(
        largest as u64 <= DECODE_LIMIT_BYTES,
        "an allocation of {largest} bytes"
    );
}

/// Front matter splitting: the halves are the file's own text, in order, the YAML starts
/// right after the opening fence and holds no fence, and the body's line number is right.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(split) = frontmatter::split(text) else {
        return;
    };
    let yaml_start = offset_in(text, split.yaml);
    let yaml_end = yaml_start + split.yaml.len();
    let body_start = offset_in(text, split.body);
    assert_eq!(
        body_start + split.body.len(),
        text.len(),
        "the body runs to the end"
    );
    assert!(yaml_end <= body_start);
    let opening_end = text.find('\n').map_or(text.len(), |index| index + 1);
    assert_eq!(
        yaml_start, opening_end,
        "the YAML starts on the second line"
    );
    assert_eq!(text[..opening_end].trim_end(), "---");
    assert_eq!(split.yaml_line, 2);
    let closing = text[yaml_end..body_start].trim_end();
    assert!(
        closing == "---" || closing == "...",
        "closing fence {closing:?}"
    );
    assert!(
        split
            .yaml
            .lines()
            .all(|line| line.trim_end() != "---" && line.trim_end() != "..."),
        "the first closing fence ends the YAML"
    );
    if !split.body.is_empty() {
        assert_eq!(
            split.body_line,
            text[..body_start].matches('\n').count() + 1
        );
    }
}

/// Document parsing (front matter split and read into the typed `FrontMatter`): either a
/// document whose dates read back, or an error whose place is inside the file and whose
/// report, with its quoted line and caret, can be written in both languages.
pub fn document(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("content/stories/a.md");
    let lines = text.lines().count().max(1);
    match Document::parse(text.to_string(), path, Path::new("stories/a.md")) {
        Ok(doc) => {
            assert!(doc.body_offset <= text.len() && text.is_char_boundary(doc.body_offset));
            assert!(doc.body_line >= 3);
            for warning in &doc.warnings {
                assert!(warning.location.line <= lines, "{warning:?}");
                warning.message(Lang::Zh);
                warning.message(Lang::En);
            }
            let front = &doc.front;
            let dates = [front.date, front.updated, front.start, front.end]
                .into_iter()
                .chain(
                    front
                        .phases
                        .iter()
                        .flat_map(|phase| [Some(phase.start), phase.end]),
                )
                .chain(front.photos.iter().flatten().map(|photo| photo.date));
            for date in dates.flatten() {
                date_reads_back(&date);
            }
            // The model points at fields and values with these; they must never fail.
            for error in [
                doc.require_title().err(),
                Some(doc.error_at_field(herald::error::ErrorKind::Binary, "title")),
                front
                    .tags
                    .first()
                    .map(|tag| doc.error_at_value(herald::error::ErrorKind::Binary, tag)),
                Some(doc.error_in_body(herald::error::ErrorKind::Binary, 0)),
            ]
            .into_iter()
            .flatten()
            {
                error.report(Lang::Zh);
                error.report(Lang::En);
            }
        }
        Err(error) => {
            let location = error.location.as_ref().expect("parse errors have a place");
            assert!(
                location.line <= lines,
                "{error:?} in a file of {lines} lines"
            );
            assert!(error.report(Lang::Zh).contains("content/stories/a.md"));
            error.report(Lang::En);
        }
    }
}

/// Dates: whatever is accepted is a real day that reads back from each form herald writes.
pub fn date(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(date) = Date::parse(text) {
        date_reads_back(&date);
    }
}

fn date_reads_back(date: &Date) {
    let iso = date.day.format("%Y-%m-%d").to_string();
    assert_eq!(Date::parse(&iso).map(|d| d.day), Some(date.day), "{iso}");
    let chinese = date_zh(date.day);
    assert_eq!(
        Date::parse(&chinese).map(|d| d.day),
        Some(date.day),
        "{chinese}"
    );
    // Display (also what templates and feeds get) keeps the minute, not the second.
    let shown = date.to_string();
    let again = Date::parse(&shown).unwrap_or_else(|| panic!("{shown} does not read back"));
    assert_eq!(again.day, date.day);
    assert_eq!(
        again.time.map(|time| time.format("%H:%M").to_string()),
        date.time.map(|time| time.format("%H:%M").to_string())
    );
    if let Some(offset) = date.offset_seconds {
        assert!(offset.abs() < 24 * 3600, "offset {offset} s");
    }
    let stamp = date.rfc3339(8 * 3600);
    let parsed = chrono::DateTime::parse_from_rfc3339(&stamp)
        .unwrap_or_else(|error| panic!("{stamp}: {error}"));
    assert_eq!(parsed.date_naive(), date.day, "{stamp}");
}

/// Slugs and anchors: slugs are ASCII URL words, stable when slugified again; anchors are
/// never empty and hold nothing an HTML id or a URL fragment cannot.
pub fn slug(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let slug = slugify(text);
    assert!(
        slug.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "{slug}"
    );
    assert!(
        !slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"),
        "{slug}"
    );
    assert_eq!(slugify(&slug), slug, "slugs are stable");
    assert_eq!(is_ascii_slug(&slug), !slug.is_empty());
    let id = anchor(text);
    assert!(!id.is_empty());
    assert!(
        !id.chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '#'),
        "{id:?}"
    );
    assert!(
        !id.starts_with('-') && !id.ends_with('-') && !id.contains("--"),
        "{id:?}"
    );
}

/// Markdown with link rewriting as the build does it (references resolved against the
/// file's folder, percent-encoding decoded). The first byte chooses the raw HTML policy.
/// Cleaned raw HTML keeps nothing that runs code, heading ids are unique and written in
/// the page, every problem reported has a line of the body, and the summary is short.
pub fn markdown(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let raw_html = flags & 1 == 1;
    let folder = Path::new("stories/2013");
    // A deterministic half of the targets exists: those whose name has an even length.
    let exists = |path: &Path| path.as_os_str().len().is_multiple_of(2);
    let resolve_link = |link: &str| {
        resolve_reference(folder, link)
            .filter(|path| exists(path))
            .map(|path| format!("/{}/", path.with_extension("").display()))
    };
    let resolve_image = |reference: &str| {
        resolve_reference(folder, reference)
            .filter(|path| exists(path))
            .map(|path| format!("/{}", path.display()))
    };
    let rendered = render(
        body,
        &MarkdownOptions {
            raw_html,
            resolve_link: &resolve_link,
            resolve_image: &resolve_image,
            resolve_file: &|_: &str| None,
        },
    );
    let out = match rendered {
        Ok(out) => out,
        // Only nesting past the limit stops a body, with a line of the body.
        Err(error) => {
            assert!(
                matches!(
                    error.kind,
                    ErrorKind::MarkdownTooDeep { .. } | ErrorKind::HtmlTooDeep { .. }
                ),
                "{error:?}"
            );
            assert!(error.line < body.split('\n').count(), "{error:?}");
            return;
        }
    };
    if !raw_html {
        // Untouched output holds Markdown's own tags only; cleaned output may keep the
        // author's safe formatting, but never what runs code.
        let cleaned = !out.cleaned_lines.is_empty();
        for (tag, attributes) in tags(&out.html) {
            assert!(
                MARKDOWN_TAGS.contains(&tag.as_str())
                    || (cleaned && !RUNS_CODE.contains(&tag.as_str())),
                "<{tag}> leaked into {}",
                out.html
            );
            for (name, value) in attributes {
                assert!(!name.starts_with("on"), "{name} in {}", out.html);
                // Only addresses run code; `alt` text may say anything.
                if matches!(name.as_str(), "href" | "src" | "action" | "formaction") {
                    let value = value.trim_start().to_ascii_lowercase();
                    assert!(
                        !value.starts_with("javascript:") && !value.starts_with("vbscript:"),
                        "{value} in {}",
                        out.html
                    );
                }
            }
        }
    }
    let mut ids = HashSet::new();
    for entry in &out.toc {
        assert!((1..=6).contains(&entry.level));
        assert!(ids.insert(entry.id.as_str()), "id {} given twice", entry.id);
        if entry.id.chars().all(|c| c.is_alphanumeric() || c == '-') {
            assert!(
                out.html.contains(&format!(" id=\"{}\"", entry.id)),
                "{}",
                entry.id
            );
        }
    }
    let body_lines = body.split('\n').count();
    for (target, line) in &out.broken_links {
        assert!(*line < body_lines, "{target} at line {line}");
        let path = target
            .split_once('#')
            .map_or(target.as_str(), |(path, _)| path);
        assert!(
            path.ends_with(".md") && resolve_link(path).is_none(),
            "{target}"
        );
    }
    for (reference, line) in &out.missing_images {
        assert!(*line < body_lines, "{reference} at line {line}");
        assert!(resolve_image(reference).is_none(), "{reference}");
    }
    for reference in &out.local_images {
        assert!(resolve_image(reference).is_some(), "{reference}");
    }
    for line in &out.cleaned_lines {
        assert!(*line < body_lines && !raw_html);
    }
    if !body.contains("<!-- more -->") {
        assert!(out.summary.chars().count() <= 121, "{}", out.summary);
    }
    assert_eq!(out.plain.trim(), out.plain);
    assert!(out.reading_minutes >= 1);
}

/// Summaries: the first byte is the limit. A summary is the text itself when short
/// enough, else a prefix of it, cut at a sentence end or marked with an ellipsis.
pub fn summary(data: &[u8]) {
    let Some((&limit, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let limit = usize::from(limit);
    let cut = cut_summary(text, limit);
    let count = cut.chars().count();
    if text.chars().count() <= limit {
        assert_eq!(cut, text);
        return;
    }
    assert!(
        count <= limit + 1,
        "{count} characters for a limit of {limit}"
    );
    match cut.strip_suffix('…') {
        Some(head) if count == limit + 1 => assert!(text.starts_with(head)),
        _ => {
            assert!(text.starts_with(&cut));
            assert!(count > limit / 2, "a sentence cut keeps at least half");
        }
    }
}

/// Where `part`, a slice of `text`, starts in it.
fn offset_in(text: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize)
        .checked_sub(text.as_ptr() as usize)
        .expect("a slice of the text");
    assert!(offset + part.len() <= text.len(), "a slice of the text");
    offset
}

/// The tags of serialized HTML with their attributes, lower-cased names; quoted values
/// may hold `<` and `>`, text never holds a raw `<` before a letter.
pub fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut found = Vec::new();
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '<' || !chars.peek().is_some_and(|next| next.is_ascii_alphabetic()) {
            continue;
        }
        let mut tag = String::new();
        while let Some(&next) = chars.peek() {
            if next.is_whitespace() || next == '>' || next == '/' {
                break;
            }
            tag.push(next.to_ascii_lowercase());
            chars.next();
        }
        let mut attributes = Vec::new();
        loop {
            while chars
                .peek()
                .is_some_and(|next| next.is_whitespace() || *next == '/')
            {
                chars.next();
            }
            match chars.peek() {
                None => break,
                Some('>') => {
                    chars.next();
                    break;
                }
                Some(_) => {}
            }
            let mut name = String::new();
            while let Some(&next) = chars.peek() {
                if next.is_whitespace() || next == '=' || next == '>' || next == '/' {
                    break;
                }
                name.push(next.to_ascii_lowercase());
                chars.next();
            }
            let mut value = String::new();
            if chars.peek() == Some(&'=') {
                chars.next();
                if let Some(quote @ ('"' | '\'')) = chars.peek().copied() {
                    chars.next();
                    for next in chars.by_ref() {
                        if next == quote {
                            break;
                        }
                        value.push(next);
                    }
                } else {
                    while let Some(&next) = chars.peek() {
                        if next.is_whitespace() || next == '>' {
                            break;
                        }
                        value.push(next);
                        chars.next();
                    }
                }
            }
            attributes.push((name, value));
        }
        found.push((tag, attributes));
    }
    found
}
