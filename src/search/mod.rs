//! The site search index, written at build time next to the pages.
//!
//! Text is normalised to its letters and digits (lower case, punctuation and spaces
//! dropped). Every character pair (bigram) and every single character is a key listing
//! the pages that hold it. A query's candidates are the pages holding the keys it looks
//! up (a long term looks up some of its pairs, from the first to the last); each
//! is confirmed against the page's own text, so a query of any length is answered
//! exactly: the pages whose normalised text contains the normalised query, which is what
//! a plain substring search would find. A term of one or two characters is its own key,
//! so its candidates need no confirming. Keys are spread over shards by hash, so a query
//! loads only the shards of its own keys; each page's details are a file of their own,
//! loaded for the results shown.

mod files;
pub mod format;
mod index;
#[cfg(test)]
mod samples;

use std::borrow::Cow;

use serde::Serialize;

use crate::model::Site;
pub use files::{index_files, index_files_into};
pub use index::{Hit, Index};

/// One searchable page. Its title and body are borrowed from the site: at 100,000 pages a
/// copy of every text would cost a couple of hundred megabytes while the index is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc<'a> {
    /// Its URL.
    pub url: String,
    /// Its title.
    pub title: Cow<'a, str>,
    /// `plan`, `initiative`, … or `campaign`.
    pub kind: &'static str,
    /// The campaign id it belongs to.
    pub campaign: Option<&'a str>,
    /// `2013-02-22`, when dated.
    pub date: Option<String>,
    /// What is searched besides the body, a line each: summary, tags, campaign, volunteers.
    pub extra: String,
    /// The body's plain text.
    pub body: Cow<'a, str>,
}

impl SearchDoc<'_> {
    /// Everything searched besides the title, as the browser gets it: `extra`, a line
    /// break, the body.
    pub fn text(&self) -> SearchText<'_> {
        SearchText(&self.extra, &self.body)
    }
}

/// A page's searched text, written out without first being joined into one string.
#[derive(Debug, Clone, Copy)]
pub struct SearchText<'a>(&'a str, &'a str);

impl SearchText<'_> {
    /// Its characters, in order.
    pub fn chars(self) -> impl Iterator<Item = char> {
        self.0.chars().chain(['\n']).chain(self.1.chars())
    }
}

impl std::fmt::Display for SearchText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n{}", self.0, self.1)
    }
}

impl Serialize for SearchText<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Letters and digits of a text, lower case: what the index and queries compare.
pub fn normalize(text: &str) -> Vec<char> {
    normalize_chars(text.chars(), text.len() / 2)
}

/// `normalize` of any characters, with room for `expected` of them.
fn normalize_chars(text: impl Iterator<Item = char>, expected: usize) -> Vec<char> {
    let mut out = Vec::with_capacity(expected);
    for c in text {
        // Common Chinese characters are letters with no case: skip the general lookups.
        if ('\u{4e00}'..='\u{9fff}').contains(&c) {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The pages of a site, as the search sees them: items and campaigns.
pub fn documents(site: &Site) -> Vec<SearchDoc<'_>> {
    let base = site.config.base_path();
    let mut docs: Vec<SearchDoc> = site
        .items
        .iter()
        .map(|item| {
            let campaign = item.campaign.map(|index| &site.campaigns[index]);
            // A summary cut from the body would be sent and indexed twice. (The body's own
            // summary is cut from it: no need to look through the whole text.)
            let from_body = item.summary == item.content.summary
                || item
                    .content
                    .plain
                    .contains(item.summary.trim_end_matches('…'));
            let mut extra = String::new();
            if !from_body {
                extra.push_str(&item.summary);
                extra.push('\n');
            }
            extra.push_str(&item.tags.join(" "));
            if let Some(campaign) = campaign {
                extra.push('\n');
                extra.push_str(&campaign.title);
            }
            if let crate::model::item::Detail::Story { volunteers, .. } = &item.detail {
                extra.push('\n');
                extra.push_str(&volunteers.join(" "));
            }
            SearchDoc {
                url: format!("{base}{}", item.path_url),
                title: Cow::Borrowed(&item.title),
                kind: item.kind.name(),
                campaign: campaign.map(|c| c.id.as_str()),
                date: item.date.map(|date| crate::format::date_iso(date.day)),
                extra,
                body: Cow::Borrowed(&item.content.plain),
            }
        })
        .collect();
    docs.extend(site.campaigns.iter().map(|campaign| {
        SearchDoc {
            url: format!("{base}{}", campaign.path_url()),
            title: Cow::Borrowed(&campaign.title),
            kind: "campaign",
            campaign: Some(&campaign.id),
            date: Some(crate::format::date_iso(campaign.start.day)),
            extra: [
                campaign.slogan.as_deref().unwrap_or_default(),
                &campaign.summary,
                &campaign.tags.join(" "),
            ]
            .join("\n"),
            body: Cow::Borrowed(&campaign.content.plain),
        }
    }));
    docs
}
