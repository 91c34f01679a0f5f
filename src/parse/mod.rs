//! Stage 2, parse: pure functions from a file's text to a typed `Document`.
//!
//! Front matter is split off and read into typed structs; dates, slugs and
//! Markdown have their own modules.

pub mod date;
pub mod document;
pub mod frontmatter;
pub mod markdown;
pub mod slug;

use std::path::Path;

use crate::error::{Error, ErrorKind, Location};

/// Marks a date error raised inside serde so it can be turned back into `ErrorKind::BadDate`.
pub(crate) const BAD_DATE_MARK: &str = "\u{1}bad-date\u{1}";

/// Turns a serde_yaml error into ours; `first_line` is the file line of the YAML's first line.
pub fn yaml_error(
    error: serde_yaml::Error,
    path: &Path,
    file_text: &str,
    first_line: usize,
) -> Error {
    let full = error.to_string();
    let message = match full.rfind(" at line ") {
        Some(index) => full[..index].to_string(),
        None => full,
    };
    let mut location = match error.location() {
        Some(at) => Location::at(path, at.line() + first_line - 1, at.column()),
        None => Location::file(path),
    };
    let kind = match message.find(BAD_DATE_MARK) {
        Some(index) => {
            let value = message[index + BAD_DATE_MARK.len()..]
                .trim_end_matches(BAD_DATE_MARK)
                .to_string();
            // serde_yaml places errors raised inside a value at the mapping, not the value: find the value.
            if let Some((line, column)) = find_value(file_text, first_line, &value) {
                location = Location::at(path, line, column);
            }
            ErrorKind::BadDate { value }
        }
        None => ErrorKind::Yaml { message },
    };
    Error::at(kind, location, Some(file_text))
}

/// The first line (at or after `first_line`) and column where `value` is written.
fn find_value(text: &str, first_line: usize, value: &str) -> Option<(usize, usize)> {
    if value.is_empty() {
        return None;
    }
    text.lines()
        .enumerate()
        .skip(first_line.saturating_sub(1))
        .find_map(|(index, line)| {
            line.find(value)
                .map(|byte| (index + 1, line[..byte].chars().count() + 1))
        })
}
