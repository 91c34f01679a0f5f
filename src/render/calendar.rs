//! iCalendar files (RFC 5545): a campaign's phases and dated items as events, so residents
//! can put them into their phone's calendar. No build time goes in: two builds give the
//! same bytes. Times are given in UTC, read from the site's time zone (or the offset an
//! author wrote), so every calendar shows them right without a time zone definition.

use std::collections::HashSet;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rayon::prelude::*;

use crate::format::date_basic;
use crate::model::Site;
use crate::model::campaign::Campaign;
use crate::parse::date::Date;

/// Escapes TEXT values: backslash, semicolon, comma and line breaks.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a UTF-8 character, and ends it with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let size = c.len_utf8();
        if width + size > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += size;
    }
    out.push_str("\r\n");
    out
}

/// One event.
struct Event {
    uid: String,
    start: NaiveDate,
    /// Last day, inclusive.
    end: NaiveDate,
    /// The starting moment in UTC, for an event with a time of day; all-day otherwise.
    start_utc: Option<NaiveDateTime>,
    summary: String,
    description: Option<String>,
    url: String,
}

impl Event {
    fn write(&self, out: &mut String) {
        out.push_str("BEGIN:VEVENT\r\n");
        out.push_str(&fold(&format!("UID:{}", self.uid)));
        // DTSTAMP is required; the event's own first day keeps the output reproducible.
        out.push_str(&format!("DTSTAMP:{}T000000Z\r\n", date_basic(self.start)));
        match self.start_utc {
            Some(start) => {
                out.push_str(&format!("DTSTART:{}\r\n", start.format("%Y%m%dT%H%M%SZ")));
                out.push_str("DURATION:PT1H\r\n");
            }
            None => {
                out.push_str(&format!(
                    "DTSTART;VALUE=DATE:{}\r\n",
                    date_basic(self.start)
                ));
                // An all-day end is exclusive: the day after the last day. The model refuses
                // an end before its start; the later day is taken all the same, so that no
                // input can make DTEND come before DTSTART.
                let after = self.end.max(self.start) + Duration::days(1);
                out.push_str(&format!("DTEND;VALUE=DATE:{}\r\n", date_basic(after)));
            }
        }
        out.push_str(&fold(&format!("SUMMARY:{}", escape_text(&self.summary))));
        if let Some(description) = &self.description {
            out.push_str(&fold(&format!("DESCRIPTION:{}", escape_text(description))));
        }
        out.push_str(&fold(&format!("URL:{}", self.url)));
        out.push_str("END:VEVENT\r\n");
    }
}

/// The host part of the base URL, to make UIDs globally unique.
fn host(site: &Site) -> String {
    let url = &site.config.base_url;
    let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        "herald.invalid".into()
    } else {
        host.to_string()
    }
}

/// The UTC moment a date with a time of day starts at; `None` for a whole day.
fn start_utc(site: &Site, date: &Date) -> Option<NaiveDateTime> {
    date.time?;
    Some(site.config.instant(date).naive_utc())
}

fn events(site: &Site, campaign: &Campaign) -> Vec<Event> {
    let host = host(site);
    let campaign_url = site.permalink(&campaign.path_url());
    let mut events: Vec<Event> = campaign
        .phases
        .iter()
        .enumerate()
        .map(|(number, phase)| Event {
            uid: format!("{}-phase-{}@{host}", campaign.id, number + 1),
            start: phase.start.day,
            end: phase.end.day,
            start_utc: start_utc(site, &phase.start),
            summary: format!("{}:{}", campaign.title, phase.name).replace(':', "\u{FF1A}"),
            description: phase.summary.clone(),
            url: campaign_url.clone(),
        })
        .collect();
    for &index in &campaign.items {
        let item = &site.items[index];
        let Some(date) = item.date else { continue };
        events.push(Event {
            uid: format!("{}-{}@{host}", item.kind.name(), item.slug),
            start: date.day,
            end: date.day,
            start_utc: start_utc(site, &date),
            summary: format!("{}\u{FF1A}{}", item.kind.label(), item.title),
            description: (!item.summary.is_empty()).then(|| item.summary.clone()),
            url: site.permalink(&item.path_url),
        });
    }
    events
}

fn calendar<'e>(site: &Site, name: &str, events: impl IntoIterator<Item = &'e Event>) -> String {
    let mut out = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//herald//campaign calendar//ZH\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n",
    );
    out.push_str(&fold(&format!("X-WR-CALNAME:{}", escape_text(name))));
    // Read by calendar apps that show the calendar in the zone it was made for.
    out.push_str(&fold(&format!("X-WR-TIMEZONE:{}", site.config.timezone)));
    for event in events {
        event.write(&mut out);
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

/// The site's calendar, every campaign in one, and each campaign's own (in the order of
/// `site.campaigns`), all from one list of events per campaign.
pub fn calendars(site: &Site) -> (String, Vec<String>) {
    let per_campaign: Vec<Vec<Event>> = site
        .campaigns
        .par_iter()
        .map(|campaign| events(site, campaign))
        .collect();
    rayon::join(
        || {
            // An item can belong to more than one campaign's list; it is one event.
            let mut seen = HashSet::new();
            let all = per_campaign
                .iter()
                .flatten()
                .filter(|event| seen.insert(event.uid.as_str()));
            calendar(site, &site.config.title, all)
        },
        || {
            site.campaigns
                .par_iter()
                .zip(per_campaign.par_iter())
                .map(|(campaign, events)| calendar(site, &campaign.title, events))
                .collect()
        },
    )
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::{Event, escape_text, fold};

    #[test]
    fn an_all_day_event_never_ends_before_it_starts() {
        let day = |d| NaiveDate::from_ymd_opt(2013, 3, d).unwrap();
        for (start, end) in [(5, 1), (5, 5), (5, 6)] {
            let mut out = String::new();
            Event {
                uid: "x@example.org".into(),
                start: day(start),
                end: day(end),
                start_utc: None,
                summary: "阶段".into(),
                description: None,
                url: "https://example.org/".into(),
            }
            .write(&mut out);
            let value = |key: &str| {
                out.lines()
                    .find_map(|line| line.strip_prefix(key))
                    .unwrap()
                    .to_string()
            };
            let (dtstart, dtend) = (value("DTSTART;VALUE=DATE:"), value("DTEND;VALUE=DATE:"));
            assert!(dtend > dtstart, "{start}–{end}: {dtstart} to {dtend}");
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "志愿服务".repeat(20));
        let folded = fold(&line);
        for (number, part) in folded.split("\r\n").filter(|p| !p.is_empty()).enumerate() {
            assert!(part.len() <= 75, "line {number} has {} octets", part.len());
            if number > 0 {
                assert!(part.starts_with(' '));
            }
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{line}\r\n"));
    }
}
