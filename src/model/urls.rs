//! The site's URL shapes, each written once: where every built-in page, feed and calendar
//! lives, relative to the site's root (no leading `/`, no base path).

use crate::model::kind::Kind;

/// The home page.
pub const HOME: &str = "";
/// The campaigns index.
pub const CAMPAIGNS: &str = "campaigns/";
/// The tags index.
pub const TAGS: &str = "tags/";
/// The archive, or its overview when it is split by year.
pub const ARCHIVE: &str = "archive/";
/// The search page.
pub const SEARCH: &str = "search/";
/// The page shown for an address that leads nowhere.
pub const NOT_FOUND: &str = "404.html";
/// The site's feed.
pub const FEED: &str = "atom.xml";
/// The site's calendar.
pub const CALENDAR: &str = "calendar.ics";
/// The sitemap.
pub const SITEMAP: &str = "sitemap.xml";
/// Rules for crawlers.
pub const ROBOTS: &str = "robots.txt";

/// The file a folder's page is written to.
const INDEX: &str = "index.html";

/// The file, relative to the output folder, that serves a site path: `plans/x/` is
/// `plans/x/index.html`, and a path naming a file is that file.
pub fn output_file(path_url: &str) -> String {
    if path_url.is_empty() || path_url.ends_with('/') {
        format!("{path_url}{INDEX}")
    } else {
        path_url.to_string()
    }
}

/// The site path a file serves: the inverse of `output_file` for folders' pages.
pub fn site_path(file: &str) -> &str {
    file.strip_suffix(INDEX)
        .filter(|folder| folder.is_empty() || folder.ends_with('/'))
        .unwrap_or(file)
}

/// Page `number` (from 1) of a paginated list whose first page is `first`.
pub fn paged(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{number}/")
    }
}

/// The first page of a kind's index (`plans/`); plain pages have none.
pub fn section(kind: Kind) -> String {
    format!("{}/", kind.section())
}

/// Page `number` of a kind's index.
pub fn list(kind: Kind, number: usize) -> String {
    paged(&section(kind), number)
}

/// An item's page: under its kind's section, or at the top for plain pages.
pub fn item(kind: Kind, slug: &str) -> String {
    match kind.section() {
        "" => format!("{slug}/"),
        section => format!("{section}/{slug}/"),
    }
}

/// Page `number` of a tag's list.
pub fn tag(slug: &str, number: usize) -> String {
    paged(&format!("{TAGS}{slug}/"), number)
}

/// A campaign's page, from its id (its folder's or file's name).
pub fn campaign(id: &str) -> String {
    format!("{CAMPAIGNS}{id}/")
}

/// A campaign's feed.
pub fn campaign_feed(id: &str) -> String {
    format!("{}{FEED}", campaign(id))
}

/// A campaign's calendar.
pub fn campaign_calendar(id: &str) -> String {
    format!("{}{CALENDAR}", campaign(id))
}

/// One year of an archive split by year.
pub fn archive_year(year: i32) -> String {
    format!("{ARCHIVE}{year}/")
}

/// Site paths that built-in index pages own: no item may take one.
pub fn reserved() -> Vec<String> {
    [HOME, CAMPAIGNS, TAGS, ARCHIVE, SEARCH]
        .iter()
        .map(|path| path.to_string())
        .chain(Kind::LISTED.iter().map(|&kind| section(kind)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_is_relative_and_ends_as_a_folder_or_a_file() {
        let mut paths = reserved();
        paths.extend([
            list(Kind::Plan, 1),
            list(Kind::Plan, 3),
            tag("xue-lei-feng", 1),
            tag("xue-lei-feng", 2),
            campaign("leifeng-2013"),
            campaign_feed("leifeng-2013"),
            campaign_calendar("leifeng-2013"),
            archive_year(2013),
        ]);
        for path in paths {
            assert!(!path.starts_with('/'), "{path}");
            assert!(
                path.is_empty() || path.ends_with('/') || path.contains('.'),
                "{path}"
            );
        }
        assert_eq!(list(Kind::Story, 1), "stories/");
        assert_eq!(list(Kind::Story, 2), "stories/page/2/");
        assert_eq!(tag("a", 2), "tags/a/page/2/");
        for path in ["", "plans/x/", NOT_FOUND, FEED, "campaigns/a/calendar.ics"] {
            assert_eq!(site_path(&output_file(path)), path);
        }
        assert_eq!(output_file("plans/x/"), "plans/x/index.html");
        assert_eq!(site_path("a/myindex.html"), "a/myindex.html");
    }
}
