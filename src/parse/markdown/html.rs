//! Writing the events as HTML, each top-level block that needs it cleaned on its own.

use std::cell::RefCell;

use pulldown_cmark::{Event, Tag};

use super::{BodyError, MAX_NESTING};
use crate::error::ErrorKind;
use crate::parse::sanitize::{self, is_unsafe_url};

/// Writes the events as HTML. With `clean`, each top-level block that holds raw HTML or an
/// unsafe link is cleaned on its own as soon as it is complete: broken HTML in one block
/// cannot swallow the blocks after it, and clean blocks (headings above all) come out
/// exactly as Markdown renders them. One writer renders every block, so footnotes keep
/// their numbers across blocks.
pub(super) fn write_html<'a>(
    events: impl Iterator<Item = (Event<'a>, usize)>,
    clean: bool,
) -> Result<String, BodyError> {
    if !clean {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.map(|(event, _)| event));
        return Ok(html);
    }
    struct Shared<'s>(&'s RefCell<String>);
    impl std::fmt::Write for Shared<'_> {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            self.0.borrow_mut().push_str(text);
            Ok(())
        }
    }
    let output = RefCell::new(String::new());
    let mut block = Block::default();
    let mut depth = 0usize;
    let mut error = None;
    let mut cleaned_tags = 0usize;
    let blocks = events.map_while(|(event, line)| {
        if depth == 0 {
            if let Err(too_deep) = finish_block(&mut output.borrow_mut(), &block, &mut cleaned_tags)
            {
                error = Some(too_deep);
                return None;
            }
            block = Block {
                start: output.borrow().len(),
                line,
                dirty: false,
            };
        }
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        block.dirty |= needs_cleaning(&event);
        Some(event)
    });
    let _ = pulldown_cmark::html::write_html_fmt(Shared(&output), blocks);
    if let Some(error) = error {
        return Err(error);
    }
    let mut html = output.into_inner();
    finish_block(&mut html, &block, &mut cleaned_tags)?;
    Ok(html)
}

/// A top-level block being written: where it starts in the output and in the body, and
/// whether it holds something to clean.
#[derive(Default)]
struct Block {
    start: usize,
    line: usize,
    dirty: bool,
}

/// The most tags one page may hand the HTML cleaner, which spends a few microseconds on
/// each: about a second's work. A page pasted from Word holds a few thousand.
pub const MAX_CLEANED_TAGS: usize = 200_000;

/// Cleans the block at the end of `html` if it needs it, unless it nests too deep to clean
/// or the page's blocks to clean hold more tags than [`MAX_CLEANED_TAGS`] in all.
fn finish_block(
    html: &mut String,
    block: &Block,
    cleaned_tags: &mut usize,
) -> Result<(), BodyError> {
    if !block.dirty {
        return Ok(());
    }
    let part = &html[block.start..];
    *cleaned_tags += part.bytes().filter(|&byte| byte == b'<').count();
    if *cleaned_tags > MAX_CLEANED_TAGS {
        return Err(BodyError {
            kind: ErrorKind::TooMuchHtml {
                limit: MAX_CLEANED_TAGS,
            },
            line: block.line,
        });
    }
    if sanitize::nests_deeper_than(part, MAX_NESTING) {
        return Err(BodyError {
            kind: ErrorKind::HtmlTooDeep { limit: MAX_NESTING },
            line: block.line,
        });
    }
    let cleaned = sanitize::clean(part);
    html.truncate(block.start);
    html.push_str(&cleaned);
    Ok(())
}

fn needs_cleaning(event: &Event<'_>) -> bool {
    match event {
        Event::Html(_) | Event::InlineHtml(_) => true,
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            is_unsafe_url(dest_url)
        }
        _ => false,
    }
}
