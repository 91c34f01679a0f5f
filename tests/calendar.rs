//! The `.ics` files parse with a real iCalendar parser and say what the campaign says.

mod common;

use common::TestSite;

fn parse(text: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = calendars.next().expect("one calendar").expect("it parses");
    assert!(calendars.next().is_none());
    calendar
}

fn property<'a>(
    properties: &'a [ical::property::Property],
    name: &str,
) -> &'a ical::property::Property {
    properties
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn a_campaign_calendar_holds_its_phases_and_dated_items() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let text = site.read("public/campaigns/leifeng-2013/calendar.ics");
    assert!(
        text.lines().all(|line| line.len() <= 76),
        "lines are folded"
    );
    assert!(text.contains("\r\n"), "CRLF line ends");
    let calendar = parse(&text);
    assert!(
        calendar.timezones.is_empty(),
        "times are UTC: no zone to define"
    );
    // Three phases and four dated items.
    assert_eq!(calendar.events.len(), 7);
    let phase = &calendar.events[0].properties;
    assert_eq!(
        property(phase, "SUMMARY").value.as_deref(),
        Some("2013年学雷锋志愿服务月\u{FF1A}宣传发动")
    );
    let start = property(phase, "DTSTART");
    assert_eq!(start.value.as_deref(), Some("20130222"));
    assert_eq!(
        start.params.as_ref().unwrap()[0],
        ("VALUE".to_string(), vec!["DATE".to_string()])
    );
    assert_eq!(
        property(phase, "DTEND").value.as_deref(),
        Some("20130305"),
        "the end is the day after the last"
    );
    let uids: Vec<&str> = calendar
        .events
        .iter()
        .map(|e| property(&e.properties, "UID").value.as_deref().unwrap())
        .collect();
    assert!(uids.contains(&"leifeng-2013-phase-1@example.org"));
    assert!(uids.contains(&"initiative-leifeng@example.org"));
    let html = site.read("public/campaigns/leifeng-2013/index.html");
    assert!(html.contains(
        r#"href="/volunteer/campaigns/leifeng-2013/calendar.ics" download>加入日历</a>"#
    ));
}

#[test]
fn text_with_commas_and_semicolons_survives_and_uids_are_stable() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/campaigns/leifeng-2013.md",
        &site.read("content/campaigns/leifeng-2013.md").replace(
            "summary: 发布倡议书。",
            "summary: \"发布倡议书, 组织报名; 准备物资\\\\清单\"",
        ),
    );
    site.build().assert_ok();
    let first = site.read("public/calendar.ics");
    let calendar = parse(&first);
    let phase = calendar
        .events
        .iter()
        .find(|e| {
            property(&e.properties, "UID").value.as_deref()
                == Some("leifeng-2013-phase-1@example.org")
        })
        .unwrap();
    assert_eq!(
        property(&phase.properties, "DESCRIPTION").value.as_deref(),
        Some("发布倡议书\\, 组织报名\\; 准备物资\\\\清单")
    );
    assert_eq!(
        calendar.events.len(),
        7 + 1,
        "both campaigns' events, each once"
    );
    site.build().assert_ok();
    assert_eq!(
        site.read("public/calendar.ics"),
        first,
        "the same bytes every build"
    );
}
