//! Stage 4, render: pure; the `Site` through the theme's Tera templates into `OutputFile`s.

pub mod calendar;
pub mod feeds;
pub use crate::format;
mod templates;
pub mod view;

use std::collections::BTreeMap;

use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::error::{Error, Errors};
use crate::media::Media;
use crate::model::Site;
use crate::model::campaign::Campaign;
use crate::model::kind::Kind;
use crate::output::{OutputFile, Sink};
use crate::render::view::{CampaignCard, DateView, Group, PageLink, Pagination, Views};

pub use templates::{TemplateSource, Templates};

/// One page to render: a template, its own variables, and where it goes.
struct Job {
    template: String,
    context: Context,
}

impl Job {
    fn new(template: &str) -> Job {
        Job {
            template: template.to_string(),
            context: Context::new(),
        }
    }

    fn with<T: Serialize + ?Sized>(mut self, key: &'static str, value: &T) -> Job {
        self.context.insert(key, value);
        self
    }
}

/// Which page a plan entry renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Spec {
    /// An item's page, by index into `Site::items`.
    Item(usize),
    /// A campaign's page, by index into `Site::campaigns`.
    Campaign(usize),
    /// One page of a kind's index, numbered from 1.
    List(Kind, usize),
    /// The home page.
    Home,
    /// The campaigns index.
    Campaigns,
    /// The tags index.
    Tags,
    /// One page of a tag's list, by index into `Site::tags`, numbered from 1.
    Tag(usize, usize),
    /// The archive: the whole of it, or its overview when it is split by year.
    Archive,
    /// One year of an archive split by year.
    ArchiveYear(i32),
    /// The search page.
    Search,
    /// `404.html`.
    NotFound,
}

/// A page the site will have: where it goes and what renders it. Cheap to make, so that a
/// preview can plan every page and render only those an edit touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePlan {
    /// The site path (`plans/x/`, or `404.html`).
    pub path_url: String,
    /// What renders it.
    pub spec: Spec,
}

impl PagePlan {
    /// The file it is written to.
    pub fn output_path(&self) -> String {
        if self.path_url.ends_with(".html") {
            self.path_url.clone()
        } else {
            format!("{}index.html", self.path_url)
        }
    }
}

/// Items of each kind in site order, shared by the jobs of one render.
struct Lists {
    by_kind: BTreeMap<Kind, Vec<usize>>,
}

impl Lists {
    fn new(site: &Site) -> Lists {
        Lists {
            by_kind: Kind::LISTED
                .iter()
                .chain([Kind::Page].iter())
                .map(|&kind| (kind, site.items_of(kind)))
                .collect(),
        }
    }
}

/// Every page of the site, in a stable order.
pub fn plan(site: &Site) -> Vec<PagePlan> {
    let lists = Lists::new(site);
    let mut plans = Vec::with_capacity(site.items.len() + site.tags.len() + 64);
    let mut add = |path_url: String, spec: Spec| plans.push(PagePlan { path_url, spec });
    for (index, item) in site.items.iter().enumerate() {
        add(item.path_url.clone(), Spec::Item(index));
    }
    for (index, campaign) in site.campaigns.iter().enumerate() {
        add(campaign.path_url(), Spec::Campaign(index));
    }
    for kind in Kind::LISTED {
        let pages = list_page_count(site, lists.by_kind[&kind].len());
        for number in 1..=pages {
            add(list_path(kind, number), Spec::List(kind, number));
        }
    }
    add(String::new(), Spec::Home);
    add("campaigns/".into(), Spec::Campaigns);
    for (index, tag) in site.tags.iter().enumerate() {
        for number in 1..=list_page_count(site, tag.items.len()) {
            add(tag_path(&tag.slug, number), Spec::Tag(index, number));
        }
    }
    add("tags/".into(), Spec::Tags);
    add("archive/".into(), Spec::Archive);
    for year in plan_archive_years(site) {
        add(archive_year_path(year), Spec::ArchiveYear(year));
    }
    add("search/".into(), Spec::Search);
    add("404.html".into(), Spec::NotFound);
    plans
}

fn list_page_count(site: &Site, items: usize) -> usize {
    items.div_ceil(site.config.paginate.max(1)).max(1)
}

/// The site path of page `number` of a kind's index.
pub fn list_path(kind: Kind, number: usize) -> String {
    if number == 1 {
        format!("{}/", kind.section())
    } else {
        format!("{}/page/{number}/", kind.section())
    }
}

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
        || each_page(site, media, templates, &all, sink),
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
    each_page(site, media, templates, plans, Ok)
}

/// Renders pages in parallel and hands each to `then`. Template errors are
/// gathered (one per distinct fault); the first error of `then` (a failed
/// write) stops the rest and is reported alone.
fn each_page<T: Send>(
    site: &Site,
    media: &Media,
    templates: &Templates,
    plans: &[&PagePlan],
    then: impl Fn(OutputFile) -> Result<T, Error> + Sync,
) -> Result<Vec<T>, Errors> {
    let views = Views::new(site, media);
    // Made into a template value once: every page shares it.
    let site_view = tera::Value::from_serializable(&views.site_view());
    let lists = Lists::new(site);
    let stopped: std::sync::Mutex<Option<Error>> = std::sync::Mutex::new(None);
    let is_stopped = std::sync::atomic::AtomicBool::new(false);
    let rendered: Vec<Option<Result<T, Error>>> = plans
        .par_iter()
        .map(|plan| {
            if is_stopped.load(std::sync::atomic::Ordering::Relaxed) {
                return None;
            }
            let file = match render_page(&views, &lists, &site_view, templates, plan) {
                Ok(file) => file,
                Err(error) => return Some(Err(error)),
            };
            match then(file) {
                Ok(done) => Some(Ok(done)),
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

/// One page through its template.
fn render_page(
    views: &Views<'_>,
    lists: &Lists,
    site_view: &tera::Value,
    templates: &Templates,
    plan: &PagePlan,
) -> Result<OutputFile, Error> {
    let site = views.site;
    let mut job = job_for(views, lists, plan);
    job.context.insert_value("site", site_view.clone());
    if !job.context.contains_key("title") {
        job.context.insert("title", "");
    }
    if !job.context.contains_key("description") {
        job.context.insert("description", &site.config.description);
    }
    if job.context.get("image").is_none_or(|image| image.is_none()) {
        job.context.insert(
            "image",
            &site.config.logo.as_deref().map(|logo| site.permalink(logo)),
        );
    }
    job.context
        .insert("permalink", &site.permalink(&plan.path_url));
    job.context.insert("current_url", &site.url(&plan.path_url));
    Ok(OutputFile {
        path: plan.output_path(),
        bytes: templates.render(&format!("{}.html", job.template), &job.context)?,
    })
}

/// The Atom feeds: the site's and one per campaign.
pub fn render_feeds(site: &Site) -> Vec<OutputFile> {
    let mut files = vec![text_file("atom.xml", feeds::site_feed(site))];
    files.par_extend(
        site.campaigns
            .par_iter()
            .map(|campaign| campaign_feed_file(site, campaign)),
    );
    files
}

/// The feeds that carry item `index`: the site's and its campaign's, when it is among
/// their newest. After an edit of its body, the others are as they were.
pub fn render_feeds_of(site: &Site, index: usize) -> Vec<OutputFile> {
    let mut files = Vec::new();
    if feeds::feed_carries(site, 0..site.items.len(), index) {
        files.push(text_file("atom.xml", feeds::site_feed(site)));
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
        &format!("{}atom.xml", campaign.path_url()),
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
    files.push(text_file("robots.txt", feeds::robots(site)));
    files.push(text_file("calendar.ics", site_calendar));
    files.extend(
        site.campaigns
            .iter()
            .zip(calendars)
            .map(|(campaign, text)| {
                text_file(&format!("{}calendar.ics", campaign.path_url()), text)
            }),
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
                        .map(|date| format::date_iso(date.day))
                }
                _ => None,
            };
            (plan.path_url.clone(), lastmod)
        })
        .collect();
    text_file("sitemap.xml", feeds::sitemap(site, &sitemap_pages))
}

/// The template and variables of one planned page.
fn job_for(views: &Views<'_>, lists: &Lists, plan: &PagePlan) -> Job {
    let site = views.site;
    match plan.spec {
        Spec::Item(index) => {
            let item = &site.items[index];
            let page = views.item_page(index, &lists.by_kind[&item.kind]);
            let image = item.cover.as_deref().map(|cover| views.share_image(cover));
            Job::new(item.kind.name())
                .with("title", &item.title)
                .with("description", &item.summary)
                .with("image", &image)
                .with("page", &page)
        }
        Spec::Campaign(index) => {
            let campaign = &site.campaigns[index];
            Job::new("campaign")
                .with("title", &campaign.title)
                .with("description", &campaign.summary)
                .with("campaign", &views.campaign_page(campaign))
        }
        Spec::List(kind, number) => list_job(views, kind, &lists.by_kind[&kind], number),
        Spec::Home => home_job(views, &lists.by_kind),
        Spec::Campaigns => campaigns_job(views),
        Spec::Tags => tags_job(views),
        Spec::Tag(index, number) => tag_job(views, index, number),
        Spec::Archive => archive_job(views, None),
        Spec::ArchiveYear(year) => archive_job(views, Some(year)),
        Spec::Search => Job::new("search").with("title", "搜索"),
        Spec::NotFound => Job::new("404").with("title", "页面不存在"),
    }
}

fn text_file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        bytes: text.into_bytes(),
    }
}

/// Page `number` (from 1) of a paginated list: its items and the links between pages.
fn paginate<'a>(
    site: &Site,
    indices: &'a [usize],
    number: usize,
    path_of: impl Fn(usize) -> String,
) -> (&'a [usize], Pagination) {
    let per_page = site.config.paginate.max(1);
    let total = list_page_count(site, indices.len());
    let chunk = indices.chunks(per_page).nth(number - 1).unwrap_or(&[]);
    let pagination = Pagination {
        current: number,
        total,
        previous: (number > 1).then(|| site.url(&path_of(number - 1))),
        next: (number < total).then(|| site.url(&path_of(number + 1))),
        pages: page_window(number, total)
            .into_iter()
            .map(|n| match n {
                Some(n) => PageLink {
                    title: n.to_string(),
                    url: site.url(&path_of(n)),
                    current: n == number,
                },
                None => PageLink {
                    title: "…".into(),
                    url: String::new(),
                    current: false,
                },
            })
            .collect(),
    };
    (chunk, pagination)
}

/// The page numbers a pagination bar shows: the first, the last and two on each
/// side of the current one; `None` marks a gap. A bar listing every page would
/// make a site of N list pages write N² links.
fn page_window(current: usize, total: usize) -> Vec<Option<usize>> {
    const NEAR: usize = 2;
    let near = current.saturating_sub(NEAR).max(1)..=(current + NEAR).min(total);
    let mut numbers: Vec<usize> = [1, total].into_iter().chain(near).collect();
    numbers.sort_unstable();
    numbers.dedup();
    let mut shown = Vec::with_capacity(numbers.len() + 2);
    let mut last = 0;
    for n in numbers {
        // A gap of one page shows that page rather than `…`.
        match n - last {
            1 => {}
            2 => shown.push(Some(last + 1)),
            _ => shown.push(None),
        }
        shown.push(Some(n));
        last = n;
    }
    shown
}

/// The site path of page `number` of a tag's list.
pub fn tag_path(slug: &str, number: usize) -> String {
    if number == 1 {
        format!("tags/{slug}/")
    } else {
        format!("tags/{slug}/page/{number}/")
    }
}

/// How many pages a list of `items` takes.
pub fn page_count(site: &Site, items: usize) -> usize {
    list_page_count(site, items)
}

/// Page `number` of one kind's index.
fn list_job(views: &Views<'_>, kind: Kind, indices: &[usize], number: usize) -> Job {
    let (chunk, pagination) = paginate(views.site, indices, number, |n| list_path(kind, n));
    Job::new("list")
        .with("title", kind.label())
        .with("kind", &kind)
        .with("kind_label", kind.label())
        .with("items", &views.cards(chunk))
        .with("pagination", &pagination)
}

const HOME_LATEST: usize = 6;

fn home_job(views: &Views<'_>, by_kind: &BTreeMap<Kind, Vec<usize>>) -> Job {
    let site = views.site;
    let mut current: Vec<CampaignCard> = site
        .campaigns
        .iter()
        .filter(|campaign| campaign.status(site.now) != crate::model::campaign::Status::Ended)
        .map(|campaign| views.campaign_card(campaign))
        .collect();
    // Ongoing first, then the soonest upcoming.
    current.sort_by(|a, b| {
        (
            a.status != crate::model::campaign::Status::Ongoing,
            &a.start.iso,
        )
            .cmp(&(
                b.status != crate::model::campaign::Status::Ongoing,
                &b.start.iso,
            ))
    });
    let recent: Vec<CampaignCard> = site
        .campaigns
        .iter()
        .filter(|campaign| campaign.status(site.now) == crate::model::campaign::Status::Ended)
        .take(3)
        .map(|campaign| views.campaign_card(campaign))
        .collect();
    let latest: Vec<Group> = Kind::LISTED
        .iter()
        .filter(|kind| !by_kind[kind].is_empty())
        .map(|&kind| Group {
            kind,
            label: kind.label(),
            url: site.url(&format!("{}/", kind.section())),
            items: views.cards(&by_kind[&kind][..by_kind[&kind].len().min(HOME_LATEST)]),
            more: by_kind[&kind].len().saturating_sub(HOME_LATEST),
        })
        .collect();
    Job::new("index")
        .with("current_campaigns", &current)
        .with("past_campaigns", &recent)
        .with("latest", &latest)
}

#[derive(Serialize)]
struct CampaignYear {
    year: i32,
    campaigns: Vec<CampaignCard>,
}

fn campaigns_job(views: &Views<'_>) -> Job {
    let mut years: Vec<CampaignYear> = Vec::new();
    for campaign in &views.site.campaigns {
        let year = campaign.start.day.year();
        match years.last_mut() {
            Some(last) if last.year == year => last.campaigns.push(views.campaign_card(campaign)),
            _ => years.push(CampaignYear {
                year,
                campaigns: vec![views.campaign_card(campaign)],
            }),
        }
    }
    Job::new("campaigns")
        .with("title", "全部活动")
        .with("years", &years)
}

#[derive(Serialize)]
struct TagView {
    name: String,
    url: String,
    count: usize,
}

fn tag_view(views: &Views<'_>, index: usize) -> TagView {
    let tag = &views.site.tags[index];
    TagView {
        name: tag.name.clone(),
        url: views.site.url(&format!("tags/{}/", tag.slug)),
        count: tag.items.len(),
    }
}

fn tags_job(views: &Views<'_>) -> Job {
    let tags: Vec<TagView> = (0..views.site.tags.len())
        .map(|index| tag_view(views, index))
        .collect();
    Job::new("tags").with("title", "标签").with("tags", &tags)
}

fn tag_job(views: &Views<'_>, index: usize, number: usize) -> Job {
    let tag = &views.site.tags[index];
    let (chunk, pagination) = paginate(views.site, &tag.items, number, |n| tag_path(&tag.slug, n));
    Job::new("tag")
        .with("title", &format!("标签\u{FF1A}{}", tag.name))
        .with("tag", &tag_view(views, index))
        .with("items", &views.cards(chunk))
        .with("pagination", &pagination)
}

/// Above this many dated items the archive gets a page per year: one page of
/// 100,000 lines helps no reader and costs the build.
pub const ARCHIVE_WHOLE_LIMIT: usize = 1000;

/// The site path of one year of a split archive.
pub fn archive_year_path(year: i32) -> String {
    format!("archive/{year}/")
}

/// Items the archive lists: every dated item but plain pages, newest first.
fn archived(site: &Site) -> impl Iterator<Item = &crate::model::item::Item> {
    site.items
        .iter()
        .filter(|item| item.kind != Kind::Page && item.date.is_some())
}

/// How many items the archive holds for a year, and for each of its months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearCount {
    /// The year.
    pub year: i32,
    /// Items dated in it.
    pub count: usize,
    /// `(month, items)`, latest month first.
    pub months: Vec<(u32, usize)>,
}

/// How many items the archive holds for each year and month, newest first.
fn archive_years(site: &Site) -> Vec<YearCount> {
    let mut years: Vec<YearCount> = Vec::new();
    for date in archived(site).filter_map(|item| item.date) {
        let (year, month) = (date.day.year(), date.day.month());
        let at = match years.iter().position(|entry| entry.year == year) {
            Some(at) => at,
            None => {
                years.push(YearCount {
                    year,
                    count: 0,
                    months: Vec::new(),
                });
                years.len() - 1
            }
        };
        let entry = &mut years[at];
        entry.count += 1;
        match entry.months.iter_mut().find(|(m, _)| *m == month) {
            Some((_, count)) => *count += 1,
            None => entry.months.push((month, 1)),
        }
    }
    years.sort_by_key(|entry| std::cmp::Reverse(entry.year));
    for entry in &mut years {
        entry
            .months
            .sort_by_key(|(month, _)| std::cmp::Reverse(*month));
    }
    years
}

/// The years that get an archive page of their own: none while the archive fits on one.
pub fn plan_archive_years(site: &Site) -> Vec<i32> {
    if !archive_is_split(site) {
        return Vec::new();
    }
    archive_years(site)
        .into_iter()
        .map(|entry| entry.year)
        .collect()
}

/// Whether the archive is split into a page per year.
fn archive_is_split(site: &Site) -> bool {
    archived(site).count() > ARCHIVE_WHOLE_LIMIT
}

#[derive(Serialize)]
struct ArchiveMonth {
    month: u32,
    items: Vec<ArchiveEntry>,
}

/// What the archive shows of an item: a line, not a card.
#[derive(Serialize)]
struct ArchiveEntry {
    title: String,
    url: String,
    date: DateView,
    kind: Kind,
    kind_label: &'static str,
}

#[derive(Serialize)]
struct ArchiveYear {
    year: i32,
    months: Vec<ArchiveMonth>,
}

/// A year in the archive's year bar: an anchor on a whole archive, a page of
/// its own on a split one.
#[derive(Serialize)]
struct ArchiveYearLink {
    year: i32,
    count: usize,
    url: String,
    current: bool,
    months: Vec<ArchiveMonthLink>,
}

/// A month with its count, linking to its heading.
#[derive(Serialize)]
struct ArchiveMonthLink {
    month: u32,
    count: usize,
    url: String,
}

/// The whole archive, the overview of a split one (`year` None), or one year of it.
fn archive_job(views: &Views<'_>, year: Option<i32>) -> Job {
    let site = views.site;
    let split = archive_is_split(site);
    let mut total = 0;
    let year_links: Vec<ArchiveYearLink> = archive_years(site)
        .into_iter()
        .map(
            |YearCount {
                 year: y,
                 count,
                 months,
             }| {
                total += count;
                let url = if split {
                    site.url(&archive_year_path(y))
                } else {
                    format!("#y{y}")
                };
                let page = if split { url.clone() } else { String::new() };
                ArchiveYearLink {
                    year: y,
                    count,
                    current: Some(y) == year,
                    months: months
                        .into_iter()
                        .map(|(month, count)| ArchiveMonthLink {
                            month,
                            count,
                            url: format!("{page}#y{y}-m{month}"),
                        })
                        .collect(),
                    url,
                }
            },
        )
        .collect();
    let shown = |item_year: i32| !split || Some(item_year) == year;
    let mut years: Vec<ArchiveYear> = Vec::new();
    for item in archived(site) {
        let Some(date) = item.date else { continue };
        let (item_year, month) = (date.day.year(), date.day.month());
        if !shown(item_year) {
            continue;
        }
        if years.last().is_none_or(|last| last.year != item_year) {
            years.push(ArchiveYear {
                year: item_year,
                months: Vec::new(),
            });
        }
        let months = &mut years.last_mut().expect("pushed above").months;
        if months.last().is_none_or(|last| last.month != month) {
            months.push(ArchiveMonth {
                month,
                items: Vec::new(),
            });
        }
        months
            .last_mut()
            .expect("pushed above")
            .items
            .push(ArchiveEntry {
                title: item.title.clone(),
                url: site.url(&item.path_url),
                date: DateView::new(date.day),
                kind: item.kind,
                kind_label: item.kind.label(),
            });
    }
    let title = match year {
        Some(year) => format!("{year}年归档"),
        None => "归档".to_string(),
    };
    Job::new("archive")
        .with("title", &title)
        .with("years", &years)
        .with("year_links", &year_links)
        .with("total", &total)
}

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn pagination_shows_the_ends_and_the_pages_near_the_current_one() {
        assert_eq!(page_window(1, 1), [Some(1)]);
        assert_eq!(page_window(2, 3), [Some(1), Some(2), Some(3)]);
        assert_eq!(
            page_window(1, 100),
            [Some(1), Some(2), Some(3), None, Some(100)]
        );
        assert_eq!(
            page_window(50, 100),
            [
                Some(1),
                None,
                Some(48),
                Some(49),
                Some(50),
                Some(51),
                Some(52),
                None,
                Some(100)
            ]
        );
        // One hidden page is shown rather than replaced by a gap.
        assert_eq!(
            page_window(5, 7),
            [
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7)
            ]
        );
        assert_eq!(
            page_window(100, 100),
            [Some(1), None, Some(98), Some(99), Some(100)]
        );
    }
}
