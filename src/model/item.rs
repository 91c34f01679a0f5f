//! Items: plans, initiatives, stories, galleries and pages, with what each kind adds.

use std::path::PathBuf;

use crate::model::kind::Kind;
use crate::parse::date::Date;
use crate::parse::document::Leader;
use crate::parse::markdown::Rendered;

/// A photo of a gallery, placed in the output.
#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    /// Site path of the image (`galleries/x/a.jpg`).
    pub path_url: String,
    /// What it shows.
    pub caption: Option<String>,
    /// Who took it.
    pub credit: Option<String>,
    /// When.
    pub date: Option<Date>,
}

/// What each kind adds to the common fields.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    /// 活动方案
    Plan {
        /// 发文单位
        issuer: Option<String>,
        /// 文号
        doc_number: Option<String>,
        /// 领导小组
        leadership: Vec<Leader>,
    },
    /// 倡议书
    Initiative {
        /// 称呼
        to: Option<String>,
        /// 落款单位
        signatories: Vec<String>,
        /// Closing line.
        closing: Option<String>,
    },
    /// 典型事迹
    Story {
        /// The volunteers.
        volunteers: Vec<String>,
        /// Their organization.
        organization: Option<String>,
        /// Where.
        location: Option<String>,
    },
    /// 相册
    Gallery {
        /// Its photos, in order.
        photos: Vec<Photo>,
        /// Whether the author listed them; otherwise they are ordered by date taken.
        listed: bool,
    },
    /// A plain page.
    Page,
}

/// A file from `content/` to copy into the output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AssetCopy {
    /// Relative to `content/`.
    pub from: PathBuf,
    /// Relative to the output folder.
    pub to: String,
}

/// One published piece of content.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The kind.
    pub kind: Kind,
    /// The source, for messages.
    pub path: PathBuf,
    /// The source relative to `content/`.
    pub rel: PathBuf,
    /// The title.
    pub title: String,
    /// The URL's last part.
    pub slug: String,
    /// The site path (`plans/x/`), without the base path.
    pub path_url: String,
    /// Publication date (pages may have none).
    pub date: Option<Date>,
    /// Last real change.
    pub updated: Option<Date>,
    /// Plain-text summary.
    pub summary: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Cover image site path or full URL.
    pub cover: Option<String>,
    /// Shown only with drafts on.
    pub draft: bool,
    /// Ordering weight.
    pub weight: Option<i64>,
    /// Author.
    pub author: Option<String>,
    /// Index into `Site::campaigns`.
    pub campaign: Option<usize>,
    /// Kind-specific fields.
    pub detail: Detail,
    /// The rendered body.
    pub content: std::sync::Arc<Rendered>,
}
