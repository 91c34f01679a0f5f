//! Site configuration: the typed `site.yaml`, with defaults and warnings for unknown keys.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, ErrorKind, Location, Result, Warning, WarningKind, did_you_mean};
use crate::fsio;
use crate::parse::frontmatter::KeyLines;

/// The name of the configuration file at the site's root.
pub const CONFIG_FILE: &str = "site.yaml";

/// One entry of the main menu.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq)]
pub struct MenuEntry {
    /// The text shown.
    pub name: String,
    /// A site path (`/plans/`) or a full URL.
    pub url: String,
}

/// Everything `site.yaml` may say.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub struct SiteConfig {
    /// The site's name, shown in the header and the title bar.
    pub title: String,
    /// One sentence about the site, for search engines and feeds.
    pub description: String,
    /// Where the site will live, e.g. `https://example.org/volunteer/`.
    pub base_url: String,
    /// The content language, `zh-CN` unless told otherwise.
    pub language: String,
    /// The folder in `themes/` to use.
    pub theme: String,
    /// The IANA time zone "today" is taken in.
    pub timezone: String,
    /// The organization publishing the site (shown in the header and footer).
    pub organization: String,
    /// A logo image path, from `static/`.
    pub logo: Option<String>,
    /// The main menu; the theme offers a default when empty.
    pub menu: Vec<MenuEntry>,
    /// Items per index page.
    pub paginate: usize,
    /// Keep raw HTML written inside Markdown (only for trusted authors).
    pub raw_html: bool,
    /// The theme's accent colour, a CSS colour such as `#c8102e`.
    pub accent: Option<String>,
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "timezone",
    "organization",
    "logo",
    "menu",
    "paginate",
    "raw_html",
    "accent",
];

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "志愿服务".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "zh-CN".into(),
            theme: "default".into(),
            timezone: "Asia/Shanghai".into(),
            organization: String::new(),
            logo: None,
            menu: Vec::new(),
            paginate: 10,
            raw_html: false,
            accent: None,
        }
    }
}

impl SiteConfig {
    /// Reads `site.yaml` from a site's root folder.
    pub fn load(root: &Path) -> Result<(SiteConfig, Vec<Warning>)> {
        let path = root.join(CONFIG_FILE);
        if !fsio::exists(&path) {
            return Err(Error::new(ErrorKind::NoSite));
        }
        let text = fsio::read_text(&path)?;
        SiteConfig::parse(&text, &path)
    }

    /// Parses the text of `site.yaml`; `path` is used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<(SiteConfig, Vec<Warning>)> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut unknown = Vec::new();
        let config: SiteConfig = if text.trim().is_empty() {
            SiteConfig::default()
        } else {
            let deserializer = serde_yaml::Deserializer::from_str(text);
            serde_ignored::deserialize(deserializer, |ignored| unknown.push(ignored.to_string()))
                .map_err(|e| crate::parse::yaml_error(e, path, text, 0))?
        };
        let key_lines = KeyLines::new(text);
        let warnings = unknown
            .into_iter()
            .map(|key| {
                let line = key_lines.line(&key);
                Warning {
                    kind: WarningKind::UnknownConfigKey {
                        suggestion: did_you_mean(&key, KNOWN_KEYS),
                        key,
                    },
                    location: Location::at(path, line, if line > 0 { 1 } else { 0 }),
                }
            })
            .collect();
        Ok((config, warnings))
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let after_scheme = match self.base_url.find("://") {
            Some(index) => {
                let rest = &self.base_url[index + 3..];
                rest.find('/').map(|slash| &rest[slash..]).unwrap_or("/")
            }
            None => self.base_url.as_str(),
        };
        let trimmed = after_scheme.trim_matches('/');
        if trimmed.is_empty() {
            "/".into()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// `base_url` with exactly one trailing slash; for absolute links in feeds and the sitemap.
    pub fn base_url_slash(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }
}

/// The 1-based line where a top-level key is written, 0 if not found.
pub fn find_key_line(text: &str, key: &str) -> usize {
    KeyLines::new(text).line(key)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::SiteConfig;
    use crate::error::{Lang, WarningKind};

    #[test]
    fn defaults_fill_what_is_not_written() {
        let (config, warnings) =
            SiteConfig::parse("title: 志愿者之家\n", Path::new("site.yaml")).unwrap();
        assert_eq!(config.title, "志愿者之家");
        assert_eq!(config.language, "zh-CN");
        assert_eq!(config.theme, "default");
        assert_eq!(config.timezone, "Asia/Shanghai");
        assert!(!config.raw_html);
        assert!(warnings.is_empty());
    }

    #[test]
    fn unknown_key_warns_with_a_suggestion_and_its_line() {
        let text = "title: 站点\nbaseurl: https://example.org/\n";
        let (_, warnings) = SiteConfig::parse(text, Path::new("site.yaml")).unwrap();
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].kind,
            WarningKind::UnknownConfigKey {
                key: "baseurl".into(),
                suggestion: Some("base_url".into())
            }
        );
        assert_eq!(warnings[0].location.line, 2);
        assert!(
            warnings[0]
                .message(Lang::En)
                .contains("did you mean `base_url`?")
        );
    }

    #[test]
    fn wrong_type_is_an_error_at_its_line() {
        let text = "title: 站点\npaginate: 很多\n";
        let error = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
        assert_eq!(error.location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn base_path_comes_from_the_url() {
        let mut config = SiteConfig {
            base_url: "https://example.org/volunteer".into(),
            ..SiteConfig::default()
        };
        assert_eq!(config.base_path(), "/volunteer/");
        config.base_url = "https://example.org".into();
        assert_eq!(config.base_path(), "/");
        assert_eq!(config.base_url_slash(), "https://example.org/");
    }
}
