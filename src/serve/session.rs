//! Incremental rebuilds for the preview: what was loaded is kept, only the files that changed
//! are read again, unchanged bodies keep their HTML, and only the pages whose recorded
//! inputs changed are rendered again (see `render::inputs`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, Errors, Warning};
use crate::fsio;
use crate::load::{self, CONTENT_DIR};
use crate::media::{self, Media};
use crate::model::{MarkdownCache, Site, urls};
use crate::output::OutputFile;
use crate::parse::document::Document;
use crate::pipeline::{self, Outputs};
use crate::project::{BuildOptions, Project};
use crate::render::inputs::{Comparison, Recorded};
use crate::render::views::Views;
use crate::render::{self, PagePlan, Templates};
use crate::serve::state::{Page, Pages, Preview, etag_of};
use crate::serve::watch::Changes;

/// One rebuild's result.
pub struct Outcome {
    /// The site to serve.
    pub preview: Preview,
    /// Site paths of the pages this rebuild rendered.
    pub rendered: Vec<String>,
    /// Warnings of the build.
    pub warnings: Vec<Warning>,
    /// The site as built, shared with whoever builds the search index.
    pub site: Arc<Site>,
}

/// The preview's memory of the site between rebuilds.
pub struct Session {
    options: BuildOptions,
    project: Option<Project>,
    templates: Option<Templates>,
    documents: BTreeMap<PathBuf, Arc<Document>>,
    broken: BTreeSet<PathBuf>,
    assets: BTreeSet<PathBuf>,
    cache: MarkdownCache,
    media: Media,
    site: Option<Arc<Site>>,
    pages: Pages,
    /// What each page and card read when it was last rendered.
    recorded: Recorded,
    copies: Arc<HashMap<String, PathBuf>>,
    urls_by_source: Arc<HashMap<PathBuf, String>>,
}

impl Session {
    /// A session that has loaded nothing yet.
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            project: None,
            templates: None,
            documents: BTreeMap::new(),
            broken: BTreeSet::new(),
            assets: BTreeSet::new(),
            cache: MarkdownCache::default(),
            media: Media::default(),
            site: None,
            pages: Pages::new(),
            recorded: Recorded::default(),
            copies: Arc::default(),
            urls_by_source: Arc::default(),
        }
    }

    /// Loads and renders everything.
    pub fn full(&mut self) -> Result<Outcome, Errors> {
        self.project = None;
        self.templates = None;
        self.cache.clear();
        let root = self.options.root.clone();
        let sources = load::load(&root)?;
        self.assets = sources.assets.into_iter().collect();
        self.documents.clear();
        self.broken.clear();
        let mut errors = Vec::new();
        for file in sources.documents {
            let rel = file.rel.clone();
            match Document::parse(file.text, &file.path, &file.rel) {
                Ok(doc) => {
                    self.documents.insert(rel, Arc::new(doc));
                }
                Err(error) => {
                    self.broken.insert(rel);
                    errors.push(error);
                }
            }
        }
        if !errors.is_empty() {
            return Err(Errors(errors));
        }
        self.site = None;
        self.rebuild()
    }

    /// Applies a batch of changes, doing as little work as they allow.
    pub fn apply(&mut self, changes: &Changes) -> Result<Outcome, Errors> {
        if self.site.is_none()
            && self.project.is_none()
            && self.documents.is_empty()
            && self.broken.is_empty()
        {
            return self.full();
        }
        if changes.config {
            self.project = None;
            self.site = None;
        }
        // A theme's `theme.yaml` counts as a template: its parent may have changed.
        if changes.templates {
            self.project = None;
            self.templates = None;
            self.site = None;
        }
        if let Some(outcome) = self.body_only(changes)? {
            return Ok(outcome);
        }
        for path in &changes.content {
            let Ok(rel) = path.strip_prefix(CONTENT_DIR) else {
                continue;
            };
            self.update(rel);
        }
        if !self.broken.is_empty() {
            let root = self.options.root.clone();
            let errors: Vec<Error> = self
                .broken
                .iter()
                .filter_map(|rel| pipeline::parse_one(&root, rel).err())
                .collect();
            if !errors.is_empty() {
                return Err(Errors(errors));
            }
            self.broken.clear();
        }
        let outcome = self.rebuild();
        if outcome.is_err() {
            // The sources no longer make the site kept: no body edit may be laid over it,
            // and the next good save renders everything.
            self.site = None;
        }
        outcome
    }

    /// The common case of an author typing in one item's body: when the front matter is
    /// unchanged, the item is changed in place, without rebuilding the model, and the pages
    /// that read it are rendered: its own, and those that show its card if the card changed.
    fn body_only(&mut self, changes: &Changes) -> Result<Option<Outcome>, Errors> {
        let single = changes.content.len() == 1
            && !changes.config
            && !changes.templates
            && changes.static_files.is_empty();
        if !single || !self.broken.is_empty() {
            return Ok(None);
        }
        let Some(rel) = changes
            .content
            .iter()
            .next()
            .and_then(|path| path.strip_prefix(CONTENT_DIR).ok())
        else {
            return Ok(None);
        };
        let (Some(old), Some(project), Some(_)) = (
            self.documents.get(rel),
            self.project.as_ref(),
            self.templates.as_ref(),
        ) else {
            return Ok(None);
        };
        let Ok(doc) = pipeline::parse_one(&self.options.root, rel) else {
            return Ok(None);
        };
        // A new day changes every campaign's status: that is a rebuild.
        let today = pipeline::model_options(&project.config, &self.options).now;
        if doc.front != old.front || self.site.as_ref().is_none_or(|site| site.now != today) {
            return Ok(None);
        }
        let Some(site) = self.site.as_mut().map(Arc::make_mut) else {
            return Ok(None);
        };
        match site.refresh_body(Arc::clone(&doc), &mut self.cache) {
            Ok(true) => {}
            Ok(false) => return Ok(None),
            Err(error) => {
                // The file as it now is stays in the sources, and the model is built again
                // at the next save: the fault is reported until it is mended, whatever
                // file is saved next.
                self.documents.insert(rel.to_path_buf(), doc);
                self.site = None;
                return Err(Errors(vec![error]));
            }
        }
        self.documents.insert(rel.to_path_buf(), doc);
        let site = self.site.as_ref().expect("checked above");
        let Some(index) = site.item_index(rel) else {
            return Ok(None);
        };
        let views = Views::recording(site, &self.media);
        let card_changed = self
            .recorded
            .card_changed(rel.as_os_str(), views.card_hash(index));
        let stale = self
            .recorded
            .stale_after_body_edit(rel.as_os_str(), card_changed);
        let plans = render::plan(site);
        let selected: Vec<&PagePlan> = plans
            .iter()
            .filter(|plan| stale.contains(&plan.output_path()))
            .collect();
        let templates = self.templates.as_ref().expect("checked above");
        let (mut files, recorded) = match render::render_recorded(&views, templates, &selected) {
            Ok(rendered) => rendered,
            Err(errors) => {
                // The site holds the new body and the pages do not: compare nothing with
                // it, render everything at the next good save.
                drop(views);
                self.site = None;
                return Err(errors);
            }
        };
        let rendered = rendered_paths(&files);
        files.extend(render::extras_after_body_edit(
            site,
            &plans,
            index,
            card_changed,
        ));
        let warnings = site.warnings.clone();
        let site = Arc::clone(self.site.as_ref().expect("checked above"));
        self.recorded.merge(recorded);
        self.store(files);
        Ok(Some(self.outcome(rendered, warnings, site)))
    }

    /// What a rebuild hands the server: the page table as it now stands.
    fn outcome(&self, rendered: Vec<String>, warnings: Vec<Warning>, site: Arc<Site>) -> Outcome {
        Outcome {
            preview: Preview {
                pages: self.pages.clone(),
                copies: Arc::clone(&self.copies),
                urls_by_source: Arc::clone(&self.urls_by_source),
                root: fsio::canonical(&self.options.root),
                content: self.options.root.join(CONTENT_DIR),
            },
            rendered,
            warnings,
            site,
        }
    }

    /// Puts rendered files in the page table.
    fn store(&mut self, files: Vec<OutputFile>) {
        for file in files {
            let etag = etag_of(&file.bytes);
            self.pages.insert(
                file.path,
                Page {
                    bytes: file.bytes.into(),
                    etag,
                },
            );
        }
    }

    /// Re-reads one changed path under `content/`: a file, a folder, or something removed.
    fn update(&mut self, rel: &Path) {
        let full = self.options.root.join(CONTENT_DIR).join(rel);
        if fsio::is_dir(&full) {
            // A folder linked in from outside is reported, never walked; inside a folder,
            // what a build would skip is skipped, and what it would refuse is refused.
            if load::admit(&self.options.root, rel).is_err() {
                self.broken.insert(rel.to_path_buf());
                return;
            }
            let content = self.options.root.join(CONTENT_DIR);
            let site = fsio::canonical(&self.options.root);
            let mut refused = Vec::new();
            let mut files: Vec<PathBuf> =
                load::walk_content(&site, &full, |path| refused.push(path.to_path_buf()))
                    .flatten()
                    .filter(|entry| entry.kind != fsio::EntryKind::Folder)
                    .map(|entry| entry.path)
                    .collect();
            files.append(&mut refused);
            let files: Vec<PathBuf> = files
                .iter()
                .filter_map(|path| path.strip_prefix(&content).ok().map(Path::to_path_buf))
                .collect();
            for inner in files {
                self.update(&inner);
            }
            return;
        }
        // What a build skips (hidden folders such as `.git`, editor leftovers such as
        // `旧稿~/`), the preview skips too, at every level of the path.
        if rel
            .iter()
            .any(|part| load::is_ignored(part.to_str().unwrap_or("")))
        {
            return;
        }
        let is_markdown = rel
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("md"));
        // A link to nothing (or to itself) is reported, as a build reports it.
        let dangling = fsio::is_symlink(&full) && !fsio::exists(&full);
        if !fsio::exists(&full) && !dangling {
            // A removed file, or a removed folder and everything that was in it.
            let gone: Vec<PathBuf> = self
                .documents
                .keys()
                .chain(self.broken.iter())
                .filter(|path| path.starts_with(rel))
                .cloned()
                .collect();
            for path in gone {
                self.documents.remove(&path);
                self.broken.remove(&path);
            }
            let before = self.assets.len();
            self.assets.retain(|path| !path.starts_with(rel));
            if self.assets.len() != before {
                self.cache.clear();
                self.site = None;
            }
            return;
        }
        if is_markdown {
            match pipeline::parse_one(&self.options.root, rel) {
                Ok(doc) => {
                    self.documents.insert(rel.to_path_buf(), doc);
                    self.broken.remove(rel);
                }
                Err(_) => {
                    self.documents.remove(rel);
                    self.broken.insert(rel.to_path_buf());
                }
            }
        } else if dangling || !fsio::is_file(&full) || load::admit(&self.options.root, rel).is_err()
        {
            // Reported from `broken`, as a file that cannot be read would be.
            self.broken.insert(rel.to_path_buf());
        } else if self.assets.insert(rel.to_path_buf())
            | self.broken.remove(rel)
            | crate::model::paths::is_image(rel)
        {
            // A new image may be a gallery's or a body's, and a changed one may have
            // another size, and so other resized copies: render everything again.
            self.cache.clear();
            self.site = None;
        }
    }

    /// Builds the model and renders the pages whose inputs changed since the last render.
    fn rebuild(&mut self) -> Result<Outcome, Errors> {
        let links_before = self.cache.fingerprint;
        let (site, media, warnings) = self.build_model()?;
        let project = self.project.as_ref().expect("loaded by build_model");
        // What a build would refuse, the preview shows: two things at one path, a download
        // that is markup.
        let outputs = Outputs::plan(project, &site, &media)?;
        let views = Views::recording(&site, &media);
        // A page's address changed (a slug, a rename, a new or removed page): any body may
        // link to it, so every page is rendered again.
        let links_moved = links_before != self.cache.fingerprint;
        let selected = self.select(&outputs.plans, &site, &views, links_moved);
        let templates = self.templates.as_ref().expect("compiled by build_model");
        let (mut files, recorded) = render::render_recorded(&views, templates, &selected)?;
        drop(views);
        let rendered = rendered_paths(&files);
        let extras: Vec<OutputFile> = render::render_extras(&site, &outputs.plans)
            .into_iter()
            .chain(outputs.builtin)
            .collect();
        for file in &extras {
            outputs.claims.rendered(&file.path)?;
        }
        files.extend(extras);
        let keep: HashSet<String> = outputs
            .plans
            .iter()
            .map(PagePlan::output_path)
            .chain(files.iter().map(|file| file.path.clone()))
            .collect();
        self.pages.retain(|path, _| keep.contains(path));
        self.recorded.merge(recorded);
        self.recorded.retain(&site, |path| keep.contains(path));
        self.store(files);
        self.copies = Arc::new(
            outputs
                .copies
                .into_iter()
                .map(|copy| (copy.to, copy.from))
                .collect(),
        );
        self.urls_by_source = Arc::new(urls_by_source(&site));
        self.media = media;
        let site = Arc::new(site);
        self.site = Some(Arc::clone(&site));
        Ok(self.outcome(rendered, warnings, site))
    }

    /// The site from the documents as they now are, with its pictures processed, and the
    /// warnings of its settings and content; settings and templates loaded when not kept.
    fn build_model(&mut self) -> Result<(Site, Media, Vec<Warning>), Errors> {
        if self.project.is_none() {
            self.project = Some(Project::load(&self.options)?);
        }
        let project = self.project.as_ref().expect("loaded above");
        if self.templates.is_none() {
            self.templates = Some(pipeline::compile_templates(project)?);
        }
        let config = project.config.clone();
        let model_options = pipeline::model_options(&config, &self.options);
        let documents: Vec<Arc<Document>> = self.documents.values().cloned().collect();
        let assets: Vec<PathBuf> = self.assets.iter().cloned().collect();
        let mut site =
            Site::build_cached(config, documents, &assets, &model_options, &mut self.cache)?;
        let media = media::process(&project.root, &mut site)?;
        let mut warnings = project.warnings.clone();
        warnings.append(&mut site.warnings);
        Ok((site, media, warnings))
    }

    /// The pages to render: those whose recorded inputs changed and those never rendered,
    /// or every page when there is nothing to compare with.
    fn select<'p>(
        &mut self,
        plans: &'p [PagePlan],
        site: &Site,
        views: &Views<'_>,
        links_moved: bool,
    ) -> Vec<&'p PagePlan> {
        match self.site.as_deref().filter(|_| !links_moved) {
            Some(old) => {
                let stale = self.stale_pages(old, site, views);
                plans
                    .iter()
                    .filter(|plan| {
                        let path = plan.output_path();
                        stale.contains(&path) || !self.recorded.pages.contains_key(&path)
                    })
                    .collect()
            }
            None => {
                self.pages.clear();
                self.recorded = Recorded::default();
                plans.iter().collect()
            }
        }
    }

    /// The output paths of the rendered pages that read something the new site holds
    /// otherwise.
    fn stale_pages(&self, old: &Site, new: &Site, views: &Views<'_>) -> HashSet<String> {
        let old_views = Views::new(old, &self.media);
        let site_changed = tera::Value::from_serializable(&old_views.site_view())
            != tera::Value::from_serializable(&views.site_view());
        let card_hash = |index: usize| views.card_hash(index);
        Comparison::new(old, new, &self.recorded.cards, &card_hash, site_changed)
            .stale(&self.recorded.pages)
    }
}

/// Each item's and campaign's address by its source file, for the browser to follow an
/// author to the page they saved.
fn urls_by_source(site: &Site) -> HashMap<PathBuf, String> {
    let base_path = site.config.base_path();
    site.items
        .iter()
        .map(|item| (item.path.clone(), format!("{base_path}{}", item.path_url)))
        .chain(site.campaigns.iter().map(|campaign| {
            (
                campaign.path.clone(),
                format!("{base_path}{}", campaign.path_url()),
            )
        }))
        .collect()
}

/// The site paths of rendered pages, as the browser asks for them.
fn rendered_paths(files: &[OutputFile]) -> Vec<String> {
    files
        .iter()
        .map(|file| format!("/{}", urls::site_path(&file.path)))
        .collect()
}
