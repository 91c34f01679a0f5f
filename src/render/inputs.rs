//! What each page read while its view was built, so that the preview renders again exactly
//! the pages whose inputs changed. The view code notes each read as it makes it (see
//! `Views`); nothing else keeps a list of which page shows what.

use std::cell::RefCell;
use std::ffi::{OsStr, OsString};
use std::hash::{Hash, Hasher};

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

/// The maps a comparison makes and drops: hashed for speed, not for hostile keys.
type FastMap<K, V> = foldhash::HashMap<K, V>;
type FastSet<K> = foldhash::HashSet<K>;

use crate::model::Site;
use crate::model::campaign::Campaign;
use crate::model::kind::Kind;
use crate::model::tag_slug;
use crate::render::archive;

/// An item's source path relative to `content/`, as its bytes: hashed and compared as
/// they are, far faster than a path's components.
pub type Source = OsString;

/// An item's `Source`.
pub fn source_of(item: &crate::model::item::Item) -> &OsStr {
    item.rel.as_os_str()
}

/// One thing a page's view read, named so that it means the same thing in the next
/// rebuild's site: items by source path, campaigns by id, tags by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Input {
    /// What every page reads: settings, navigation, today's date.
    Site,
    /// An item in full.
    Item(Source),
    /// What lists show of an item: its card, which holds its title, address, date and
    /// kind, so links and timeline marks read it too.
    Card(Source),
    /// The items before and after an item in its kind's list.
    Neighbours(Source),
    /// A campaign in full, with which items it holds.
    Campaign(String),
    /// A campaign's title and address.
    CampaignLink(String),
    /// The address of the tag with this name.
    TagSlug(String),
    /// A stretch of a list (`start`, `length`), with the list's length: what one page of
    /// a paginated list, or the latest few, show.
    Slice(Listing, usize, usize),
    /// The campaigns, in order.
    Campaigns,
    /// The tags, with their addresses and counts.
    Tags,
    /// The items the archive lists, in order: all of them, or one year's.
    Archive(Option<i32>),
    /// How many items the archive holds for each year and month.
    ArchiveCounts,
}

/// A list of items that pages show a stretch of.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Listing {
    /// The items of a kind.
    Kind(Kind),
    /// The items of the tag with this name.
    Tag(String),
}

impl Listing {
    /// The list's items in `site`, newest first.
    pub fn items(&self, site: &Site) -> Vec<usize> {
        match self {
            Listing::Kind(kind) => site.items_of(*kind),
            Listing::Tag(name) => site
                .tags
                .iter()
                .find(|tag| &tag.name == name)
                .map(|tag| tag.items.clone())
                .unwrap_or_default(),
        }
    }
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
    pub cards: HashMap<Source, CardRecord>,
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
        let items: HashSet<&OsStr> = site.items.iter().map(source_of).collect();
        self.cards.retain(|rel, _| items.contains(rel.as_os_str()));
    }

    /// Whether an item's card, now hashing to `hash`, differs from the one recorded.
    pub fn card_changed(&self, rel: &OsStr, hash: u64) -> bool {
        self.cards.get(rel).is_none_or(|card| card.hash != hash)
    }

    /// The pages to render after an edit that changed one item and nothing else: those
    /// that read it in full, and those that show its card when the card changed.
    pub fn stale_after_body_edit(&self, rel: &OsStr, card_changed: bool) -> HashSet<String> {
        let item = Input::Item(rel.to_os_string());
        let card = Input::Card(rel.to_os_string());
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

/// Notes a read in the current frame, if one is open.
pub fn note(read: Input) {
    FRAMES.with(|frames| {
        if let Some(frame) = frames.borrow_mut().last_mut() {
            frame.push(read);
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
    old_cards: &'a HashMap<Source, CardRecord>,
    /// Hashes each item's card in the new site, for the cards whose reads changed.
    new_card_hash: &'a dyn Fn(usize) -> u64,
    new_items: FastMap<&'a OsStr, usize>,
    /// Items (by source) that differ, or are in one site only: found in one pass, as
    /// every item page reads its item.
    changed_items: FastSet<&'a OsStr>,
    /// Items whose neighbours in their kind's list differ.
    moved_items: FastSet<&'a OsStr>,
    cards: FastMap<&'a OsStr, bool>,
    answers: FastMap<Input, bool>,
    lists: FastMap<Listing, (Vec<&'a OsStr>, Vec<&'a OsStr>)>,
    site_changed: bool,
}

impl<'a> Comparison<'a> {
    /// A comparison of `old` with `new`; `site_changed` says whether what every page
    /// reads (`Input::Site`) differs.
    pub fn new(
        old: &'a Site,
        new: &'a Site,
        old_cards: &'a HashMap<Source, CardRecord>,
        new_card_hash: &'a dyn Fn(usize) -> u64,
        site_changed: bool,
    ) -> Comparison<'a> {
        let by_path = |site: &'a Site| -> FastMap<&'a OsStr, usize> {
            site.items
                .iter()
                .enumerate()
                .map(|(index, item)| (source_of(item), index))
                .collect()
        };
        let (old_items, new_items) = (by_path(old), by_path(new));
        // The old site's items that differ or are gone, in parallel; then the new ones.
        let mut changed_items: FastSet<&'a OsStr> = old
            .items
            .par_iter()
            .filter(|item| {
                new_items
                    .get(source_of(item))
                    .is_none_or(|&index| **item != new.items[index])
            })
            .map(source_of)
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        changed_items.extend(
            new.items
                .iter()
                .map(source_of)
                .filter(|rel| !old_items.contains_key(rel)),
        );
        let mut moved_items = FastSet::default();
        for (rel, &a) in &old_items {
            if let Some(&b) = new_items.get(rel)
                && neighbours(old, a) != neighbours(new, b)
            {
                moved_items.insert(*rel);
            }
        }
        Comparison {
            old,
            new,
            old_cards,
            new_card_hash,
            new_items,
            changed_items,
            moved_items,
            cards: FastMap::default(),
            answers: FastMap::default(),
            lists: FastMap::default(),
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
        // What each item page reads is answered from what was found in one pass, without
        // a copy of its key.
        match input {
            Input::Site => return self.site_changed,
            Input::Item(rel) => return self.changed_items.contains(rel.as_os_str()),
            Input::Neighbours(rel) => {
                return self.changed_items.contains(rel.as_os_str())
                    || self.moved_items.contains(rel.as_os_str());
            }
            Input::Card(rel) => {
                let Some((key, _)) = self.old_cards.get_key_value(rel) else {
                    return true;
                };
                if let Some(&answer) = self.cards.get(key.as_os_str()) {
                    return answer;
                }
                let answer = self.card_changed(key);
                self.cards.insert(key.as_os_str(), answer);
                return answer;
            }
            _ => {}
        }
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
            Input::Site | Input::Item(_) | Input::Card(_) | Input::Neighbours(_) => {
                unreachable!("answered by `changed`")
            }
            Input::Campaign(id) => match (campaign(old, id), campaign(new, id)) {
                // Its items by their source paths: indices move when others are added.
                (Some(a), Some(b)) => {
                    let fields = |c: &Campaign| Campaign {
                        items: Vec::new(),
                        ..c.clone()
                    };
                    fields(a) != fields(b) || rels(old, &a.items).ne(rels(new, &b.items))
                }
                _ => true,
            },
            Input::CampaignLink(id) => {
                let link =
                    |site: &Site| campaign(site, id).map(|c| (c.title.clone(), c.path_url()));
                link(old) != link(new)
            }
            Input::TagSlug(name) => slug_of(old, name) != slug_of(new, name),
            Input::Slice(listing, start, length) => {
                let (a, b) = self.listing(listing);
                let stretch = |list: &[&'a OsStr]| {
                    (
                        list.len(),
                        list.iter()
                            .skip(*start)
                            .take(*length)
                            .copied()
                            .collect::<Vec<_>>(),
                    )
                };
                stretch(a) != stretch(b)
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
            Input::Archive(year) => {
                let listed = |site: &'a Site| {
                    archive::listed_in(site, *year).map(move |index| source_of(&site.items[index]))
                };
                listed(old).ne(listed(new))
            }
            Input::ArchiveCounts => archive::counts(old) != archive::counts(new),
        }
    }

    /// A list's items by source path in the old and the new site, made once.
    fn listing(&mut self, listing: &Listing) -> (&[&'a OsStr], &[&'a OsStr]) {
        let (old, new) = (self.old, self.new);
        let lists = self.lists.entry(listing.clone()).or_insert_with(|| {
            let paths = |site: &'a Site| -> Vec<&'a OsStr> {
                listing
                    .items(site)
                    .into_iter()
                    .map(|index| source_of(&site.items[index]))
                    .collect()
            };
            (paths(old), paths(new))
        });
        (&lists.0, &lists.1)
    }

    /// A card is made again only when something it read changed, and it has changed only
    /// when the value it gives templates differs.
    fn card_changed(&mut self, rel: &OsStr) -> bool {
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

fn campaign<'s>(site: &'s Site, id: &str) -> Option<&'s Campaign> {
    site.campaigns.iter().find(|campaign| campaign.id == id)
}

/// Items by their source paths, in the order given.
fn rels<'s>(site: &'s Site, indices: &'s [usize]) -> impl Iterator<Item = &'s OsStr> + 's {
    indices.iter().map(|&index| source_of(&site.items[index]))
}

/// The source paths of the items before and after item `index` in its kind's list.
fn neighbours(site: &Site, index: usize) -> (Option<&OsStr>, Option<&OsStr>) {
    let kind = site.items[index].kind;
    let before = site.items[..index]
        .iter()
        .rfind(|item| item.kind == kind)
        .map(source_of);
    let after = site.items[index + 1..]
        .iter()
        .find(|item| item.kind == kind)
        .map(source_of);
    (before, after)
}

fn slug_of(site: &Site, name: &str) -> String {
    site.tags
        .iter()
        .find(|tag| tag.name == name)
        .map_or_else(|| tag_slug(name), |tag| tag.slug.clone())
}
