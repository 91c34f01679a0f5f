//! Machine-read files: Atom feeds, the sitemap and robots.txt, written without templates
//! so that their escaping is never a theme's business.

use std::fmt::Write;

use crate::model::Site;
use crate::model::campaign::Campaign;
use crate::model::urls;
use crate::parse::date::Date;

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 allows neither control characters nor U+FFFE and U+FFFF.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

const FEED_LENGTH: usize = 20;

/// The items a feed of `indices` (newest first) carries: the newest dated ones.
pub fn feed_entries(site: &Site, indices: impl IntoIterator<Item = usize>) -> Vec<usize> {
    indices
        .into_iter()
        .filter(|&index| site.items[index].date.is_some())
        .take(FEED_LENGTH)
        .collect()
}

/// Whether a feed of `indices` carries the item `index`.
pub fn feed_carries(site: &Site, indices: impl IntoIterator<Item = usize>, index: usize) -> bool {
    feed_entries(site, indices).contains(&index)
}

/// The Atom feed of a list of items; `updated` comes from the content, so builds are
/// reproducible. Times are in the site's time zone, with the offset it has on each date.
pub fn atom(
    site: &Site,
    title: &str,
    self_path: &str,
    alternate_path: &str,
    indices: impl IntoIterator<Item = usize>,
) -> String {
    let stamp = |date: &Date| site.config.instant(date).to_rfc3339();
    let entries = feed_entries(site, indices);
    let updated = entries
        .iter()
        .filter_map(|&index| {
            let item = &site.items[index];
            item.updated.or(item.date)
        })
        .max_by_key(|date| site.config.instant(date))
        .map(|date| stamp(&date))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        xml_escape(&site.config.language)
    );
    let _ = writeln!(out, "  <title>{}</title>", xml_escape(title));
    let _ = writeln!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(&site.permalink(self_path))
    );
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(&site.permalink(alternate_path))
    );
    let _ = writeln!(out, "  <id>{}</id>", xml_escape(&site.permalink(self_path)));
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    if !site.config.organization.is_empty() {
        let _ = writeln!(
            out,
            "  <author><name>{}</name></author>",
            xml_escape(&site.config.organization)
        );
    }
    for index in entries {
        let item = &site.items[index];
        let date = item.date.expect("filtered to dated items");
        let link = site.permalink(&item.path_url);
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", xml_escape(&item.title));
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml_escape(&link)
        );
        let _ = writeln!(out, "    <id>{}</id>", xml_escape(&link));
        let _ = writeln!(out, "    <published>{}</published>", stamp(&date));
        let _ = writeln!(
            out,
            "    <updated>{}</updated>",
            stamp(&item.updated.unwrap_or(date))
        );
        if let Some(author) = &item.author {
            let _ = writeln!(
                out,
                "    <author><name>{}</name></author>",
                xml_escape(author)
            );
        }
        for tag in &item.tags {
            let _ = writeln!(out, "    <category term=\"{}\"/>", xml_escape(tag));
        }
        let _ = writeln!(out, "    <summary>{}</summary>", xml_escape(&item.summary));
        let _ = writeln!(
            out,
            "    <content type=\"html\">{}</content>",
            xml_escape(&item.content.html)
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The site's main feed.
pub fn site_feed(site: &Site) -> String {
    atom(
        site,
        &site.config.title,
        urls::FEED,
        "",
        0..site.items.len(),
    )
}

/// One campaign's feed.
pub fn campaign_feed(site: &Site, campaign: &Campaign) -> String {
    let path = campaign.path_url();
    atom(
        site,
        &format!("{} - {}", campaign.title, site.config.title),
        &format!("{path}atom.xml"),
        &path,
        campaign.items.iter().copied(),
    )
}

/// `sitemap.xml` over the given site paths with their last-modified days.
pub fn sitemap(site: &Site, pages: &[(String, Option<String>)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in pages {
        out.push_str("  <url>\n");
        let _ = writeln!(out, "    <loc>{}</loc>", xml_escape(&site.permalink(path)));
        if let Some(lastmod) = lastmod {
            let _ = writeln!(out, "    <lastmod>{lastmod}</lastmod>");
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`, pointing at the sitemap.
pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.permalink(urls::SITEMAP)
    )
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::xml_escape;

    proptest! {
        /// Whatever a title or summary holds, the feed's text is well-formed XML 1.0.
        #[test]
        fn escaped_text_holds_only_what_xml_allows(text in "\\PC*|[\\x00-\\x1f\u{fffe}\u{ffff}<>&'\"a]{0,40}") {
            let escaped = xml_escape(&text);
            for c in escaped.chars() {
                let code = c as u32;
                prop_assert!(
                    matches!(code, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF),
                    "{:?}", c
                );
                prop_assert!(!matches!(c, '<' | '>' | '"' | '\''));
            }
        }
    }

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            xml_escape("<script>\"a\" & 'b'\u{1}</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &apos;b&apos;&lt;/script&gt;"
        );
    }
}
