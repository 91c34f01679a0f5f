//! Stage 2, parse: pure functions from a file's text to a typed `Document`.
//!
//! Front matter is split off and read into typed structs; dates, slugs and
//! Markdown have their own modules.

pub mod date;
pub mod document;
pub mod frontmatter;
pub mod markdown;
pub mod sanitize;
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
    let message = strip_yaml_positions(&error.to_string());
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

/// Removes libyaml's own ` at line N column M`, which counts inside the front matter
/// block and would contradict the file position we report.
fn strip_yaml_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(index) = rest.find(" at line ") {
        out.push_str(&rest[..index]);
        let after = &rest[index + " at line ".len()..];
        let digits = |text: &str| {
            text.find(|c: char| !c.is_ascii_digit())
                .unwrap_or(text.len())
        };
        let line_end = digits(after);
        match after[line_end..].strip_prefix(" column ") {
            Some(column) if line_end > 0 => rest = &column[digits(column)..],
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
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

#[cfg(test)]
mod tests {
    use super::strip_yaml_positions;

    #[test]
    fn yaml_positions_are_removed_from_messages() {
        assert_eq!(
            strip_yaml_positions(
                "did not find expected ',' or ']' at line 5 column 1, while parsing a flow sequence at line 3 column 7"
            ),
            "did not find expected ',' or ']', while parsing a flow sequence"
        );
        assert_eq!(
            strip_yaml_positions("tags: invalid type"),
            "tags: invalid type"
        );
    }
}
