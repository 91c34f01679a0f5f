//! `timezone:` in site.yaml, honoured by every time herald writes: feeds, calendars, the
//! dates of `herald new` and `herald init`, and the zone the pages hand to site.js.

mod common;

use chrono::{DateTime, NaiveDate, Utc};
use common::TestSite;
use herald::scaffold::{self, NewKind};

/// The basic fixture in `zone`, with phases and an item at given times: one before the
/// United States' summer time of 2013 (10 March), one after, one in an offset of its own.
fn site_in(zone: &str) -> TestSite {
    let site = TestSite::fixture("basic");
    site.write(
        "site.yaml",
        &format!("{}timezone: {zone}\n", site.read("site.yaml")),
    );
    let campaign = site
        .read("content/campaigns/leifeng-2013.md")
        .replace("start: 2013-03-05\n", "start: 2013-03-09 10:00\n")
        .replace("start: 2013-03-31\n", "start: 2013-03-31 10:00\n");
    site.write("content/campaigns/leifeng-2013.md", &campaign);
    let story = site
        .read("content/stories/jinglaoyuan.md")
        .replace("date: 2013-03-10\n", "date: 2013-03-10 09:00+09:00\n");
    site.write("content/stories/jinglaoyuan.md", &story);
    site.build().assert_ok();
    site
}

/// The text of `tag` in the feed entry titled `title`.
fn entry_value(feed: &str, title: &str, tag: &str) -> String {
    let entry = feed
        .split("<entry>")
        .find(|entry| entry.contains(&format!("<title>{title}</title>")))
        .unwrap_or_else(|| panic!("no entry {title}"));
    let open = format!("<{tag}>");
    let start = entry.find(&open).unwrap_or_else(|| panic!("no {tag}")) + open.len();
    let end = start + entry[start..].find('<').unwrap();
    entry[start..end].to_string()
}

/// The value of `name` in the calendar event whose summary holds `summary`, with its
/// parameters as `;KEY=VALUE` before it (`;VALUE=DATE:20130222`, `:20130309T150000Z`).
fn event_value(calendar: &str, summary: &str, name: &str) -> String {
    let mut events = ical::IcalParser::new(std::io::BufReader::new(calendar.as_bytes()));
    let calendar = events.next().unwrap().expect("the calendar parses");
    let event = calendar
        .events
        .iter()
        .find(|event| {
            event.properties.iter().any(|p| {
                p.name == "SUMMARY" && p.value.as_deref().is_some_and(|v| v.contains(summary))
            })
        })
        .unwrap_or_else(|| panic!("no event {summary}"));
    let property = event.properties.iter().find(|p| p.name == name).unwrap();
    let params: String = property
        .params
        .iter()
        .flatten()
        .map(|(key, values)| format!(";{key}={}", values.join(",")))
        .collect();
    format!("{params}:{}", property.value.as_deref().unwrap())
}

#[test]
fn feeds_give_the_offset_the_zone_has_on_each_date() {
    let site = site_in("America/New_York");
    let feed = site.read("public/atom.xml");
    let published = |title| entry_value(&feed, title, "published");
    assert_eq!(
        published("洪湖志愿服务队活动方案"),
        "2013-03-02T00:00:00-05:00"
    );
    assert_eq!(
        published("春季植树"),
        "2013-03-12T00:00:00-04:00",
        "summer time began on 10 March"
    );
    assert_eq!(
        published("敬老院里的一天"),
        "2013-03-10T09:00:00+09:00",
        "an offset written by the author is kept"
    );
    assert!(feed.contains("  <updated>2013-03-12T00:00:00-04:00</updated>"));
    let campaign_feed = site.read("public/campaigns/leifeng-2013/atom.xml");
    assert!(campaign_feed.contains("<published>2013-02-22T00:00:00-05:00</published>"));

    let site = site_in("Asia/Shanghai");
    let feed = site.read("public/atom.xml");
    assert_eq!(
        entry_value(&feed, "春季植树", "published"),
        "2013-03-12T00:00:00+08:00"
    );
    assert_eq!(
        entry_value(&feed, "洪湖志愿服务队活动方案", "updated"),
        "2013-03-02T00:00:00+08:00"
    );
}

#[test]
fn calendar_times_are_utc_from_the_sites_zone_and_whole_days_stay_dates() {
    let site = site_in("America/New_York");
    let calendar = site.read("public/campaigns/leifeng-2013/calendar.ics");
    assert!(!calendar.contains("TZID"), "no zone to define: {calendar}");
    assert_eq!(
        event_value(&calendar, "集中服务", "DTSTART"),
        ":20130309T150000Z"
    );
    assert_eq!(
        event_value(&calendar, "总结表彰", "DTSTART"),
        ":20130331T140000Z",
        "10:00 summer time"
    );
    assert_eq!(
        event_value(&calendar, "敬老院里的一天", "DTSTART"),
        ":20130310T000000Z"
    );
    assert_eq!(
        event_value(&calendar, "宣传发动", "DTSTART"),
        ";VALUE=DATE:20130222"
    );
    assert_eq!(
        event_value(&calendar, "宣传发动", "DTEND"),
        ";VALUE=DATE:20130305"
    );
    assert!(calendar.contains("X-WR-TIMEZONE:America/New_York\r\n"));

    let site = site_in("Asia/Shanghai");
    let calendar = site.read("public/calendar.ics");
    assert_eq!(
        event_value(&calendar, "集中服务", "DTSTART"),
        ":20130309T020000Z"
    );
    assert_eq!(
        event_value(&calendar, "总结表彰", "DTSTART"),
        ":20130331T020000Z"
    );
}

#[test]
fn pages_hand_the_zone_to_their_scripts() {
    let site = site_in("America/New_York");
    let html = site.read("public/index.html");
    assert!(
        html.contains(r#"<html lang="zh-CN" data-timezone="America/New_York">"#),
        "{}",
        &html[..200]
    );
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn date_of_new_story(site: &TestSite, title: &str, now: DateTime<Utc>) -> NaiveDate {
    let path = scaffold::new_content(site.root(), NewKind::Story, title, now).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let line = text.lines().find_map(|l| l.strip_prefix("date: ")).unwrap();
    NaiveDate::parse_from_str(line, "%Y-%m-%d").unwrap()
}

#[test]
fn new_content_is_dated_the_sites_today_around_midnight() {
    let day = |text| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    // 16:30 UTC: half past midnight in Shanghai, the morning before in New York.
    let past_midnight_in_china = at("2024-03-09T16:30:00Z");
    // 04:30 UTC: half past eleven at night in New York, noon the day after in Shanghai.
    let before_midnight_in_new_york = at("2024-03-10T04:30:00Z");
    for (zone, first, second) in [
        ("Asia/Shanghai", "2024-03-10", "2024-03-10"),
        ("America/New_York", "2024-03-09", "2024-03-09"),
    ] {
        let site = TestSite::fixture("basic");
        site.write(
            "site.yaml",
            &format!("{}timezone: {zone}\n", site.read("site.yaml")),
        );
        assert_eq!(
            date_of_new_story(&site, "一", past_midnight_in_china),
            day(first),
            "{zone}"
        );
        assert_eq!(
            date_of_new_story(&site, "二", before_midnight_in_new_york),
            day(second),
            "{zone}"
        );
    }
}

#[test]
fn a_new_site_is_dated_its_own_today_and_says_its_zone() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    scaffold::init_site(&root, at("2024-03-09T16:30:00Z")).unwrap();
    let config = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    assert!(config.contains("\ntimezone: Asia/Shanghai\n"));
    let campaign =
        std::fs::read_to_string(root.join("content/campaigns/example-campaign.md")).unwrap();
    assert!(campaign.contains("start: 2024-03-10\n"), "{campaign}");
}
