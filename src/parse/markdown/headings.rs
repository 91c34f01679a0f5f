//! Heading ids, unique on the page, and the table of contents they make.

use std::collections::{HashMap, HashSet, VecDeque};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::TocEntry;
use crate::parse::slug::anchor;

/// Gives every heading a unique id (keeping ids written as `{#id}`) and keeps the table of
/// contents.
#[derive(Default)]
pub(super) struct HeadingIds {
    next_suffix: HashMap<String, usize>,
    used: HashSet<String>,
    pub(super) toc: Vec<TocEntry>,
}

impl HeadingIds {
    /// The events with ids given; each heading is held back until its end, to read its title.
    pub(super) fn assign<'a: 's, 's>(
        &'s mut self,
        mut events: impl Iterator<Item = (Event<'a>, usize)> + 's,
    ) -> impl Iterator<Item = (Event<'a>, usize)> + 's {
        let mut heading: VecDeque<(Event<'a>, usize)> = VecDeque::new();
        std::iter::from_fn(move || {
            if let Some(held) = heading.pop_front() {
                return Some(held);
            }
            let first = events.next()?;
            if !matches!(first.0, Event::Start(Tag::Heading { .. })) {
                return Some(first);
            }
            heading.push_back(first);
            for next in events.by_ref() {
                let end = matches!(next.0, Event::End(TagEnd::Heading(_)));
                heading.push_back(next);
                if end {
                    break;
                }
            }
            self.name(heading.make_contiguous());
            heading.pop_front()
        })
    }

    /// Sets the id of the heading whose events (start to end) are given.
    fn name(&mut self, heading: &mut [(Event<'_>, usize)]) {
        let Some((Event::Start(Tag::Heading { level, id, .. }), _)) = heading.first() else {
            return;
        };
        let level = heading_number(*level);
        let written_id = id.as_ref().map(|id| id.to_string());
        let mut title = String::new();
        for (event, _) in &heading[1..] {
            if let Event::Text(text) | Event::Code(text) = event {
                title.push_str(text);
            }
        }
        let base = written_id.unwrap_or_else(|| anchor(&title));
        // A numbered id may already be taken by a heading that wrote it (`{#目标-1}`).
        let next = self.next_suffix.entry(base.clone()).or_insert(0);
        let mut unique = if *next == 0 {
            base.clone()
        } else {
            format!("{base}-{next}")
        };
        while self.used.contains(&unique) {
            *next += 1;
            unique = format!("{base}-{next}");
        }
        *next += 1;
        self.used.insert(unique.clone());
        if let Some((Event::Start(Tag::Heading { id, .. }), _)) = heading.first_mut() {
            *id = Some(CowStr::from(unique.clone()));
        }
        self.toc.push(TocEntry {
            level,
            id: unique,
            title: title.trim().to_string(),
        });
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}
