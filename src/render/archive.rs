//! The archive: every dated item by year and month, on one page, or past a limit an
//! overview and a page per year.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::model::Site;
use crate::model::item::Item;
use crate::model::kind::Kind;
use crate::model::urls;
use crate::render::pages::Job;
use crate::render::view::DateView;
use crate::render::views::Views;

/// Above this many dated items the archive gets a page per year: one page of
/// 100,000 lines helps no reader and costs the build.
pub const ARCHIVE_WHOLE_LIMIT: usize = 1000;

/// Whether the archive lists an item: every dated item but plain pages.
pub fn is_archived(item: &Item) -> bool {
    item.kind != Kind::Page && item.date.is_some()
}

/// Items the archive lists, newest first.
pub fn archived(site: &Site) -> impl Iterator<Item = &Item> {
    site.items.iter().filter(|item| is_archived(item))
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

/// How many items the archive holds for each year and month, newest first, from the
/// archived items' days.
fn archive_years(days: impl Iterator<Item = NaiveDate>) -> Vec<YearCount> {
    let mut years: Vec<YearCount> = Vec::new();
    for day in days {
        let (year, month) = (day.year(), day.month());
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

/// How many items the archive holds for each year and month, newest first.
pub fn counts(site: &Site) -> Vec<YearCount> {
    archive_years(
        archived(site)
            .filter_map(|item| item.date)
            .map(|date| date.day),
    )
}

/// Whether an archive of these counts is split into a page per year.
fn is_split(counts: &[YearCount]) -> bool {
    counts.iter().map(|year| year.count).sum::<usize>() > ARCHIVE_WHOLE_LIMIT
}

/// The items a page of the archive lists, newest first: all of them (`year` None), or
/// one year's.
pub fn listed_in(site: &Site, year: Option<i32>) -> impl Iterator<Item = usize> + '_ {
    (0..site.items.len()).filter(move |&index| {
        let item = &site.items[index];
        is_archived(item) && year.is_none_or(|year| item.date.is_some_and(|d| d.day.year() == year))
    })
}

/// The years that get an archive page of their own: none while the archive fits on one.
pub fn plan_archive_years(site: &Site) -> Vec<i32> {
    let counts = counts(site);
    if !is_split(&counts) {
        return Vec::new();
    }
    counts.into_iter().map(|entry| entry.year).collect()
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
pub fn archive_job(views: &Views<'_>, year: Option<i32>) -> Job {
    let counts = views.archive_counts();
    let split = is_split(&counts);
    // A split archive's overview lists no items, and each year's page its own.
    let shown = match (split, year) {
        (false, _) => Some(None),
        (true, Some(year)) => Some(Some(year)),
        (true, None) => None,
    };
    let entries: Vec<(NaiveDate, &Item)> = shown
        .map(|year| views.archived(year))
        .into_iter()
        .flatten()
        .filter_map(|index| {
            let item = views.listed(index);
            item.date.map(|date| (date.day, item))
        })
        .collect();
    let mut total = 0;
    let year_links: Vec<ArchiveYearLink> = counts
        .into_iter()
        .map(
            |YearCount {
                 year: y,
                 count,
                 months,
             }| {
                total += count;
                let url = if split {
                    views.url(&urls::archive_year(y))
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
    let mut years: Vec<ArchiveYear> = Vec::new();
    for (day, item) in entries {
        let (item_year, month) = (day.year(), day.month());
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
                url: views.url(&item.path_url),
                date: DateView::new(day),
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
