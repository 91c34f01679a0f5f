//! The full report of an error: its place, its message, the source line with a caret
//! under the fault, and its hint.

use super::{Error, Lang};

impl Error {
    /// The full report: place, message, the source line with a caret, and the hint.
    pub fn report(&self, lang: Lang) -> String {
        let mut out = String::new();
        let label = lang.pick("错误".into(), "error".into());
        match &self.location {
            Some(location) => out.push_str(&format!("{label}: {location}: ")),
            None => out.push_str(&format!("{label}: ")),
        }
        out.push_str(&self.message(lang));
        out.push('\n');
        if let (Some(line), Some(location)) = (&self.source_line, &self.location) {
            let number = location.line.to_string();
            let (shown, column) = quoted_window(line, location.column);
            out.push_str(&format!("{number} | {shown}\n"));
            if column > 0 {
                let pad: usize = shown.chars().take(column - 1).map(display_width).sum();
                out.push_str(&format!(
                    "{} | {}^\n",
                    " ".repeat(number.len()),
                    " ".repeat(pad)
                ));
            }
        }
        if let Some(hint) = self.hint(lang) {
            let label = lang.pick("提示".into(), "hint".into());
            out.push_str(&format!("{label}: {hint}\n"));
        }
        out
    }
}

/// Characters of a source line quoted on each side of the fault: a line of a megabyte
/// (minified HTML, generated text) is shown as the part around the caret.
const QUOTE_CHARS: usize = 60;

/// The part of `line` to quote around the 1-based `column` (0: from the start), with `…`
/// where it was cut, and the column within that part.
fn quoted_window(line: &str, column: usize) -> (String, usize) {
    let total = line.chars().count();
    if total <= QUOTE_CHARS * 2 {
        return (line.to_string(), column);
    }
    let at = column.saturating_sub(1).min(total);
    let start = at.saturating_sub(QUOTE_CHARS);
    let end = (at + QUOTE_CHARS).min(total);
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(line.chars().skip(start).take(end - start));
    if end < total {
        shown.push('…');
    }
    let column = if column == 0 {
        0
    } else {
        at - start + 1 + usize::from(start > 0)
    };
    (shown, column)
}

/// Terminal columns a character takes: CJK and full-width forms take two.
fn display_width(c: char) -> usize {
    let code = c as u32;
    let wide = (0x1100..=0x115F).contains(&code)
        || (0x2E80..=0xA4CF).contains(&code)
        || (0xAC00..=0xD7A3).contains(&code)
        || (0xF900..=0xFAFF).contains(&code)
        || (0xFE30..=0xFE4F).contains(&code)
        || (0xFF00..=0xFF60).contains(&code)
        || (0xFFE0..=0xFFE6).contains(&code)
        || (0x20000..=0x3FFFD).contains(&code);
    if wide { 2 } else { 1 }
}
