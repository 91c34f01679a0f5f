//! Warnings: what does not stop the build but is worth telling the author.

use super::{Lang, Location};

/// Something worth telling the author that does not stop the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WarningKind {
    /// A key in site.yaml that herald does not know.
    UnknownConfigKey {
        /// The key as written.
        key: String,
        /// The closest known key.
        suggestion: Option<String>,
    },
    /// Raw HTML or an unsafe link in Markdown was cleaned because `raw_html` is off.
    RawHtmlCleaned,
    /// A gallery photo with no caption, so no alt text for readers who cannot see it.
    PhotoWithoutCaption {
        /// The photo's file name.
        photo: String,
    },
    /// A key in front matter that herald does not know.
    UnknownField {
        /// The key as written.
        key: String,
        /// The closest known key.
        suggestion: Option<String>,
    },
    /// More unknown front matter keys in one file than are worth a warning each.
    MoreUnknownFields {
        /// How many were not named.
        count: usize,
    },
}

/// A warning with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// Where.
    pub location: Location,
}

impl Warning {
    /// The warning's message, in a language.
    pub fn message(&self, lang: Lang) -> String {
        let suggest = |suggestion: &Option<String>| match suggestion {
            Some(s) => lang.pick(
                format!("，是不是想写 `{s}`？"),
                format!("; did you mean `{s}`?"),
            ),
            None => String::new(),
        };
        let text = match &self.kind {
            WarningKind::UnknownConfigKey { key, suggestion } => lang.pick(
                format!("site.yaml 里有不认识的设置 `{key}`，已忽略{}", suggest(suggestion)),
                format!("unknown setting `{key}` in site.yaml is ignored{}", suggest(suggestion)),
            ),
            WarningKind::UnknownField { key, suggestion } => lang.pick(
                format!("前置信息里有不认识的项 `{key}`，已忽略{}", suggest(suggestion)),
                format!("unknown front matter field `{key}` is ignored{}", suggest(suggestion)),
            ),
            WarningKind::PhotoWithoutCaption { photo } => lang.pick(
                format!("相册照片 `{photo}` 没有说明（caption），看不到图片的读者将无从了解它；请在 photos 列表中为它写 caption"),
                format!("the gallery photo `{photo}` has no caption, so readers who cannot see it learn nothing; give it a caption in the photos list"),
            ),
            WarningKind::RawHtmlCleaned => lang.pick(
                "Markdown 中的 HTML 代码或链接已清理：保留了安全的格式，去掉了脚本、事件属性、样式和 javascript: 之类的链接；如果信任这些内容，可在 site.yaml 中设置 raw_html: true".into(),
                "raw HTML in Markdown was cleaned: safe formatting is kept, scripts, event attributes, styles and links such as javascript: are removed; set raw_html: true in site.yaml if you trust this content".into(),
            ),
            WarningKind::MoreUnknownFields { count } => lang.pick(
                format!("从这一行起，前置信息里还有 {count} 个不认识的项，均已忽略；请对照文档检查这些项的名字"),
                format!("{count} more unknown front matter fields from this line on are ignored; check their names against the documentation"),
            ),
        };
        let label = lang.pick("警告".into(), "warning".into());
        format!("{label}: {}: {text}", self.location)
    }
}
