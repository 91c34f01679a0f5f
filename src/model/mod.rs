//! Stage 3, model: pure; documents become a validated `Site` with URLs, campaigns and indexes.

mod assets;
mod body;
pub mod campaign;
mod entries;
pub mod item;
pub mod kind;
pub mod paths;
mod place;
mod tags;
pub mod urls;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::error::{Error, ErrorKind, Errors, Location, Warning};
use crate::model::assets::uncaptioned_photos;
pub use crate::model::body::{MarkdownCache, RenderedBody};
use crate::model::body::{render_body, render_fingerprint};
use crate::model::campaign::Campaign;
use crate::model::item::{AssetCopy, Item};
use crate::model::kind::Kind;
use crate::model::paths::encode_url_path;
use crate::parse::document::Document;
use crate::parse::sanitize::{is_unsafe_url, scheme_of};

use entries::{build_campaign, build_item, summary_of};
use place::{Placed, RenderedDoc, leave_out_drafts, place_all};
use tags::gather_tags;
pub use tags::tag_slug;

/// What the model needs besides the content.
#[derive(Debug, Clone)]
pub struct ModelOptions {
    /// Include items marked `draft: true`.
    pub drafts: bool,
    /// "Today", for campaign status.
    pub now: NaiveDate,
}

/// A tag and the items that carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// As written.
    pub name: String,
    /// URL part.
    pub slug: String,
    /// Indices into `Site::items`, newest first.
    pub items: Vec<usize>,
}

/// The whole site, loaded and validated: everything rendering needs.
#[derive(Debug, Clone)]
pub struct Site {
    /// `site.yaml`.
    pub config: SiteConfig,
    /// "Today".
    pub now: NaiveDate,
    /// Campaigns, latest start first.
    pub campaigns: Vec<Campaign>,
    /// Items, newest first (pages by weight, then title, after dated items).
    pub items: Vec<Item>,
    /// Tags by slug.
    pub tags: Vec<Tag>,
    /// Files from `content/` to copy.
    pub assets: Vec<AssetCopy>,
    /// Warnings from every stage so far.
    pub warnings: Vec<Warning>,
    /// What a link to each content file leads to, for links between them.
    pub link_targets: HashMap<PathBuf, LinkTarget>,
    /// Every non-Markdown file under `content/`.
    pub asset_files: Vec<PathBuf>,
}

/// What a link to a content file leads to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// A page, by its site path.
    Page(String),
    /// A draft, or an item of a draft campaign, left out of this build.
    Unpublished,
}

impl Site {
    /// Builds the site model from parsed documents and the list of asset files.
    pub fn build(
        config: SiteConfig,
        documents: Vec<Arc<Document>>,
        asset_files: &[PathBuf],
        options: &ModelOptions,
    ) -> Result<Site, Errors> {
        Site::build_with(config, documents, asset_files, options, None)
    }

    /// Builds the site model, reusing the rendered bodies of unchanged documents.
    pub fn build_cached(
        config: SiteConfig,
        documents: Vec<Arc<Document>>,
        asset_files: &[PathBuf],
        options: &ModelOptions,
        cache: &mut MarkdownCache,
    ) -> Result<Site, Errors> {
        Site::build_with(config, documents, asset_files, options, Some(cache))
    }

    /// Builds the site model; with a cache, unchanged bodies are reused and every body is
    /// kept for the next build.
    fn build_with(
        config: SiteConfig,
        documents: Vec<Arc<Document>>,
        asset_files: &[PathBuf],
        options: &ModelOptions,
        cache: Option<&mut MarkdownCache>,
    ) -> Result<Site, Errors> {
        let mut errors = Vec::new();
        let mut warnings: Vec<Warning> = documents
            .iter()
            .flat_map(|doc| doc.warnings.clone())
            .collect();
        let mut placed = place_all(documents, &mut errors);
        let unpublished = if options.drafts {
            Vec::new()
        } else {
            leave_out_drafts(&mut placed)
        };
        let campaign_ids: Vec<String> = placed
            .iter()
            .filter(|p| p.kind.is_none())
            .map(|p| p.slug.clone())
            .collect();
        let link_targets = claim_urls(&placed, unpublished, &mut errors);
        let assets: HashSet<&Path> = asset_files.iter().map(PathBuf::as_path).collect();
        let bodies = Bodies {
            config: &config,
            link_targets: &link_targets,
            assets: &assets,
        };
        let rendered = bodies.render(placed, cache);
        let mut built = Built::default();
        for result in rendered {
            match result {
                Ok(done) => built.add(done, &campaign_ids, &assets),
                Err(error) => built.errors.push(error),
            }
        }
        errors.append(&mut built.errors);
        if !errors.is_empty() {
            return Err(by_file(errors));
        }
        warnings.append(&mut built.warnings);
        warnings.sort_by(|a, b| {
            (&a.location.path, a.location.line).cmp(&(&b.location.path, b.location.line))
        });
        let (campaigns, items) = link_campaigns(built.campaigns, built.items);
        let tags = gather_tags(&items);
        let mut copies = built.copies;
        copies.sort();
        copies.dedup();
        Ok(Site {
            config,
            now: options.now,
            campaigns,
            items,
            tags,
            assets: copies,
            warnings,
            link_targets,
            asset_files: asset_files.to_vec(),
        })
    }

    /// Re-renders the body of an item whose front matter did not change, in place: its
    /// content and summary, and nothing else of the site. Returns `false`, changing
    /// nothing, when the edit reaches beyond the item (its images or warnings changed, or
    /// it is not an item), so the caller must rebuild the model.
    pub fn refresh_body(
        &mut self,
        doc: Arc<Document>,
        cache: &mut MarkdownCache,
    ) -> Result<bool, Error> {
        let Some(index) = self.item_index(&doc.rel) else {
            return Ok(false);
        };
        let item = &self.items[index];
        let assets: HashSet<&Path> = self.asset_files.iter().map(PathBuf::as_path).collect();
        let base_path = self.config.base_path();
        let body = render_body(
            &doc,
            &item.path_url,
            &self.config,
            &base_path,
            &self.link_targets,
            &assets,
        )?;
        let old_warnings: Vec<&Warning> = self
            .warnings
            .iter()
            .filter(|w| w.location.path == doc.path)
            .collect();
        let same_reach = body.copies.iter().all(|copy| self.assets.contains(copy))
            && body.warnings.iter().collect::<Vec<_>>() == old_warnings;
        if !same_reach {
            return Ok(false);
        }
        let body = Arc::new(body);
        self.items[index].summary = summary_of(&doc.front, &body.content);
        self.items[index].content = Arc::clone(&body.content);
        cache.entries.insert(doc.rel.clone(), (doc, body));
        Ok(true)
    }

    /// Indices of the items of one kind, in site order.
    pub fn items_of(&self, kind: Kind) -> Vec<usize> {
        (0..self.items.len())
            .filter(|&index| self.items[index].kind == kind)
            .collect()
    }

    /// The item made from the content file `rel`. The paths are compared as bytes first:
    /// comparing `Path`s splits both into components, which over 10,000 items was most of
    /// the preview's rebuild after an edit.
    pub fn item_index(&self, rel: &Path) -> Option<usize> {
        let bytes = rel.as_os_str();
        self.items
            .iter()
            .position(|item| item.rel.as_os_str() == bytes)
            .or_else(|| self.items.iter().position(|item| item.rel == rel))
    }

    /// The link for a site path: the base path prepended.
    pub fn url(&self, path_url: &str) -> String {
        self.address(&self.config.base_path(), path_url)
    }

    /// The full URL for a site path, for feeds, the sitemap and sharing.
    pub fn permalink(&self, path_url: &str) -> String {
        self.address(&self.config.base_url_slash(), path_url)
    }

    /// Every address a page, feed or calendar gives passes here: a full URL is kept when
    /// its scheme is a safe one, and a site path is encoded and put under `base`.
    fn address(&self, base: &str, path_url: &str) -> String {
        if scheme_of(path_url).is_some() {
            // The model refuses unsafe addresses with a message; this keeps any that
            // reached here out of a page all the same.
            return if is_unsafe_url(path_url) {
                "#".to_string()
            } else {
                path_url.to_string()
            };
        }
        format!(
            "{base}{}",
            encode_url_path(path_url.trim_start_matches('/'))
        )
    }
}

/// Gives every placed document its URL, refusing one that is taken (by another document
/// or by herald's own pages), and returns where a link to each source file leads.
fn claim_urls(
    placed: &[Placed],
    unpublished: Vec<PathBuf>,
    errors: &mut Vec<Error>,
) -> HashMap<PathBuf, LinkTarget> {
    let herald = Path::new("(herald)");
    let reserved = urls::reserved();
    let mut owners: HashMap<&str, &Path> = reserved
        .iter()
        .map(|path| (path.as_str(), herald))
        .collect();
    let mut link_targets: HashMap<PathBuf, LinkTarget> = unpublished
        .into_iter()
        .map(|rel| (rel, LinkTarget::Unpublished))
        .collect();
    for p in placed {
        if let Some(other) = owners.get(p.path_url.as_str()) {
            errors.push(Error::at(
                ErrorKind::DuplicateUrl {
                    url: format!("/{}", p.path_url),
                    other: other.to_path_buf(),
                },
                Location::file(&p.doc.path),
                None,
            ));
        } else {
            owners.insert(&p.path_url, &p.doc.path);
        }
        link_targets.insert(p.doc.rel.clone(), LinkTarget::Page(p.path_url.clone()));
    }
    link_targets
}

/// What rendering a body depends on besides the document itself.
struct Bodies<'a> {
    config: &'a SiteConfig,
    link_targets: &'a HashMap<PathBuf, LinkTarget>,
    assets: &'a HashSet<&'a Path>,
}

impl Bodies<'_> {
    /// Renders every body, in parallel. With a cache, a body is reused when neither its
    /// document nor anything it may link to changed, and every body is kept for next time.
    fn render(
        &self,
        placed: Vec<Placed>,
        mut cache: Option<&mut MarkdownCache>,
    ) -> Vec<Result<RenderedDoc, Error>> {
        if let Some(cache) = cache.as_deref_mut() {
            let fingerprint = render_fingerprint(self.link_targets, self.config);
            if fingerprint != cache.fingerprint {
                cache.clear();
                cache.fingerprint = fingerprint;
            }
        }
        let base_path = self.config.base_path();
        let cached = cache.as_deref();
        let rendered: Vec<Result<RenderedDoc, Error>> = placed
            .into_par_iter()
            .map(|p| {
                let body = match cached.and_then(|cache| cache.get(&p.doc)) {
                    Some(body) => body,
                    None => Arc::new(render_body(
                        &p.doc,
                        &p.path_url,
                        self.config,
                        &base_path,
                        self.link_targets,
                        self.assets,
                    )?),
                };
                Ok((p, body))
            })
            .collect();
        if let Some(cache) = cache {
            cache.entries = rendered
                .iter()
                .filter_map(|result| result.as_ref().ok())
                .map(|(p, body)| (p.doc.rel.clone(), (Arc::clone(&p.doc), Arc::clone(body))))
                .collect();
        }
        rendered
    }
}

/// Campaigns and items made from rendered documents, with what making them found.
#[derive(Default)]
struct Built {
    campaigns: Vec<Campaign>,
    /// Each item with the id of the campaign it names, if any.
    items: Vec<(Item, Option<String>)>,
    copies: Vec<AssetCopy>,
    warnings: Vec<Warning>,
    errors: Vec<Error>,
}

impl Built {
    /// Makes a campaign or an item of one rendered document.
    fn add(&mut self, (p, body): RenderedDoc, campaign_ids: &[String], assets: &HashSet<&Path>) {
        self.warnings.extend(body.warnings.iter().cloned());
        self.copies.extend(body.copies.iter().cloned());
        let content = Arc::clone(&body.content);
        let built = match p.kind {
            None => build_campaign(p, content, assets, &mut self.copies)
                .map(|campaign| self.campaigns.push(campaign))
                .map_err(Errors::from),
            Some(kind) => build_item(p, kind, content, campaign_ids, assets, &mut self.copies).map(
                |(item, campaign)| {
                    self.warnings.extend(uncaptioned_photos(&item));
                    self.items.push((item, campaign))
                },
            ),
        };
        if let Err(Errors(mut failed)) = built {
            self.errors.append(&mut failed);
        }
    }
}

/// Errors in the order of their files, so that one file's errors are read together.
fn by_file(mut errors: Vec<Error>) -> Errors {
    errors.sort_by(|a, b| {
        a.location
            .as_ref()
            .map(|l| &l.path)
            .cmp(&b.location.as_ref().map(|l| &l.path))
    });
    Errors(errors)
}

/// Puts campaigns and items in site order, and links each item to its campaign and each
/// campaign to its items by index.
fn link_campaigns(
    mut campaigns: Vec<Campaign>,
    items: Vec<(Item, Option<String>)>,
) -> (Vec<Campaign>, Vec<Item>) {
    campaigns.sort_by(|a, b| b.start.cmp(&a.start).then_with(|| a.id.cmp(&b.id)));
    let campaign_index: HashMap<String, usize> = campaigns
        .iter()
        .enumerate()
        .map(|(index, c)| (c.id.clone(), index))
        .collect();
    let mut items: Vec<Item> = items
        .into_iter()
        .map(|(mut item, campaign_id)| {
            item.campaign = campaign_id.and_then(|id| campaign_index.get(&id).copied());
            item
        })
        .collect();
    items.sort_by(compare_items);
    for (index, item) in items.iter().enumerate() {
        if let Some(campaign) = item.campaign {
            campaigns[campaign].items.push(index);
        }
    }
    (campaigns, items)
}

/// Newest first; undated items (pages) last, by weight then title.
fn compare_items(a: &Item, b: &Item) -> std::cmp::Ordering {
    b.date
        .cmp(&a.date)
        .then_with(|| a.weight.unwrap_or(0).cmp(&b.weight.unwrap_or(0)))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.path.cmp(&b.path))
}
