//! `herald build` on fixture sites: the pages it makes, their links, feeds, and campaign status.

mod common;

use common::{TestSite, broken_links};

#[test]
fn builds_every_kind_of_page() {
    let site = TestSite::fixture("basic");
    let run = site.build();
    run.assert_ok();
    for page in [
        "index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "atom.xml",
        "style.css",
        "plans/index.html",
        "plans/page/2/index.html",
        "plans/tianzhushan/index.html",
        "plans/san-zou-jin-san-fu-wu-huo-dong-fang-an/index.html",
        "initiatives/leifeng/index.html",
        "stories/jinglaoyuan/index.html",
        "galleries/spring/index.html",
        "galleries/spring/01.png",
        "about/index.html",
        "campaigns/index.html",
        "campaigns/leifeng-2013/index.html",
        "campaigns/leifeng-2013/atom.xml",
        "tags/index.html",
        "tags/xue-lei-feng/index.html",
        "archive/index.html",
    ] {
        assert!(
            site.path("public").join(page).is_file(),
            "{page} is missing"
        );
    }
    let stdout = run.stdout();
    assert!(
        stdout.contains("2 campaigns, 3 plans, 1 initiative, 1 story, 1 gallery, 1 page"),
        "{stdout}"
    );
}

#[test]
fn every_internal_link_resolves_under_a_sub_path() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let broken = broken_links(
        &site.path("public"),
        "/volunteer/",
        "https://example.org/volunteer/",
    );
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    let home = site.read("public/index.html");
    assert!(home.contains(r#"href="/volunteer/style.css""#));
    assert!(
        !home.contains(r#"href="/plans/"#),
        "a link ignores the sub-path"
    );
}

#[test]
fn md_links_become_urls() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let plan = site.read("public/plans/tianzhushan/index.html");
    assert!(
        plan.contains(r#"<a href="/volunteer/initiatives/leifeng/">倡议书</a>"#),
        "{plan}"
    );
    assert!(plan.contains(r#"<h2 id="一指导思想">一、指导思想</h2>"#));
    assert!(plan.contains("<td>组长</td>"));
}

#[test]
fn campaign_status_follows_now() {
    let site = TestSite::fixture("basic");
    site.herald(&["build", "--now", "2013-02-01"]).assert_ok();
    let campaign = site.read("public/campaigns/leifeng-2013/index.html");
    assert!(campaign.contains("未开始"));
    assert!(campaign.contains("距开始还有 28 天"), "{campaign}");

    site.herald(&["build", "--now", "2013-03-06"]).assert_ok();
    let campaign = site.read("public/campaigns/leifeng-2013/index.html");
    assert!(campaign.contains(r#"<span class="status status-ongoing" data-status="label" data-status-start="2013-03-01" data-status-end="2013-03-31">进行中</span>"#));
    assert!(campaign.contains(r#"data-status-end="2013-03-31">还剩 26 天</span>"#));
    assert!(
        !campaign.contains("进行中 · 还剩"),
        "the status is not said twice"
    );
    assert!(
        campaign.contains(r#"class="today-marker""#),
        "today is on the timeline"
    );
    let home = site.read("public/index.html");
    assert!(
        home.contains("2013年学雷锋志愿服务月"),
        "the ongoing campaign leads the home page"
    );

    site.herald(&["build", "--now", "2014-01-01"]).assert_ok();
    let campaigns = site.read("public/campaigns/index.html");
    assert_eq!(
        campaigns
            .matches(r#"<span class="status status-ended" data-status="label""#)
            .count(),
        2
    );
    assert!(
        campaigns.find("2013年").unwrap() < campaigns.find("2011年").unwrap(),
        "newest year first"
    );
}

#[test]
fn campaign_page_shows_phases_goals_and_items() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let campaign = site.read("public/campaigns/leifeng-2013/index.html");
    assert!(campaign.contains("奉献、友爱、互助、进步"));
    assert!(campaign.contains("<dt>主办</dt><dd>益阳市文明办</dd>"));
    assert!(campaign.contains("2月22日至3月4日"));
    assert!(campaign.contains("注册志愿者占城市人口比例"));
    for item in [
        "/volunteer/initiatives/leifeng/",
        "/volunteer/plans/honghu/",
        "/volunteer/stories/jinglaoyuan/",
        "/volunteer/galleries/spring/",
    ] {
        assert!(
            campaign.contains(&format!("\" href=\"{item}\" title=\"")),
            "{item} is on the timeline"
        );
    }
    assert!(
        !campaign.contains("/volunteer/plans/tianzhushan/"),
        "an item of another campaign"
    );
}

#[test]
fn initiative_ends_with_its_signature() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let letter = site.read("public/initiatives/leifeng/index.html");
    let salutation = letter.find("各义工团体组织、义工朋友们").unwrap();
    let body = letter.find("<p>雷锋精神是中华民族的宝贵财富").unwrap();
    let first = letter
        .find(r#"<p class="signatory">益阳市志愿者协会</p>"#)
        .unwrap();
    let second = letter
        .find(r#"<p class="signatory">益阳市义工联合会</p>"#)
        .unwrap();
    let date = letter
        .find(r#"<p class="signature-date"><time datetime="2013-02-22">2013年2月22日</time></p>"#)
        .unwrap();
    assert!(salutation < body && body < first && first < second && second < date);
}

#[test]
fn gallery_without_a_list_shows_its_images_in_name_order() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let gallery = site.read("public/galleries/spring/index.html");
    let first = gallery
        .find("/volunteer/galleries/spring/01-8w.jpg")
        .unwrap();
    let second = gallery
        .find("/volunteer/galleries/spring/02-8w.jpg")
        .unwrap();
    assert!(first < second);
    assert!(
        gallery.contains(
            r#"<source type="image/webp" srcset="/volunteer/galleries/spring/01-8w.webp 8w""#
        ),
        "{gallery}"
    );
    assert!(
        gallery.contains(r#"width="8" height="6""#),
        "image sizes are given"
    );
    assert!(gallery.contains(r#"loading="lazy""#));
    for file in ["01-8w.jpg", "01-8w.webp", "02-8w.jpg", "01.png"] {
        assert!(
            site.path("public/galleries/spring").join(file).is_file(),
            "{file}"
        );
    }
}

#[test]
fn feeds_and_sitemap_use_full_urls() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let feed = site.read("public/atom.xml");
    assert!(feed.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/volunteer/atom.xml\"/>"));
    assert!(
        feed.contains("<updated>2013-03-12T00:00:00+08:00</updated>"),
        "the feed's date comes from the newest item"
    );
    assert_eq!(feed.matches("<entry>").count(), 6, "every dated item");
    let campaign_feed = site.read("public/campaigns/leifeng-2013/atom.xml");
    assert_eq!(campaign_feed.matches("<entry>").count(), 4);
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/volunteer/plans/tianzhushan/</loc>\n    <lastmod>2011-03-01</lastmod>"));
    assert!(
        site.read("public/robots.txt")
            .contains("Sitemap: https://example.org/volunteer/sitemap.xml")
    );
}

#[test]
fn drafts_are_hidden_unless_asked_for() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/stories/draft.md",
        "---\ntitle: 未完成的稿子\ndate: 2013-03-11\ndraft: true\n---\n草稿\n",
    );
    site.build().assert_ok();
    assert!(!site.path("public/stories/draft").exists());
    assert!(
        !site
            .read("public/stories/index.html")
            .contains("未完成的稿子")
    );
    site.herald(&["build", "--now", "2013-03-06", "--drafts"])
        .assert_ok();
    assert!(
        site.read("public/stories/draft/index.html")
            .contains("草稿")
    );
}

#[test]
fn a_draft_campaign_is_left_out_with_its_items_unless_drafts_are_asked_for() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/campaigns/qiye-2011.md",
        "---\ntitle: 2011年服务企业年\ndraft: true\nstart: 2011-03-01\nend: 2011-12-31\n---\n服务企业。\n",
    );
    // An item naming the draft campaign is no "unknown campaign": it waits with it.
    site.build().assert_ok();
    assert!(!site.path("public/campaigns/qiye-2011").exists());
    assert!(
        !site.path("public/plans/tianzhushan").exists(),
        "its item is left out with it"
    );
    for page in [
        "campaigns/index.html",
        "index.html",
        "plans/index.html",
        "sitemap.xml",
        "calendar.ics",
        "atom.xml",
    ] {
        let text = site.read(&format!("public/{page}"));
        assert!(
            !text.contains("服务企业") && !text.contains("qiye-2011"),
            "{page} shows the draft campaign"
        );
    }
    assert!(
        broken_links(
            &site.path("public"),
            "/volunteer/",
            "https://example.org/volunteer/"
        )
        .is_empty()
    );

    site.herald(&["build", "--now", "2013-03-06", "--drafts"])
        .assert_ok();
    assert!(
        site.read("public/campaigns/qiye-2011/index.html")
            .contains("2011年服务企业年")
    );
    assert!(site.path("public/plans/tianzhushan/index.html").is_file());
}

#[test]
fn future_items_are_published() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/plans/next-year.md",
        "---\ntitle: 明年的方案\ndate: 2030-01-01\n---\n",
    );
    site.build().assert_ok();
    assert!(site.path("public/plans/next-year/index.html").is_file());
}

#[test]
fn two_builds_give_the_same_bytes() {
    let site = TestSite::fixture("basic");
    site.herald(&["build", "--now", "2013-03-06", "--output", "one"])
        .assert_ok();
    site.herald(&["build", "--now", "2013-03-06", "--output", "two"])
        .assert_ok();
    for entry in walkdir::WalkDir::new(site.path("one")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(site.path("one")).unwrap();
            assert_eq!(
                std::fs::read(entry.path()).unwrap(),
                std::fs::read(site.path("two").join(rel)).unwrap(),
                "{}",
                rel.display()
            );
        }
    }
}

#[test]
fn stale_files_are_gone_after_a_build() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    std::fs::remove_file(site.path("content/stories/jinglaoyuan.md")).unwrap();
    site.build().assert_ok();
    assert!(!site.path("public/stories/jinglaoyuan").exists());
}

#[test]
fn base_url_option_overrides_the_config() {
    let site = TestSite::fixture("basic");
    site.herald(&[
        "build",
        "--now",
        "2013-03-06",
        "--base-url",
        "https://volunteer.example.com/",
    ])
    .assert_ok();
    let home = site.read("public/index.html");
    assert!(home.contains(r#"href="/style.css""#));
    assert!(broken_links(&site.path("public"), "/", "https://volunteer.example.com/").is_empty());
}

#[test]
fn raw_html_is_cleaned_with_a_warning_naming_the_line() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/page-with-html.md",
        "---\ntitle: 含 HTML 的页面\n---\n第一段<b>加粗</b>\n\n<script>alert(1)</script>\n\n[链接](javascript:alert(2))\n",
    );
    let run = site.build();
    run.assert_ok();
    for line in ["4:1", "6:1", "8:1"] {
        assert!(
            run.stderr().contains(&format!(
                "content/page-with-html.md:{line}: raw HTML in Markdown was cleaned"
            )),
            "{}",
            run.stderr()
        );
    }
    let page = site.read("public/page-with-html/index.html");
    assert!(page.contains("第一段<b>加粗</b>"), "{page}");
    assert!(!page.contains("alert("), "{page}");

    site.write(
        "site.yaml",
        &format!("{}raw_html: true\n", site.read("site.yaml")),
    );
    site.build().assert_ok();
    assert!(
        site.read("public/page-with-html/index.html")
            .contains("<script>alert(1)</script>")
    );
}

#[test]
fn unknown_config_key_warns_with_a_suggestion() {
    let site = TestSite::fixture("basic");
    site.write(
        "site.yaml",
        &format!("{}paginat: 3\n", site.read("site.yaml")),
    );
    let run = site.build();
    run.assert_ok();
    assert!(run.stderr().contains("site.yaml:6:1: unknown setting `paginat` in site.yaml is ignored; did you mean `paginate`?"), "{}", run.stderr());
}

#[test]
fn front_matter_escapes_everywhere() {
    let site = TestSite::fixture("basic");
    site.write("content/stories/xss.md", "---\ntitle: '<script>alert(\"x\")</script>'\ndate: 2013-03-09\nsummary: 'a \" onmouseover=\"x'\n---\n正文\n");
    site.build().assert_ok();
    let page = site.read("public/stories/xss/index.html");
    assert!(!page.contains("<script>alert"), "title escaped in HTML");
    assert!(
        !page.contains("\" onmouseover=\"x"),
        "summary escaped in attributes"
    );
    assert!(
        page.contains(r#"<meta property="og:title" content="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">"#),
        "title escaped in Open Graph tags"
    );
    let feed = site.read("public/atom.xml");
    assert!(feed.contains("<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</title>"));
    // The search index is JSON that, once parsed, gives back the title exactly.
    let index_holds_title = std::fs::read_dir(site.path("public/search/docs/0"))
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .any(|text| {
            let value: serde_json::Value =
                serde_json::from_str(&text).expect("search docs are JSON");
            holds_string(&value, "<script>alert(\"x\")</script>")
        });
    assert!(index_holds_title);
}

fn holds_string(value: &serde_json::Value, wanted: &str) -> bool {
    match value {
        serde_json::Value::String(text) => text == wanted,
        serde_json::Value::Array(items) => items.iter().any(|item| holds_string(item, wanted)),
        serde_json::Value::Object(map) => map.values().any(|item| holds_string(item, wanted)),
        _ => false,
    }
}

#[test]
fn images_in_the_body_are_copied_beside_the_page() {
    let site = TestSite::fixture("basic");
    site.write("content/stories/tree/index.md", "---\ntitle: 植树的故事\ndate: 2013-03-12\n---\n![新栽的树](../../galleries/spring/02.png)\n");
    site.build().assert_ok();
    let story = site.read("public/stories/tree/index.html");
    assert!(
        story.contains(r#"<img src="/volunteer/stories/tree/02.png" alt="新栽的树" />"#),
        "{story}"
    );
    assert!(site.path("public/stories/tree/02.png").is_file());

    site.write(
        "content/stories/tree/index.md",
        "---\ntitle: 植树的故事\ndate: 2013-03-12\n---\n正文\n\n![新栽的树](tree.jpg)\n",
    );
    let run = site.build();
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr()
            .contains("content/stories/tree/index.md:7:1: the image `tree.jpg` cannot be found"),
        "{}",
        run.stderr()
    );
}

#[test]
fn photos_without_captions_are_named_in_warnings() {
    let site = TestSite::fixture("basic");
    let run = site.build();
    run.assert_ok();
    let stderr = run.stderr();
    assert!(
        stderr.contains(
            "content/galleries/spring/index.md: the gallery photo `01.png` has no caption"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("`02.png`"));
    site.write(
        "content/galleries/spring/index.md",
        "---\ntitle: 春季植树\ndate: 2013-03-12\nphotos:\n  - src: 01.png\n    caption: 植树\n  - src: 02.png\n    caption: 浇水\n---\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(!run.stderr().contains("has no caption"));
    assert!(
        site.read("public/galleries/spring/index.html")
            .contains(r#"alt="浇水""#)
    );
}

#[test]
fn an_image_that_cannot_be_read_is_an_error_naming_it() {
    let site = TestSite::fixture("basic");
    std::fs::write(
        site.path("content/galleries/spring/03.jpg"),
        b"this is not a photo",
    )
    .unwrap();
    let run = site.build();
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr()
            .contains("error: content/galleries/spring/03.jpg: the file is named like an image, but its content is not"),
        "{}",
        run.stderr()
    );
}

#[test]
fn one_line_switches_to_the_second_theme() {
    let site = TestSite::fixture("basic");
    common::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes"),
        &site.path("themes"),
    );
    site.write(
        "site.yaml",
        &format!("{}theme: paper\n", site.read("site.yaml")),
    );
    site.build().assert_ok();
    let home = site.read("public/index.html");
    assert!(home.contains(r#"<link rel="stylesheet" href="/volunteer/paper.css">"#));
    assert!(site.path("public/paper.css").is_file());
    assert!(
        site.path("public/style.css").is_file(),
        "the parent theme's files come along"
    );
    assert!(
        site.read("public/initiatives/leifeng/index.html")
            .contains(r#"<p class="signatory">益阳市志愿者协会</p>"#)
    );
}

#[test]
fn campaign_initiative_and_story_pages_carry_a_qr_code_of_their_url() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    for page in [
        "campaigns/leifeng-2013",
        "initiatives/leifeng",
        "stories/jinglaoyuan",
    ] {
        let html = site.read(&format!("public/{page}/index.html"));
        assert!(
            html.contains(
                r#"<figure class="share-qr"><svg role="img" aria-label="本页网址的二维码""#
            ),
            "{page}"
        );
    }
    assert!(
        !site
            .read("public/plans/honghu/index.html")
            .contains("share-qr")
    );
    let svg_start = site.read("public/initiatives/leifeng/index.html");
    let svg = &svg_start[svg_start.find("<svg role").unwrap()..];
    let svg = &svg[..svg.find("</svg>").unwrap() + 6];
    assert!(
        svg.matches("<path").count() + svg.matches("<rect").count() >= 1,
        "the code is drawn"
    );
}

#[test]
fn tag_pages_are_paginated_like_the_indexes() {
    let site = TestSite::fixture("basic");
    for n in 1..=3 {
        site.write(
            &format!("content/stories/extra-{n}.md"),
            &format!("---\ntitle: 学雷锋事迹{n}\ndate: 2013-03-1{n}\ntags: [学雷锋]\n---\n正文\n"),
        );
    }
    site.build().assert_ok();
    let first = site.read("public/tags/xue-lei-feng/index.html");
    assert!(
        first.contains(r#"<a href="/volunteer/tags/xue-lei-feng/page/2/" rel="next">下一页</a>"#),
        "{first}"
    );
    assert!(
        site.read("public/tags/xue-lei-feng/page/3/index.html")
            .contains("上一页")
    );
    assert!(
        !site.path("public/tags/xue-lei-feng/page/4").exists(),
        "5 items, 2 a page"
    );
    assert!(
        site.read("public/tags/index.html")
            .contains("学雷锋 <span class=\"count\">5</span>")
    );
}

#[test]
fn a_long_pagination_bar_shows_the_ends_and_the_neighbours() {
    let site = TestSite::fixture("basic");
    for n in 1..=20 {
        site.write(
            &format!("content/stories/extra-{n}.md"),
            &format!("---\ntitle: 事迹{n}\ndate: 2013-01-{n:02}\n---\n正文\n"),
        );
    }
    site.build().assert_ok();
    let page = site.read("public/stories/page/6/index.html");
    let bar = &page[page.find("<nav class=\"pagination\"").unwrap()..];
    let bar = &bar[bar.find('>').unwrap() + 1..];
    let bar = &bar[..bar.find("</nav>").unwrap()];
    let shown: Vec<&str> = bar
        .split('>')
        .filter_map(|part| part.split('<').next())
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .collect();
    assert_eq!(
        shown,
        [
            "上一页",
            "1",
            "…",
            "4",
            "5",
            "6",
            "7",
            "8",
            "…",
            "11",
            "下一页"
        ],
        "{bar}"
    );
    assert!(
        bar.contains(r#"<span aria-current="page">6</span>"#),
        "{bar}"
    );
}

#[test]
fn a_build_with_nothing_changed_does_nothing() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let page = site.path("public/plans/honghu/index.html");
    let written = std::fs::metadata(&page).unwrap().modified().unwrap();
    let again = site.build();
    again.assert_ok();
    assert!(
        again.stdout().contains("nothing changed"),
        "{}",
        again.stdout()
    );
    assert_eq!(
        std::fs::metadata(&page).unwrap().modified().unwrap(),
        written,
        "no file was rewritten"
    );

    // A deleted output file, a changed input or another "today" each mean a real build.
    std::fs::remove_file(&page).unwrap();
    assert!(!site.build().stdout().contains("nothing changed"));
    assert!(page.is_file());
    site.write(
        "content/plans/honghu.md",
        &site
            .read("content/plans/honghu.md")
            .replace("洪湖方案正文。", "改过的正文。"),
    );
    assert!(!site.build().stdout().contains("nothing changed"));
    assert!(
        site.read("public/plans/honghu/index.html")
            .contains("改过的正文。")
    );
    assert!(
        !site
            .herald(&["build", "--now", "2013-03-07"])
            .stdout()
            .contains("nothing changed")
    );
    assert!(
        site.herald(&["build", "--now", "2013-03-07"])
            .stdout()
            .contains("nothing changed")
    );
}

#[test]
fn a_large_archive_is_split_by_year() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let whole = site.read("public/archive/index.html");
    assert!(whole.contains(r##"<a href="#y2013">2013年"##), "{whole}");
    assert!(whole.contains("植树"), "a small archive lists every item");

    // Past 1,000 dated items the archive becomes an overview and a page per year.
    for n in 0..1001 {
        site.write(
            &format!("content/stories/bulk/s{n}.md"),
            &format!(
                "---\ntitle: 事迹第{n}篇\ndate: {}-05-01\n---\n正文\n",
                2014 + n % 3
            ),
        );
    }
    site.build().assert_ok();
    let overview = site.read("public/archive/index.html");
    assert!(
        overview.contains(r#"<a class="year" href="/volunteer/archive/2016/">2016年</a> <span class="count">333 篇</span>"#),
        "{overview}"
    );
    assert!(
        overview.contains(
            r#"<a href="/volunteer/archive/2016/#y2016-m5">5月 <span class="count">333</span></a>"#
        ),
        "{overview}"
    );
    assert!(!overview.contains("事迹第"), "the overview lists no items");
    let year = site.read("public/archive/2015/index.html");
    assert!(year.contains("<h1>2015年归档</h1>"), "{year}");
    assert!(year.contains("事迹第1篇"));
    assert!(
        !year.contains("事迹第0篇"),
        "2014's items are not on 2015's page"
    );
    assert!(year.contains(r#"<a href="/volunteer/archive/2015/" aria-current="page">"#));
    assert!(year.contains(r#"<h3 id="y2015-m5">5月</h3>"#));
    assert!(
        site.read("public/sitemap.xml")
            .contains("/archive/2015/</loc>")
    );
}

#[test]
fn the_search_text_holds_a_summary_once() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/plans/tiyao.md",
        "---\ntitle: 提要方案\ndate: 2013-03-03\nsummary: 写在前面的提要\n---\n正文第一段。\n",
    );
    site.build().assert_ok();
    let meta: serde_json::Value =
        serde_json::from_str(&site.read("public/search/meta.json")).unwrap();
    let chunk = meta["chunk"].as_u64().unwrap() as usize;
    let folder = meta["folder"].as_u64().unwrap() as usize;
    let docs = meta["docs"].as_u64().unwrap() as usize;
    let mut texts = std::collections::HashMap::new();
    for number in 0..docs.div_ceil(chunk) {
        let file: serde_json::Value = serde_json::from_str(&site.read(&format!(
            "public/search/docs/{}/{number}.json",
            number / folder
        )))
        .unwrap();
        for doc in file.as_array().unwrap() {
            texts.insert(
                doc["title"].as_str().unwrap().to_string(),
                doc["text"].as_str().unwrap().to_string(),
            );
        }
    }
    assert_eq!(texts.len(), docs);
    // A summary of its own is searched; one cut from the body is not sent twice.
    let written = &texts["提要方案"];
    assert_eq!(written.matches("写在前面的提要").count(), 1, "{written}");
    assert_eq!(written.matches("正文第一段").count(), 1, "{written}");
    let cut = &texts["敬老院里的一天"];
    assert_eq!(cut.matches("我们来到敬老院").count(), 1, "{cut}");
}
