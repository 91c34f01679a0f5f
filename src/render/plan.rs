//! The pages a site will have: where each goes and what renders it. Cheap to make, so
//! that the preview plans every page and renders only those whose inputs changed.

use crate::config::SiteConfig;
use crate::model::Site;
use crate::model::kind::Kind;
use crate::model::urls;
use crate::render::archive::plan_archive_years;

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
        urls::output_file(&self.path_url)
    }
}

/// Every page of the site, in a stable order.
pub fn plan(site: &Site) -> Vec<PagePlan> {
    let mut plans = Vec::with_capacity(site.items.len() + site.tags.len() + 64);
    let mut add = |path_url: String, spec: Spec| plans.push(PagePlan { path_url, spec });
    for (index, item) in site.items.iter().enumerate() {
        add(item.path_url.clone(), Spec::Item(index));
    }
    for (index, campaign) in site.campaigns.iter().enumerate() {
        add(campaign.path_url(), Spec::Campaign(index));
    }
    for kind in Kind::LISTED {
        let items = site.items.iter().filter(|item| item.kind == kind).count();
        for number in 1..=page_count(&site.config, items) {
            add(urls::list(kind, number), Spec::List(kind, number));
        }
    }
    add(urls::HOME.into(), Spec::Home);
    add(urls::CAMPAIGNS.into(), Spec::Campaigns);
    for (index, tag) in site.tags.iter().enumerate() {
        for number in 1..=page_count(&site.config, tag.items.len()) {
            add(urls::tag(&tag.slug, number), Spec::Tag(index, number));
        }
    }
    add(urls::TAGS.into(), Spec::Tags);
    add(urls::ARCHIVE.into(), Spec::Archive);
    for year in plan_archive_years(site) {
        add(urls::archive_year(year), Spec::ArchiveYear(year));
    }
    add(urls::SEARCH.into(), Spec::Search);
    add(urls::NOT_FOUND.into(), Spec::NotFound);
    plans
}

/// How many pages a list of `items` takes: at least one, for an empty list says so.
pub fn page_count(config: &SiteConfig, items: usize) -> usize {
    items.div_ceil(config.paginate.max(1)).max(1)
}
