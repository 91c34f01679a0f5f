//! The build, stage by stage: load → parse → model → render → write.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use include_dir::{Dir, include_dir};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::error::{Error, ErrorKind, Errors, Warning};
use crate::fsio;
use crate::load::{self, CONTENT_DIR, display_path};
use crate::media::{self, Media};
use crate::model::kind::Kind;
use crate::model::{ModelOptions, Site};
use crate::parse::document::Document;
use crate::render::{self, OutputFile, TemplateSource, Templates};
use crate::write::{self, CopyFile};

/// The default theme, built into the binary so a new site builds before it has a `themes/` folder.
static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

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
        config.base_url = base_url.clone();
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

/// The theme's and the site's templates, site last so it wins.
pub fn template_sources(root: &Path, theme: &str) -> Result<Vec<TemplateSource>, Error> {
    let theme_dir = root.join("themes").join(theme);
    let mut sources = Vec::new();
    if theme_dir.is_dir() {
        sources.extend(read_templates(root, &theme_dir.join("templates"))?);
    } else if theme == "default" {
        for file in embedded_files("templates") {
            if let Some(text) = file.contents_utf8() {
                let name = file.path().strip_prefix("templates").unwrap_or(file.path());
                sources.push(TemplateSource {
                    name: name.to_string_lossy().replace('\\', "/"),
                    path: PathBuf::from("(built-in default theme)").join(file.path()),
                    text: text.to_string(),
                });
            }
        }
    } else {
        return Err(Error::in_file(
            ErrorKind::MissingTheme {
                name: theme.to_string(),
                available: fsio::subfolder_names(&root.join("themes")),
            },
            display_path(root, &root.join(crate::config::CONFIG_FILE)),
        ));
    }
    sources.extend(read_templates(root, &root.join("templates"))?);
    Ok(sources)
}

fn read_templates(root: &Path, dir: &Path) -> Result<Vec<TemplateSource>, Error> {
    let mut sources = Vec::new();
    if !dir.is_dir() {
        return Ok(sources);
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| dir.to_path_buf());
            Error::io(
                "read",
                &path,
                e.into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("symlink loop")),
            )
        })?;
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || load::is_ignored(&name) {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        sources.push(TemplateSource {
            name: rel.to_string_lossy().replace('\\', "/"),
            path: display_path(root, entry.path()),
            text: fsio::read_text(entry.path())?,
        });
    }
    Ok(sources)
}

/// Static files: the theme's, then the site's `static/`, then content assets.
pub fn copy_list(root: &Path, site: &Site) -> Vec<CopyFile> {
    let mut copies = Vec::new();
    let theme_static = root.join("themes").join(&site.config.theme).join("static");
    for dir in [theme_static, root.join("static")] {
        for entry in WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_file() && !load::is_ignored(&name) {
                let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                copies.push(CopyFile {
                    from: entry.path().to_path_buf(),
                    to: rel.to_string_lossy().replace('\\', "/"),
                });
            }
        }
    }
    for asset in &site.assets {
        copies.push(CopyFile {
            from: root.join(CONTENT_DIR).join(&asset.from),
            to: asset.to.clone(),
        });
    }
    copies
}

/// Built-in theme static files, written as output files when the site has no copy of the theme.
pub fn builtin_static(root: &Path, theme: &str) -> Vec<OutputFile> {
    if theme != "default" || root.join("themes").join(theme).is_dir() {
        return Vec::new();
    }
    embedded_files("static")
        .into_iter()
        .map(|file| OutputFile {
            path: file
                .path()
                .strip_prefix("static")
                .unwrap_or(file.path())
                .to_string_lossy()
                .replace('\\', "/"),
            bytes: file.contents().to_vec(),
        })
        // The site's own static/ overrides the theme's files.
        .filter(|file| !root.join("static").join(&file.path).is_file())
        .collect()
}

/// Every file under a folder of the built-in default theme.
fn embedded_files(folder: &str) -> Vec<&'static include_dir::File<'static>> {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<&'static include_dir::File<'static>>) {
        for entry in dir.entries() {
            match entry {
                include_dir::DirEntry::Dir(sub) => walk(sub, out),
                include_dir::DirEntry::File(file) => out.push(file),
            }
        }
    }
    let mut files = Vec::new();
    if let Some(dir) = DEFAULT_THEME.get_dir(folder) {
        walk(dir, &mut files);
    }
    files
}

/// The theme's templates with the site's overrides, compiled.
pub fn compile_templates(root: &Path, theme: &str) -> Result<Templates, Error> {
    Templates::compile(&template_sources(root, theme)?)
}

/// Renders a loaded site into output files (templates compiled once).
pub fn render(root: &Path, site: &Site, media: &Media) -> Result<Vec<OutputFile>, Errors> {
    let templates = compile_templates(root, &site.config.theme)?;
    let mut files = builtin_static(root, &site.config.theme);
    files.extend(render::render_site(site, media, &templates)?);
    Ok(files)
}

/// Checks the site without writing anything.
pub fn check(options: &BuildOptions) -> Result<BuildReport, Errors> {
    let started = Instant::now();
    let mut site = load_site(options)?;
    let media = media::process(&options.root, &mut site)?;
    let files = render(&options.root, &site, &media)?;
    Ok(report(&site, files.len(), started, PathBuf::new()))
}

/// Builds the site into its output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Errors> {
    let started = Instant::now();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    write::check_output(&options.root, &output)?;
    let mut site = load_site(options)?;
    let media = media::process(&options.root, &mut site)?;
    let files = render(&options.root, &site, &media)?;
    let mut copies = copy_list(&options.root, &site);
    copies.extend(media.copies);
    write::write_site(&output, &files, &copies)?;
    Ok(report(&site, files.len() + copies.len(), started, output))
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
    }
}
