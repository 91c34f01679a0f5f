//! Site configuration: the typed `site.yaml`, with defaults and warnings for unknown keys.

use std::path::Path;

use chrono::{
    DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::error::{Error, ErrorKind, Location, Result, Warning, WarningKind, did_you_mean};
use crate::fsio;
use crate::parse::date::Date;
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
    /// File types, by extension, that links may publish besides the built-in list.
    pub attachments: Vec<String>,
    /// Metadata fields published photos keep; all others (GPS first) are taken out.
    pub keep_metadata: Vec<KeptField>,
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
    "attachments",
    "keep_metadata",
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
            attachments: Vec::new(),
            keep_metadata: Vec::new(),
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
        config.check(text, path)?;
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

    /// Puts `--base-url` in place of site.yaml's `base_url`, by the same rule.
    pub fn override_base_url(&mut self, value: &str) -> Result<()> {
        if !is_base_url(value) {
            return Err(Error::new(ErrorKind::BadOption {
                option: "--base-url",
                value: value.to_string(),
            }));
        }
        self.base_url = value.to_string();
        Ok(())
    }

    /// Values that parse but would mislead the build: each an error at its key's line.
    fn check(&self, text: &str, path: &Path) -> Result<()> {
        let at_key = |kind: ErrorKind, key: &str| {
            let line = crate::parse::frontmatter::find_key_line(text, key);
            let column = if line > 0 { key.chars().count() + 3 } else { 0 };
            Err(Error::at(
                kind,
                Location::at(path, line, column),
                Some(text),
            ))
        };
        if self.timezone.parse::<chrono_tz::Tz>().is_err() {
            let suggestion = chrono_tz::TZ_VARIANTS
                .iter()
                .map(|zone| zone.name())
                .find(|name| name.eq_ignore_ascii_case(self.timezone.trim()))
                .map(str::to_string);
            return at_key(
                ErrorKind::UnknownTimezone {
                    name: self.timezone.clone(),
                    suggestion,
                },
                "timezone",
            );
        }
        if !is_base_url(&self.base_url) {
            return at_key(
                ErrorKind::BadBaseUrl {
                    value: self.base_url.clone(),
                },
                "base_url",
            );
        }
        if !is_theme_name(&self.theme) {
            return at_key(
                ErrorKind::BadThemeName {
                    name: self.theme.clone(),
                },
                "theme",
            );
        }
        Ok(())
    }

    /// The site's time zone. `timezone` is checked when site.yaml is read, so only a
    /// configuration made by hand can fall back, to the default's China time.
    pub fn zone(&self) -> Tz {
        self.timezone.parse().unwrap_or(chrono_tz::Asia::Shanghai)
    }

    /// The day it is in the site's time zone at the instant `now`.
    pub fn day_at(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.zone()).date_naive()
    }

    /// The UTC offset the site's clocks show at a wall-clock time. A time shown twice
    /// (clocks set back) is its first showing; a time never shown (clocks set forward) is
    /// read with the offset before the change, as RFC 5545 reads it, so it lands after.
    pub fn offset_at(&self, local: NaiveDateTime) -> FixedOffset {
        let zone = self.zone();
        match zone.offset_from_local_datetime(&local).earliest() {
            Some(offset) => offset.fix(),
            // No zone moves its clocks twice in a day, so a day earlier is before the gap.
            None => zone
                .offset_from_local_datetime(&(local - Duration::days(1)))
                .earliest()
                .map_or_else(|| zone.offset_from_utc_datetime(&local).fix(), |o| o.fix()),
        }
    }

    /// The moment a date stands for (its midnight when it has no time): in the offset it
    /// was written with, else in the site's offset on that day and time.
    pub fn instant(&self, date: &Date) -> DateTime<FixedOffset> {
        let local = date.day.and_time(date.time.unwrap_or(NaiveTime::MIN));
        let offset = date
            .offset_seconds
            .and_then(FixedOffset::east_opt)
            .unwrap_or_else(|| self.offset_at(local));
        // The offset is fixed, so every wall-clock time exists in it exactly once.
        DateTime::from_naive_utc_and_offset(local - offset, offset)
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

/// Whether links can be made from a base URL: a full `http(s)://host[:port][/path]`, or a
/// path from the root (`/`, `/volunteer/`). Anything else (`example.org/vol`, `//host`,
/// `ftp://…`) would make links that lead nowhere.
pub fn is_base_url(value: &str) -> bool {
    fn plain_path(path: &str) -> bool {
        path.chars().all(|c| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(c, '?' | '#' | '\\' | '"' | '\'' | '<' | '>' | '`')
        })
    }
    if let Some(path) = value.strip_prefix('/') {
        return !path.starts_with('/') && plain_path(path);
    }
    let scheme_end = match value.find("://") {
        Some(end)
            if ["http", "https"]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(&value[..end])) =>
        {
            end
        }
        _ => return false,
    };
    let rest = &value[scheme_end + 3..];
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = match authority.strip_prefix('[') {
        // An IPv6 address: `[::1]:1111`.
        Some(bracketed) => match bracketed.split_once(']') {
            Some((address, port))
                if address
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.') =>
            {
                (address, port)
            }
            _ => return false,
        },
        // A name or an IPv4 address, so no colon but the port's.
        None => match authority.find(':') {
            Some(colon) => (&authority[..colon], &authority[colon..]),
            None => (authority, ""),
        },
    };
    let good_port = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|digits| !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()));
    !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.' || c == ':')
        && good_port
        && plain_path(path)
}

/// Whether a name can be a theme's: the name of one folder directly in `themes/`, so that
/// a theme never reaches outside it (`/`, `..`, `a/b`, `C:` and hidden folders cannot).
pub fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name
            .chars()
            .any(|c| matches!(c, '/' | '\\' | ':') || c.is_control())
}

/// A metadata field a site may choose to keep in its published photos (`keep_metadata:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeptField {
    /// The copyright notice.
    Copyright,
    /// The photographer.
    Artist,
    /// The caption stored in the photo.
    Description,
    /// The camera's make and model.
    Camera,
    /// When the photo was taken.
    Taken,
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{SiteConfig, is_base_url};
    use crate::error::{ErrorKind, Lang, WarningKind};

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
    fn an_unknown_timezone_is_an_error_at_its_line() {
        let text = "title: 站点\ntimezone: Asia/Beijing\n";
        let error = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
        assert!(
            matches!(&error.kind, ErrorKind::UnknownTimezone { name, suggestion: None } if name == "Asia/Beijing"),
            "{error:?}"
        );
        assert_eq!(error.location.as_ref().unwrap().line, 2);
        assert!(error.hint(Lang::Zh).unwrap().contains("Asia/Shanghai"));
        let error =
            SiteConfig::parse("timezone: asia/shanghai\n", Path::new("site.yaml")).unwrap_err();
        assert!(
            matches!(&error.kind, ErrorKind::UnknownTimezone { suggestion: Some(zone), .. } if zone == "Asia/Shanghai")
        );
        for good in ["Asia/Shanghai", "Asia/Hong_Kong", "UTC", "Europe/Berlin"] {
            let text = format!("timezone: {good}\n");
            assert!(
                SiteConfig::parse(&text, Path::new("site.yaml")).is_ok(),
                "{good}"
            );
        }
    }

    fn zoned(timezone: &str) -> SiteConfig {
        SiteConfig {
            timezone: timezone.into(),
            ..SiteConfig::default()
        }
    }

    fn wall_clock(text: &str) -> chrono::NaiveDateTime {
        chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn the_offset_follows_the_zone_and_its_summer_time() {
        let new_york = zoned("America/New_York");
        let offset = |text| new_york.offset_at(wall_clock(text)).local_minus_utc() / 3600;
        assert_eq!(offset("2024-01-15 12:00"), -5);
        assert_eq!(offset("2024-07-15 12:00"), -4);
        assert_eq!(offset("2024-03-10 01:59"), -5);
        assert_eq!(offset("2024-03-10 03:00"), -4);
        assert_eq!(
            offset("2024-03-10 02:30"),
            -5,
            "a time the clocks skip is read with the offset before"
        );
        assert_eq!(
            offset("2024-11-03 01:30"),
            -4,
            "a time shown twice is its first showing"
        );
        let shanghai = zoned("Asia/Shanghai");
        for text in ["2024-01-15 12:00", "2024-07-15 12:00"] {
            assert_eq!(
                shanghai.offset_at(wall_clock(text)).local_minus_utc(),
                8 * 3600
            );
        }
    }

    #[test]
    fn a_date_is_a_moment_in_its_own_offset_or_the_sites() {
        use crate::parse::date::Date;
        let new_york = zoned("America/New_York");
        let moment = |text: &str| new_york.instant(&Date::parse(text).unwrap()).to_rfc3339();
        assert_eq!(moment("2024-01-15"), "2024-01-15T00:00:00-05:00");
        assert_eq!(moment("2024-07-15 18:30"), "2024-07-15T18:30:00-04:00");
        assert_eq!(
            moment("2024-07-15 18:30+08:00"),
            "2024-07-15T18:30:00+08:00"
        );
        let skipped = new_york.instant(&Date::parse("2024-03-10 02:30").unwrap());
        assert_eq!(skipped.naive_utc(), wall_clock("2024-03-10 07:30"));
    }

    #[test]
    fn the_day_is_the_sites_day() {
        let instant = |text: &str| wall_clock(text).and_utc();
        let day = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        // 16:30 UTC is half past midnight in Shanghai and half past noon in New York.
        let now = instant("2024-03-09 16:30");
        assert_eq!(zoned("Asia/Shanghai").day_at(now), day("2024-03-10"));
        assert_eq!(zoned("America/New_York").day_at(now), day("2024-03-09"));
        // 04:30 UTC is still the evening before in New York.
        let now = instant("2024-03-10 04:30");
        assert_eq!(zoned("America/New_York").day_at(now), day("2024-03-09"));
        assert_eq!(zoned("Asia/Shanghai").day_at(now), day("2024-03-10"));
    }

    #[test]
    fn a_base_url_is_a_full_http_url_or_a_path_from_the_root() {
        for good in [
            "/",
            "/volunteer/",
            "/志愿/",
            "https://example.org",
            "https://example.org/volunteer/",
            "HTTP://Example.org:8080/a/b",
            "http://127.0.0.1:1111/",
            "http://[::1]:1111/",
            "https://志愿.中国/",
        ] {
            assert!(is_base_url(good), "{good}");
        }
        for bad in [
            "",
            "example.org/vol",
            "example.org",
            "volunteer/",
            "//example.org/vol",
            "ftp://example.org/",
            "https://",
            "https:///vol",
            "https://example.org:port/",
            "https://exa mple.org/",
            "https://example.org/a b/",
            "https://example.org/?q=1",
            "https://example.org/\"onload=\"x",
            "https://user@example.org/",
            "javascript:alert(1)",
            "/a\\b",
        ] {
            assert!(!is_base_url(bad), "{bad}");
        }
        let error = SiteConfig::parse(
            "title: t\nbase_url: example.org/vol\n",
            Path::new("site.yaml"),
        )
        .unwrap_err();
        assert!(
            matches!(&error.kind, ErrorKind::BadBaseUrl { value } if value == "example.org/vol")
        );
        assert_eq!(error.location.as_ref().unwrap().line, 2);
        let mut config = SiteConfig::default();
        let error = config.override_base_url("example.org/vol").unwrap_err();
        assert!(
            matches!(
                error.kind,
                ErrorKind::BadOption {
                    option: "--base-url",
                    ..
                }
            ),
            "the command line is held to the same rule"
        );
        config.override_base_url("https://example.org/v/").unwrap();
        assert_eq!(config.base_path(), "/v/");
    }

    #[test]
    fn a_theme_is_named_not_given_as_a_path() {
        for bad in ["/", "..", "a/b", "/etc/x"] {
            let text = format!("title: t\ntheme: \"{bad}\"\n");
            let error = SiteConfig::parse(&text, Path::new("site.yaml")).unwrap_err();
            assert!(
                matches!(&error.kind, ErrorKind::BadThemeName { name } if name == bad),
                "{bad}: {error:?}"
            );
            assert_eq!(error.location.as_ref().unwrap().line, 2);
        }
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
