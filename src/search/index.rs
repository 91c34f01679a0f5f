//! The index itself: the keys of every page (its character pairs and characters),
//! merged into one list of pages a key, and the search it answers.

use std::collections::HashMap;

use rayon::prelude::*;

use super::format::{PageList, Posting};
use super::{SearchDoc, normalize, normalize_chars};

/// Pages whose keys are gathered in parallel before they are merged into the lists.
const POSTINGS_BLOCK: usize = 2_048;

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

pub(super) fn pair_text(key: u64) -> String {
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
    pub(super) bigrams: HashMap<u64, PageList, KeyHash>,
    pub(super) chars: HashMap<char, PageList, KeyHash>,
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
    pub(super) fn postings<E: Send>(
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

#[cfg(test)]
mod tests {
    use super::{Index, MAX_PAIRS, looked_up, normalized_text};
    use crate::search::samples::{corpus, doc};
    use crate::search::{SearchDoc, normalize};

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
}
