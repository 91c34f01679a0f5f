//! The template and variables of each planned page: items and campaigns here, lists in
//! `lists`, the archive in `archive`.

use chrono::NaiveDate;
use serde::Serialize;
use tera::Context;

use crate::model::campaign::Status;
use crate::model::item::Detail;
use crate::model::kind::Kind;
use crate::render::plan::{PagePlan, Spec};
use crate::render::qr::qr_svg;
use crate::render::view::{CampaignPage, DateView, ItemPage, Mark, PhaseView, PhotoView, Timeline};
use crate::render::views::Views;
use crate::render::{archive, lists};

/// One page to render: a template and its own variables.
pub struct Job {
    pub template: String,
    pub context: Context,
}

impl Job {
    pub fn new(template: &str) -> Job {
        Job {
            template: template.to_string(),
            context: Context::new(),
        }
    }

    pub fn with<T: Serialize + ?Sized>(mut self, key: &'static str, value: &T) -> Job {
        self.context.insert(key, value);
        self
    }
}

/// Cards per kind on a campaign page; the chronicle above them lists every dated item.
const CAMPAIGN_CARDS: usize = 12;

/// The template and variables of one planned page.
pub fn job_for(views: &Views<'_>, plan: &PagePlan) -> Job {
    match plan.spec {
        Spec::Item(index) => {
            let item = views.item(index);
            let image = item.cover.as_deref().map(|cover| views.share_image(cover));
            Job::new(item.kind.name())
                .with("title", &item.title)
                .with("description", &item.summary)
                .with("image", &image)
                .with("page", &item_page(views, index))
        }
        Spec::Campaign(index) => {
            let campaign = views.campaign(index);
            Job::new("campaign")
                .with("title", &campaign.title)
                .with("description", &campaign.summary)
                .with("campaign", &campaign_page(views, index))
        }
        Spec::List(kind, number) => lists::list_job(views, kind, number),
        Spec::Home => lists::home_job(views),
        Spec::Campaigns => lists::campaigns_job(views),
        Spec::Tags => lists::tags_job(views),
        Spec::Tag(index, number) => lists::tag_job(views, index, number),
        Spec::Archive => archive::archive_job(views, None),
        Spec::ArchiveYear(year) => archive::archive_job(views, Some(year)),
        Spec::Search => Job::new("search").with("title", "搜索"),
        Spec::NotFound => Job::new("404").with("title", "页面不存在"),
    }
}

/// The page of one item.
pub fn item_page(views: &Views<'_>, index: usize) -> ItemPage {
    let item = views.item(index);
    let (older, newer) = views.neighbours(index);
    let permalink = views.permalink(&item.path_url);
    let mut page = ItemPage {
        card: views.card(index),
        qr_svg: matches!(item.kind, Kind::Initiative | Kind::Story).then(|| qr_svg(&permalink)),
        permalink,
        content: item.content.html.clone(),
        toc: item.content.toc.clone(),
        updated: item.updated.map(|date| DateView::new(date.day)),
        author: item.author.clone(),
        char_count: item.content.cjk_chars,
        // "previous" is the older neighbour, "next" the newer, as readers of a news list expect.
        previous: older.map(|i| views.link(i)),
        next: newer.map(|i| views.link(i)),
        issuer: None,
        doc_number: None,
        leadership: Vec::new(),
        to: None,
        signatories: Vec::new(),
        closing: None,
        volunteers: Vec::new(),
        organization: None,
        location: None,
        photos: Vec::new(),
    };
    match &item.detail {
        Detail::Plan {
            issuer,
            doc_number,
            leadership,
        } => {
            page.issuer = issuer.clone();
            page.doc_number = doc_number.clone();
            page.leadership = leadership.clone();
        }
        Detail::Initiative {
            to,
            signatories,
            closing,
        } => {
            page.to = to.clone();
            page.signatories = signatories.clone();
            page.closing = closing.clone();
        }
        Detail::Story {
            volunteers,
            organization,
            location,
        } => {
            page.volunteers = volunteers.clone();
            page.organization = organization.clone();
            page.location = location.clone();
        }
        Detail::Gallery { photos, .. } => {
            page.photos = photos
                .iter()
                .map(|photo| PhotoView {
                    url: views.url(&photo.path_url),
                    image: views.image(&photo.path_url),
                    caption: photo.caption.clone(),
                    credit: photo.credit.clone(),
                    date: photo.date.map(|date| DateView::new(date.day)),
                })
                .collect();
        }
        Detail::Page => {}
    }
    page
}

/// A campaign's own page: its phases and items on a timeline, and its latest items.
pub fn campaign_page(views: &Views<'_>, index: usize) -> CampaignPage {
    let campaign = views.campaign(index);
    let now = views.now();
    let dated: Vec<(NaiveDate, usize)> = campaign
        .items
        .iter()
        .filter_map(|&index| views.listed(index).date.map(|date| (date.day, index)))
        .collect();
    let axis_start = dated
        .iter()
        .map(|(day, _)| *day)
        .chain(campaign.phases.iter().map(|phase| phase.start.day))
        .chain([campaign.start.day])
        .min()
        .unwrap_or(campaign.start.day);
    let axis_end = dated
        .iter()
        .map(|(day, _)| *day)
        .chain(campaign.phases.iter().map(|phase| phase.end.day))
        .chain([campaign.end.day])
        .max()
        .unwrap_or(campaign.end.day);
    // One extra day so the last day has width on the axis.
    let span = ((axis_end - axis_start).num_days() + 1) as f64;
    let at = |day: NaiveDate| round1((day - axis_start).num_days() as f64 / span * 100.0);
    let phases = campaign
        .phases
        .iter()
        .map(|phase| PhaseView {
            name: phase.name.clone(),
            start: DateView::new(phase.start.day),
            end: DateView::new(phase.end.day),
            date_range: crate::format::date_range_zh(phase.start.day, phase.end.day, false),
            summary: phase.summary.clone(),
            status: Status::of(phase.start.day, phase.end.day, now),
            left: at(phase.start.day),
            width: round1(
                (((phase.end.day - phase.start.day).num_days() + 1) as f64 / span * 100.0).max(1.0),
            ),
        })
        .collect();
    let mut marks: Vec<Mark> = dated
        .iter()
        .map(|&(day, index)| {
            let item = views.listed(index);
            Mark {
                title: item.title.clone(),
                url: views.url(&item.path_url),
                kind: item.kind,
                kind_label: item.kind.label(),
                date: DateView::new(day),
                left: at(day),
            }
        })
        .collect();
    marks.sort_by(|a, b| a.date.iso.cmp(&b.date.iso));
    let today = (now >= axis_start && now <= axis_end).then(|| at(now));
    let groups = Kind::LISTED
        .iter()
        .chain([Kind::Page].iter())
        .filter_map(|&kind| {
            let indices: Vec<usize> = campaign
                .items
                .iter()
                .copied()
                .filter(|&index| views.listed(index).kind == kind)
                .collect();
            (!indices.is_empty()).then(|| {
                let shown = &indices[..indices.len().min(CAMPAIGN_CARDS)];
                lists::group(views, kind, shown, indices.len())
            })
        })
        .collect();
    let permalink = views.permalink(&campaign.path_url());
    CampaignPage {
        card: lists::campaign_card(views, index),
        qr_svg: Some(qr_svg(&permalink)),
        permalink,
        content: campaign.content.html.clone(),
        organizers: campaign.organizers.clone(),
        goals: campaign.goals.clone(),
        phases,
        timeline: Timeline {
            start: DateView::new(axis_start),
            end: DateView::new(axis_end),
            today,
            marks,
        },
        groups,
        tags: views.tag_links(&campaign.tags),
    }
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}
