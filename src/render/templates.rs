//! The theme's templates, compiled once per build, with the site's own overrides.

use std::collections::HashMap;
use std::path::PathBuf;

use tera::{Context, Kwargs, State, Tera};

use crate::error::{Error, ErrorKind, Location};
use crate::render::format;

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

    /// Renders one template.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, Error> {
        self.tera
            .render(name, context)
            .map_err(|error| template_error(error, &self.paths, &HashMap::new()))
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
                .or_else(|| std::fs::read_to_string(&path).ok());
            Error::at(
                ErrorKind::Template {
                    message: report.message().to_string(),
                },
                location,
                text.as_deref(),
            )
        }
        _ => Error::new(ErrorKind::Template {
            message: error.to_string(),
        }),
    }
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
}
