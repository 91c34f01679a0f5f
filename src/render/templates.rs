//! The theme's templates, compiled once per build, with the site's own overrides.

use std::collections::HashMap;
use std::path::PathBuf;

use tera::{Context, Kwargs, State, Tera};

use crate::error::{Error, ErrorKind, Location};
use crate::format;

/// Room for a page before it grows: most pages are 10–20 kB.
const PAGE_CAPACITY: usize = 16 * 1024;

/// A template's text and where it came from.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// The name templates use: `base.html`, `partials/card.html`.
    pub name: String,
    /// The file, for messages.
    pub path: PathBuf,
    /// The text.
    pub text: String,
}

/// Compiled templates.
pub struct Templates {
    tera: Tera,
    paths: HashMap<String, PathBuf>,
}

impl Templates {
    /// Compiles templates; later sources with the same name replace earlier ones (site over theme).
    pub fn compile(sources: &[TemplateSource]) -> Result<Templates, Error> {
        let mut chosen: HashMap<&str, &TemplateSource> = HashMap::new();
        for source in sources {
            chosen.insert(&source.name, source);
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        register_helpers(&mut tera);
        let paths: HashMap<String, PathBuf> = chosen
            .values()
            .map(|source| (source.name.clone(), source.path.clone()))
            .collect();
        let mut names: Vec<&&str> = chosen.keys().collect();
        names.sort();
        let list: Vec<(&str, &str)> = names
            .iter()
            .map(|name| (**name, chosen[**name].text.as_str()))
            .collect();
        let templates_text: HashMap<&str, &str> = list.iter().copied().collect();
        tera.add_raw_templates(list)
            .map_err(|error| template_error(error, &paths, &templates_text))?;
        Ok(Templates { tera, paths })
    }

    /// Renders one template into bytes. Tera's own `render` checks the whole page is
    /// UTF-8 again to make a `String`: two gigabytes at 100,000 pages, for nothing, since
    /// every piece written is a `str`.
    pub fn render(&self, name: &str, context: &Context) -> Result<Vec<u8>, Error> {
        let mut page = Vec::with_capacity(PAGE_CAPACITY);
        self.tera
            .render_to(name, context, &mut page)
            .map_err(|error| template_error(error, &self.paths, &HashMap::new()))?;
        Ok(page)
    }

    /// Whether a template exists.
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }
}

fn template_error(
    error: tera::Error,
    paths: &HashMap<String, PathBuf>,
    texts: &HashMap<&str, &str>,
) -> Error {
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let path = paths
                .get(report.filename())
                .cloned()
                .unwrap_or_else(|| PathBuf::from(report.filename()));
            let location = Location::at(path.clone(), span.start_line, span.start_col + 1);
            let text = texts
                .get(report.filename())
                .map(|text| text.to_string())
                .or_else(|| crate::fsio::read_text(&path).ok());
            Error::at(
                ErrorKind::Template {
                    message: report.message().to_string(),
                },
                location,
                text.as_deref(),
            )
        }
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            // Tera names the template it started from, which may only lead into the loop.
            let chain = loop_of(std::iter::once(tpl).chain(inheritance_chain));
            let closing = &chain[chain.len() - 2];
            at_tag(
                ErrorKind::TemplateLoop {
                    chain: chain.clone(),
                },
                (closing, "extends", &chain[chain.len() - 1]),
                paths,
                texts,
            )
        }
        tera::ErrorKind::CircularInclude { include_chain, .. } => {
            let chain = loop_of(include_chain);
            let including = &chain[chain.len() - 2];
            at_tag(
                ErrorKind::IncludeLoop {
                    chain: chain.clone(),
                },
                (including, "include", &chain[chain.len() - 1]),
                paths,
                texts,
            )
        }
        tera::ErrorKind::MissingParent { current, parent } => at_tag(
            ErrorKind::MissingParentTemplate {
                parent: parent.clone(),
            },
            (current, "extends", parent),
            paths,
            texts,
        ),
        tera::ErrorKind::TemplateNotFound(name) => {
            Error::new(ErrorKind::MissingTemplate { name: name.clone() })
        }
        _ => Error::new(ErrorKind::Template {
            message: error.to_string(),
        }),
    }
}

/// The part of a chain of template names from the first time its last name appears: the
/// loop itself, `a → b → a`, never empty.
fn loop_of<'a>(chain: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut chain: Vec<String> = chain.into_iter().cloned().collect();
    let repeated = chain.last().cloned().unwrap_or_default();
    let first = chain.iter().position(|name| *name == repeated).unwrap_or(0);
    chain.drain(..first);
    if chain.len() < 2 {
        chain.push(repeated);
    }
    chain
}

/// An error at a template's `{% extends "name" %}` or `{% include "name" %}` tag, in its
/// file: `(template, tag, name)`.
fn at_tag(
    kind: ErrorKind,
    (template, tag, name): (&str, &str, &str),
    paths: &HashMap<String, PathBuf>,
    texts: &HashMap<&str, &str>,
) -> Error {
    let path = paths
        .get(template)
        .cloned()
        .unwrap_or_else(|| PathBuf::from(template));
    let text = texts.get(template).copied().unwrap_or_default();
    let (line, column) = text
        .lines()
        .enumerate()
        .find_map(|(index, line)| {
            let tag_at = line.find(tag)?;
            (line[..tag_at].contains("{%") && line[tag_at..].contains(name))
                .then(|| (index + 1, line[..tag_at].chars().count() + 1))
        })
        .unwrap_or((0, 0));
    Error::at(kind, Location::at(path, line, column), Some(text))
}

/// Chinese helpers for themes: `"2013-02-22" | date_zh`, `3 | cn_numeral`, `text | char_count`.
fn register_helpers(tera: &mut Tera) {
    tera.register_filter("date_zh", |value: &str, _: Kwargs, _: &State| {
        crate::parse::date::Date::parse(value)
            .map(|date| format::date_zh(date.day))
            .unwrap_or_else(|| value.to_string())
    });
    tera.register_filter("weekday_zh", |value: &str, _: Kwargs, _: &State| {
        crate::parse::date::Date::parse(value)
            .map(|date| format::weekday_zh(date.day).to_string())
            .unwrap_or_default()
    });
    tera.register_filter("cn_numeral", |value: i64, _: Kwargs, _: &State| {
        format::chinese_numeral(value.clamp(0, u32::MAX as i64) as u32)
    });
    tera.register_filter("char_count", |value: &str, _: Kwargs, _: &State| {
        value
            .chars()
            .filter(|c| crate::parse::markdown::is_cjk(*c))
            .count() as i64
    });
    tera.register_function(
        "date_range_zh",
        |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let (start, end) = day_pair(&kwargs)?;
            let with_year: bool = kwargs.get("with_year")?.unwrap_or(false);
            Ok(format::date_range_zh(start, end, with_year))
        },
    );
    tera.register_function(
        "countdown_zh",
        |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let (start, end) = day_pair(&kwargs)?;
            // Pass `today=site.now`, so the text agrees with the rest of the page.
            let today: &str = kwargs.must_get("today")?;
            let today = crate::parse::date::Date::parse(today)
                .map(|date| date.day)
                .ok_or_else(|| tera::Error::message(format!("`{today}` is not a date")))?;
            Ok(format::countdown_zh(start, end, today))
        },
    );
}

/// The `start` and `end` arguments of a date function (`end` defaults to `start`).
fn day_pair(kwargs: &Kwargs) -> tera::TeraResult<(chrono::NaiveDate, chrono::NaiveDate)> {
    let parse = |value: &str| {
        crate::parse::date::Date::parse(value)
            .map(|date| date.day)
            .ok_or_else(|| tera::Error::message(format!("`{value}` is not a date")))
    };
    let start: &str = kwargs.must_get("start")?;
    let end: Option<&str> = kwargs.get("end")?;
    let start = parse(start)?;
    let end = end.map(parse).transpose()?.unwrap_or(start);
    Ok((start, end))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use tera::Context;

    use super::{TemplateSource, Templates};

    fn render(template: &str) -> String {
        let templates = Templates::compile(&[TemplateSource {
            name: "t.html".into(),
            path: PathBuf::from("t.html"),
            text: template.into(),
        }])
        .unwrap();
        let mut context = Context::new();
        context.insert("site", &serde_json::json!({ "now": "2013-03-20" }));
        String::from_utf8(templates.render("t.html", &context).unwrap()).unwrap()
    }

    #[test]
    fn chinese_helpers_for_themes() {
        assert_eq!(
            render(r#"{{ "2013-02-22" | date_zh }} {{ "2013-02-22" | weekday_zh }}"#),
            "2013年2月22日 星期五"
        );
        assert_eq!(render("{{ 12 | cn_numeral }}"), "十二");
        assert_eq!(render(r#"{{ "志愿服务,好!" | char_count }}"#), "5");
        assert_eq!(
            render(r#"{{ date_range_zh(start="2012-09-04", end="2012-09-15") }}"#),
            "9月4日至9月15日"
        );
        assert_eq!(
            render(r#"{{ date_range_zh(start="2012-12-20", end="2013-01-05") }}"#),
            "2012年12月20日至2013年1月5日"
        );
        assert_eq!(
            render(r#"{{ countdown_zh(start="2013-03-01", end="2013-03-31", today=site.now) }}"#),
            "进行中 · 还剩 12 天"
        );
        assert_eq!(
            render(r#"{{ countdown_zh(start="2013-03-23", today=site.now) }}"#),
            "距开始还有 3 天"
        );
    }
}
