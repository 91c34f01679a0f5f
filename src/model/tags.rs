//! Tags: gathered from the items, each with a slug of its own.

use std::collections::{BTreeMap, HashSet};

use crate::model::Tag;
use crate::model::item::Item;
use crate::parse::slug::{hash_slug, settle_slug, slugify};

/// Every tag with its items, by slug. Tags are told apart by name: two names with one slug
/// (学雷锋 and 雪雷锋 are both `xue-lei-feng`, `C++` and `c`) keep two pages. The tag
/// with the most items keeps the plain slug, so one new item with a look-alike tag cannot
/// take an established tag's address; the others add a hash of their name.
pub(super) fn gather_tags(items: &[Item]) -> Vec<Tag> {
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, item) in items.iter().enumerate() {
        for name in &item.tags {
            let list = by_name.entry(name).or_default();
            if list.last() != Some(&index) {
                list.push(index);
            }
        }
    }
    let mut taken: HashSet<String> = HashSet::with_capacity(by_name.len());
    let mut by_use: Vec<(&str, Vec<usize>)> = by_name.into_iter().collect();
    by_use.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(b.0)));
    let mut tags: Vec<Tag> = by_use
        .into_iter()
        .map(|(name, items)| {
            let mut slug = tag_slug(name);
            let mut round = 0;
            while taken.contains(&slug) {
                round += 1;
                slug = format!(
                    "{}-{}",
                    tag_slug(name),
                    hash_slug(&format!("{round}{name}"))
                );
            }
            taken.insert(slug.clone());
            Tag {
                name: name.to_string(),
                slug,
                items,
            }
        })
        .collect();
    tags.sort_by(|a, b| a.slug.cmp(&b.slug));
    tags
}

/// The URL part of a tag: its slug, or a hash of its name when it has no letters.
pub fn tag_slug(name: &str) -> String {
    settle_slug([slugify(name).as_str()], name)
}
