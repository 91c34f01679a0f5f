//! The build, stage by stage: load → parse → model → render → write.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::error::{Error, ErrorKind, Errors, Owner, Warning};
use crate::fsio;
use crate::load::{self, CONTENT_DIR, display_path};
use crate::media::{self, Media};
use crate::model::kind::Kind;
use crate::model::paths::is_image;
use crate::model::{ModelOptions, Site};
use crate::output::{CopyFile, OutputFile};
use crate::output_path::{Claims, OutputPath};
use crate::parse::document::Document;
use crate::project::{BuildOptions, Project};
use crate::render::{self, PagePlan, Spec, Templates};
use crate::stamp;
use crate::write::{self, Staging};

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
pub fn load_site(project: &Project, options: &BuildOptions) -> Result<Site, Errors> {
    let sources = load::load(&project.root)?;
    let documents = parse_all(sources.documents)?;
    let model_options = model_options(&project.config, options);
    let mut site = Site::build(
        project.config.clone(),
        documents,
        &sources.assets,
        &model_options,
    )?;
    let mut warnings = project.warnings.clone();
    warnings.append(&mut site.warnings);
    site.warnings = warnings;
    Ok(site)
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
    load::admit(root, rel)?;
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

/// The files of `content/` the site's pages use that are copied as they are: pictures
/// are published from the image cache, cleaned of their metadata (see [`media`]).
fn content_copies<'a>(root: &'a Path, site: &'a Site) -> impl Iterator<Item = CopyFile> + 'a {
    site.assets
        .iter()
        .filter(|asset| !is_image(&asset.from))
        .map(|asset| CopyFile {
            from: root.join(CONTENT_DIR).join(&asset.from),
            to: asset.to.clone(),
        })
}

/// The theme's templates with the site's overrides, compiled.
pub fn compile_templates(project: &Project) -> Result<Templates, Error> {
    Templates::compile(&project.theme.template_sources(&project.root)?)
}

/// Claims the path of every planned page and every file to copy, with what puts it
/// there, so that two things meant for one path are an error naming both. Rendered
/// files that were not planned (feeds, search files) claim theirs as they are made.
fn claim_planned(
    root: &Path,
    site: &Site,
    media: &Media,
    plans: &[PagePlan],
    copies: &[CopyFile],
) -> Result<Claims, Errors> {
    let claims = Claims::default();
    let mut errors = Vec::new();
    for plan in plans {
        let owner = match plan.spec {
            Spec::Item(index) => Owner::File(site.items[index].path.clone()),
            Spec::Campaign(index) => Owner::File(site.campaigns[index].path.clone()),
            _ => Owner::Herald,
        };
        if let Err(error) = claims.claim(&plan.output_path(), owner, true) {
            errors.push(error);
        }
    }
    // A photo and its resized copies are claimed for the photo they were made from, so that
    // two photos whose copies would meet (`a.jpg` and `a.png` both make `a-480w.jpg`) are
    // both named.
    let cache = root.join(media::CACHE_DIR);
    let source_of: HashMap<&str, &Path> = site
        .assets
        .iter()
        .map(|asset| (asset.to.as_str(), asset.from.as_path()))
        .collect();
    let mut photos: Vec<(&String, &media::ImageInfo)> = media.images.iter().collect();
    photos.sort_by(|a, b| a.0.cmp(b.0));
    for (to, info) in photos {
        let owner = match source_of.get(to.as_str()) {
            Some(from) => Owner::File(Path::new(CONTENT_DIR).join(from)),
            None => Owner::Herald,
        };
        let published = std::iter::once(to).chain(info.variants.iter().map(|v| &v.path_url));
        for path in published {
            if let Err(error) = claims.claim(path, owner.clone(), false) {
                errors.push(error);
            }
        }
    }
    for copy in copies.iter().filter(|copy| !copy.from.starts_with(&cache)) {
        let owner = Owner::File(display_path(root, &copy.from));
        if let Err(error) = claims.claim(&copy.to, owner, false) {
            errors.push(error);
        }
    }
    if errors.is_empty() {
        Ok(claims)
    } else {
        Err(Errors(errors))
    }
}

/// Whether a file's first bytes are markup (`<`, after a byte order mark and blank space):
/// a page, a drawing or a feed, whatever its name says.
fn is_markup(head: &[u8]) -> bool {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    text.iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_some_and(|&byte| byte == b'<')
}

/// A site made ready to write: every page planned, every path claimed, every file to
/// copy listed. `check` and `build` both make one, so whatever fails a build fails a
/// check with the same message.
pub struct Prepared {
    site: Site,
    media: Media,
    templates: Templates,
    outputs: Outputs,
}

/// Everything a site's output holds besides what is rendered: the pages planned, the
/// files copied (the theme's static files, downloads, pictures), the built-in theme's
/// files, and every path claimed by one of them. The build and the preview both plan it
/// here.
pub struct Outputs {
    /// Every page.
    pub plans: Vec<PagePlan>,
    /// Files copied as they are.
    pub copies: Vec<CopyFile>,
    /// Files of the built-in theme, written from the binary.
    pub builtin: Vec<OutputFile>,
    /// Who puts what at each path.
    pub claims: Claims,
}

impl Outputs {
    /// Plans the output of a loaded site whose images are processed.
    pub fn plan(project: &Project, site: &Site, media: &Media) -> Result<Outputs, Errors> {
        let root = project.root.as_path();
        let (mut copies, builtin) = project.theme.static_files(root);
        let attachments: Vec<CopyFile> = content_copies(root, site).collect();
        // A download is read here, its beginning only: so that `check` fails where `build`
        // would, and so that no markup is published under any name, whatever
        // `attachments:` allows (a browser runs an XHTML, RSS or SVG document's scripts as
        // the site's own). Pictures were decoded to be resized.
        let refused: Vec<Error> = attachments
            .iter()
            .filter_map(|copy| match fsio::read_head(&copy.from, 1024) {
                Ok(head) if is_markup(&head) => Some(Error::in_file(
                    ErrorKind::NotPublished {
                        reference: display_path(root, &copy.from).display().to_string(),
                        live: true,
                    },
                    display_path(root, &copy.from),
                )),
                Ok(_) => None,
                Err(error) => Some(error),
            })
            .collect();
        if !refused.is_empty() {
            return Err(Errors(refused));
        }
        copies.extend(attachments);
        copies.extend(media.copies.iter().cloned());
        let plans = render::plan(site);
        let claims = claim_planned(root, site, media, &plans, &copies)?;
        Ok(Outputs {
            plans,
            copies,
            builtin,
            claims,
        })
    }
}

fn prepare(project: &Project, options: &BuildOptions) -> Result<Prepared, Errors> {
    let mut site = load_site(project, options)?;
    let media = media::process(&project.root, &mut site)?;
    Prepared::new(project, site, media)
}

impl Prepared {
    /// Plans the pages and claims the paths of a loaded site whose images are processed.
    pub fn new(project: &Project, site: Site, media: Media) -> Result<Prepared, Errors> {
        let templates = compile_templates(project)?;
        let outputs = Outputs::plan(project, &site, &media)?;
        Ok(Prepared {
            site,
            media,
            templates,
            outputs,
        })
    }

    /// Renders every file into `sink`, each one's path claimed first.
    pub fn render(
        &self,
        sink: &(dyn Fn(OutputPath, OutputFile) -> Result<(), Error> + Sync),
    ) -> Result<(), Errors> {
        let claimed = |file: OutputFile| {
            let path = self.outputs.claims.rendered(&file.path)?;
            sink(path, file)
        };
        for file in &self.outputs.builtin {
            claimed(file.clone())?;
        }
        render::render_site_into(
            &self.site,
            &self.media,
            &self.templates,
            &self.outputs.plans,
            &claimed,
        )
    }
}

/// Checks the site without writing anything.
pub fn check(options: &BuildOptions) -> Result<BuildReport, Errors> {
    let started = Instant::now();
    let prepared = prepare(&Project::load(options)?, options)?;
    prepared.render(&|_, _| Ok(()))?;
    let files = prepared.outputs.claims.len();
    Ok(report(&prepared.site, files, started, PathBuf::new()))
}

/// Builds the site into its output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Errors> {
    let started = Instant::now();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    write::check_output(&options.root, &output)?;
    let project = Project::load(options)?;
    let today = model_options(&project.config, options).now;
    let fingerprint = stamp::fingerprint(options, today);
    if stamp::up_to_date(&options.root, &output, fingerprint) {
        return Ok(BuildReport {
            up_to_date: true,
            ..BuildReport::empty(started, output)
        });
    }
    let prepared = prepare(&project, options)?;
    // Pages go to disk as they are rendered; the old output is replaced only
    // when all of them are written.
    let staging = Staging::begin(&output)?;
    prepared.render(&|path, file| staging.write(&path, &file.bytes))?;
    // Pictures come from the image cache: linked, not copied, so that a rebuild of a site
    // with a year of galleries writes no photo's bytes again.
    let cache = options.root.join(media::CACHE_DIR);
    prepared.outputs.copies.par_iter().try_for_each(|copy| {
        let path = OutputPath::parse(&copy.to).map_err(|fault| fault.error(&copy.to))?;
        if copy.from.starts_with(&cache) {
            staging.link(&copy.from, &path)
        } else {
            staging.copy(&copy.from, &path)
        }
    })?;
    staging.finish()?;
    let Prepared {
        site,
        media,
        outputs,
        ..
    } = prepared;
    let written = outputs.claims.into_paths();
    let files = written.len();
    stamp::record(&options.root, &output, fingerprint, written.into_iter());
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
