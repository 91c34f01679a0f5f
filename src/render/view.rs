//! The values templates see: the theme contract. Every field is documented in themes/README.md.
#![allow(missing_docs)] // Field meanings are the theme contract, documented in themes/README.md.

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::MenuEntry;
use crate::format::{date_iso, date_zh, weekday_zh};
use crate::model::campaign::Status;
use crate::model::kind::Kind;
use crate::parse::document::{Goal, Leader, Organizer};
use crate::parse::markdown::TocEntry;

/// `site`: the same on every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub base_path: String,
    pub language: String,
    pub organization: String,
    pub logo: Option<String>,
    pub menu: Vec<MenuEntry>,
    pub accent: Option<String>,
    pub now: String,
    pub now_zh: String,
    pub timezone: String,
    pub feed_url: String,
    pub sections: Vec<SectionLink>,
}

/// A link to one kind's index.
#[derive(Debug, Clone, Serialize)]
pub struct SectionLink {
    pub kind: Kind,
    pub label: &'static str,
    pub url: String,
    pub count: usize,
}

/// A link with a label.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// A date in every form templates need.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `2013-02-22`
    pub iso: String,
    /// `2013年2月22日`
    pub zh: String,
    /// `星期五`
    pub weekday: String,
    /// `2013`
    pub year: i32,
}

impl DateView {
    pub fn new(day: NaiveDate) -> DateView {
        use chrono::Datelike;
        DateView {
            iso: date_iso(day),
            zh: date_zh(day),
            weekday: weekday_zh(day).to_string(),
            year: day.year(),
        }
    }
}

/// An item as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct ItemCard {
    pub kind: Kind,
    pub kind_label: &'static str,
    pub title: String,
    pub url: String,
    pub date: Option<DateView>,
    pub summary: String,
    pub tags: Vec<Link>,
    pub cover: Option<String>,
    pub cover_image: Option<ImageView>,
    pub campaign: Option<Link>,
    pub draft: bool,
    pub reading_minutes: u32,
}

/// A photo of a gallery.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoView {
    pub url: String,
    pub image: ImageView,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub date: Option<DateView>,
}

/// `page`: one item with everything its template may show.
#[derive(Debug, Clone, Serialize)]
pub struct ItemPage {
    #[serde(flatten)]
    pub card: ItemCard,
    pub permalink: String,
    /// An SVG QR code of the permalink, for campaign, initiative and story pages.
    pub qr_svg: Option<String>,
    pub content: String,
    pub toc: Vec<TocEntry>,
    pub updated: Option<DateView>,
    pub author: Option<String>,
    pub char_count: usize,
    pub previous: Option<Link>,
    pub next: Option<Link>,
    pub issuer: Option<String>,
    pub doc_number: Option<String>,
    pub leadership: Vec<Leader>,
    pub to: Option<String>,
    pub signatories: Vec<String>,
    pub closing: Option<String>,
    pub volunteers: Vec<String>,
    pub organization: Option<String>,
    pub location: Option<String>,
    pub photos: Vec<PhotoView>,
}

/// A campaign as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignCard {
    pub id: String,
    pub title: String,
    pub url: String,
    pub slogan: Option<String>,
    pub start: DateView,
    pub end: DateView,
    pub date_range: String,
    pub status: Status,
    pub status_label: &'static str,
    pub countdown: String,
    pub remaining: String,
    pub location: Option<String>,
    pub summary: String,
    pub cover: Option<String>,
    pub item_count: usize,
    pub feed_url: String,
    pub calendar_url: String,
}

/// A phase placed on the campaign's timeline.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseView {
    pub name: String,
    pub start: DateView,
    pub end: DateView,
    pub date_range: String,
    pub summary: Option<String>,
    pub status: Status,
    /// Left edge on the timeline, in percent.
    pub left: f64,
    /// Width on the timeline, in percent (at least a sliver).
    pub width: f64,
}

/// A dated item placed on the campaign's timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    pub title: String,
    pub url: String,
    pub kind: Kind,
    pub kind_label: &'static str,
    pub date: DateView,
    pub left: f64,
}

/// The axis of a campaign's timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub start: DateView,
    pub end: DateView,
    /// Where today falls, in percent, when inside the axis.
    pub today: Option<f64>,
    pub marks: Vec<Mark>,
}

/// Items of one kind, for grouped lists.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub kind: Kind,
    pub label: &'static str,
    pub url: String,
    /// Their cards (`ItemCard`s).
    pub items: tera::Value,
    /// How many more there are than shown (a campaign page shows the latest few as cards;
    /// its chronicle lists them all).
    pub more: usize,
}

/// `campaign`: a campaign's own page.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignPage {
    #[serde(flatten)]
    pub card: CampaignCard,
    pub permalink: String,
    pub qr_svg: Option<String>,
    pub content: String,
    pub organizers: Vec<Organizer>,
    pub goals: Vec<Goal>,
    pub phases: Vec<PhaseView>,
    pub timeline: Timeline,
    pub groups: Vec<Group>,
    pub tags: Vec<Link>,
}

/// Links between the pages of a paginated index.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The first and last pages and those near the current one, with gaps between.
    pub pages: Vec<PageLink>,
}

/// One entry of a pagination bar: a page, or a gap (`…`, with an empty URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageLink {
    /// The page number, or `…` for a gap.
    pub title: String,
    /// Empty for a gap.
    pub url: String,
    /// The page being shown.
    pub current: bool,
}

/// An image with its sizes, for `<img srcset>` and `<picture>`.
#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    /// The original file.
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The smallest JPEG, PNG for an image with transparency (or the original when the
    /// image has no copies: not processed, or animated).
    pub thumb: String,
    /// The largest JPEG or PNG (or the original).
    pub large: String,
    /// `url 480w, url 1600w` of the JPEG or PNG sizes; empty without copies.
    pub srcset: String,
    /// The same for the WebP sizes.
    pub webp_srcset: String,
    /// A `<source>` for each format browsers may choose before `srcset`'s: WebP.
    pub sources: Vec<SourceView>,
}

/// One `<source>` of a `<picture>`: a format's copies and their MIME type.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// `image/webp`.
    #[serde(rename = "type")]
    pub mime_type: String,
    /// `url 480w, url 1600w`.
    pub srcset: String,
}
