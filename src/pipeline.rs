//! The build, stage by stage: load → parse → model → render → write.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::error::{Error, Errors, Warning};
use crate::load::{self, CONTENT_DIR, display_path};
use crate::media::{self, Media};
use crate::model::kind::Kind;
use crate::model::{ModelOptions, Site};
use crate::parse::document::Document;
use crate::render::{self, OutputFile, Templates};
use crate::stamp;
use crate::theme::Theme;
use crate::write::{self, CopyFile, Staging};

/// What a build or check is asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site's root folder.
    pub root: PathBuf,
    /// Where to write; `root/public` when not given.
    pub output: Option<PathBuf>,
    /// Include drafts.
    pub drafts: bool,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    /// "Today"; the real today in the site's time zone when not given.
    pub now: Option<NaiveDate>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Items per kind, in display order.
    pub items_by_kind: Vec<(Kind, usize)>,
    /// Campaigns.
    pub campaigns: usize,
    /// Files written, copies included.
    pub files: usize,
    /// Warnings to show.
    pub warnings: Vec<Warning>,
    /// Wall time.
    pub elapsed: Duration,
    /// The output folder (empty for a check).
    pub output: PathBuf,
    /// Nothing had changed since the last build into this folder, so nothing was done.
    pub up_to_date: bool,
}

impl BuildReport {
    fn empty(started: Instant, output: PathBuf) -> BuildReport {
        BuildReport {
            items_by_kind: Vec::new(),
            campaigns: 0,
            files: 0,
            warnings: Vec::new(),
            elapsed: started.elapsed(),
            output,
            up_to_date: false,
        }
    }
}

/// Loads, parses and validates the site: everything but rendering.
pub fn load_site(options: &BuildOptions) -> Result<Site, Errors> {
    let (config, config_warnings) = load_config(options)?;
    let sources = load::load(&options.root)?;
    let documents = parse_all(sources.documents)?;
    let model_options = model_options(&config, options);
    let mut site = Site::build(config, documents, &sources.assets, &model_options)?;
    let mut warnings = config_warnings;
    warnings.append(&mut site.warnings);
    site.warnings = warnings;
    Ok(site)
}

/// `site.yaml`, with `--base-url` applied.
pub fn load_config(options: &BuildOptions) -> Result<(SiteConfig, Vec<Warning>), Error> {
    let (mut config, warnings) = SiteConfig::load(&options.root)?;
    if let Some(base_url) = &options.base_url {
        config.override_base_url(base_url)?;
    }
    Ok((config, warnings))
}

/// Parses every file; all errors are reported together.
pub fn parse_all(files: Vec<load::SourceFile>) -> Result<Vec<Arc<Document>>, Errors> {
    let parsed: Vec<Result<Document, Error>> = files
        .into_par_iter()
        .map(|file| Document::parse(file.text, &file.path, &file.rel))
        .collect();
    let mut documents = Vec::with_capacity(parsed.len());
    let mut errors = Vec::new();
    for result in parsed {
        match result {
            Ok(doc) => documents.push(Arc::new(doc)),
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(documents)
    } else {
        Err(Errors(errors))
    }
}

/// Reads and parses one content file, given relative to `content/`.
pub fn parse_one(root: &Path, rel: &Path) -> Result<Arc<Document>, Error> {
    let full = root.join(CONTENT_DIR).join(rel);
    let path = display_path(root, &full);
    let text = load::read_source(&full, &path)?;
    Document::parse(text, &path, rel).map(Arc::new)
}

/// What the model needs from the options: drafts and "today".
pub fn model_options(config: &SiteConfig, options: &BuildOptions) -> ModelOptions {
    ModelOptions {
        drafts: options.drafts,
        now: options.now.unwrap_or_else(|| today(&config.timezone)),
    }
}

/// Today in the site's time zone (UTC+8 when the zone is unknown).
pub fn today(timezone: &str) -> NaiveDate {
    let now = chrono::Utc::now();
    match timezone.parse::<chrono_tz::Tz>() {
        Ok(zone) => now.with_timezone(&zone).date_naive(),
        Err(_) => (now + chrono::Duration::hours(8)).date_naive(),
    }
}

/// Static files (the theme's, overridden by the site's `static/`) and content assets.
pub fn copy_list(root: &Path, site: &Site) -> Result<Vec<CopyFile>, Error> {
    let (mut copies, _) = Theme::resolve(root, &site.config.theme)?.static_files(root);
    for asset in &site.assets {
        copies.push(CopyFile {
            from: root.join(CONTENT_DIR).join(&asset.from),
            to: asset.to.clone(),
        });
    }
    Ok(copies)
}

/// Static files of the built-in theme, written from the binary.
pub fn builtin_static(root: &Path, theme: &str) -> Result<Vec<OutputFile>, Error> {
    Ok(Theme::resolve(root, theme)?.static_files(root).1)
}

/// The theme's templates with the site's overrides, compiled.
pub fn compile_templates(root: &Path, theme: &str) -> Result<Templates, Error> {
    Templates::compile(&Theme::resolve(root, theme)?.template_sources(root)?)
}

/// Renders a loaded site (templates compiled once), handing each file to `sink`
/// as soon as it is made.
pub fn render_into(
    root: &Path,
    site: &Site,
    media: &Media,
    sink: render::Sink<'_>,
) -> Result<(), Errors> {
    let templates = compile_templates(root, &site.config.theme)?;
    for file in builtin_static(root, &site.config.theme)? {
        sink(file)?;
    }
    render::render_site_into(site, media, &templates, sink)
}

/// Checks the site without writing anything.
pub fn check(options: &BuildOptions) -> Result<BuildReport, Errors> {
    let started = Instant::now();
    let mut site = load_site(options)?;
    let media = media::process(&options.root, &mut site)?;
    let files = AtomicUsize::new(0);
    render_into(&options.root, &site, &media, &|_| {
        files.fetch_add(1, Ordering::Relaxed);
        Ok(())
    })?;
    Ok(report(&site, files.into_inner(), started, PathBuf::new()))
}

/// Builds the site into its output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Errors> {
    let started = Instant::now();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    write::check_output(&options.root, &output)?;
    let (config, _) = load_config(options)?;
    let today = options.now.unwrap_or_else(|| self::today(&config.timezone));
    let fingerprint = stamp::fingerprint(options, today);
    if stamp::up_to_date(&options.root, &output, fingerprint) {
        return Ok(BuildReport {
            up_to_date: true,
            ..BuildReport::empty(started, output)
        });
    }
    let mut site = load_site(options)?;
    let media = media::process(&options.root, &mut site)?;
    let mut copies = copy_list(&options.root, &site)?;
    copies.extend(media.copies.iter().cloned());
    // Pages go to disk as they are rendered; the old output is replaced only
    // when all of them are written.
    let staging = Staging::begin(&output)?;
    let written = Mutex::new(Vec::with_capacity(site.items.len() * 2));
    render_into(&options.root, &site, &media, &|file| {
        staging.write(&file)?;
        written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(file.path);
        Ok(())
    })?;
    copies.par_iter().try_for_each(|copy| staging.copy(copy))?;
    staging.finish()?;
    let written = written.into_inner().unwrap_or_else(|e| e.into_inner());
    let files = written.len() + copies.len();
    stamp::record(
        &options.root,
        &output,
        fingerprint,
        written.into_iter().chain(copies.into_iter().map(|c| c.to)),
    );
    let report = report(&site, files, started, output);
    drop_later((site, media));
    Ok(report)
}

/// Lets go of the loaded site on a thread of its own. Freeing the millions of small
/// allocations of 100,000 pages takes a quarter of a second that no one needs to wait
/// for: a one-off build exits right after, and the system takes the memory back at once.
/// (Should no thread be had, the value is dropped here and now.)
fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

fn report(site: &Site, files: usize, started: Instant, output: PathBuf) -> BuildReport {
    BuildReport {
        items_by_kind: Kind::LISTED
            .iter()
            .chain([Kind::Page].iter())
            .map(|&kind| {
                (
                    kind,
                    site.items.iter().filter(|item| item.kind == kind).count(),
                )
            })
            .collect(),
        campaigns: site.campaigns.len(),
        files,
        warnings: site.warnings.clone(),
        elapsed: started.elapsed(),
        output,
        up_to_date: false,
    }
}
