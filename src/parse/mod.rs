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

/// Turns a serde_yaml error into ours; `yaml_offset` is the byte where the YAML starts in
/// `file_text`.
pub fn yaml_error(
    error: serde_yaml::Error,
    path: &Path,
    file_text: &str,
    yaml_offset: usize,
) -> Error {
    let message = strip_yaml_positions(&error.to_string());
    // libyaml also ends lines at a lone `\r`, NEL and the Unicode line separators, which
    // editors and our quoted lines do not: place the error by its byte index instead.
    let mut location = match error.location() {
        Some(at) => {
            let (line, column) = line_and_column(file_text, yaml_offset + at.index());
            Location::at(path, line, column)
        }
        None => Location::file(path),
    };
    let first_line = line_and_column(file_text, yaml_offset).0;
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

/// The 1-based line and column (in characters) of a byte of `text`, lines ending at `\n`.
pub(crate) fn line_and_column(text: &str, byte: usize) -> (usize, usize) {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    let before = &text[..byte];
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
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
    use std::path::Path;

    use super::{line_and_column, strip_yaml_positions, yaml_error};
    use crate::error::ErrorKind;

    #[test]
    fn lines_are_counted_at_line_feeds_only() {
        assert_eq!(line_and_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_and_column("a\rb\u{2028}c", 6), (1, 5));
        assert_eq!(line_and_column("标题", 1), (1, 1));
        assert_eq!(line_and_column("a", 9), (1, 2));
    }

    #[test]
    fn a_lone_carriage_return_does_not_move_the_error_past_the_file() {
        // Found by fuzzing: libyaml counted the `\r` as a line end and placed this error,
        // met at the end of the YAML, on line 4 of a 3-line file; it is the closing fence.
        let text = "---\ntitte:date: \r-013\u{5e74}2\u{6708}30\u{65e5}\n---\n";
        let yaml = &text[4..text.len() - 4];
        let error = serde_yaml::from_str::<serde_yaml::Value>(yaml).unwrap_err();
        let error = yaml_error(error, Path::new("a.md"), text, 4);
        assert!(matches!(error.kind, ErrorKind::Yaml { .. }), "{error:?}");
        let location = error.location.as_ref().unwrap();
        assert_eq!((location.line, location.column), (3, 1), "{error:?}");
        assert_eq!(error.source_line.as_deref(), Some("---"));
    }

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
