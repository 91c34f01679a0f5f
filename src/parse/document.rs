//! A content file read into typed front matter and a Markdown body.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Location, Warning, WarningKind, did_you_mean};
use crate::parse::date::Date;
use crate::parse::frontmatter;

/// A member of a plan's leading group (领导小组).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Leader {
    /// 组长, 副组长, 成员 …
    pub role: String,
    /// The person's name, when the plan gives it.
    #[serde(default)]
    pub name: Option<String>,
    /// The person's office.
    #[serde(default)]
    pub position: Option<String>,
}

/// One photo of a gallery.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PhotoEntry {
    /// The image file, relative to the gallery's folder.
    pub src: String,
    /// What the photo shows; also its alt text.
    #[serde(default)]
    pub caption: Option<String>,
    /// Who took it.
    #[serde(default)]
    pub credit: Option<String>,
    /// When it was taken.
    #[serde(default)]
    pub date: Option<Date>,
}

/// A unit running a campaign: 主办, 承办, 协办 ….
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Organizer {
    /// 主办 / 承办 / 协办.
    #[serde(default)]
    pub role: Option<String>,
    /// The unit's name.
    pub name: String,
}

/// A phase of a campaign: 宣传发动, 报名登记, 授旗仪式 ….
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PhaseEntry {
    /// The phase's name.
    pub name: String,
    /// Its first day.
    pub start: Date,
    /// Its last day; a one-day phase may leave it out.
    #[serde(default)]
    pub end: Option<Date>,
    /// What happens in it.
    #[serde(default)]
    pub summary: Option<String>,
}

/// A measurable goal of a campaign.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// What is measured: 注册志愿者占城市人口比例.
    pub label: String,
    /// The target: ≥ 10%.
    pub target: String,
}

/// Everything front matter may hold, for every kind; the model checks which fields fit which kind.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct FrontMatter {
    /// The kind, when not given by the folder: plan, initiative, story, gallery, page.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The title (required).
    pub title: Option<String>,
    /// Publication date (required except for pages and campaigns).
    pub date: Option<Date>,
    /// Date of the last real change.
    pub updated: Option<Date>,
    /// A one-sentence summary; otherwise taken from the text.
    pub summary: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// A cover image, relative to the file or from `static/` with a leading `/`.
    pub cover: Option<String>,
    /// The URL's last part; otherwise from the file name or the title's pinyin.
    pub slug: Option<String>,
    /// Hidden unless building with drafts.
    pub draft: bool,
    /// Orders pages and lists: lower first.
    pub weight: Option<i64>,
    /// Who wrote it.
    pub author: Option<String>,
    /// The campaign id this item belongs to.
    pub campaign: Option<String>,

    /// Plan: 发文单位.
    pub issuer: Option<String>,
    /// Plan: 文号.
    pub doc_number: Option<String>,
    /// Plan: 领导小组.
    pub leadership: Vec<Leader>,

    /// Initiative: the salutation (称呼).
    pub to: Option<String>,
    /// Initiative: the signing units (落款).
    pub signatories: Vec<String>,
    /// Initiative: the closing line.
    pub closing: Option<String>,

    /// Story: the volunteers it is about.
    pub volunteers: Vec<String>,
    /// Story: their organization.
    pub organization: Option<String>,
    /// Story or campaign: where it happened.
    pub location: Option<String>,

    /// Gallery: its photos; when absent, every image beside `index.md`.
    pub photos: Option<Vec<PhotoEntry>>,

    /// Campaign: 主题口号.
    pub slogan: Option<String>,
    /// Campaign: first day.
    pub start: Option<Date>,
    /// Campaign: last day.
    pub end: Option<Date>,
    /// Campaign: 主办/承办 units.
    pub organizers: Vec<Organizer>,
    /// Campaign: its phases.
    pub phases: Vec<PhaseEntry>,
    /// Campaign: its goals.
    pub goals: Vec<Goal>,
}

const FIELDS: &[&str] = &[
    "type",
    "title",
    "date",
    "updated",
    "summary",
    "tags",
    "cover",
    "slug",
    "draft",
    "weight",
    "author",
    "campaign",
    "issuer",
    "doc_number",
    "leadership",
    "to",
    "signatories",
    "closing",
    "volunteers",
    "organization",
    "location",
    "photos",
    "slogan",
    "start",
    "end",
    "organizers",
    "phases",
    "goals",
];

/// Unknown fields named one by one in a file; the rest are counted in one warning, since a
/// file with hundreds of them (a template filled in wrongly, or generated) would bury every
/// other message.
pub const UNKNOWN_FIELDS_NAMED: usize = 5;

/// A parsed content file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file, as shown in messages (relative to the site root).
    pub path: PathBuf,
    /// The file relative to `content/`.
    pub rel: PathBuf,
    /// The typed front matter.
    pub front: FrontMatter,
    /// The whole file text, kept to quote lines in later errors.
    pub text: String,
    /// Where the body starts in `text`.
    pub body_offset: usize,
    /// The file line the body starts on.
    pub body_line: usize,
    /// Warnings found while parsing.
    pub warnings: Vec<Warning>,
}

impl Document {
    /// Parses a file's text. `path` is for messages, `rel` is relative to `content/`.
    pub fn parse(text: String, path: &Path, rel: &Path) -> Result<Document, Error> {
        let bom = if text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        let split = frontmatter::split(&text[bom..])
            .map_err(|kind| Error::at(kind, Location::at(path, 1, 1), Some(&text)))?;
        let yaml_offset = bom + (split.yaml.as_ptr() as usize - text[bom..].as_ptr() as usize);
        // Only the keys that will be named are kept; the rest are counted.
        let mut unknown = Vec::new();
        let mut unknown_count = 0;
        if let Some(byte) =
            frontmatter::flow_nesting_past(split.yaml, frontmatter::MAX_FLOW_NESTING)
        {
            let (line, column) = crate::parse::line_and_column(&text, yaml_offset + byte);
            return Err(Error::at(
                ErrorKind::YamlTooDeep {
                    limit: frontmatter::MAX_FLOW_NESTING,
                },
                Location::at(path, line, column),
                Some(&text),
            ));
        }
        let front: FrontMatter = if split.yaml.trim().is_empty() {
            FrontMatter::default()
        } else {
            let deserializer = serde_yaml::Deserializer::from_str(split.yaml);
            serde_ignored::deserialize(deserializer, |field| {
                if unknown.len() <= UNKNOWN_FIELDS_NAMED {
                    unknown.push(field.to_string());
                }
                unknown_count += 1;
            })
            .map_err(|e| crate::parse::yaml_error(e, path, &text, yaml_offset))?
        };
        let warnings = unknown_field_warnings(&unknown, unknown_count, path, &split);
        let body_offset = bom + (split.body.as_ptr() as usize - text[bom..].as_ptr() as usize);
        let body_line = split.body_line;
        Ok(Document {
            path: path.to_path_buf(),
            rel: rel.to_path_buf(),
            front,
            text,
            body_offset,
            body_line,
            warnings,
        })
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// The title, or the error every kind gives when it is missing.
    pub fn require_title(&self) -> Result<&str, Error> {
        self.front
            .title
            .as_deref()
            .filter(|title| !title.trim().is_empty())
            .ok_or_else(|| self.missing("title"))
    }

    /// The error for a missing required field, pointing at the front matter.
    pub fn missing(&self, field: &'static str) -> Error {
        Error::at(
            ErrorKind::MissingField { field },
            Location::at(&self.path, 1, 1),
            Some(&self.text),
        )
    }

    /// An error at a line of the body (0-based line within the body).
    pub fn error_in_body(&self, kind: ErrorKind, body_line_index: usize) -> Error {
        Error::at(
            kind,
            Location::at(&self.path, self.body_line + body_line_index, 1),
            Some(&self.text),
        )
    }

    /// An error at the first front-matter line that holds `value` (a nested entry such as a photo).
    pub fn error_at_value(&self, kind: ErrorKind, value: &str) -> Error {
        let yaml = &self.text[..self.body_offset];
        let found = yaml.lines().enumerate().find_map(|(index, line)| {
            line.find(value)
                .map(|byte| (index + 1, line[..byte].chars().count() + 1))
        });
        let (line, column) = found.unwrap_or((0, 0));
        Error::at(
            kind,
            Location::at(&self.path, line, column),
            Some(&self.text),
        )
    }

    /// An error at the line where a top-level field is written.
    pub fn error_at_field(&self, kind: ErrorKind, field: &str) -> Error {
        let yaml = &self.text[..self.body_offset];
        let line = crate::parse::frontmatter::find_key_line(yaml, field);
        let column = if line > 0 {
            field.chars().count() + 3
        } else {
            0
        };
        Error::at(
            kind,
            Location::at(&self.path, line, column),
            Some(&self.text),
        )
    }
}

/// A warning for each of the first unknown fields (`unknown`, of `count` in all), and one
/// counting the rest at the line of the first of them.
fn unknown_field_warnings(
    unknown: &[String],
    count: usize,
    path: &Path,
    split: &frontmatter::Split<'_>,
) -> Vec<Warning> {
    if unknown.is_empty() {
        return Vec::new();
    }
    let key_lines = frontmatter::KeyLines::new(split.yaml);
    let location = |key: &str| {
        let line = key_lines.line(key);
        Location::at(
            path,
            if line > 0 {
                line + split.yaml_line - 1
            } else {
                0
            },
            0,
        )
    };
    let mut warnings: Vec<Warning> = unknown
        .iter()
        .take(UNKNOWN_FIELDS_NAMED)
        .map(|key| Warning {
            kind: WarningKind::UnknownField {
                suggestion: did_you_mean(key, FIELDS),
                key: key.clone(),
            },
            location: location(key),
        })
        .collect();
    if let Some(first_unnamed) = unknown.get(UNKNOWN_FIELDS_NAMED) {
        warnings.push(Warning {
            kind: WarningKind::MoreUnknownFields {
                count: count - UNKNOWN_FIELDS_NAMED,
            },
            location: location(first_unnamed),
        });
    }
    warnings
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Document, UNKNOWN_FIELDS_NAMED};
    use crate::error::{ErrorKind, WarningKind};

    fn parse(text: &str) -> Result<Document, crate::error::Error> {
        Document::parse(
            text.to_string(),
            Path::new("content/plans/a.md"),
            Path::new("plans/a.md"),
        )
    }

    #[test]
    fn reads_typed_fields() {
        let doc = parse("---\ntitle: 方案\ndate: 2011年3月1日\ntags: [服务, 企业]\nleadership:\n  - role: 组长\n    position: 镇党委书记\n---\n正文\n").unwrap();
        assert_eq!(doc.front.title.as_deref(), Some("方案"));
        assert_eq!(
            doc.front.date.unwrap().day,
            chrono::NaiveDate::from_ymd_opt(2011, 3, 1).unwrap()
        );
        assert_eq!(doc.front.tags, vec!["服务", "企业"]);
        assert_eq!(
            doc.front.leadership[0].position.as_deref(),
            Some("镇党委书记")
        );
        assert_eq!(doc.body(), "正文\n");
        assert_eq!(doc.body_line, 9);
    }

    #[test]
    fn a_bad_date_names_the_file_line_and_value() {
        let error = parse("---\ntitle: 方案\ndate: 2013年2月30日\n---\n").unwrap_err();
        assert!(
            matches!(&error.kind, ErrorKind::BadDate { value } if value == "2013年2月30日"),
            "{error:?}"
        );
        assert_eq!(error.location.as_ref().unwrap().line, 3);
        assert_eq!(error.location.as_ref().unwrap().column, 7);
    }

    #[test]
    fn a_wrong_type_is_reported_at_the_file_line() {
        let error = parse("---\ntitle: 方案\n\ntags: 一个字符串\n---\n").unwrap_err();
        assert!(
            matches!(&error.kind, ErrorKind::Yaml { message } if message.contains("tags")),
            "{error:?}"
        );
        assert_eq!(error.location.as_ref().unwrap().line, 4);
    }

    #[test]
    fn broken_yaml_points_into_the_file() {
        let error = parse("---\ntitle: 方案\ndate: 2013-02-22\ntags: [a, b\nsummary: x\n---\n")
            .unwrap_err();
        assert!(matches!(error.kind, ErrorKind::Yaml { .. }));
        assert!(error.location.as_ref().unwrap().line >= 4);
    }

    #[test]
    fn bom_is_skipped_and_unknown_fields_warn() {
        let doc = parse("\u{feff}---\ntitle: 方案\ntitel: x\n---\n正文").unwrap();
        assert_eq!(doc.body(), "正文");
        assert_eq!(doc.warnings.len(), 1);
        assert_eq!(doc.warnings[0].location.line, 3);
    }

    #[test]
    fn many_unknown_fields_are_named_up_to_a_limit_then_counted() {
        let keys: String = (0..UNKNOWN_FIELDS_NAMED + 3)
            .map(|index| format!("extra{index}: x\n"))
            .collect();
        let doc = parse(&format!("---\ntitle: 方案\n{keys}---\n")).unwrap();
        assert_eq!(doc.warnings.len(), UNKNOWN_FIELDS_NAMED + 1);
        assert_eq!(doc.warnings[1].location.line, 4);
        let last = doc.warnings.last().unwrap();
        assert_eq!(last.kind, WarningKind::MoreUnknownFields { count: 3 });
        assert_eq!(last.location.line, 3 + UNKNOWN_FIELDS_NAMED);
    }
}
