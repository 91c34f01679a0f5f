//! What each page read while its view was built, so that the preview renders again exactly
//! the pages whose inputs changed. The view code notes each read as it makes it (see
//! `Views`); nothing else keeps a list of which page shows what.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::model::Site;
use crate::model::kind::Kind;
use crate::model::tag_slug;

/// One thing a page's view read, named so that it means the same thing in the next
/// rebuild's site: items by source path, campaigns by id, tags by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Input {
    /// What every page reads: settings, navigation, today's date.
    Site,
    /// An item in full.
    Item(PathBuf),
    /// What lists show of an item: its card, which holds its title, address, date and
    /// kind, so links and timeline marks read it too.
    Card(PathBuf),
    /// The items before and after an item in its kind's list.
    Neighbours(PathBuf),
    /// A campaign in full, with which items it holds.
    Campaign(String),
    /// A campaign's title and address.
    CampaignLink(String),
    /// A tag's page address and the items it lists.
    Tag(String),
    /// The address of the tag with this name.
    TagSlug(String),
    /// The items of a kind, in order.
    List(Kind),
    /// The campaigns, in order.
    Campaigns,
    /// The tags, with their addresses and counts.
    Tags,
    /// The dated items the archive lists, in order.
    Archive,
}

/// What a card was made of, and a hash of the value templates received.
#[derive(Debug, Clone)]
pub struct CardRecord {
    /// The hash of the card's template value.
    pub hash: u64,
    /// What making it read.
    pub reads: Vec<Input>,
}

/// What a render recorded: each page's reads, and each card's.
#[derive(Debug, Default)]
pub struct Recorded {
    /// By output path (`plans/x/index.html`).
    pub pages: HashMap<String, Vec<Input>>,
    /// By the item's source path.
    pub cards: HashMap<PathBuf, CardRecord>,
}

impl Recorded {
    /// Takes in what a later render recorded: its pages and cards replace theirs.
    pub fn merge(&mut self, newer: Recorded) {
        self.pages.extend(newer.pages);
        self.cards.extend(newer.cards);
    }

    /// Forgets the pages `keep` refuses and the cards of items `site` no longer has.
    pub fn retain(&mut self, site: &Site, keep: impl Fn(&str) -> bool) {
        self.pages.retain(|path, _| keep(path));
        let items: HashSet<&Path> = site.items.iter().map(|item| item.rel.as_path()).collect();
        self.cards.retain(|rel, _| items.contains(rel.as_path()));
    }

    /// Whether an item's card, now hashing to `hash`, differs from the one recorded.
    pub fn card_changed(&self, rel: &Path, hash: u64) -> bool {
        self.cards.get(rel).is_none_or(|card| card.hash != hash)
    }

    /// The pages to render after an edit that changed one item and nothing else: those
    /// that read it in full, and those that show its card when the card changed.
    pub fn stale_after_body_edit(&self, rel: &Path, card_changed: bool) -> HashSet<String> {
        let item = Input::Item(rel.to_path_buf());
        let card = Input::Card(rel.to_path_buf());
        self.pages
            .iter()
            .filter(|(_, reads)| reads.contains(&item) || (card_changed && reads.contains(&card)))
            .map(|(path, _)| path.clone())
            .collect()
    }
}

thread_local! {
    /// The reads of the views being built on this thread, innermost last.
    static FRAMES: RefCell<Vec<Vec<Input>>> = const { RefCell::new(Vec::new()) };
}

/// Runs `build` and returns what it read. Frames nest, and an inner frame's reads are its
/// own: a page that shows a card reads the card, not what the card was made of.
pub fn record<T>(build: impl FnOnce() -> T) -> (T, Vec<Input>) {
    FRAMES.with(|frames| frames.borrow_mut().push(Vec::new()));
    let value = build();
    let reads = FRAMES.with(|frames| frames.borrow_mut().pop().unwrap_or_default());
    (value, reads)
}

/// Notes reads in the current frame, if one is open.
pub fn note_all(reads: impl IntoIterator<Item = Input>) {
    FRAMES.with(|frames| {
        if let Some(frame) = frames.borrow_mut().last_mut() {
            frame.extend(reads);
        }
    });
}

/// A hash of a template value: equal values, equal hashes, within one process.
pub fn value_hash(value: &tera::Value) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    // serde_json writes a value the same way each time (tera keeps key order).
    if let Ok(bytes) = serde_json::to_vec(value) {
        bytes.hash(&mut hasher);
    }
    hasher.finish()
}

/// Compares two builds of the site, input by input, remembering each answer.
pub struct Comparison<'a> {
    old: &'a Site,
    new: &'a Site,
    old_cards: &'a HashMap<PathBuf, CardRecord>,
    /// Hashes each item's card in the new site, for the cards whose reads changed.
    new_card_hash: &'a dyn Fn(usize) -> u64,
    old_items: HashMap<&'a Path, usize>,
    new_items: HashMap<&'a Path, usize>,
    answers: HashMap<Input, bool>,
    site_changed: bool,
}

impl<'a> Comparison<'a> {
    /// A comparison of `old` with `new`; `site_changed` says whether what every page
    /// reads (`Input::Site`) differs.
    pub fn new(
        old: &'a Site,
        new: &'a Site,
        old_cards: &'a HashMap<PathBuf, CardRecord>,
        new_card_hash: &'a dyn Fn(usize) -> u64,
        site_changed: bool,
    ) -> Comparison<'a> {
        let by_path = |site: &'a Site| -> HashMap<&'a Path, usize> {
            site.items
                .iter()
                .enumerate()
                .map(|(index, item)| (item.rel.as_path(), index))
                .collect()
        };
        Comparison {
            old,
            new,
            old_cards,
            new_card_hash,
            old_items: by_path(old),
            new_items: by_path(new),
            answers: HashMap::new(),
            site_changed,
        }
    }

    /// The output paths, of those recorded, whose pages read something that changed.
    pub fn stale<'p>(
        &mut self,
        pages: impl IntoIterator<Item = (&'p String, &'p Vec<Input>)>,
    ) -> HashSet<String> {
        pages
            .into_iter()
            .filter(|(_, reads)| reads.iter().any(|input| self.changed(input)))
            .map(|(path, _)| path.clone())
            .collect()
    }

    /// Whether `input` has another value in the new site.
    pub fn changed(&mut self, input: &Input) -> bool {
        if let Some(&answer) = self.answers.get(input) {
            return answer;
        }
        let answer = self.compare(input);
        self.answers.insert(input.clone(), answer);
        answer
    }

    fn compare(&mut self, input: &Input) -> bool {
        let (old, new) = (self.old, self.new);
        match input {
            Input::Site => self.site_changed,
            Input::Item(rel) => match self.items(rel) {
                (Some(a), Some(b)) => old.items[a] != new.items[b],
                _ => true,
            },
            Input::Card(rel) => self.card_changed(rel),
            Input::Neighbours(rel) => match self.items(rel) {
                (Some(a), Some(b)) => neighbours(old, a) != neighbours(new, b),
                _ => true,
            },
            Input::Campaign(id) => match (campaign(old, id), campaign(new, id)) {
                (Some(a), Some(b)) => a != b || rels(old, &a.items).ne(rels(new, &b.items)),
                _ => true,
            },
            Input::CampaignLink(id) => {
                let link =
                    |site: &Site| campaign(site, id).map(|c| (c.title.clone(), c.path_url()));
                link(old) != link(new)
            }
            Input::Tag(name) => {
                let tag = |site: &'a Site| {
                    site.tags
                        .iter()
                        .find(|tag| &tag.name == name)
                        .map(|tag| (tag.slug.as_str(), rels(site, &tag.items)))
                };
                match (tag(old), tag(new)) {
                    (Some((a, items_a)), Some((b, items_b))) => a != b || items_a.ne(items_b),
                    (a, b) => a.is_some() || b.is_some(),
                }
            }
            Input::TagSlug(name) => slug_of(old, name) != slug_of(new, name),
            Input::List(kind) => {
                rels(old, &old.items_of(*kind)).ne(rels(new, &new.items_of(*kind)))
            }
            Input::Campaigns => old
                .campaigns
                .iter()
                .map(|c| &c.id)
                .ne(new.campaigns.iter().map(|c| &c.id)),
            Input::Tags => {
                let tags = |site: &'a Site| {
                    site.tags
                        .iter()
                        .map(|tag| (&tag.name, &tag.slug, tag.items.len()))
                };
                tags(old).ne(tags(new))
            }
            Input::Archive => archived(old).ne(archived(new)),
        }
    }

    fn items(&self, rel: &Path) -> (Option<usize>, Option<usize>) {
        (
            self.old_items.get(rel).copied(),
            self.new_items.get(rel).copied(),
        )
    }

    /// A card is made again only when something it read changed, and it has changed only
    /// when the value it gives templates differs.
    fn card_changed(&mut self, rel: &Path) -> bool {
        let Some(before) = self.old_cards.get(rel) else {
            return true;
        };
        let Some(index) = self.new_items.get(rel).copied() else {
            return true;
        };
        let old_cards = self.old_cards;
        if !old_cards[rel].reads.iter().any(|input| self.changed(input)) {
            return false;
        }
        (self.new_card_hash)(index) != before.hash
    }
}

fn campaign<'s>(site: &'s Site, id: &str) -> Option<&'s crate::model::campaign::Campaign> {
    site.campaigns.iter().find(|campaign| campaign.id == id)
}

/// Items by their source paths, in the order given.
fn rels<'s>(site: &'s Site, indices: &'s [usize]) -> impl Iterator<Item = &'s Path> + 's {
    indices.iter().map(|&index| site.items[index].rel.as_path())
}

/// The source paths of the items before and after item `index` in its kind's list.
fn neighbours(site: &Site, index: usize) -> (Option<&Path>, Option<&Path>) {
    let kind = site.items[index].kind;
    let before = site.items[..index]
        .iter()
        .rfind(|item| item.kind == kind)
        .map(|item| item.rel.as_path());
    let after = site.items[index + 1..]
        .iter()
        .find(|item| item.kind == kind)
        .map(|item| item.rel.as_path());
    (before, after)
}

fn slug_of(site: &Site, name: &str) -> String {
    site.tags
        .iter()
        .find(|tag| tag.name == name)
        .map_or_else(|| tag_slug(name), |tag| tag.slug.clone())
}

fn archived(site: &Site) -> impl Iterator<Item = &Path> {
    crate::render::archive::archived(site).map(|item| item.rel.as_path())
}
