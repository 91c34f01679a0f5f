//! Pages that list: a kind's index, the home page, the campaigns, the tags, a tag's items;
//! and the pagination they share.

use chrono::Datelike;
use serde::Serialize;

use crate::format::{countdown_zh, date_range_zh, remaining_zh};
use crate::model::campaign::Status;
use crate::model::kind::Kind;
use crate::model::urls;
use crate::render::inputs::Listing;
use crate::render::pages::Job;
use crate::render::plan::page_count;
use crate::render::view::{CampaignCard, DateView, Group, PageLink, Pagination};
use crate::render::views::Views;

/// Items of each kind the home page shows.
const HOME_LATEST: usize = 6;
/// Ended campaigns the home page shows.
const HOME_PAST: usize = 3;

/// A campaign as lists show it.
pub fn campaign_card(views: &Views<'_>, index: usize) -> CampaignCard {
    let campaign = views.campaign(index);
    let now = views.now();
    let status = campaign.status(now);
    let (start, end) = (campaign.start.day, campaign.end.day);
    CampaignCard {
        id: campaign.id.clone(),
        title: campaign.title.clone(),
        url: views.url(&campaign.path_url()),
        slogan: campaign.slogan.clone(),
        start: DateView::new(start),
        end: DateView::new(end),
        date_range: date_range_zh(start, end, true),
        status,
        status_label: status.label(),
        countdown: countdown_zh(start, end, now),
        remaining: remaining_zh(start, end, now),
        location: campaign.location.clone(),
        summary: campaign.summary.clone(),
        cover: campaign.cover.as_deref().map(|cover| views.url(cover)),
        item_count: campaign.items.len(),
        feed_url: views.url(&urls::campaign_feed(&campaign.id)),
        calendar_url: views.url(&urls::campaign_calendar(&campaign.id)),
    }
}

/// Page `number` of one kind's index.
pub fn list_job(views: &Views<'_>, kind: Kind, number: usize) -> Job {
    let (chunk, pagination) = paginate(views, Listing::Kind(kind), number, |n| urls::list(kind, n));
    Job::new("list")
        .with("title", kind.label())
        .with("kind", &kind)
        .with("kind_label", kind.label())
        .with("items", &views.cards(&chunk))
        .with("pagination", &pagination)
}

pub fn home_job(views: &Views<'_>) -> Job {
    let now = views.now();
    let (mut current, ended): (Vec<usize>, Vec<usize>) = views
        .campaigns()
        .partition(|&index| views.campaign(index).status(now) != Status::Ended);
    // Ongoing first, then the soonest upcoming.
    current.sort_by_key(|&index| {
        let campaign = views.campaign(index);
        (campaign.status(now) != Status::Ongoing, campaign.start.day)
    });
    let current: Vec<CampaignCard> = current
        .into_iter()
        .map(|index| campaign_card(views, index))
        .collect();
    let recent: Vec<CampaignCard> = ended
        .into_iter()
        .take(HOME_PAST)
        .map(|index| campaign_card(views, index))
        .collect();
    let latest: Vec<Group> = Kind::LISTED
        .iter()
        .filter_map(|&kind| {
            let (latest, total) = views.slice(Listing::Kind(kind), 0, HOME_LATEST);
            (total > 0).then(|| group(views, kind, &latest, total))
        })
        .collect();
    Job::new("index")
        .with("current_campaigns", &current)
        .with("past_campaigns", &recent)
        .with("latest", &latest)
}

/// The cards of the first of `total` items of one kind, with how many more there are.
pub fn group(views: &Views<'_>, kind: Kind, first: &[usize], total: usize) -> Group {
    Group {
        kind,
        label: kind.label(),
        url: views.url(&urls::section(kind)),
        items: views.cards(first),
        more: total - first.len(),
    }
}

#[derive(Serialize)]
struct CampaignYear {
    year: i32,
    campaigns: Vec<CampaignCard>,
}

pub fn campaigns_job(views: &Views<'_>) -> Job {
    let mut years: Vec<CampaignYear> = Vec::new();
    for index in views.campaigns() {
        let card = campaign_card(views, index);
        let year = views.campaign(index).start.day.year();
        match years.last_mut() {
            Some(last) if last.year == year => last.campaigns.push(card),
            _ => years.push(CampaignYear {
                year,
                campaigns: vec![card],
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

fn tag_view(views: &Views<'_>, tag: &crate::model::Tag) -> TagView {
    TagView {
        name: tag.name.clone(),
        url: views.url(&urls::tag(&tag.slug, 1)),
        count: tag.items.len(),
    }
}

pub fn tags_job(views: &Views<'_>) -> Job {
    let tags: Vec<TagView> = views
        .tags()
        .iter()
        .map(|tag| tag_view(views, tag))
        .collect();
    Job::new("tags").with("title", "标签").with("tags", &tags)
}

pub fn tag_job(views: &Views<'_>, index: usize, number: usize) -> Job {
    let tag = views.tag(index);
    let listing = Listing::Tag(tag.name.clone());
    let (chunk, pagination) = paginate(views, listing, number, |n| urls::tag(&tag.slug, n));
    Job::new("tag")
        .with("title", &format!("标签\u{FF1A}{}", tag.name))
        .with("tag", &tag_view(views, tag))
        .with("items", &views.cards(&chunk))
        .with("pagination", &pagination)
}

/// Page `number` (from 1) of a paginated list: its items and the links between pages.
fn paginate(
    views: &Views<'_>,
    listing: Listing,
    number: usize,
    path_of: impl Fn(usize) -> String,
) -> (Vec<usize>, Pagination) {
    let per_page = views.config().paginate.max(1);
    let (chunk, items) = views.slice(listing, (number - 1) * per_page, per_page);
    let total = page_count(views.config(), items);
    let pagination = Pagination {
        current: number,
        total,
        previous: (number > 1).then(|| views.url(&path_of(number - 1))),
        next: (number < total).then(|| views.url(&path_of(number + 1))),
        pages: page_window(number, total)
            .into_iter()
            .map(|n| match n {
                Some(n) => PageLink {
                    title: n.to_string(),
                    url: views.url(&path_of(n)),
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
