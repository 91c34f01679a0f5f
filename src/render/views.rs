//! Builds the values templates see from the site. Every read of the site goes through an
//! accessor here, which notes it (when the preview asks) as an `Input`: what a page read
//! is known from the code that built it, not from a list kept elsewhere.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;

use crate::config::SiteConfig;
use crate::format::{date_iso, date_zh};
use crate::media::{Media, Variant};
use crate::model::campaign::Campaign;
use crate::model::item::Item;
use crate::model::kind::Kind;
use crate::model::{Site, Tag, urls};
use crate::render::archive;
use crate::render::inputs::{self, CardRecord, Input, Listing, Source};
use crate::render::view::{DateView, ImageView, ItemCard, Link, SectionLink, SiteView, SourceView};

/// An item's card as a template value, with what making it read.
struct Card {
    value: tera::Value,
    record: Option<CardRecord>,
}

/// Builds views from the site; holds what every view needs.
pub struct Views<'a> {
    site: &'a Site,
    media: &'a Media,
    /// Whether reads are noted: only the preview needs them.
    recording: bool,
    /// Each item's card, made the first time a list shows it: an item is listed on
    /// several pages (its kind's index, its tags, its campaign), and a template value is
    /// shared, not copied.
    cards: Vec<OnceLock<Card>>,
    /// Each tag by its name: two names may share a pinyin, not a slug.
    tags_by_name: HashMap<&'a str, &'a Tag>,
    /// The items of each kind, in site order.
    by_kind: HashMap<Kind, Vec<usize>>,
}

impl<'a> Views<'a> {
    /// Views for a one-off build: nothing is noted.
    pub fn new(site: &'a Site, media: &'a Media) -> Views<'a> {
        Views {
            site,
            media,
            recording: false,
            cards: (0..site.items.len()).map(|_| OnceLock::new()).collect(),
            tags_by_name: site
                .tags
                .iter()
                .map(|tag| (tag.name.as_str(), tag))
                .collect(),
            by_kind: Kind::LISTED
                .iter()
                .chain([Kind::Page].iter())
                .map(|&kind| (kind, site.items_of(kind)))
                .collect(),
        }
    }

    /// Views that note what each page reads, for the preview.
    pub fn recording(site: &'a Site, media: &'a Media) -> Views<'a> {
        Views {
            recording: true,
            ..Views::new(site, media)
        }
    }

    /// Whether reads are noted.
    pub fn is_recording(&self) -> bool {
        self.recording
    }

    fn note(&self, input: impl FnOnce() -> Input) {
        if self.recording {
            inputs::note(input());
        }
    }

    fn rel(&self, index: usize) -> Source {
        inputs::source_of(&self.site.items[index]).to_os_string()
    }

    /// The site's settings.
    pub fn config(&self) -> &'a SiteConfig {
        self.note(|| Input::Site);
        &self.site.config
    }

    /// "Today".
    pub fn now(&self) -> NaiveDate {
        self.note(|| Input::Site);
        self.site.now
    }

    /// The link for a site path.
    pub fn url(&self, path_url: &str) -> String {
        self.note(|| Input::Site);
        self.site.url(path_url)
    }

    /// The full address of a site path.
    pub fn permalink(&self, path_url: &str) -> String {
        self.note(|| Input::Site);
        self.site.permalink(path_url)
    }

    /// An item in full.
    pub fn item(&self, index: usize) -> &'a Item {
        self.note(|| Input::Item(self.rel(index)));
        &self.site.items[index]
    }

    /// An item as lists show it: only what its card holds (title, address, date, kind)
    /// may be read from it.
    pub fn listed(&self, index: usize) -> &'a Item {
        self.note(|| Input::Card(self.rel(index)));
        &self.site.items[index]
    }

    /// A stretch of a list (from `start`, at most `length` items), and the list's length.
    pub fn slice(&self, listing: Listing, start: usize, length: usize) -> (Vec<usize>, usize) {
        let items = match &listing {
            Listing::Kind(kind) => self.by_kind[kind].as_slice(),
            Listing::Tag(name) => self
                .tags_by_name
                .get(name.as_str())
                .map_or(&[][..], |tag| tag.items.as_slice()),
        };
        let total = items.len();
        let stretch = items.iter().skip(start).take(length).copied().collect();
        self.note(|| Input::Slice(listing, start, length));
        (stretch, total)
    }

    /// The older and the newer neighbour of an item in its kind's list.
    pub fn neighbours(&self, index: usize) -> (Option<usize>, Option<usize>) {
        self.note(|| Input::Neighbours(self.rel(index)));
        let siblings = &self.by_kind[&self.site.items[index].kind];
        // Siblings are in site order, newest first, so a binary search finds the item.
        let Ok(position) = siblings.binary_search(&index) else {
            return (None, None);
        };
        let older = siblings.get(position + 1).copied();
        let newer = position
            .checked_sub(1)
            .and_then(|p| siblings.get(p))
            .copied();
        (older, newer)
    }

    /// The campaigns, latest start first.
    pub fn campaigns(&self) -> std::ops::Range<usize> {
        self.note(|| Input::Campaigns);
        0..self.site.campaigns.len()
    }

    /// A campaign in full.
    pub fn campaign(&self, index: usize) -> &'a Campaign {
        let campaign = &self.site.campaigns[index];
        self.note(|| Input::Campaign(campaign.id.clone()));
        campaign
    }

    /// A campaign's title and address.
    pub fn campaign_link(&self, index: usize) -> Link {
        let campaign = &self.site.campaigns[index];
        self.note(|| Input::CampaignLink(campaign.id.clone()));
        Link {
            title: campaign.title.clone(),
            url: self.url(&campaign.path_url()),
        }
    }

    /// The tags, with their items.
    pub fn tags(&self) -> &'a [Tag] {
        self.note(|| Input::Tags);
        &self.site.tags
    }

    /// One tag's name and address, for its own pages; its items come by `slice`.
    pub fn tag(&self, index: usize) -> &'a Tag {
        let tag = &self.site.tags[index];
        self.note(|| Input::TagSlug(tag.name.clone()));
        tag
    }

    /// How many items the archive holds for each year and month.
    pub fn archive_counts(&self) -> Vec<archive::YearCount> {
        self.note(|| Input::ArchiveCounts);
        archive::counts(self.site)
    }

    /// The items the archive lists, newest first: all (`year` None) or one year's.
    pub fn archived(&self, year: Option<i32>) -> impl Iterator<Item = usize> + 'a {
        self.note(|| Input::Archive(year));
        archive::listed_in(self.site, year)
    }

    /// `site`: what every page shows of the site.
    pub fn site_view(&self) -> SiteView {
        let config = self.config();
        SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: config.base_url_slash(),
            base_path: config.base_path(),
            language: config.language.clone(),
            organization: config.organization.clone(),
            logo: config.logo.as_deref().map(|logo| self.url(logo)),
            menu: config
                .menu
                .iter()
                .map(|entry| crate::config::MenuEntry {
                    name: entry.name.clone(),
                    url: if entry.url.starts_with('/') {
                        self.url(&entry.url)
                    } else {
                        entry.url.clone()
                    },
                })
                .collect(),
            accent: config.accent.clone(),
            now: date_iso(self.site.now),
            now_zh: date_zh(self.site.now),
            timezone: config.timezone.clone(),
            feed_url: self.url(urls::FEED),
            sections: Kind::LISTED
                .iter()
                .map(|&kind| SectionLink {
                    kind,
                    label: kind.label(),
                    url: self.url(&urls::section(kind)),
                    count: self.by_kind[&kind].len(),
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
        self.permalink(largest.map_or(path_url, |variant| variant.path_url.as_str()))
    }

    /// An image by its site path (or full URL), with whatever processing found. A changed
    /// picture is no input of a page: it makes the preview render every page again.
    pub fn image(&self, path_url: &str) -> ImageView {
        let url = self.url(path_url);
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
        let fallback: Vec<&Variant> = info
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
        let copy_url = |variant: Option<&&Variant>| {
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

    /// Links to the tags of these names.
    pub fn tag_links(&self, names: &[String]) -> Vec<Link> {
        names
            .iter()
            .map(|name| {
                self.note(|| Input::TagSlug(name.clone()));
                let slug = match self.tags_by_name.get(name.as_str()) {
                    Some(tag) => tag.slug.clone(),
                    None => crate::model::tag_slug(name),
                };
                Link {
                    title: name.clone(),
                    url: self.url(&urls::tag(&slug, 1)),
                }
            })
            .collect()
    }

    /// What lists show of an item.
    pub fn card(&self, index: usize) -> ItemCard {
        let item = self.item(index);
        ItemCard {
            kind: item.kind,
            kind_label: item.kind.label(),
            title: item.title.clone(),
            url: self.url(&item.path_url),
            date: item.date.map(|date| DateView::new(date.day)),
            summary: item.summary.clone(),
            tags: self.tag_links(&item.tags),
            cover: item.cover.as_deref().map(|cover| self.url(cover)),
            cover_image: item.cover.as_deref().map(|cover| self.image(cover)),
            campaign: item.campaign.map(|campaign| self.campaign_link(campaign)),
            draft: item.draft,
            reading_minutes: item.content.reading_minutes,
        }
    }

    /// An item's card as a template value, made once.
    fn card_value(&self, index: usize) -> &Card {
        self.cards[index].get_or_init(|| {
            if self.recording {
                let (value, reads) =
                    inputs::record(|| tera::Value::from_serializable(&self.card(index)));
                let hash = inputs::value_hash(&value);
                Card {
                    value,
                    record: Some(CardRecord { hash, reads }),
                }
            } else {
                Card {
                    value: tera::Value::from_serializable(&self.card(index)),
                    record: None,
                }
            }
        })
    }

    /// The cards of some items, as a template value.
    pub fn cards(&self, indices: &[usize]) -> tera::Value {
        indices
            .iter()
            .map(|&index| {
                self.note(|| Input::Card(self.rel(index)));
                self.card_value(index).value.clone()
            })
            .collect::<Vec<tera::Value>>()
            .into()
    }

    /// A hash of an item's card, as templates receive it.
    pub fn card_hash(&self, index: usize) -> u64 {
        let card = self.card_value(index);
        match &card.record {
            Some(record) => record.hash,
            // Views that do not record keep no hash: make it.
            None => inputs::value_hash(&card.value),
        }
    }

    /// What making each card read, for the cards made so far.
    pub fn card_records(&self) -> HashMap<Source, CardRecord> {
        self.cards
            .iter()
            .enumerate()
            .filter_map(|(index, card)| {
                let record = card.get()?.record.clone()?;
                Some((self.rel(index), record))
            })
            .collect()
    }

    /// A link to an item: part of its card.
    pub fn link(&self, index: usize) -> Link {
        let item = self.listed(index);
        Link {
            title: item.title.clone(),
            url: self.url(&item.path_url),
        }
    }
}
