//! Text the preview writes into its pages (an error message, a path), escaped for the one
//! place it goes. An error quotes the author's own lines, so it may hold anything: `<`,
//! `</script`, `<!--`, quotes, U+2028.

/// For HTML text between tags (`<pre>…</pre>`): `&`, `<` and `>` become references, so
/// no tag or comment can start.
pub fn html_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// For a JavaScript string inside a `<script>` element: a JSON string in which `<`, `>` and
/// `&` are written as `\u` escapes, so that neither `</script` nor `<!--` (which would make
/// the parser swallow the next `</script>`) can appear, and U+2028/U+2029, which older
/// JavaScript takes for line ends, are escaped too.
pub fn script_string(text: &str) -> String {
    let json = serde_json::Value::String(text.to_string()).to_string();
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{html_text, script_string};

    const HOSTILE: &str = "title: \"<!--<script>\" </script><b a='1' c=\"2\">&amp;\u{2028}\u{2029}";

    #[test]
    fn html_text_starts_no_tag() {
        let escaped = html_text(HOSTILE);
        assert!(!escaped.contains('<') && !escaped.contains('>'));
        assert!(escaped.contains("&lt;!--&lt;script&gt;"));
        assert!(
            escaped.contains("&amp;amp;"),
            "an ampersand is shown as written"
        );
    }

    #[test]
    fn a_script_string_reads_back_as_the_text_and_holds_no_markup() {
        let escaped = script_string(HOSTILE);
        for markup in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            assert!(!escaped.contains(markup), "{markup:?} in {escaped}");
        }
        let back: String = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, HOSTILE);
    }
}
