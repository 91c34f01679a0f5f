//! Relative links and images: told apart from addresses, split from what follows their
//! path, and rewritten to the URLs their files are published at.

use super::MarkdownOptions;
use crate::parse::sanitize;

pub(super) enum LinkRewrite {
    Keep,
    To(String),
    Broken,
}

/// A path relative to the current file: no scheme, no leading `/`, not a fragment.
pub(super) fn is_relative(dest: &str) -> bool {
    !(dest.is_empty()
        || sanitize::scheme_of(dest).is_some()
        || dest.starts_with('/')
        || dest.starts_with('#'))
}

/// A relative link split into its path and what follows (`?query`, `#fragment`), which a
/// file's name never holds as it is written in a link.
fn split_link(dest: &str) -> (&str, &str) {
    dest.split_at(dest.find(['?', '#']).unwrap_or(dest.len()))
}

/// Whether a link's path names a Markdown file, `.md` in any case.
fn is_markdown_path(path: &str) -> bool {
    path.len() >= 3
        && path
            .get(path.len() - 3..)
            .is_some_and(|end| end.eq_ignore_ascii_case(".md"))
}

/// The path of a relative link to a file that is not Markdown, without what follows it.
pub(super) fn file_link(dest: &str) -> Option<&str> {
    if !is_relative(dest) {
        return None;
    }
    let (path, _) = split_link(dest);
    (!path.is_empty() && !is_markdown_path(path)).then_some(path)
}

pub(super) fn rewrite_link(dest: &str, options: &MarkdownOptions<'_>) -> LinkRewrite {
    if !is_relative(dest) {
        return LinkRewrite::Keep;
    }
    let (path, suffix) = split_link(dest);
    if path.is_empty() {
        return LinkRewrite::Keep;
    }
    if !is_markdown_path(path) {
        return match (options.resolve_file)(path) {
            Some(url) => LinkRewrite::To(format!("{url}{suffix}")),
            None => LinkRewrite::Keep,
        };
    }
    match (options.resolve_link)(path) {
        Some(url) => LinkRewrite::To(format!("{url}{suffix}")),
        None => LinkRewrite::Broken,
    }
}
