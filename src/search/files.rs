//! The files the index is written as: each page's details, a file a page in folders of
//! a thousand; the keys' lists spread over shards, a long one in a file of its own; the
//! filters; and the meta file that says how it is laid out.

use rayon::prelude::*;
use serde::Serialize;

use super::format::{shard_of, vlq};
use super::index::{Index, pair_text};
use super::{SearchText, documents};
use crate::error::Error;
use crate::model::Site;
use crate::model::kind::Kind;
use crate::model::urls::SEARCH;
use crate::output::{OutputFile, Sink};

/// Details files per folder. A folder of 100,000 files makes each new file in it cost the
/// file system about three times as much as in a folder of a thousand.
const FILES_PER_FOLDER: usize = 1_000;
/// About how many bytes a shard should hold: every key of a query costs its shard.
const SHARD_TARGET: usize = 8_000;
/// A key's list longer than this gets a file of its own.
const BIG_LIST: usize = 2_000;

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
                path: format!("{SEARCH}docs/{}/{number}.json", number / FILES_PER_FOLDER),
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
        path: format!("{SEARCH}filters.json"),
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
        path: format!("{SEARCH}meta.json"),
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
                path: format!("{SEARCH}big/{big}.txt"),
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
            path: format!("{SEARCH}shards/{number}.json"),
            bytes: text.into_bytes(),
        });
    }
    (files, shards)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::key_files;
    use crate::model::urls::SEARCH;
    use crate::search::format::{decode_pages, shard_of};
    use crate::search::index::{Index, pair_text};
    use crate::search::samples::corpus;

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
            .map(|(key, pages)| (pair_text(*key), pages))
            .chain(index.chars.iter().map(|(c, pages)| (c.to_string(), pages)))
        {
            let shard: HashMap<String, String> = serde_json::from_str(&text(&format!(
                "{SEARCH}shards/{}.json",
                shard_of(&key, shards)
            )))
            .unwrap();
            let mut list = shard[&key].clone();
            if let Some(big) = list.strip_prefix('@') {
                list = text(&format!("{SEARCH}big/{big}.txt"));
            }
            assert_eq!(decode_pages(&list), pages.pages(), "key {key:?}");
            read += 1;
            bitmaps += usize::from(list.starts_with('!'));
        }
        assert_eq!(read, index.bigrams.len() + index.chars.len());
        assert!(bitmaps > 0 && bitmaps < read, "both forms are read back");
    }
}
