//! Stage 4, render: pure; the `Site` through the theme's Tera templates into `OutputFile`s.

pub mod feeds;
pub mod format;
mod templates;
pub mod view;

use std::collections::BTreeMap;

use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::error::{Error, Errors};
use crate::model::Site;
use crate::model::kind::Kind;
use crate::render::view::{CampaignCard, Group, ItemCard, Link, Pagination, Views};

pub use templates::{TemplateSource, Templates};

/// A file to write, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// `plans/x/index.html`
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// One page to render: a template, its own variables, and where it goes.
struct Job {
    template: String,
    path_url: String,
    context: Context,
}

impl Job {
    fn new(template: &str, path_url: &str) -> Job {
        Job {
            template: template.to_string(),
            path_url: path_url.to_string(),
            context: Context::new(),
        }
    }

    fn with<T: Serialize + ?Sized>(mut self, key: &'static str, value: &T) -> Job {
        self.context.insert(key, value);
        self
    }

    fn output_path(&self) -> String {
        if self.path_url.ends_with(".html") {
            self.path_url.clone()
        } else {
            format!("{}index.html", self.path_url)
        }
    }
}

/// Renders every page, feed and sitemap of the site.
pub fn render_site(site: &Site, templates: &Templates) -> Result<Vec<OutputFile>, Errors> {
    let views = Views { site };
    let site_view = views.site_view();
    let mut jobs = Vec::new();

    let by_kind: BTreeMap<Kind, Vec<usize>> = Kind::LISTED
        .iter()
        .chain([Kind::Page].iter())
        .map(|&kind| (kind, site.items_of(kind)))
        .collect();

    for (index, item) in site.items.iter().enumerate() {
        let page = views.item_page(index, &by_kind[&item.kind]);
        let image = item.cover.as_deref().map(|cover| site.permalink(cover));
        jobs.push(
            Job::new(item.kind.name(), &item.path_url)
                .with("title", &item.title)
                .with("description", &item.summary)
                .with("image", &image)
                .with("page", &page),
        );
    }
    for campaign in &site.campaigns {
        let page = views.campaign_page(campaign);
        jobs.push(
            Job::new("campaign", &campaign.path_url())
                .with("title", &campaign.title)
                .with("description", &campaign.summary)
                .with("campaign", &page),
        );
    }
    for kind in Kind::LISTED {
        jobs.extend(list_jobs(&views, kind, &by_kind[&kind]));
    }
    jobs.push(home_job(&views, &by_kind));
    jobs.push(campaigns_job(&views));
    jobs.extend(tag_jobs(&views));
    jobs.push(archive_job(&views));
    jobs.push(Job::new("404", "404.html").with("title", "页面不存在"));

    let sitemap_pages: Vec<(String, Option<String>)> = jobs
        .iter()
        .filter(|job| job.template != "404")
        .map(|job| (job.path_url.clone(), lastmod(site, &job.path_url)))
        .collect();

    let rendered: Vec<Result<OutputFile, Error>> = jobs
        .into_par_iter()
        .map(|mut job| {
            job.context.insert("site", &site_view);
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
                .insert("permalink", &site.permalink(&job.path_url));
            job.context.insert("current_url", &site.url(&job.path_url));
            let html = templates.render(&format!("{}.html", job.template), &job.context)?;
            Ok(OutputFile {
                path: job.output_path(),
                bytes: html.into_bytes(),
            })
        })
        .collect();
    let mut files = Vec::with_capacity(rendered.len() + site.campaigns.len() + 3);
    let mut errors = Vec::new();
    for result in rendered {
        match result {
            Ok(file) => files.push(file),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        // The same template fault fails every page that uses it: report it once.
        errors.dedup_by(|a, b| a.to_string() == b.to_string());
        return Err(Errors(errors));
    }

    files.push(text_file("atom.xml", feeds::site_feed(site)));
    for campaign in &site.campaigns {
        files.push(text_file(
            &format!("{}atom.xml", campaign.path_url()),
            feeds::campaign_feed(site, campaign),
        ));
    }
    files.push(text_file(
        "sitemap.xml",
        feeds::sitemap(site, &sitemap_pages),
    ));
    files.push(text_file("robots.txt", feeds::robots(site)));
    Ok(files)
}

fn text_file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        bytes: text.into_bytes(),
    }
}

/// The last-modified day of an item page, for the sitemap.
fn lastmod(site: &Site, path_url: &str) -> Option<String> {
    site.items
        .iter()
        .find(|item| item.path_url == path_url)
        .and_then(|item| item.updated.or(item.date))
        .map(|date| date.day.format("%Y-%m-%d").to_string())
}

/// The pages of one kind's index.
fn list_jobs(views: &Views<'_>, kind: Kind, indices: &[usize]) -> Vec<Job> {
    let per_page = views.site.config.paginate.max(1);
    let section = format!("{}/", kind.section());
    let chunks: Vec<&[usize]> = if indices.is_empty() {
        vec![&[]]
    } else {
        indices.chunks(per_page).collect()
    };
    let total = chunks.len();
    let page_path = |number: usize| {
        if number == 1 {
            section.clone()
        } else {
            format!("{section}page/{number}/")
        }
    };
    chunks
        .iter()
        .enumerate()
        .map(|(offset, chunk)| {
            let number = offset + 1;
            let pagination = Pagination {
                current: number,
                total,
                previous: (number > 1).then(|| views.site.url(&page_path(number - 1))),
                next: (number < total).then(|| views.site.url(&page_path(number + 1))),
                pages: (1..=total)
                    .map(|n| Link {
                        title: n.to_string(),
                        url: views.site.url(&page_path(n)),
                    })
                    .collect(),
            };
            Job::new("list", &page_path(number))
                .with("title", kind.label())
                .with("kind", &kind)
                .with("kind_label", kind.label())
                .with("items", &views.cards(chunk))
                .with("pagination", &pagination)
        })
        .collect()
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
        })
        .collect();
    Job::new("index", "")
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
    Job::new("campaigns", "campaigns/")
        .with("title", "全部活动")
        .with("years", &years)
}

#[derive(Serialize)]
struct TagView {
    name: String,
    url: String,
    count: usize,
}

fn tag_jobs(views: &Views<'_>) -> Vec<Job> {
    let site = views.site;
    let tags: Vec<TagView> = site
        .tags
        .iter()
        .map(|tag| TagView {
            name: tag.name.clone(),
            url: site.url(&format!("tags/{}/", tag.slug)),
            count: tag.items.len(),
        })
        .collect();
    let mut jobs: Vec<Job> = site
        .tags
        .iter()
        .zip(&tags)
        .map(|(tag, view)| {
            Job::new("tag", &format!("tags/{}/", tag.slug))
                .with("title", &format!("标签：{}", tag.name))
                .with("tag", view)
                .with("items", &views.cards(&tag.items))
        })
        .collect();
    jobs.push(
        Job::new("tags", "tags/")
            .with("title", "标签")
            .with("tags", &tags),
    );
    jobs
}

#[derive(Serialize)]
struct ArchiveMonth {
    month: u32,
    items: Vec<ItemCard>,
}

#[derive(Serialize)]
struct ArchiveYear {
    year: i32,
    months: Vec<ArchiveMonth>,
}

fn archive_job(views: &Views<'_>) -> Job {
    let mut years: Vec<ArchiveYear> = Vec::new();
    for item in views
        .site
        .items
        .iter()
        .filter(|item| item.kind != Kind::Page)
    {
        let Some(date) = item.date else { continue };
        let (year, month) = (date.day.year(), date.day.month());
        if years.last().is_none_or(|last| last.year != year) {
            years.push(ArchiveYear {
                year,
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
            .push(views.card(item));
    }
    Job::new("archive", "archive/")
        .with("title", "归档")
        .with("years", &years)
}
