//! Cleaning of rendered Markdown that carries raw HTML or unsafe links, for
//! sites that leave `raw_html` off: formatting stays, scripts go.
//!
//! Authors paste from Word, WPS and web pages, so raw HTML is usually harmless
//! formatting (`<span>`, `<br>`, `<sup>`, tables). Showing it as text would
//! spoil the page; keeping it whole would let a pasted `<script>` or an
//! `onclick` run on the portal. ammonia keeps a list of safe tags and
//! attributes and drops the rest.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::sync::LazyLock;

use ammonia::Builder;
use html5ever::interface::{ElemName, ElementFlags, NodeOrText, QuirksMode, Tracer, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::TreeBuilder;
use html5ever::{Attribute, LocalName, Namespace, QualName, local_name, ns};

/// The cleaner, configured once: ammonia's safe defaults plus what herald's
/// own Markdown output needs (heading ids, footnote classes, task-list boxes,
/// table alignment).
static CLEANER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::default();
    builder
        .add_generic_attributes(["id", "class", "style"])
        .attribute_filter(|_element, attribute, value| {
            if attribute == "style" {
                alignment_only(value).map(Into::into)
            } else {
                Some(value.into())
            }
        })
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("img", ["title"])
        .add_tag_attributes("a", ["title"])
        .set_tag_attribute_value("input", "disabled", "")
        .link_rel(None);
    builder
});

/// Returns `html` with unsafe tags, attributes and URLs removed.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// Whether the elements of `html` ever sit inside one another more than `limit` deep, as
/// the parser ammonia cleans with sees them: unclosed tags and formatting tags the parser
/// reopens count. That parser looks through the open elements for most tags it meets, so
/// its work grows with the nesting times the length; this check parses the same way, looks
/// at the open elements after each tag, and stops as soon as the limit is passed.
pub fn nests_deeper_than(html: &str, limit: usize) -> bool {
    // A tag opens at most three elements (a lone `<td>` brings its `<tbody>` and `<tr>`).
    if html.bytes().filter(|&byte| byte == b'<').count() * 3 <= limit {
        return false;
    }
    let mut parser = html5ever::parse_fragment(
        ElementNames::default(),
        html5ever::ParseOpts::default(),
        QualName::new(None, ns!(html), local_name!("div")),
        Vec::new(),
        false,
    );
    let mut open = OpenElements::default();
    let mut rest = html;
    while !rest.is_empty() {
        // Up to the next tag: the elements can only change at a tag or at the text after it.
        let end = rest.bytes().skip(1).position(|byte| byte == b'<');
        let end = end.map_or(rest.len(), |index| index + 1);
        parser.process(StrTendril::from_slice(&rest[..end]));
        rest = &rest[end..];
        if open.count(&parser.tokenizer.sink) > limit {
            return true;
        }
    }
    false
}

/// Counts every element the parser holds open or may reopen (its list of active formatting
/// elements), each once, below the fragment's own root.
#[derive(Default)]
struct OpenElements {
    /// For each element, the round it was last counted in.
    counted_in: RefCell<Vec<u32>>,
    round: Cell<u32>,
    count: Cell<usize>,
}

impl OpenElements {
    fn count(&mut self, parser: &TreeBuilder<usize, ElementNames>) -> usize {
        self.round.set(self.round.get() + 1);
        self.count.set(0);
        parser.trace_handles(self);
        // The document, the `<html>` root and the context element are always there.
        self.count.get().saturating_sub(3)
    }
}

impl Tracer for OpenElements {
    type Handle = usize;

    fn trace_handle(&self, node: &usize) {
        let mut counted_in = self.counted_in.borrow_mut();
        if counted_in.len() <= *node {
            counted_in.resize(node + 1, 0);
        }
        if counted_in[*node] != self.round.get() {
            counted_in[*node] = self.round.get();
            self.count.set(self.count.get() + 1);
        }
    }
}

/// A tree sink that builds no tree: it keeps only what the parser asks of an element
/// (its name, and whether it is a MathML integration point), which is all that decides how
/// the parser goes on.
#[derive(Default)]
struct ElementNames {
    nodes: RefCell<Vec<ElementName>>,
}

#[derive(Debug, Clone)]
struct ElementName {
    ns: Namespace,
    local: LocalName,
    mathml_integration_point: bool,
}

impl ElemName for ElementName {
    fn ns(&self) -> &Namespace {
        &self.ns
    }

    fn local_name(&self) -> &LocalName {
        &self.local
    }
}

impl ElementNames {
    fn add(&self, ns: Namespace, local: LocalName, mathml_integration_point: bool) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(ElementName {
            ns,
            local,
            mathml_integration_point,
        });
        // Handle 0 is the document.
        nodes.len()
    }

    fn add_other(&self) -> usize {
        self.add(ns!(), local_name!(""), false)
    }
}

impl TreeSink for ElementNames {
    type Handle = usize;
    type Output = ();
    type ElemName<'a> = ElementName;

    fn finish(self) {}

    fn parse_error(&self, _message: Cow<'static, str>) {}

    fn get_document(&self) -> usize {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> ElementName {
        target
            .checked_sub(1)
            .and_then(|index| self.nodes.borrow().get(index).cloned())
            .unwrap_or_else(|| ElementName {
                ns: ns!(),
                local: local_name!(""),
                mathml_integration_point: false,
            })
    }

    fn create_element(&self, name: QualName, _: Vec<Attribute>, flags: ElementFlags) -> usize {
        self.add(
            name.ns,
            name.local,
            flags.mathml_annotation_xml_integration_point,
        )
    }

    fn create_comment(&self, _: StrTendril) -> usize {
        self.add_other()
    }

    fn create_pi(&self, _: StrTendril, _: StrTendril) -> usize {
        self.add_other()
    }

    fn append(&self, _: &usize, _: NodeOrText<usize>) {}

    fn append_based_on_parent_node(&self, _: &usize, _: &usize, _: NodeOrText<usize>) {}

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, _: &usize) -> usize {
        self.add_other()
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _: QuirksMode) {}

    fn append_before_sibling(&self, _: &usize, _: NodeOrText<usize>) {}

    fn add_attrs_if_missing(&self, _: &usize, _: Vec<Attribute>) {}

    fn remove_from_parent(&self, _: &usize) {}

    fn reparent_children(&self, _: &usize, _: &usize) {}

    fn is_mathml_annotation_xml_integration_point(&self, handle: &usize) -> bool {
        self.elem_name(handle).mathml_integration_point
    }
}

/// Keeps only a `text-align` with a plain value, which is what Markdown
/// tables write; colours, positions and fonts pasted from Word go.
fn alignment_only(style: &str) -> Option<String> {
    style.split(';').find_map(|declaration| {
        let (property, value) = declaration.split_once(':')?;
        let value = value.trim().to_ascii_lowercase();
        (property.trim().eq_ignore_ascii_case("text-align")
            && matches!(value.as_str(), "left" | "center" | "right" | "justify"))
        .then(|| format!("text-align: {value}"))
    })
}

/// Whether an inline HTML fragment opens an element whose content the browser
/// takes as plain text up to its closing tag, or to the end of the page.
pub fn opens_raw_text(fragment: &str) -> bool {
    let Some(rest) = fragment.trim_start().strip_prefix('<') else {
        return false;
    };
    let name: String = rest
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        name.as_str(),
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
            | "plaintext"
    )
}

/// The scheme an address starts with (`https` of `https://…`, `mailto` of `mailto:…`), as
/// a browser reads it: a letter, then letters, digits, `+`, `-` or `.`, then `:`. A file
/// named `12:30 合影.jpg` has none.
pub fn scheme_of(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

/// Whether a link or image address uses a scheme that can run code or
/// smuggle content (`javascript:`, `vbscript:`, `data:` …). Relative
/// addresses and the ordinary web, mail and phone schemes are safe.
pub fn is_unsafe_url(url: &str) -> bool {
    let trimmed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    // Without a scheme (a colon after a slash, `?` or `#`, or after a digit as in
    // `12:30.jpg`) the address is a path.
    let Some(scheme) = scheme_of(&trimmed) else {
        return false;
    };
    !matches!(
        scheme.to_ascii_lowercase().as_str(),
        "http" | "https" | "mailto" | "tel"
    )
}

#[cfg(test)]
mod tests {
    use super::{clean, is_unsafe_url, nests_deeper_than};

    #[test]
    fn scripts_events_and_javascript_urls_are_removed() {
        let cleaned = clean(
            r#"<p onclick="steal()">好<script>alert(1)</script><a href="javascript:alert(2)">点</a><iframe src="https://evil.example"></iframe></p>"#,
        );
        assert_eq!(cleaned, "<p>好<a>点</a></p>");
    }

    #[test]
    fn pasted_formatting_and_herald_markup_stay() {
        let html = concat!(
            r#"<h2 id="一目标任务">一、目标任务</h2>"#,
            r##"<p><span style="color: red; text-align: center">红字</span><br><sup class="footnote-reference"><a href="#1">1</a></sup></p>"##,
            r#"<table><thead><tr><th style="text-align: center">项目</th></tr></thead></table>"#,
            r#"<ul><li><input disabled="" type="checkbox" checked="">完成</li></ul>"#,
            r#"<img src="/stories/x/a.jpg" alt="合影" title="合影">"#,
        );
        let cleaned = clean(html);
        assert!(cleaned.contains(r#"<h2 id="一目标任务">"#), "{cleaned}");
        assert!(
            cleaned.contains(r#"<span style="text-align: center">红字</span>"#),
            "{cleaned}"
        );
        assert!(
            cleaned.contains(r##"<sup class="footnote-reference"><a href="#1">"##),
            "{cleaned}"
        );
        assert!(
            cleaned.contains(r#"<th style="text-align: center">"#),
            "{cleaned}"
        );
        assert!(cleaned.contains(r#"type="checkbox""#), "{cleaned}");
        assert!(
            cleaned.contains(r#"<img src="/stories/x/a.jpg" alt="合影" title="合影">"#),
            "{cleaned}"
        );
    }

    #[test]
    fn unsafe_schemes_are_recognised_through_disguises() {
        for url in [
            "javascript:alert(1)",
            " JavaScript:x",
            "java\tscript:x",
            "vbscript:x",
            "data:text/html,<b>",
        ] {
            assert!(is_unsafe_url(url), "{url}");
        }
        for url in [
            "https://example.org/a:b",
            "../plans/a.md",
            "/a:b",
            "#x:y",
            "mailto:a@b.c",
            "tel:123",
            "a.md?x=1:2",
            "12:30 合影.jpg",
        ] {
            assert!(!is_unsafe_url(url), "{url}");
        }
    }

    #[test]
    fn nesting_is_measured_as_the_parser_sees_it() {
        let nested = |depth: usize| format!("{}x{}", "<div>".repeat(depth), "</div>".repeat(depth));
        assert!(!nests_deeper_than(&nested(40), 40));
        assert!(nests_deeper_than(&nested(41), 40));
        // Closed siblings do not nest, however many.
        assert!(!nests_deeper_than(&"<div>x</div>".repeat(1000), 40));
        // An end tag the parser ignores closes nothing: each `<div>` stays open.
        assert!(nests_deeper_than(&"<span><div></span>".repeat(30), 40));
        // Formatting tags closed by their paragraph are reopened with the next text.
        let reopened: String = (0..60).map(|i| format!("<p><b id={i}></p>")).collect();
        assert!(nests_deeper_than(&format!("{reopened}x"), 40));
        // Few tags are not parsed at all.
        assert!(!nests_deeper_than("<b>粗</b>", 40));
        assert!(nests_deeper_than(&format!("粗{}", nested(41)), 40));
    }
}
