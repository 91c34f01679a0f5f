//! Stage 3, model: pure; documents become a validated `Site` with URLs, campaigns and indexes.

mod assets;
mod body;
pub mod campaign;
pub mod item;
pub mod kind;
pub mod paths;
pub mod urls;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::error::{Error, ErrorKind, Errors, Location, Warning};
use crate::model::assets::{gallery_photos, resolve_image, uncaptioned_photos};
pub use crate::model::body::{MarkdownCache, RenderedBody};
use crate::model::body::{render_body, render_fingerprint};
use crate::model::campaign::{Campaign, Phase};
use crate::model::item::{AssetCopy, Detail, Item};
use crate::model::kind::Kind;
use crate::model::paths::encode_url_path;
use crate::parse::document::{Document, FrontMatter};
use crate::parse::markdown::Rendered;
use crate::parse::sanitize::{is_unsafe_url, scheme_of};
use crate::parse::slug::{MAX_SLUG_BYTES, hash_slug, is_ascii_slug, settle_slug, slugify};

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

/// A placed document with its rendered body.
type RenderedDoc = (Placed, Arc<RenderedBody>);

/// A document sorted into campaign or item, with its settled URL.
struct Placed {
    doc: Arc<Document>,
    kind: Option<Kind>,
    campaign_id: Option<String>,
    slug: String,
    path_url: String,
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

/// Sorts every document into campaign or item with its URL; those that cannot be placed
/// add their error.
fn place_all(documents: Vec<Arc<Document>>, errors: &mut Vec<Error>) -> Vec<Placed> {
    let mut placed = Vec::new();
    for doc in documents {
        match place(doc) {
            Ok(Some(p)) => placed.push(p),
            Ok(None) => {}
            Err(error) => errors.push(error),
        }
    }
    placed
}

/// Leaves out drafts, and with a draft campaign every item that belongs to it; returns
/// what was left out, so that a link to it can say why it leads nowhere.
fn leave_out_drafts(placed: &mut Vec<Placed>) -> Vec<PathBuf> {
    let draft_campaigns: HashSet<String> = placed
        .iter()
        .filter(|p| p.kind.is_none() && p.doc.front.draft)
        .map(|p| p.slug.clone())
        .collect();
    let mut unpublished = Vec::new();
    placed.retain(|p| {
        let published = !p.doc.front.draft
            && !p
                .campaign_id
                .as_ref()
                .is_some_and(|id| draft_campaigns.contains(id));
        if !published {
            unpublished.push(p.doc.rel.clone());
        }
        published
    });
    unpublished
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

/// Decides whether a document is a campaign or an item, its kind and its URL.
fn place(doc: Arc<Document>) -> Result<Option<Placed>, Error> {
    let parts: Vec<String> = doc
        .rel
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    let file_name = parts.last().cloned().unwrap_or_default();
    let stem = file_name.trim_end_matches(".md").to_string();
    let is_bundle = file_name == "index.md";
    let folder_stem = if is_bundle && parts.len() >= 2 {
        parts[parts.len() - 2].clone()
    } else {
        stem
    };

    let in_campaigns = parts.first().is_some_and(|first| first == "campaigns");
    let is_campaign_file = in_campaigns
        && doc.front.kind.is_none()
        && (parts.len() == 2 || (parts.len() == 3 && is_bundle));
    if is_campaign_file {
        if !is_campaign_id(&folder_stem) {
            return Err(Error::in_file(
                ErrorKind::BadCampaignId {
                    id: folder_stem.clone(),
                },
                &doc.path,
            ));
        }
        return Ok(Some(Placed {
            path_url: urls::campaign(&folder_stem),
            slug: folder_stem,
            kind: None,
            campaign_id: None,
            doc,
        }));
    }

    let kind = match doc.front.kind.as_deref() {
        Some(value) => Kind::from_type(value).ok_or_else(|| {
            doc.error_at_field(
                ErrorKind::UnknownKind {
                    value: value.to_string(),
                },
                "type",
            )
        })?,
        None => parts[..parts.len().saturating_sub(1)]
            .iter()
            .find_map(|part| Kind::from_folder(part))
            .unwrap_or(Kind::Page),
    };
    let campaign_id = doc
        .front
        .campaign
        .clone()
        .or_else(|| (in_campaigns && parts.len() > 2).then(|| parts[1].clone()));
    let title = doc.require_title()?.to_string();
    // A written slug that makes no slug ("/", "..", "？？") falls back like a missing one.
    let written = doc
        .front
        .slug
        .as_deref()
        .map(slugify_keep)
        .unwrap_or_default();
    let file_slug = if is_ascii_slug(&folder_stem) {
        folder_stem.to_ascii_lowercase()
    } else {
        String::new()
    };
    let seed = doc.rel.to_string_lossy();
    let slug = settle_slug(
        [
            written.as_str(),
            file_slug.as_str(),
            slugify(&title).as_str(),
        ],
        &seed,
    );
    let path_url = urls::item(kind, &slug);
    Ok(Some(Placed {
        doc,
        kind: Some(kind),
        campaign_id,
        slug,
        path_url,
    }))
}

/// Every tag with its items, by slug. Tags are told apart by name: two names with one slug
/// (学雷锋 and 雪雷锋 are both `xue-lei-feng`, `C++` and `c`) keep two pages. The tag
/// with the most items keeps the plain slug, so one new item with a look-alike tag cannot
/// take an established tag's address; the others add a hash of their name.
fn gather_tags(items: &[Item]) -> Vec<Tag> {
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

/// Whether a campaign's file or folder name can be its id and URL part: it is written
/// in `campaign:` fields, so it is never changed behind the author's back.
fn is_campaign_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_SLUG_BYTES
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// A slug written by hand: kept when already a slug, otherwise made into one.
fn slugify_keep(slug: &str) -> String {
    let slug = slug.trim().trim_matches('/');
    if is_ascii_slug(slug) {
        slug.to_string()
    } else {
        slugify(slug)
    }
}

fn summary_of(front: &FrontMatter, content: &Rendered) -> String {
    front
        .summary
        .clone()
        .unwrap_or_else(|| content.summary.clone())
}

fn build_campaign(
    p: Placed,
    content: Arc<Rendered>,
    assets: &HashSet<&Path>,
    copies: &mut Vec<AssetCopy>,
) -> Result<Campaign, Error> {
    let doc = &p.doc;
    let front = &doc.front;
    let title = doc.require_title()?.to_string();
    let mut phases: Vec<Phase> = front
        .phases
        .iter()
        .enumerate()
        .map(|(number, phase)| {
            let end = phase.end.unwrap_or(phase.start);
            if end.day < phase.start.day {
                let front_matter = &doc.text[..doc.body_offset];
                let (line, column) = campaign::phase_field_at(front_matter, number, "end");
                return Err(Error::at(
                    ErrorKind::EndBeforeStart {
                        phase: Some(phase.name.clone()),
                        start: phase.start.day,
                        end: end.day,
                    },
                    Location::at(&doc.path, line, column),
                    Some(&doc.text),
                ));
            }
            Ok(Phase {
                name: phase.name.clone(),
                start: phase.start,
                end,
                summary: phase.summary.clone(),
            })
        })
        .collect::<Result<_, Error>>()?;
    phases.sort_by_key(|phase| phase.start);
    let start = front
        .start
        .or_else(|| phases.first().map(|phase| phase.start))
        .ok_or_else(|| doc.missing("start"))?;
    if let Some(end) = front.end
        && end.day < start.day
    {
        return Err(doc.error_at_field(
            ErrorKind::EndBeforeStart {
                phase: None,
                start: start.day,
                end: end.day,
            },
            "end",
        ));
    }
    // Without `end`, the last phase's end; it can only fall before `start` when every
    // phase does, and then the campaign is its first day.
    let end = front
        .end
        .or_else(|| phases.iter().map(|phase| phase.end).max())
        .unwrap_or(start);
    let cover = match &front.cover {
        Some(reference) => Some(resolve_image(doc, reference, &p.path_url, assets, copies)?),
        None => None,
    };
    Ok(Campaign {
        id: p.slug.clone(),
        path: doc.path.clone(),
        title,
        slogan: front.slogan.clone(),
        start,
        end: end.max(start),
        location: front.location.clone(),
        organizers: front.organizers.clone(),
        phases,
        goals: front.goals.clone(),
        summary: summary_of(front, &content),
        tags: front.tags.clone(),
        cover,
        content,
        items: Vec::new(),
    })
}

fn build_item(
    p: Placed,
    kind: Kind,
    content: Arc<Rendered>,
    campaign_ids: &[String],
    assets: &HashSet<&Path>,
    copies: &mut Vec<AssetCopy>,
) -> Result<(Item, Option<String>), Errors> {
    let doc = &p.doc;
    let front = &doc.front;
    let title = doc.require_title()?.to_string();
    if kind != Kind::Page && front.date.is_none() {
        return Err(doc.missing("date").into());
    }
    if let Some(id) = &p.campaign_id
        && !campaign_ids.contains(id)
    {
        let mut known = campaign_ids.to_vec();
        known.sort();
        return Err(doc
            .error_at_field(
                ErrorKind::UnknownCampaign {
                    id: id.clone(),
                    known,
                },
                "campaign",
            )
            .into());
    }
    let cover = match &front.cover {
        Some(reference) => Some(resolve_image(doc, reference, &p.path_url, assets, copies)?),
        None => None,
    };
    let detail = match kind {
        Kind::Plan => Detail::Plan {
            issuer: front.issuer.clone(),
            doc_number: front.doc_number.clone(),
            leadership: front.leadership.clone(),
        },
        Kind::Initiative => Detail::Initiative {
            to: front.to.clone(),
            signatories: front.signatories.clone(),
            closing: front.closing.clone(),
        },
        Kind::Story => Detail::Story {
            volunteers: front.volunteers.clone(),
            organization: front.organization.clone(),
            location: front.location.clone(),
        },
        Kind::Gallery => Detail::Gallery {
            photos: gallery_photos(doc, &p.path_url, assets, copies)?,
            listed: front.photos.is_some(),
        },
        Kind::Page => Detail::Page,
    };
    let item = Item {
        kind,
        path: doc.path.clone(),
        rel: doc.rel.clone(),
        title,
        slug: p.slug.clone(),
        path_url: p.path_url.clone(),
        date: front.date,
        updated: front.updated,
        summary: summary_of(front, &content),
        tags: front.tags.clone(),
        cover,
        draft: front.draft,
        weight: front.weight,
        author: front.author.clone(),
        campaign: None,
        detail,
        content,
    };
    Ok((item, p.campaign_id))
}
