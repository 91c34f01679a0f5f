//! The preview's incremental rebuilds, driven through the library: a body edit renders one
//! page, a title edit renders the pages that list the item, and the result always matches a
//! full build.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::TestSite;
use herald::project::BuildOptions;
use herald::serve::session::Session;
use herald::serve::watch::Changes;

fn session(site: &TestSite) -> Session {
    Session::new(BuildOptions {
        root: site.root().to_path_buf(),
        drafts: true,
        now: chrono::NaiveDate::from_ymd_opt(2013, 3, 6),
        ..BuildOptions::default()
    })
}

fn content_change(path: &str) -> Changes {
    Changes {
        content: BTreeSet::from([PathBuf::from(path)]),
        ..Changes::default()
    }
}

fn page(outcome: &herald::serve::session::Outcome, path: &str) -> String {
    let page = outcome
        .preview
        .pages
        .get(path)
        .unwrap_or_else(|| panic!("{path} is missing"));
    String::from_utf8(page.bytes.to_vec()).unwrap()
}

#[test]
fn a_body_edit_renders_only_its_page() {
    let site = TestSite::fixture("basic");
    let mut session = session(&site);
    let first = session.full().unwrap();
    assert!(first.rendered.len() > 20);
    let story = "---\ntitle: 敬老院里的一天\ndate: 2013-03-10\ncampaign: leifeng-2013\nsummary: 固定的摘要\n---\n我们来到敬老院。\n";
    site.write("content/stories/jinglaoyuan.md", story);
    let outcome = session
        .apply(&content_change("content/stories/jinglaoyuan.md"))
        .unwrap();
    assert!(outcome.rendered.len() > 1, "a new summary shows in lists");
    site.write(
        "content/stories/jinglaoyuan.md",
        &format!("{story}\n新加的一段。\n"),
    );
    let outcome = session
        .apply(&content_change("content/stories/jinglaoyuan.md"))
        .unwrap();
    assert_eq!(outcome.rendered, vec!["/stories/jinglaoyuan/".to_string()]);
    assert!(page(&outcome, "stories/jinglaoyuan/index.html").contains("新加的一段。"));
    assert!(
        page(&outcome, "atom.xml").contains("新加的一段。"),
        "feeds follow every edit"
    );
    assert!(
        page(&outcome, "campaigns/leifeng-2013/atom.xml").contains("新加的一段。"),
        "so does the item's campaign's feed"
    );
    assert_eq!(
        page(&outcome, "campaigns/qiye-2011/atom.xml"),
        page(&first, "campaigns/qiye-2011/atom.xml"),
        "another campaign's feed stays as it was"
    );
}

#[test]
fn a_title_edit_updates_every_page_that_lists_the_item() {
    let site = TestSite::fixture("basic");
    let mut session = session(&site);
    session.full().unwrap();
    site.write("content/plans/honghu.md", "---\ntitle: 洪湖志愿服务队新标题\ndate: 2013-03-02\ncampaign: leifeng-2013\ntags: [学雷锋, 志愿服务]\n---\n洪湖方案正文。\n");
    let outcome = session
        .apply(&content_change("content/plans/honghu.md"))
        .unwrap();
    assert!(
        outcome.rendered.len() > 1 && outcome.rendered.len() < 20,
        "{:?}",
        outcome.rendered
    );
    for path in [
        "plans/honghu/index.html",
        "plans/index.html",
        "campaigns/leifeng-2013/index.html",
        "tags/xue-lei-feng/index.html",
        "archive/index.html",
        "index.html",
    ] {
        assert!(
            page(&outcome, path).contains("洪湖志愿服务队新标题"),
            "{path} is stale"
        );
    }
    // The neighbour's "next" link shows the new title too.
    let neighbours = [
        "plans/tianzhushan/index.html",
        "plans/san-zou-jin-san-fu-wu-huo-dong-fang-an/index.html",
    ];
    assert!(
        neighbours
            .iter()
            .any(|path| page(&outcome, path).contains("洪湖志愿服务队新标题"))
    );
}

#[test]
fn incremental_results_match_a_full_build() {
    let site = TestSite::fixture("basic");
    let mut session = session(&site);
    session.full().unwrap();
    site.write("content/stories/new.md", "---\ntitle: 新的事迹\ndate: 2013-03-20\ncampaign: leifeng-2013\ntags: [新标签]\n---\n新事迹\n");
    session
        .apply(&content_change("content/stories/new.md"))
        .unwrap();
    std::fs::remove_file(site.path("content/plans/honghu.md")).unwrap();
    let incremental = session
        .apply(&content_change("content/plans/honghu.md"))
        .unwrap();

    let full = session_full(&site);
    let mut left: Vec<&String> = incremental.preview.pages.keys().collect();
    let mut right: Vec<&String> = full.preview.pages.keys().collect();
    left.sort();
    right.sort();
    assert_eq!(left, right, "the same pages");
    for path in left {
        assert_eq!(
            incremental.preview.pages[path].bytes, full.preview.pages[path].bytes,
            "{path} differs from a full build"
        );
    }
}

/// A page's new address reaches the pages that link to it, and a changed photo's new
/// size reaches its gallery, as in a full build.
#[test]
fn a_moved_page_and_a_changed_photo_match_a_full_build() {
    let site = TestSite::fixture("basic");
    let mut session = session(&site);
    session.full().unwrap();
    let initiative = site.read("content/initiatives/leifeng.md");
    site.write(
        "content/initiatives/leifeng.md",
        &initiative.replacen("---\n", "---\nslug: leifeng-new\n", 1),
    );
    session
        .apply(&content_change("content/initiatives/leifeng.md"))
        .unwrap();
    let mut photo = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::new(40, 30))
        .write_to(
            &mut std::io::Cursor::new(&mut photo),
            image::ImageFormat::Png,
        )
        .unwrap();
    std::fs::write(site.path("content/galleries/spring/01.png"), photo).unwrap();
    let incremental = session
        .apply(&content_change("content/galleries/spring/01.png"))
        .unwrap();
    let plan = page(&incremental, "plans/tianzhushan/index.html");
    assert!(
        plan.contains("/initiatives/leifeng-new/"),
        "the link follows the page"
    );
    let full = session_full(&site);
    for (path, bytes) in full.preview.pages.iter() {
        assert_eq!(
            incremental.preview.pages.get(path).map(|page| &page.bytes),
            Some(&bytes.bytes),
            "{path} differs from a full build"
        );
    }
    assert_eq!(incremental.preview.copies, full.preview.copies);
}

fn session_full(site: &TestSite) -> herald::serve::session::Outcome {
    session(site).full().unwrap()
}

#[test]
fn a_broken_file_fails_and_its_fix_recovers() {
    let site = TestSite::fixture("basic");
    let mut session = session(&site);
    session.full().unwrap();
    site.write(
        "content/plans/honghu.md",
        "---\ntitle: 洪湖\ndate: 2013年2月30日\n---\n",
    );
    let errors = session
        .apply(&content_change("content/plans/honghu.md"))
        .err()
        .expect("an error");
    assert!(
        errors.to_string().contains("content/plans/honghu.md:3"),
        "{errors}"
    );
    site.write(
        "content/plans/honghu.md",
        "---\ntitle: 洪湖\ndate: 2013-03-02\n---\n好了\n",
    );
    let outcome = session
        .apply(&content_change("content/plans/honghu.md"))
        .unwrap();
    assert!(page(&outcome, "plans/honghu/index.html").contains("好了"));
}

#[test]
fn a_theme_given_another_parent_is_followed() {
    let site = TestSite::fixture("basic");
    let yaml = site.read("site.yaml");
    site.write("site.yaml", &format!("{yaml}theme: child\n"));
    for parent in ["red", "blue"] {
        site.write(&format!("themes/{parent}/theme.yaml"), "extends: default\n");
        site.write(&format!("themes/{parent}/static/mark.txt"), parent);
    }
    site.write("themes/child/theme.yaml", "extends: red\n");
    let mut session = session(&site);
    let first = session.full().unwrap();
    assert!(first.preview.copies["mark.txt"].ends_with("themes/red/static/mark.txt"));
    site.write("themes/child/theme.yaml", "extends: blue\n");
    let mut changes = Changes::default();
    changes.add(std::path::Path::new("themes/child/theme.yaml"));
    let outcome = session.apply(&changes).unwrap();
    assert!(outcome.preview.copies["mark.txt"].ends_with("themes/blue/static/mark.txt"));
}
