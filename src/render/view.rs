//! The values templates see: the theme contract. Every field is documented in themes/README.md.
#![allow(missing_docs)] // Field meanings are the theme contract, documented in themes/README.md.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::MenuEntry;
use crate::format::{countdown_zh, date_iso, date_range_zh, date_zh, remaining_zh, weekday_zh};
use crate::media::Media;
use crate::model::Site;
use crate::model::campaign::{Campaign, Status};
use crate::model::item::{Detail, Item};
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

/// Cards per kind on a campaign page; the chronicle above them lists every dated item.
const CAMPAIGN_CARDS: usize = 12;

/// Builds views from the site; holds what every view needs.
pub struct Views<'a> {
    pub site: &'a Site,
    pub media: &'a Media,
    /// Each item's card, made the first time a list shows it: an item is listed on
    /// several pages (its kind's index, its tags, its campaign), and a template value is
    /// shared, not copied.
    card_values: Vec<OnceLock<tera::Value>>,
    /// Each tag's slug by its name: two names may share a pinyin, not a slug.
    tag_slugs: std::collections::HashMap<&'a str, &'a str>,
}

impl<'a> Views<'a> {
    pub fn new(site: &'a Site, media: &'a Media) -> Views<'a> {
        Views {
            site,
            media,
            card_values: (0..site.items.len()).map(|_| OnceLock::new()).collect(),
            tag_slugs: site
                .tags
                .iter()
                .map(|tag| (tag.name.as_str(), tag.slug.as_str()))
                .collect(),
        }
    }

    pub fn site_view(&self) -> SiteView {
        let site = self.site;
        let config = &site.config;
        SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: config.base_url_slash(),
            base_path: config.base_path(),
            language: config.language.clone(),
            organization: config.organization.clone(),
            logo: config.logo.as_deref().map(|logo| site.url(logo)),
            menu: config
                .menu
                .iter()
                .map(|entry| MenuEntry {
                    name: entry.name.clone(),
                    url: if entry.url.starts_with('/') {
                        site.url(&entry.url)
                    } else {
                        entry.url.clone()
                    },
                })
                .collect(),
            accent: config.accent.clone(),
            now: date_iso(site.now),
            now_zh: date_zh(site.now),
            feed_url: site.url("atom.xml"),
            sections: Kind::LISTED
                .iter()
                .map(|&kind| SectionLink {
                    kind,
                    label: kind.label(),
                    url: site.url(&format!("{}/", kind.section())),
                    count: site.items.iter().filter(|item| item.kind == kind).count(),
                })
                .collect(),
        }
    }

    /// The full address share cards show for an image: its largest JPEG or PNG copy, which
    /// every app reads and which is lighter than the original; the original when it has no
    /// copies.
    pub fn share_image(&self, path_url: &str) -> String {
        let largest = self.media.images.get(path_url).and_then(|info| {
            info.variants
                .iter()
                .rfind(|variant| variant.format != "webp")
        });
        self.site
            .permalink(largest.map_or(path_url, |variant| variant.path_url.as_str()))
    }

    /// An image by its site path (or full URL), with whatever processing found.
    pub fn image(&self, path_url: &str) -> ImageView {
        let url = self.site.url(path_url);
        let Some(info) = self.media.images.get(path_url) else {
            return ImageView {
                url: url.clone(),
                width: None,
                height: None,
                thumb: url.clone(),
                large: url,
                srcset: String::new(),
                webp_srcset: String::new(),
                sources: Vec::new(),
            };
        };
        let srcset = |format: &str| {
            info.variants
                .iter()
                .filter(|variant| variant.format == format)
                .map(|variant| format!("{} {}w", self.site.url(&variant.path_url), variant.width))
                .collect::<Vec<_>>()
                .join(", ")
        };
        // What every browser shows: JPEG, or PNG for an image with transparency.
        let fallback: Vec<&crate::media::Variant> = info
            .variants
            .iter()
            .filter(|v| v.format != "webp")
            .collect();
        let fallback_format = fallback.first().map(|v| v.format.as_str());
        let mut choices: Vec<&str> = Vec::new();
        for variant in &info.variants {
            if Some(variant.format.as_str()) != fallback_format
                && !choices.contains(&variant.format.as_str())
            {
                choices.push(&variant.format);
            }
        }
        let copy_url = |variant: Option<&&crate::media::Variant>| {
            variant.map_or_else(|| url.clone(), |v| self.site.url(&v.path_url))
        };
        ImageView {
            url: if info.original {
                url.clone()
            } else {
                copy_url(fallback.last())
            },
            width: Some(info.width),
            height: Some(info.height),
            thumb: copy_url(fallback.first()),
            large: copy_url(fallback.last()),
            srcset: fallback_format.map(srcset).unwrap_or_default(),
            webp_srcset: srcset("webp"),
            sources: choices
                .into_iter()
                .map(|format| SourceView {
                    mime_type: format!("image/{format}"),
                    srcset: srcset(format),
                })
                .collect(),
        }
    }

    pub fn tag_links(&self, names: &[String]) -> Vec<Link> {
        names
            .iter()
            .map(|name| {
                let slug = match self.tag_slugs.get(name.as_str()) {
                    Some(slug) => slug.to_string(),
                    None => crate::model::tag_slug(name),
                };
                Link {
                    title: name.clone(),
                    url: self.site.url(&format!("tags/{slug}/")),
                }
            })
            .collect()
    }

    pub fn card(&self, item: &Item) -> ItemCard {
        let site = self.site;
        ItemCard {
            kind: item.kind,
            kind_label: item.kind.label(),
            title: item.title.clone(),
            url: site.url(&item.path_url),
            date: item.date.map(|date| DateView::new(date.day)),
            summary: item.summary.clone(),
            tags: self.tag_links(&item.tags),
            cover: item.cover.as_deref().map(|cover| site.url(cover)),
            cover_image: item.cover.as_deref().map(|cover| self.image(cover)),
            campaign: item.campaign.map(|index| {
                let campaign = &site.campaigns[index];
                Link {
                    title: campaign.title.clone(),
                    url: site.url(&campaign.path_url()),
                }
            }),
            draft: item.draft,
            reading_minutes: item.content.reading_minutes,
        }
    }

    /// The cards of some items, as a template value.
    pub fn cards(&self, indices: &[usize]) -> tera::Value {
        indices
            .iter()
            .map(|&index| {
                self.card_values[index]
                    .get_or_init(|| {
                        tera::Value::from_serializable(&self.card(&self.site.items[index]))
                    })
                    .clone()
            })
            .collect::<Vec<tera::Value>>()
            .into()
    }

    pub fn link(&self, index: usize) -> Link {
        let item = &self.site.items[index];
        Link {
            title: item.title.clone(),
            url: self.site.url(&item.path_url),
        }
    }

    /// The page of one item; `siblings` are the indices of the items of its kind, ascending
    /// (site order, newest first).
    pub fn item_page(&self, index: usize, siblings: &[usize]) -> ItemPage {
        let item = &self.site.items[index];
        // Siblings are in site order, so a binary search finds the item.
        let position = siblings.binary_search(&index).ok();
        // "previous" is the older neighbour, "next" the newer, as readers of a news list expect.
        let previous = position
            .and_then(|p| siblings.get(p + 1))
            .map(|&i| self.link(i));
        let next = position
            .and_then(|p| p.checked_sub(1))
            .and_then(|p| siblings.get(p))
            .map(|&i| self.link(i));
        let permalink = self.site.permalink(&item.path_url);
        let mut page = ItemPage {
            card: self.card(item),
            qr_svg: matches!(item.kind, Kind::Initiative | Kind::Story).then(|| qr_svg(&permalink)),
            permalink,
            content: item.content.html.clone(),
            toc: item.content.toc.clone(),
            updated: item.updated.map(|date| DateView::new(date.day)),
            author: item.author.clone(),
            char_count: item.content.cjk_chars,
            previous,
            next,
            issuer: None,
            doc_number: None,
            leadership: Vec::new(),
            to: None,
            signatories: Vec::new(),
            closing: None,
            volunteers: Vec::new(),
            organization: None,
            location: None,
            photos: Vec::new(),
        };
        match &item.detail {
            Detail::Plan {
                issuer,
                doc_number,
                leadership,
            } => {
                page.issuer = issuer.clone();
                page.doc_number = doc_number.clone();
                page.leadership = leadership.clone();
            }
            Detail::Initiative {
                to,
                signatories,
                closing,
            } => {
                page.to = to.clone();
                page.signatories = signatories.clone();
                page.closing = closing.clone();
            }
            Detail::Story {
                volunteers,
                organization,
                location,
            } => {
                page.volunteers = volunteers.clone();
                page.organization = organization.clone();
                page.location = location.clone();
            }
            Detail::Gallery { photos, .. } => {
                page.photos = photos
                    .iter()
                    .map(|photo| PhotoView {
                        url: self.site.url(&photo.path_url),
                        image: self.image(&photo.path_url),
                        caption: photo.caption.clone(),
                        credit: photo.credit.clone(),
                        date: photo.date.map(|date| DateView::new(date.day)),
                    })
                    .collect();
            }
            Detail::Page => {}
        }
        page
    }

    pub fn campaign_card(&self, campaign: &Campaign) -> CampaignCard {
        let site = self.site;
        let status = campaign.status(site.now);
        CampaignCard {
            id: campaign.id.clone(),
            title: campaign.title.clone(),
            url: site.url(&campaign.path_url()),
            slogan: campaign.slogan.clone(),
            start: DateView::new(campaign.start.day),
            end: DateView::new(campaign.end.day),
            date_range: date_range_zh(campaign.start.day, campaign.end.day, true),
            status,
            status_label: status.label(),
            countdown: countdown_zh(campaign.start.day, campaign.end.day, site.now),
            remaining: remaining_zh(campaign.start.day, campaign.end.day, site.now),
            location: campaign.location.clone(),
            summary: campaign.summary.clone(),
            cover: campaign.cover.as_deref().map(|cover| site.url(cover)),
            item_count: campaign.items.len(),
            feed_url: site.url(&format!("{}atom.xml", campaign.path_url())),
            calendar_url: site.url(&format!("{}calendar.ics", campaign.path_url())),
        }
    }

    pub fn campaign_page(&self, campaign: &Campaign) -> CampaignPage {
        let site = self.site;
        let dated: Vec<(NaiveDate, usize)> = campaign
            .items
            .iter()
            .filter_map(|&index| site.items[index].date.map(|date| (date.day, index)))
            .collect();
        let axis_start = dated
            .iter()
            .map(|(day, _)| *day)
            .chain(campaign.phases.iter().map(|phase| phase.start.day))
            .chain([campaign.start.day])
            .min()
            .unwrap_or(campaign.start.day);
        let axis_end = dated
            .iter()
            .map(|(day, _)| *day)
            .chain(campaign.phases.iter().map(|phase| phase.end.day))
            .chain([campaign.end.day])
            .max()
            .unwrap_or(campaign.end.day);
        // One extra day so the last day has width on the axis.
        let span = ((axis_end - axis_start).num_days() + 1) as f64;
        let at = |day: NaiveDate| round1((day - axis_start).num_days() as f64 / span * 100.0);
        let phases = campaign
            .phases
            .iter()
            .map(|phase| {
                let status = Status::of(phase.start.day, phase.end.day, site.now);
                PhaseView {
                    name: phase.name.clone(),
                    start: DateView::new(phase.start.day),
                    end: DateView::new(phase.end.day),
                    date_range: date_range_zh(phase.start.day, phase.end.day, false),
                    summary: phase.summary.clone(),
                    status,
                    left: at(phase.start.day),
                    width: round1(
                        (((phase.end.day - phase.start.day).num_days() + 1) as f64 / span * 100.0)
                            .max(1.0),
                    ),
                }
            })
            .collect();
        let mut marks: Vec<Mark> = dated
            .iter()
            .map(|&(day, index)| {
                let item = &site.items[index];
                Mark {
                    title: item.title.clone(),
                    url: site.url(&item.path_url),
                    kind: item.kind,
                    kind_label: item.kind.label(),
                    date: DateView::new(day),
                    left: at(day),
                }
            })
            .collect();
        marks.sort_by(|a, b| a.date.iso.cmp(&b.date.iso));
        let today = (site.now >= axis_start && site.now <= axis_end).then(|| at(site.now));
        let groups = Kind::LISTED
            .iter()
            .chain([Kind::Page].iter())
            .filter_map(|&kind| {
                let indices: Vec<usize> = campaign
                    .items
                    .iter()
                    .copied()
                    .filter(|&index| site.items[index].kind == kind)
                    .collect();
                (!indices.is_empty()).then(|| Group {
                    kind,
                    label: kind.label(),
                    url: site.url(&format!("{}/", kind.section())),
                    items: self.cards(&indices[..indices.len().min(CAMPAIGN_CARDS)]),
                    more: indices.len().saturating_sub(CAMPAIGN_CARDS),
                })
            })
            .collect();
        let permalink = site.permalink(&campaign.path_url());
        CampaignPage {
            card: self.campaign_card(campaign),
            qr_svg: Some(qr_svg(&permalink)),
            permalink,
            content: campaign.content.html.clone(),
            organizers: campaign.organizers.clone(),
            goals: campaign.goals.clone(),
            phases,
            timeline: Timeline {
                start: DateView::new(axis_start),
                end: DateView::new(axis_end),
                today,
                marks,
            },
            groups,
            tags: self.tag_links(&campaign.tags),
        }
    }
}

/// The modules of a QR code of `text`, row by row (`true` is dark), and its width.
/// The mask is fixed rather than scored eight ways: every mask scans, and scoring was a
/// fifth of a 10,000-page build.
pub fn qr_modules(text: &str) -> Option<(usize, Vec<bool>)> {
    use qrcode::EcLevel;
    use qrcode::canvas::{Canvas, MaskPattern};
    let bits = qrcode::bits::encode_auto(text.as_bytes(), EcLevel::M).ok()?;
    let version = bits.version();
    let (data, ec) =
        qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    canvas.apply_mask(MaskPattern::Checkerboard);
    let width = usize::try_from(version.width()).ok()?;
    let modules = canvas
        .into_colors()
        .into_iter()
        .map(|color| color == qrcode::Color::Dark)
        .collect();
    Some((width, modules))
}

/// The light margin around a QR code, in modules, that scanners need.
const QR_QUIET_ZONE: usize = 4;

/// A QR code of a URL as inline SVG, made at build time: no outside service is asked.
pub fn qr_svg(url: &str) -> String {
    let Some((width, modules)) = qr_modules(url) else {
        return String::new();
    };
    // A row is one stroke of width 1 along its middle, drawn where it is dark and moved over
    // where it is light: `M4 4.5h7m2 0h2…`, some six characters a run, on every initiative,
    // story and campaign page.
    let mut path = String::with_capacity(modules.len() * 2);
    for (y, row) in modules.chunks(width).enumerate() {
        let mut pen = None;
        let mut x = 0;
        while x < width {
            let run = row[x..].iter().take_while(|&&dark| dark).count();
            if run > 0 {
                match pen {
                    None => {
                        path.push('M');
                        push_small(&mut path, x + QR_QUIET_ZONE);
                        path.push(' ');
                        push_small(&mut path, y + QR_QUIET_ZONE);
                        path.push_str(".5");
                    }
                    Some(end) => {
                        path.push('m');
                        push_small(&mut path, x - end);
                        path.push_str(" 0");
                    }
                }
                path.push('h');
                push_small(&mut path, run);
                pen = Some(x + run);
            }
            x += run.max(1);
        }
    }
    let size = width + 2 * QR_QUIET_ZONE;
    format!(
        "<svg role=\"img\" aria-label=\"本页网址的二维码\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"164\" height=\"164\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path stroke=\"#000\" d=\"{path}\"/></svg>"
    )
}

/// Appends a number below 1,000 (a QR code is at most 185 modules wide with its margin).
fn push_small(out: &mut String, number: usize) {
    let digit = |n: usize| char::from(b'0' + (n % 10) as u8);
    if number >= 100 {
        out.push(digit(number / 100));
    }
    if number >= 10 {
        out.push(digit(number / 10));
    }
    out.push(digit(number));
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::{QR_QUIET_ZONE, push_small, qr_modules, qr_svg};

    #[test]
    fn small_numbers_are_written_in_decimal() {
        for number in [0, 7, 10, 42, 99, 100, 105, 185, 999] {
            let mut out = String::new();
            push_small(&mut out, number);
            assert_eq!(out, number.to_string());
        }
    }

    #[test]
    fn the_qr_svg_draws_exactly_the_dark_modules() {
        let url = "https://example.org/stories/jinglaoyuan-yigong/";
        let (width, modules) = qr_modules(url).unwrap();
        let svg = qr_svg(url);
        let path = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert!(svg.contains("<path stroke=\"#000\" d=\""), "{svg}");
        // Replays the pen: `M{x} {y}.5` starts a row, `m{gap} 0` skips light modules and
        // `h{run}` draws dark ones.
        let mut drawn = vec![false; modules.len()];
        let (mut x, mut y) = (0, 0);
        let mut rest = path;
        while let Some(command) = rest.chars().next() {
            let end = rest[1..]
                .find(['M', 'm', 'h'])
                .map_or(rest.len(), |at| at + 1);
            let arguments = &rest[1..end];
            rest = &rest[end..];
            match command {
                'M' => {
                    let (left, top) = arguments.split_once(' ').unwrap();
                    x = left.parse().unwrap();
                    y = top.strip_suffix(".5").unwrap().parse().unwrap();
                }
                'm' => {
                    let gap: usize = arguments.strip_suffix(" 0").unwrap().parse().unwrap();
                    assert!(gap > 0, "a move between runs skips light modules");
                    x += gap;
                }
                'h' => {
                    let run: usize = arguments.parse().unwrap();
                    for column in x..x + run {
                        let index = (y - QR_QUIET_ZONE) * width + column - QR_QUIET_ZONE;
                        assert!(!drawn[index], "module drawn twice");
                        drawn[index] = true;
                    }
                    x += run;
                }
                other => panic!("unexpected path command {other:?} in {path}"),
            }
        }
        assert_eq!(drawn, modules);
    }

    #[test]
    fn qr_codes_scan_back_to_their_url() {
        for url in [
            "https://example.org/initiatives/yiyang-xue-leifeng/",
            "https://example.org/volunteer/campaigns/xue-leifeng-2013/",
            "http://127.0.0.1:1111/stories/jinglaoyuan-yigong/",
        ] {
            let (width, modules) = qr_modules(url).unwrap();
            let scale = 4;
            let side = (width + 2 * QR_QUIET_ZONE) * scale;
            let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
                let (mx, my) = (x / scale, y / scale);
                let inside = (QR_QUIET_ZONE..QR_QUIET_ZONE + width).contains(&mx)
                    && (QR_QUIET_ZONE..QR_QUIET_ZONE + width).contains(&my);
                if inside && modules[(my - QR_QUIET_ZONE) * width + (mx - QR_QUIET_ZONE)] {
                    0
                } else {
                    255
                }
            });
            let grids = image.detect_grids();
            assert_eq!(grids.len(), 1, "{url}");
            let (_, text) = grids[0].decode().unwrap();
            assert_eq!(text, url);
        }
    }
}
