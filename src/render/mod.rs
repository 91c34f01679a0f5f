//! Stage 4, render: pure; the `Site` through the theme's Tera templates into `OutputFile`s.

mod archive;
pub mod calendar;
pub mod feeds;

pub mod inputs;
mod lists;
mod pages;
mod plan;
pub mod qr;
mod templates;
pub mod view;
pub mod views;

use rayon::prelude::*;

use crate::error::{Error, Errors};
use crate::media::Media;
use crate::model::Site;
use crate::model::campaign::Campaign;
use crate::model::urls;
use crate::output::{OutputFile, Sink};
use crate::render::inputs::{Input, Recorded};
use crate::render::pages::job_for;
use crate::render::views::Views;

pub use archive::{ARCHIVE_WHOLE_LIMIT, YearCount};
pub use plan::{PagePlan, Spec, page_count, plan};
pub use templates::{TemplateSource, Templates};

/// Renders every page, feed, calendar, sitemap and search file of the site into
/// `sink`, so no more than a page per thread is held at once.
pub fn render_site_into(
    site: &Site,
    media: &Media,
    templates: &Templates,
    plans: &[PagePlan],
    sink: Sink<'_>,
) -> Result<(), Errors> {
    // In folder order: the threads split the list in halves, and so mostly write into
    // different folders, instead of taking turns at the same folder's lock.
    let mut all: Vec<&PagePlan> = plans.iter().collect();
    all.sort_unstable_by(|a, b| a.path_url.cmp(&b.path_url));
    // The search index is mostly computing and the pages mostly writing: making
    // them side by side keeps both cores busy.
    let (pages, others) = rayon::join(
        || each_page(&Views::new(site, media), templates, &all, sink).map(drop),
        || {
            render_extras(site, plans)
                .into_par_iter()
                .try_for_each(sink)?;
            crate::search::index_files_into(site, sink)
        },
    );
    pages?;
    others?;
    Ok(())
}

/// Renders the given pages through the templates, in parallel, and returns them.
pub fn render_pages(
    site: &Site,
    media: &Media,
    templates: &Templates,
    plans: &[&PagePlan],
) -> Result<Vec<OutputFile>, Errors> {
    let views = Views::new(site, media);
    let pages = each_page(&views, templates, plans, Ok)?;
    Ok(pages.into_iter().map(|(file, _)| file).collect())
}

/// Renders the given pages and records what each read, and what each card it showed
/// read, for a preview that renders again only what an edit changed.
pub fn render_recorded(
    views: &Views<'_>,
    templates: &Templates,
    plans: &[&PagePlan],
) -> Result<(Vec<OutputFile>, Recorded), Errors> {
    debug_assert!(views.is_recording());
    let pages = each_page(views, templates, plans, Ok)?;
    let mut recorded = Recorded {
        pages: Default::default(),
        cards: views.card_records(),
    };
    let files = pages
        .into_iter()
        .map(|(file, mut reads)| {
            reads.sort_unstable();
            reads.dedup();
            recorded.pages.insert(file.path.clone(), reads);
            file
        })
        .collect();
    Ok((files, recorded))
}

/// What `then` made of a page, with what the page's view read.
type PageDone<T> = (T, Vec<Input>);

/// Renders pages in parallel and hands each to `then`, with what its view read (nothing
/// unless `views` records). Template errors are gathered (one per distinct fault); the
/// first error of `then` (a failed write) stops the rest and is reported alone.
fn each_page<T: Send>(
    views: &Views<'_>,
    templates: &Templates,
    plans: &[&PagePlan],
    then: impl Fn(OutputFile) -> Result<T, Error> + Sync,
) -> Result<Vec<PageDone<T>>, Errors> {
    // Made into a template value once: every page shares it.
    let site_view = tera::Value::from_serializable(&views.site_view());
    let stopped: std::sync::Mutex<Option<Error>> = std::sync::Mutex::new(None);
    let is_stopped = std::sync::atomic::AtomicBool::new(false);
    let rendered: Vec<Option<Result<PageDone<T>, Error>>> = plans
        .par_iter()
        .map(|plan| {
            if is_stopped.load(std::sync::atomic::Ordering::Relaxed) {
                return None;
            }
            let (file, reads) = match render_page(views, &site_view, templates, plan) {
                Ok(page) => page,
                Err(error) => return Some(Err(error)),
            };
            match then(file) {
                Ok(done) => Some(Ok((done, reads))),
                Err(error) => {
                    is_stopped.store(true, std::sync::atomic::Ordering::Relaxed);
                    let mut first = stopped.lock().unwrap_or_else(|e| e.into_inner());
                    first.get_or_insert(error);
                    None
                }
            }
        })
        .collect();
    if let Some(error) = stopped.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(Errors(vec![error]));
    }
    let mut done = Vec::with_capacity(rendered.len());
    let mut errors = Vec::new();
    for result in rendered.into_iter().flatten() {
        match result {
            Ok(value) => done.push(value),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        // The same template fault fails every page that uses it: report it once.
        errors.dedup_by(|a, b| a.to_string() == b.to_string());
        return Err(Errors(errors));
    }
    Ok(done)
}

/// One page through its template, with what its view read.
fn render_page(
    views: &Views<'_>,
    site_view: &tera::Value,
    templates: &Templates,
    plan: &PagePlan,
) -> Result<(OutputFile, Vec<Input>), Error> {
    let context = || {
        let mut job = job_for(views, plan);
        // Every page shows the site's navigation.
        let config = views.config();
        job.context.insert_value("site", site_view.clone());
        if !job.context.contains_key("title") {
            job.context.insert("title", "");
        }
        if !job.context.contains_key("description") {
            job.context.insert("description", &config.description);
        }
        if job.context.get("image").is_none_or(|image| image.is_none()) {
            job.context.insert(
                "image",
                &config.logo.as_deref().map(|logo| views.permalink(logo)),
            );
        }
        job.context
            .insert("permalink", &views.permalink(&plan.path_url));
        job.context
            .insert("current_url", &views.url(&plan.path_url));
        job
    };
    let (job, reads) = if views.is_recording() {
        crate::render::inputs::record(context)
    } else {
        (context(), Vec::new())
    };
    let file = OutputFile {
        path: plan.output_path(),
        bytes: templates.render(&format!("{}.html", job.template), &job.context)?,
    };
    Ok((file, reads))
}

/// The Atom feeds: the site's and one per campaign.
pub fn render_feeds(site: &Site) -> Vec<OutputFile> {
    let mut files = vec![text_file(urls::FEED, feeds::site_feed(site))];
    files.par_extend(
        site.campaigns
            .par_iter()
            .map(|campaign| campaign_feed_file(site, campaign)),
    );
    files
}

/// The extra files an edit of item `index`'s body (its front matter unchanged) changed:
/// feeds carry bodies, so the feeds that carry the item; calendars and the sitemap show
/// no more of an item than its card and front matter hold, so all of them only when its
/// card changed.
pub fn extras_after_body_edit(
    site: &Site,
    plans: &[PagePlan],
    index: usize,
    card_changed: bool,
) -> Vec<OutputFile> {
    if card_changed {
        render_extras(site, plans)
    } else {
        render_feeds_of(site, index)
    }
}

/// The feeds that carry item `index`: the site's and its campaign's, when it is among
/// their newest. After an edit of its body, the others are as they were.
fn render_feeds_of(site: &Site, index: usize) -> Vec<OutputFile> {
    let mut files = Vec::new();
    if feeds::feed_carries(site, 0..site.items.len(), index) {
        files.push(text_file(urls::FEED, feeds::site_feed(site)));
    }
    if let Some(campaign) = site.items[index].campaign.map(|c| &site.campaigns[c])
        && feeds::feed_carries(site, campaign.items.iter().copied(), index)
    {
        files.push(campaign_feed_file(site, campaign));
    }
    files
}

fn campaign_feed_file(site: &Site, campaign: &Campaign) -> OutputFile {
    text_file(
        &urls::campaign_feed(&campaign.id),
        feeds::campaign_feed(site, campaign),
    )
}

/// Feeds, the sitemap, robots.txt and calendars, made side by side: at 100,000 items
/// each is tens of megabytes.
pub fn render_extras(site: &Site, plans: &[PagePlan]) -> Vec<OutputFile> {
    let ((mut files, sitemap), (site_calendar, calendars)) = rayon::join(
        || rayon::join(|| render_feeds(site), || sitemap_file(site, plans)),
        || calendar::calendars(site),
    );
    files.push(sitemap);
    files.push(text_file(urls::ROBOTS, feeds::robots(site)));
    files.push(text_file(urls::CALENDAR, site_calendar));
    files.extend(
        site.campaigns
            .iter()
            .zip(calendars)
            .map(|(campaign, text)| text_file(&urls::campaign_calendar(&campaign.id), text)),
    );
    files
}

fn sitemap_file(site: &Site, plans: &[PagePlan]) -> OutputFile {
    let sitemap_pages: Vec<(String, Option<String>)> = plans
        .iter()
        .filter(|plan| plan.spec != Spec::NotFound)
        .map(|plan| {
            let lastmod = match plan.spec {
                Spec::Item(index) => {
                    let item = &site.items[index];
                    item.updated
                        .or(item.date)
                        .map(|date| crate::format::date_iso(date.day))
                }
                _ => None,
            };
            (plan.path_url.clone(), lastmod)
        })
        .collect();
    text_file(urls::SITEMAP, feeds::sitemap(site, &sitemap_pages))
}

fn text_file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        bytes: text.into_bytes(),
    }
}
