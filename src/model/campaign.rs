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
#[derive(Debug, Clone, PartialEq)]
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
        crate::model::urls::campaign(&self.id)
    }
}

/// The 1-based line and column of the value of `field` in the phase numbered `index` (from
/// 0, as written) of a front matter's `phases:` list, for messages. A list written in block
/// style is searched; otherwise, or when the field is not written, the phase's or the list's
/// own line is given.
pub fn phase_field_at(front_matter: &str, index: usize, field: &str) -> (usize, usize) {
    let list_line = crate::parse::frontmatter::find_key_line(front_matter, "phases");
    if list_line == 0 {
        return (0, 0);
    }
    let mut item_indent = None;
    let mut items_seen = 0;
    let mut item_line = list_line;
    for (number, line) in front_matter.lines().enumerate().skip(list_line) {
        let content = line.trim_start();
        let indent = line.len() - content.len();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let is_item = content == "-" || content.starts_with("- ");
        if indent == 0 && !is_item {
            break;
        }
        let mut rest = content;
        if is_item && item_indent.is_none_or(|at| at == indent) {
            item_indent = Some(indent);
            items_seen += 1;
            item_line = number + 1;
            rest = content[1..].trim_start();
        }
        if items_seen != index + 1 {
            continue;
        }
        let Some(after) = rest.strip_prefix(field) else {
            continue;
        };
        let Some(value) = after.trim_start().strip_prefix(':') else {
            continue;
        };
        let value_at = line.len() - value.trim_start().len();
        return (number + 1, line[..value_at].chars().count() + 1);
    }
    let column = if item_line == list_line { 0 } else { 1 };
    (item_line, column)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::{Status, phase_field_at};

    #[test]
    fn a_phase_field_is_found_in_its_own_entry() {
        let front = "---\ntitle: 活动\nphases:\n  - name: 一\n    start: 2013-03-01\n    end: 2013-03-02\n  - name: 二\n    start: 2013-03-05\n    end:   2013-03-01\nsummary: x\n---\n";
        assert_eq!(phase_field_at(front, 0, "end"), (6, 10));
        assert_eq!(phase_field_at(front, 1, "end"), (9, 12));
        let unindented = "phases:\n- name: 一\n  end: 2013-03-02\n- end: 2013-03-01\n  name: 二\n";
        assert_eq!(phase_field_at(unindented, 1, "end"), (4, 8));
        let flow = "phases: [{name: 一, start: 2013-03-05, end: 2013-03-01}]\n";
        assert_eq!(phase_field_at(flow, 0, "end"), (1, 0));
    }

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
