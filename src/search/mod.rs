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

pub mod format;

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;

use crate::error::Error;
use crate::model::Site;
use crate::model::kind::Kind;
use crate::output::{OutputFile, Sink};
use rayon::prelude::*;

use format::{PageList, Posting, shard_of, vlq};

/// Details files per folder. A folder of 100,000 files makes each new file in it cost the
/// file system about three times as much as in a folder of a thousand.
const FILES_PER_FOLDER: usize = 1_000;
/// About how many bytes a shard should hold: every key of a query costs its shard.
const SHARD_TARGET: usize = 8_000;
/// A key's list longer than this gets a file of its own.
const BIG_LIST: usize = 2_000;
/// Pages whose keys are gathered in parallel before they are merged into the lists.
const POSTINGS_BLOCK: usize = 2_048;

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

/// At most this many of a term's pairs are looked up: a pasted sentence would otherwise
/// cost a shard per pair, and the page's text confirms the rest anyway.
const MAX_PAIRS: usize = 8;

/// Which of a term's `pairs` are looked up, by where they start: all of them, or
/// `MAX_PAIRS` spread evenly from the first to the last. Mirrored by search.js.
fn looked_up(pairs: usize) -> Vec<usize> {
    if pairs <= MAX_PAIRS {
        return (0..pairs).collect();
    }
    (0..MAX_PAIRS)
        .map(|i| i * (pairs - 1) / (MAX_PAIRS - 1))
        .collect()
}

/// A character pair packed into one number, for fast maps.
fn pair_key(a: char, b: char) -> u64 {
    (u64::from(u32::from(a)) << 32) | u64::from(u32::from(b))
}

fn pair_text(key: u64) -> String {
    [(key >> 32) as u32, key as u32]
        .iter()
        .filter_map(|&c| char::from_u32(c))
        .collect()
}

/// A fast hash for the index's millions of lookups of small keys.
type KeyHash = foldhash::fast::RandomState;

/// Which pages hold each character pair and each character. The index lists candidates;
/// the page's own text, which the browser loads to show the result anyway, confirms them.
#[derive(Debug, Default)]
pub struct Index {
    bigrams: HashMap<u64, PageList, KeyHash>,
    chars: HashMap<char, PageList, KeyHash>,
    /// Normalised title and body of each page, for confirming candidates.
    texts: Vec<(String, String)>,
}

/// One page's keys with their title flags, before they are merged.
struct PagePostings {
    bigrams: Vec<(u64, bool)>,
    chars: Vec<(char, bool)>,
}

/// The page's searched text, normalised.
fn normalized_text(doc: &SearchDoc) -> Vec<char> {
    normalize_chars(doc.text().chars(), (doc.extra.len() + doc.body.len()) / 2)
}

/// A page's keys, each once, with whether it occurs in the title. A set, not a sort: a
/// page has a thousand or more keys and the index is made of 100,000 pages.
fn page_postings(doc: &SearchDoc) -> PagePostings {
    let title = normalize(&doc.title);
    let body = normalized_text(doc);
    let size = title.len() + body.len();
    let mut bigrams: HashMap<u64, bool, KeyHash> =
        HashMap::with_capacity_and_hasher(size, KeyHash::default());
    let mut chars: HashMap<char, bool, KeyHash> =
        HashMap::with_capacity_and_hasher(size / 2, KeyHash::default());
    // Title and body are not adjacent: no pair spans them.
    for (text, in_title) in [(&title, true), (&body, false)] {
        for pair in text.windows(2) {
            *bigrams.entry(pair_key(pair[0], pair[1])).or_default() |= in_title;
        }
        for &c in text.iter() {
            *chars.entry(c).or_default() |= in_title;
        }
    }
    PagePostings {
        bigrams: bigrams.into_iter().collect(),
        chars: chars.into_iter().collect(),
    }
}

impl Index {
    /// Indexes pages; a page's number is its position in `docs`.
    pub fn build(docs: &[SearchDoc]) -> Index {
        let mut index = Index::postings(docs, |_, _| Ok::<(), std::convert::Infallible>(()))
            .unwrap_or_else(|never| match never {});
        index.texts = docs
            .iter()
            .map(|doc| {
                (
                    normalize(&doc.title).into_iter().collect(),
                    normalized_text(doc).into_iter().collect(),
                )
            })
            .collect();
        index
    }

    /// Only the postings, as the files need them: the browser confirms against the text.
    /// Pages are taken a block at a time, so that their keys are never all held at once
    /// beside the lists they are merged into. `visit` sees each page with its number just
    /// before its keys are taken, while its text is in the cache for both.
    fn postings<E: Send>(
        docs: &[SearchDoc],
        visit: impl Fn(usize, &SearchDoc) -> Result<(), E> + Sync,
    ) -> Result<Index, E> {
        let mut index = Index::default();
        for (block, chunk) in docs.chunks(POSTINGS_BLOCK).enumerate() {
            let first = block * POSTINGS_BLOCK;
            let pages: Vec<PagePostings> = chunk
                .par_iter()
                .enumerate()
                .map(|(offset, doc)| {
                    visit(first + offset, doc)?;
                    Ok(page_postings(doc))
                })
                .collect::<Result<_, E>>()?;
            index.merge(first as u32, pages);
        }
        Ok(index)
    }

    /// Adds the keys of pages numbered from `first` on.
    fn merge(&mut self, first: u32, pages: Vec<PagePostings>) {
        for (offset, page) in pages.into_iter().enumerate() {
            let number = first + offset as u32;
            for (key, in_title) in page.bigrams {
                self.bigrams
                    .entry(key)
                    .or_default()
                    .push(Posting::new(number, in_title));
            }
            for (c, in_title) in page.chars {
                self.chars
                    .entry(c)
                    .or_default()
                    .push(Posting::new(number, in_title));
            }
        }
    }

    /// Pages that may hold a term: those with the pairs of it that are looked up (or the
    /// character itself), and whether all of them were seen in the title.
    fn candidates(&self, term: &[char]) -> HashMap<u32, bool> {
        let lists: Option<Vec<&PageList>> = if term.len() == 1 {
            self.chars.get(&term[0]).map(|list| vec![list])
        } else {
            looked_up(term.len() - 1)
                .into_iter()
                .map(|at| self.bigrams.get(&pair_key(term[at], term[at + 1])))
                .collect()
        };
        let Some(lists) = lists else {
            return HashMap::new();
        };
        let pairs = |list: &PageList| -> HashMap<u32, bool> {
            list.pages()
                .into_iter()
                .map(|page| (page.doc(), page.in_title()))
                .collect()
        };
        let mut found = pairs(lists[0]);
        for list in &lists[1..] {
            let these = pairs(list);
            found = found
                .into_iter()
                .filter_map(|(doc, title)| these.get(&doc).map(|other| (doc, title && *other)))
                .collect();
        }
        found
    }

    /// Pages whose normalised text contains every space-separated term of the query: the
    /// candidates, in the order the browser checks them (all terms in the title first, then
    /// newest), each confirmed against the page's text.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let terms: Vec<Vec<char>> = query
            .split_whitespace()
            .map(normalize)
            .filter(|t| !t.is_empty())
            .collect();
        let Some((first, rest)) = terms.split_first() else {
            return Vec::new();
        };
        let mut candidates = self.candidates(first);
        for term in rest {
            let these = self.candidates(term);
            candidates = candidates
                .into_iter()
                .filter_map(|(doc, title)| these.get(&doc).map(|other| (doc, title && *other)))
                .collect();
        }
        let mut ordered: Vec<(u32, bool)> = candidates.into_iter().collect();
        ordered.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ordered
            .into_iter()
            .filter_map(|(doc, _)| {
                let (title, body) = &self.texts[doc as usize];
                let mut in_title = true;
                for term in &terms {
                    let term: String = term.iter().collect();
                    let title_hit = title.contains(&term);
                    if !title_hit && !body.contains(&term) {
                        return None;
                    }
                    in_title &= title_hit;
                }
                Some(Hit { doc, in_title })
            })
            .collect()
    }
}

/// A page found by a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The page's number.
    pub doc: u32,
    /// Whether every term is in its title.
    pub in_title: bool,
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    shards: u32,
    /// Pages per details file.
    chunk: usize,
    /// Details files per folder.
    folder: usize,
    docs: usize,
    kinds: Vec<(&'static str, &'static str)>,
    campaigns: Vec<(&'a str, &'a str)>,
}

/// What filtering by kind or campaign needs, loaded only when a filter is chosen.
#[derive(Serialize)]
struct Filters {
    /// Each page's kind, as an index into `kinds`, one base-64 number per page.
    kinds: String,
    /// Each page's campaign, as one more than an index into `campaigns` (0 for none).
    campaigns: String,
}

/// What the browser shows of a page found, and the text it confirms a match against.
#[derive(Serialize)]
struct DocDetails<'a> {
    url: &'a str,
    title: &'a str,
    kind: &'a str,
    campaign: Option<&'a str>,
    date: Option<&'a str>,
    text: SearchText<'a>,
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

/// Writes the index: `search/meta.json`, `search/shards/N.json` (with `search/big/N.txt`
/// for long lists), `search/docs/F/N.json` with the details of page N (in folder
/// N / `FILES_PER_FOLDER`) and `search/filters.json`.
pub fn index_files_into(site: &Site, sink: Sink<'_>) -> Result<(), Error> {
    let docs = documents(site);
    // Each page's details are written as its keys are taken, and the keys' files as soon
    // as they are made; the postings are let go of then: at 100,000 pages they are
    // a hundred megabytes.
    let shards = {
        let index = Index::postings(&docs, |number, doc| {
            let details = [DocDetails {
                url: &doc.url,
                title: &doc.title,
                kind: doc.kind,
                campaign: doc.campaign,
                date: doc.date.as_deref(),
                text: doc.text(),
            }];
            sink(OutputFile {
                path: format!("search/docs/{}/{number}.json", number / FILES_PER_FOLDER),
                bytes: serde_json::to_vec(&details).unwrap_or_default(),
            })
        })?;
        let (files, shards) = key_files(&index, BIG_LIST);
        drop(index);
        files.into_par_iter().try_for_each(sink)?;
        shards
    };

    let kinds: Vec<(&'static str, &'static str)> = Kind::LISTED
        .iter()
        .chain([Kind::Page].iter())
        .map(|kind| (kind.name(), kind.label()))
        .chain([("campaign", "活动")])
        .collect();
    let campaigns: Vec<(&str, &str)> = site
        .campaigns
        .iter()
        .map(|c| (c.id.as_str(), c.title.as_str()))
        .collect();
    let mut filters = Filters {
        kinds: String::with_capacity(docs.len()),
        campaigns: String::with_capacity(docs.len()),
    };
    for doc in &docs {
        let kind = kinds.iter().position(|(name, _)| *name == doc.kind);
        vlq(&mut filters.kinds, kind.unwrap_or(0) as u32);
        let campaign = doc
            .campaign
            .and_then(|id| campaigns.iter().position(|(c, _)| *c == id));
        vlq(&mut filters.campaigns, campaign.map_or(0, |c| c as u32 + 1));
    }
    sink(OutputFile {
        path: "search/filters.json".into(),
        bytes: serde_json::to_vec(&filters).unwrap_or_default(),
    })?;
    let meta = Meta {
        version: 3,
        shards,
        // A page a file. The pages a query shows are spread over the site, and every other
        // page in their files would be loaded for nothing; each file costs the build (and
        // the upload) a file to write.
        chunk: 1,
        folder: FILES_PER_FOLDER,
        docs: docs.len(),
        kinds,
        campaigns,
    };
    sink(OutputFile {
        path: "search/meta.json".into(),
        bytes: serde_json::to_vec(&meta).unwrap_or_default(),
    })
}

/// The index files, gathered in path order (for the preview, which keeps them in memory).
pub fn index_files(site: &Site) -> Vec<OutputFile> {
    let files = std::sync::Mutex::new(Vec::new());
    let _ = index_files_into(site, &|file| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    });
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Every key with its pages written as `format::encode_pages` does, sorted by key.
fn encoded_keys(index: &Index) -> Vec<(String, String)> {
    let mut entries: Vec<(String, String)> = index
        .bigrams
        .par_iter()
        .map(|(key, pages)| (pair_text(*key), pages.encode()))
        .collect();
    entries.extend(
        index
            .chars
            .iter()
            .map(|(c, pages)| (c.to_string(), pages.encode())),
    );
    entries.sort_unstable();
    entries
}

/// The shards and the long lists (those longer than `big_list` bytes), and how many
/// shards there are.
fn key_files(index: &Index, big_list: usize) -> (Vec<OutputFile>, u32) {
    let mut entries = encoded_keys(index);
    // A long list gets a file of its own, so a query never loads other keys' long lists;
    // its shard holds `"@N"` instead.
    let mut files = Vec::new();
    for (_, list) in entries.iter_mut() {
        if list.len() > big_list {
            let big = files.len();
            files.push(OutputFile {
                path: format!("search/big/{big}.txt"),
                bytes: std::mem::replace(list, format!("@{big}")).into_bytes(),
            });
        }
    }
    let total: usize = entries
        .iter()
        .map(|(key, list)| key.len() + list.len() + 6)
        .sum();
    let shards = total.div_ceil(SHARD_TARGET).max(1) as u32;
    let mut shard_text: Vec<String> = vec![String::new(); shards as usize];
    for (key, list) in entries {
        let text = &mut shard_text[shard_of(&key, shards) as usize];
        text.push(if text.is_empty() { '{' } else { ',' });
        text.push_str(&serde_json::to_string(&key).unwrap_or_default());
        text.push_str(":\"");
        text.push_str(&list);
        text.push('"');
    }
    for (number, mut text) in shard_text.into_iter().enumerate() {
        if text.is_empty() {
            text.push('{');
        }
        text.push('}');
        files.push(OutputFile {
            path: format!("search/shards/{number}.json"),
            bytes: text.into_bytes(),
        });
    }
    (files, shards)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::format::{decode_pages, shard_of};
    use super::{Index, MAX_PAIRS, SearchDoc, key_files, looked_up, normalize, normalized_text};

    fn doc(title: &str, text: &str) -> SearchDoc<'static> {
        SearchDoc {
            url: String::new(),
            title: title.to_string().into(),
            kind: "plan",
            campaign: None,
            date: None,
            extra: String::new(),
            body: text.to_string().into(),
        }
    }

    /// A deterministic pseudo-random corpus of Chinese and ASCII text.
    fn corpus(count: usize) -> Vec<SearchDoc<'static>> {
        let alphabet: Vec<char> = "志愿服务敬老院植树报名学雷锋社区关爱活动方案倡议书aBc12"
            .chars()
            .collect();
        let mut state: u64 = 7;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        (0..count)
            .map(|_| {
                let mut text = String::new();
                for _ in 0..(20 + next() % 200) {
                    text.push(alphabet[next() % alphabet.len()]);
                    if next() % 9 == 0 {
                        text.push(if next() % 2 == 0 { ',' } else { ' ' });
                    }
                }
                let title: String = (0..(2 + next() % 6))
                    .map(|_| alphabet[next() % alphabet.len()])
                    .collect();
                doc(&title, &text)
            })
            .collect()
    }

    fn substring_search(docs: &[SearchDoc], query: &str) -> Vec<u32> {
        let terms: Vec<String> = query
            .split_whitespace()
            .map(|t| normalize(t).into_iter().collect())
            .collect();
        let mut found: Vec<u32> = docs
            .iter()
            .enumerate()
            .filter(|(_, doc)| {
                let title: String = normalize(&doc.title).into_iter().collect();
                let body: String = normalized_text(doc).into_iter().collect();
                terms
                    .iter()
                    .filter(|t| !t.is_empty())
                    .all(|t| title.contains(t.as_str()) || body.contains(t.as_str()))
            })
            .map(|(i, _)| i as u32)
            .collect();
        found.sort();
        found
    }

    #[test]
    fn finds_exactly_what_substring_search_finds() {
        let docs = corpus(300);
        let index = Index::build(&docs);
        let mut queries: Vec<String> = vec![
            "敬老院".into(),
            "志愿服务".into(),
            "雷".into(),
            "abc".into(),
            "12".into(),
            "服务 社区".into(),
            "院植树报".into(),
            "书a".into(),
        ];
        // Substrings of some documents, of every length up to 6, and longer ones of which
        // only some pairs are looked up.
        for doc in docs.iter().take(20) {
            let chars = normalized_text(doc);
            for length in (1..=6).chain([9, 10, 17, 30]) {
                for start in (0..chars.len().saturating_sub(length)).step_by(37) {
                    queries.push(chars[start..start + length].iter().collect());
                }
            }
        }
        for query in &queries {
            let mut found: Vec<u32> = index.search(query).iter().map(|hit| hit.doc).collect();
            found.sort();
            let expected = substring_search(&docs, query);
            assert_eq!(found, expected, "query {query:?}");
            // The index alone never misses a page: confirming against the text only removes.
            for term in query.split_whitespace() {
                let candidates = index.candidates(&normalize(term));
                let single = substring_search(&docs, term);
                assert!(
                    single.iter().all(|doc| candidates.contains_key(doc)),
                    "term {term:?}"
                );
            }
        }
    }

    #[test]
    fn title_hits_rank_first() {
        let docs = vec![
            doc("社区服务", "无关的内容"),
            doc("其他", "这里提到敬老院和敬老院"),
            doc("敬老院通知", "正文"),
        ];
        let index = Index::build(&docs);
        let hits = index.search("敬老院");
        assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), vec![2, 1]);
        assert!(hits[0].in_title && !hits[1].in_title);
        assert!(index.search("不存在的词").is_empty());
        assert!(
            index.search("区服").iter().any(|h| h.doc == 0),
            "inside a title"
        );
        assert!(
            index.search("务无").is_empty(),
            "title and body are not one text"
        );
    }

    #[test]
    fn long_terms_look_up_some_pairs_from_first_to_last() {
        for pairs in 1..200 {
            let chosen = looked_up(pairs);
            assert_eq!(chosen.len(), pairs.min(MAX_PAIRS), "{pairs} pairs");
            assert_eq!((chosen[0], chosen[chosen.len() - 1]), (0, pairs - 1));
            assert!(chosen.windows(2).all(|w| w[0] < w[1]), "{chosen:?}");
        }
    }

    #[test]
    fn short_terms_need_no_confirming() {
        // A term of one or two characters is a key of its own: its candidates, and their
        // title flags, are already the answer, so the browser shows exact counts at once.
        let docs = corpus(200);
        let index = Index::build(&docs);
        let alphabet: Vec<char> = normalize("志愿服务敬老院植树报名学雷锋abc12");
        let mut terms: Vec<Vec<char>> = alphabet.iter().map(|&c| vec![c]).collect();
        for (i, &a) in alphabet.iter().enumerate() {
            terms.push(vec![a, alphabet[(i * 7 + 3) % alphabet.len()]]);
            terms.push(vec![a, a]);
        }
        for term in terms {
            let query: String = term.iter().collect();
            let mut candidates: Vec<(u32, bool)> = index.candidates(&term).into_iter().collect();
            candidates.sort();
            let mut hits: Vec<(u32, bool)> = index
                .search(&query)
                .iter()
                .map(|hit| (hit.doc, hit.in_title))
                .collect();
            hits.sort();
            assert_eq!(candidates, hits, "term {query:?}");
        }
    }

    #[test]
    fn the_written_lists_are_the_index() {
        // What the browser reads back from the shards and long lists is what was indexed.
        let docs = corpus(300);
        let index = Index::build(&docs);
        // Lists of more than 40 characters get files of their own here.
        let (files, shards) = key_files(&index, 40);
        let text = |path: &str| -> String {
            let file = files.iter().find(|f| f.path == path).expect(path);
            String::from_utf8(file.bytes.clone()).unwrap()
        };
        assert!(files.iter().any(|f| f.path.starts_with("search/big/")));
        let (mut read, mut bitmaps) = (0, 0);
        for (key, pages) in index
            .bigrams
            .iter()
            .map(|(key, pages)| (super::pair_text(*key), pages))
            .chain(index.chars.iter().map(|(c, pages)| (c.to_string(), pages)))
        {
            let shard: HashMap<String, String> = serde_json::from_str(&text(&format!(
                "search/shards/{}.json",
                shard_of(&key, shards)
            )))
            .unwrap();
            let mut list = shard[&key].clone();
            if let Some(big) = list.strip_prefix('@') {
                list = text(&format!("search/big/{big}.txt"));
            }
            assert_eq!(decode_pages(&list), pages.pages(), "key {key:?}");
            read += 1;
            bitmaps += usize::from(list.starts_with('!'));
        }
        assert_eq!(read, index.bigrams.len() + index.chars.len());
        assert!(bitmaps > 0 && bitmaps < read, "both forms are read back");
    }
}
