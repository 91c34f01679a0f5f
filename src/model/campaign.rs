//! Campaigns (活动): their dates, phases, goals and status against "today".

use chrono::NaiveDate;
use serde::Serialize;

use crate::parse::date::Date;
use crate::parse::document::{Goal, Organizer};
use crate::parse::markdown::Rendered;

/// Where a campaign stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// 未开始
    Upcoming,
    /// 进行中
    Ongoing,
    /// 已结束
    Ended,
}

impl Status {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Status::Upcoming => "未开始",
            Status::Ongoing => "进行中",
            Status::Ended => "已结束",
        }
    }

    /// The status of a span of days on `today`.
    pub fn of(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> Status {
        if today < start {
            Status::Upcoming
        } else if today > end {
            Status::Ended
        } else {
            Status::Ongoing
        }
    }
}

/// A phase with its days settled.
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// 宣传发动, 报名登记 …
    pub name: String,
    /// First day.
    pub start: Date,
    /// Last day (the first day for a one-day phase).
    pub end: Date,
    /// What happens.
    pub summary: Option<String>,
}

/// A campaign, from `content/campaigns/<id>.md` or `<id>/index.md`.
#[derive(Debug, Clone)]
pub struct Campaign {
    /// The file or folder name: the campaign's id and URL part.
    pub id: String,
    /// The source file, for messages.
    pub path: std::path::PathBuf,
    /// The title.
    pub title: String,
    /// 主题口号
    pub slogan: Option<String>,
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
    /// Where.
    pub location: Option<String>,
    /// 主办/承办 units.
    pub organizers: Vec<Organizer>,
    /// Phases, in date order.
    pub phases: Vec<Phase>,
    /// Goals.
    pub goals: Vec<Goal>,
    /// A one-sentence summary.
    pub summary: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Cover image URL, if any.
    pub cover: Option<String>,
    /// The rendered body.
    pub content: std::sync::Arc<Rendered>,
    /// Indices into `Site::items`, newest first.
    pub items: Vec<usize>,
}

impl Campaign {
    /// Status on a day.
    pub fn status(&self, today: NaiveDate) -> Status {
        Status::of(self.start.day, self.end.day, today)
    }

    /// The site path of its page.
    pub fn path_url(&self) -> String {
        format!("campaigns/{}/", self.id)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::Status;

    #[test]
    fn status_against_today() {
        let day = |d| NaiveDate::from_ymd_opt(2013, 3, d).unwrap();
        assert_eq!(Status::of(day(5), day(20), day(1)), Status::Upcoming);
        assert_eq!(Status::of(day(5), day(20), day(5)), Status::Ongoing);
        assert_eq!(Status::of(day(5), day(20), day(20)), Status::Ongoing);
        assert_eq!(Status::of(day(5), day(20), day(21)), Status::Ended);
        assert_eq!(Status::Ongoing.label(), "进行中");
    }
}
