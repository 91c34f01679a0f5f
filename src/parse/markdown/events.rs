//! The parser's events as herald renders them: links and images resolved, raw HTML kept
//! or gathered for cleaning, and the plain text, summary and faults noted on the way.

use pulldown_cmark::{CowStr, Event, OffsetIter, Tag, TagEnd};

use super::links::{LinkRewrite, file_link, is_relative, rewrite_link};
use super::{BodyError, MAX_NESTING, MarkdownOptions, Rendered};
use crate::error::ErrorKind;
use crate::parse::sanitize::{self, is_unsafe_url};

const MORE_MARKER: &str = "<!-- more -->";

/// The parser's events as herald renders them, each with its body line (0-based): links and
/// images resolved, raw HTML kept or marked for cleaning. What else the text holds (plain
/// text, summary, broken links …) is noted in `out` on the way. Stops at the first
/// nesting deeper than `MAX_NESTING`, leaving the error in `error`.
pub(super) struct Events<'a, 'o> {
    pub(super) parser: OffsetIter<'a>,
    pub(super) options: &'o MarkdownOptions<'o>,
    pub(super) line_starts: &'o [usize],
    pub(super) out: &'o mut Rendered,
    /// A raw HTML block to be cleaned, gathered whole, with its first line.
    pub(super) html_block: Option<(String, usize)>,
    /// The plain text before `<!-- more -->`, once met.
    pub(super) summary_plain: Option<String>,
    /// Elements open at this point.
    pub(super) depth: usize,
    pub(super) error: Option<BodyError>,
}

impl<'a> Iterator for Events<'a, '_> {
    type Item = (Event<'a>, usize);

    fn next(&mut self) -> Option<Self::Item> {
        while self.error.is_none() {
            let (event, range) = self.parser.next()?;
            let line = self
                .line_starts
                .partition_point(|&start| start <= range.start)
                - 1;
            let Some((event, line)) = self.convert(event, line) else {
                continue;
            };
            match event {
                Event::Start(_) => self.depth += 1,
                Event::End(_) => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
            if self.depth > MAX_NESTING {
                self.error = Some(BodyError {
                    kind: ErrorKind::MarkdownTooDeep { limit: MAX_NESTING },
                    line,
                });
                return None;
            }
            return Some((event, line));
        }
        None
    }
}

impl<'a> Events<'a, '_> {
    /// The event to render for one of the parser's, if any.
    fn convert(&mut self, event: Event<'a>, line: usize) -> Option<(Event<'a>, usize)> {
        let options = self.options;
        let out = &mut *self.out;
        let event = match event {
            Event::Start(Tag::HtmlBlock) if !options.raw_html => {
                self.html_block = Some((String::new(), line));
                return None;
            }
            Event::End(TagEnd::HtmlBlock) if !options.raw_html => {
                let (block, first_line) = self.html_block.take()?;
                return Some((Event::Html(block.into()), first_line));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if html.contains(MORE_MARKER) && self.summary_plain.is_none() {
                    self.summary_plain = Some(out.plain.clone());
                }
                let trimmed = html.trim();
                if trimmed.starts_with("<!--") && trimmed.ends_with("-->") {
                    return None;
                }
                if !options.raw_html {
                    note_line(&mut out.cleaned_lines, line);
                    if let Some((block, _)) = &mut self.html_block {
                        block.push_str(&html);
                        return None;
                    }
                    // A tag whose content the browser reads as plain text (`<script>`,
                    // `<textarea>` …) would take the rest of the page with it.
                    if sanitize::opens_raw_text(&html) {
                        return None;
                    }
                }
                Event::Html(html)
            }
            // `{#id .class key=value}` after a heading: any key could be `onclick`.
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) if !options.raw_html && !attrs.is_empty() => {
                note_line(&mut out.cleaned_lines, line);
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs: Vec::new(),
                })
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if !options.raw_html && is_unsafe_url(&dest_url) {
                    note_line(&mut out.cleaned_lines, line);
                }
                if let Some(path) = file_link(&dest_url) {
                    out.local_files.push((path.to_string(), line));
                }
                let dest_url = match rewrite_link(&dest_url, options) {
                    LinkRewrite::Keep => dest_url,
                    LinkRewrite::To(url) => CowStr::from(url),
                    LinkRewrite::Broken => {
                        out.broken_links.push((dest_url.to_string(), line));
                        dest_url
                    }
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if !options.raw_html && is_unsafe_url(&dest_url) {
                    note_line(&mut out.cleaned_lines, line);
                }
                let dest_url = if is_relative(&dest_url) {
                    match (options.resolve_image)(&dest_url) {
                        Some(url) => {
                            out.local_images.push(dest_url.to_string());
                            CowStr::from(url)
                        }
                        None => {
                            out.missing_images.push((dest_url.to_string(), line));
                            dest_url
                        }
                    }
                } else {
                    dest_url
                };
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                out.plain.push_str(text);
                event
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => {
                push_separator(&mut out.plain);
                event
            }
            other => other,
        };
        Some((event, line))
    }
}

/// Records a body line once, however many fragments on it needed cleaning.
fn note_line(lines: &mut Vec<usize>, line: usize) {
    if lines.last() != Some(&line) {
        lines.push(line);
    }
}

fn push_separator(plain: &mut String) {
    if !plain.is_empty() && !plain.ends_with(' ') {
        plain.push(' ');
    }
}
