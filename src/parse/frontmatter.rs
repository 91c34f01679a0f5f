//! Splitting a Markdown file into its YAML front matter and its body.

use std::collections::HashMap;

use crate::error::ErrorKind;

/// A file cut in two, each half with the file line it starts on (1-based).
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// The file line of the YAML's first line.
    pub yaml_line: usize,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// The file line of the body's first line.
    pub body_line: usize,
}

/// Splits `text` (already stripped of any BOM) at its `---` fences. CRLF line ends are fine.
pub fn split(text: &str) -> Result<Split<'_>, ErrorKind> {
    let mut lines = LinesWithOffsets::new(text);
    match lines.next() {
        Some((_, line)) if is_fence(line) => {}
        _ => return Err(ErrorKind::FrontMatterMissing),
    }
    let yaml_start = lines.offset;
    for (number, (start, line)) in lines.by_ref().enumerate() {
        if is_fence(line) || line.trim_end() == "..." {
            let body_start = (start + line.len()).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..start],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: number + 3,
            });
        }
    }
    Err(ErrorKind::FrontMatterUnclosed)
}

/// The line each top-level key of a YAML block is written on, found in one pass over the
/// text: searching the text again for each key would take keys × lines steps, minutes for
/// a file of many thousand keys.
#[derive(Debug, Default)]
pub struct KeyLines<'a> {
    first_line: HashMap<&'a str, usize>,
}

impl<'a> KeyLines<'a> {
    /// Indexes the keys written at the start of a line of `yaml`.
    pub fn new(yaml: &'a str) -> KeyLines<'a> {
        let mut first_line = HashMap::new();
        for (index, line) in yaml.lines().enumerate() {
            if let Some(key) = top_level_key(line) {
                first_line.entry(key).or_insert(index + 1);
            }
        }
        KeyLines { first_line }
    }

    /// The 1-based line of `key` (or, for a dotted path such as `a.b`, of its first part),
    /// 0 when it is not written at the start of a line.
    pub fn line(&self, key: &str) -> usize {
        let top = key.split('.').next().unwrap_or(key);
        self.first_line
            .get(key)
            .or_else(|| self.first_line.get(top))
            .copied()
            .unwrap_or(0)
    }
}

/// The key of a `key: value` line that starts at the left margin, quotes removed.
fn top_level_key(line: &str) -> Option<&str> {
    if line.starts_with(char::is_whitespace) {
        return None;
    }
    // A plain key may hold a colon, but never a colon followed by a space.
    let colon = line.match_indices(':').find_map(|(index, _)| {
        line[index + 1..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace)
            .then_some(index)
    })?;
    let key = line[..colon].trim_end();
    let unquoted = ['"', '\'']
        .iter()
        .find_map(|&quote| key.strip_prefix(quote)?.strip_suffix(quote));
    Some(unquoted.unwrap_or(key))
}

/// How deep `[ ]` and `{ }` collections may nest in front matter. The YAML reader looks
/// through every open collection for each piece of text it reads, so its work grows with
/// the nesting times the length: 20,000 nested `[` took 0.7 s, and 8 MB of them hours.
/// Real front matter nests two or three deep (a list of `{src, caption}` photos).
pub const MAX_FLOW_NESTING: usize = 64;

/// The byte of `yaml` where `[ ]` and `{ }` collections first nest deeper than `limit`,
/// found by the YAML reader's own scanner, stopped there. Malformed YAML is left to the
/// reader to report.
pub fn flow_nesting_past(yaml: &str, limit: usize) -> Option<usize> {
    let openings = yaml.bytes().filter(|byte| matches!(byte, b'[' | b'{'));
    if openings.count() <= limit {
        return None;
    }
    let mut depth = 0usize;
    let mut past = None;
    // SAFETY: the parser is initialised before use and deleted once; it reads `yaml`, which
    // outlives it; every token it returns is deleted after its type and place are read.
    unsafe {
        let mut parser = std::mem::MaybeUninit::<unsafe_libyaml::yaml_parser_t>::uninit();
        if unsafe_libyaml::yaml_parser_initialize(parser.as_mut_ptr()).fail {
            return None;
        }
        let parser = parser.as_mut_ptr();
        unsafe_libyaml::yaml_parser_set_input_string(parser, yaml.as_ptr(), yaml.len() as u64);
        loop {
            let mut token = std::mem::MaybeUninit::<unsafe_libyaml::yaml_token_t>::uninit();
            if unsafe_libyaml::yaml_parser_scan(parser, token.as_mut_ptr()).fail {
                break;
            }
            let token = token.as_mut_ptr();
            let kind = (*token).type_;
            let at = (*token).start_mark.index as usize;
            unsafe_libyaml::yaml_token_delete(token);
            match kind {
                unsafe_libyaml::YAML_FLOW_SEQUENCE_START_TOKEN
                | unsafe_libyaml::YAML_FLOW_MAPPING_START_TOKEN => {
                    depth += 1;
                    if depth > limit {
                        past = Some(at);
                        break;
                    }
                }
                unsafe_libyaml::YAML_FLOW_SEQUENCE_END_TOKEN
                | unsafe_libyaml::YAML_FLOW_MAPPING_END_TOKEN => {
                    depth = depth.saturating_sub(1);
                }
                unsafe_libyaml::YAML_STREAM_END_TOKEN | unsafe_libyaml::YAML_NO_TOKEN => break,
                _ => {}
            }
        }
        unsafe_libyaml::yaml_parser_delete(parser);
    }
    past
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Lines with their byte offsets; each line keeps its end (`\n` or `\r\n`).
struct LinesWithOffsets<'a> {
    text: &'a str,
    offset: usize,
}

impl<'a> LinesWithOffsets<'a> {
    fn new(text: &'a str) -> Self {
        LinesWithOffsets { text, offset: 0 }
    }
}

impl<'a> Iterator for LinesWithOffsets<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.offset >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.offset..];
        let length = rest.find('\n').map_or(rest.len(), |index| index + 1);
        let start = self.offset;
        self.offset += length;
        Some((start, &rest[..length]))
    }
}

/// The 1-based line where a top-level key is written, 0 if not found.
pub fn find_key_line(text: &str, key: &str) -> usize {
    KeyLines::new(text).line(key)
}

#[cfg(test)]
mod tests {
    use super::{KeyLines, flow_nesting_past, split};
    use crate::error::ErrorKind;

    #[test]
    fn splits_yaml_and_body_with_their_lines() {
        let text = "---\ntitle: 倡议书\ndate: 2013-02-22\n---\n正文第一段\n";
        let split = split(text).unwrap();
        assert_eq!(split.yaml, "title: 倡议书\ndate: 2013-02-22\n");
        assert_eq!(split.yaml_line, 2);
        assert_eq!(split.body, "正文第一段\n");
        assert_eq!(split.body_line, 5);
    }

    #[test]
    fn crlf_line_ends_work() {
        let text = "---\r\ntitle: 倡议书\r\n---\r\n正文\r\n";
        let split = split(text).unwrap();
        assert_eq!(split.yaml, "title: 倡议书\r\n");
        assert_eq!(split.body, "正文\r\n");
    }

    #[test]
    fn a_file_ending_at_the_fence_has_an_empty_body() {
        let split = split("---\ntitle: a\n---").unwrap();
        assert_eq!(split.body, "");
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_errors() {
        assert!(matches!(
            split("---\ntitle: a\n正文\n"),
            Err(ErrorKind::FrontMatterUnclosed)
        ));
        assert!(matches!(
            split("正文\n"),
            Err(ErrorKind::FrontMatterMissing)
        ));
        assert!(matches!(split(""), Err(ErrorKind::FrontMatterMissing)));
    }

    #[test]
    fn key_lines_find_each_top_level_key_once() {
        let yaml =
            "title: a\ntags:\n  - title: nested\n\"og.image\": x\nurl: http://a/b\ntitle: again\n";
        let lines = KeyLines::new(yaml);
        assert_eq!(lines.line("title"), 1);
        assert_eq!(lines.line("tags"), 2);
        assert_eq!(lines.line("tags.0"), 2);
        assert_eq!(lines.line("og.image"), 4);
        assert_eq!(lines.line("url"), 5);
        assert_eq!(lines.line("http"), 0);
        assert_eq!(lines.line("absent"), 0);
    }

    #[test]
    fn flow_nesting_is_measured_by_the_yaml_scanner() {
        let nested = |depth: usize| format!("a: {}{}\n", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(flow_nesting_past(&nested(10), 10), None);
        assert_eq!(flow_nesting_past(&nested(11), 10), Some(3 + 10));
        // Brackets in quoted text and comments do not nest.
        let quoted = format!(
            "a: \"{}\"\nb: '{}' # {}\n",
            "[".repeat(50),
            "{".repeat(50),
            "[".repeat(50)
        );
        assert_eq!(flow_nesting_past(&quoted, 10), None);
        // Closing brackets in quotes close nothing.
        let hidden = format!("a: {}\n", "[\"]\", ".repeat(11));
        assert!(flow_nesting_past(&hidden, 10).is_some());
    }
}
