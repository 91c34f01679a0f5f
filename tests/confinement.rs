//! Nothing a site says can make a build write outside its output and cache folders:
//! generated sites with hostile slugs, titles, file names and links are built, and
//! everything around them is compared before and after.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::serve::{get_text, start};
use common::{TestSite, assert_no_staging_left, broken_links, snapshot};
use herald::pipeline;
use herald::project::BuildOptions;
use proptest::prelude::*;

/// Slugs, titles and names that have escaped, emptied or lengthened paths elsewhere.
const HOSTILE: &[&str] = &[
    "/",
    "..",
    "../..",
    "../../../x",
    "/etc",
    "a/../../b",
    "%2e%2e",
    "..\\..\\x",
    "？？？",
    "！？。，",
    "ボランティア",
    "   ",
    "-",
    "index.html",
    "a#b?c%d",
    "关于开展全市新时代文明实践志愿服务暨学雷锋志愿服务月系列主题宣传活动的实施方案关于开展全市新时代文明实践志愿服务暨学雷锋志愿服务月系列主题宣传活动的实施方案",
];

/// References a body may hold.
const REFERENCES: &[&str] = &[
    "![合影](probe.png)",
    "![合影](./probe.png)",
    "![](../../../../../herald-probe.png)",
    "![](/herald-probe.png)",
    "[链接](../../../../x.md)",
    "![](index.html)",
    "![](probe.png#x)",
];

/// Files that a path escaping to the file system's root would leave there.
const ROOT_PROBES: &[&str] = &["/herald-probe.png", "/probe.png", "/probe-4w.jpg"];

/// Folders a document may live in.
const FOLDERS: &[&str] = &[
    "",
    "stories/",
    "plans/",
    "galleries/g/",
    "campaigns/",
    "方案/",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(HOSTILE).prop_map(str::to_string),
        "[./\\\\a名？ %#-]{0,12}",
    ]
}

/// A file name stem the file system takes (not empty, no `/`, not too long).
fn stem() -> impl Strategy<Value = String> {
    text().prop_map(|name| {
        let name: String = name.replace(['/', '\0'], "_").chars().take(60).collect();
        if name.is_empty() || name == "." || name == ".." || name.starts_with('.') {
            format!("n{name}")
        } else {
            name
        }
    })
}

#[derive(Debug, Clone)]
struct Doc {
    folder: &'static str,
    stem: String,
    slug: Option<String>,
    title: String,
    reference: &'static str,
}

fn doc() -> impl Strategy<Value = Doc> {
    (
        prop::sample::select(FOLDERS),
        stem(),
        prop::option::of(text()),
        text(),
        prop_oneof![
            4 => Just(REFERENCES[0]),
            1 => prop::sample::select(REFERENCES),
        ],
    )
        .prop_map(|(folder, stem, slug, title, reference)| Doc {
            folder,
            stem,
            slug,
            title,
            reference,
        })
}

fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

fn probe_png() -> Vec<u8> {
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::new(4, 4))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

/// Writes the site; returns false when the file system refuses a generated name.
fn write_site(root: &Path, docs: &[Doc]) -> bool {
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("site.yaml"), "title: 测试\n").unwrap();
    let png = probe_png();
    for (number, doc) in docs.iter().enumerate() {
        let folder = root.join("content").join(doc.folder);
        let file = if doc.folder == "galleries/g/" {
            folder.join("index.md")
        } else {
            folder.join(format!("{}-{number}.md", doc.stem))
        };
        let mut front = format!(
            "title: {}\ndate: 2024-03-0{}\n",
            yaml_string(&doc.title),
            number % 9 + 1
        );
        if let Some(slug) = &doc.slug {
            front.push_str(&format!("slug: {}\n", yaml_string(slug)));
        }
        if doc.folder == "campaigns/" {
            front.push_str("start: 2024-03-01\n");
        }
        let text = format!("---\n{front}---\n正文\n\n{}\n", doc.reference);
        let written = std::fs::create_dir_all(&folder)
            .and_then(|()| std::fs::write(&file, text))
            .and_then(|()| std::fs::write(folder.join("probe.png"), &png))
            .and_then(|()| std::fs::write(folder.join("index.html"), "<script>alert(1)</script>"));
        if written.is_err() {
            return false;
        }
    }
    true
}

/// Every entry under `dir` (files with their bytes, folders, links) but the build's own.
fn listing(dir: &Path, own: &[PathBuf]) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|entry| !own.iter().any(|path| entry.path().starts_with(path)))
        .map(|entry| entry.unwrap())
        .map(|entry| {
            let bytes = if entry.file_type().is_file() {
                std::fs::read(entry.path()).unwrap()
            } else {
                Vec::new()
            };
            (entry.path().to_path_buf(), bytes)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn a_build_writes_only_its_output_and_cache(docs in prop::collection::vec(doc(), 1..6)) {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("a/b/site");
        prop_assume!(write_site(&root, &docs));
        let output = root.join("public");
        let own = [output.clone(), root.join(".herald-cache")];
        let before = listing(outer.path(), &own);
        for probe in ROOT_PROBES {
            assert!(!Path::new(probe).exists(), "{probe} is left from an earlier run: remove it");
        }
        let result = pipeline::build(&BuildOptions {
            root: root.clone(),
            output: Some(output.clone()),
            ..BuildOptions::default()
        });
        prop_assert_eq!(&listing(outer.path(), &own), &before);
        for probe in ROOT_PROBES {
            prop_assert!(!Path::new(probe).exists(), "{} was written", probe);
        }
        if result.is_ok() {
            // Every published file lies in the output, and no script page was copied in.
            for entry in walkdir::WalkDir::new(&output) {
                let entry = entry.unwrap();
                prop_assert!(entry.path().starts_with(&output));
                if entry.file_type().is_file() {
                    let bytes = std::fs::read(entry.path()).unwrap();
                    prop_assert!(bytes != b"<script>alert(1)</script>", "{:?}", entry.path());
                }
            }
        }
    }
}

/// What `check` says and what `build` does agree: a site that checks builds, and a
/// site that fails to build fails its check with the same messages.
#[test]
fn check_fails_exactly_where_build_fails() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 24,
        ..ProptestConfig::default()
    });
    runner
        .run(&prop::collection::vec(doc(), 1..5), |docs| {
            let outer = tempfile::tempdir().unwrap();
            let root = outer.path().join("site");
            if !write_site(&root, &docs) {
                return Ok(());
            }
            let options = BuildOptions {
                root: root.clone(),
                output: Some(root.join("public")),
                ..BuildOptions::default()
            };
            let checked = pipeline::check(&options).map_err(|e| e.to_string());
            let built = pipeline::build(&options).map_err(|e| e.to_string());
            prop_assert_eq!(checked.err(), built.err());
            Ok(())
        })
        .unwrap();
}

const ATTACHMENT_STORY: &str = "---\ntitle: 附件\ndate: 2013-03-01\n---\n![附件](passwd.txt)\n";

/// A failed build that must name `file` and leave the previous output as it was.
fn assert_refused(site: &TestSite, file: &str, words: &[&str]) {
    let before = snapshot(&site.path("public"));
    for (lang, words) in [("en", &words[..1]), ("zh", &words[1..])] {
        let run = site.herald(&["--lang", lang, "build"]);
        let stderr = run.stderr();
        assert_eq!(run.code(), 1, "{stderr}");
        assert!(stderr.contains(file), "{stderr}");
        for word in words {
            assert!(stderr.contains(word), "{word:?} not in {stderr}");
        }
    }
    assert_eq!(snapshot(&site.path("public")), before);
}

#[test]
fn links_out_of_the_site_are_never_followed() {
    let site = TestSite::fixture_in_folder("basic");
    site.build().assert_ok();
    site.write("content/stories/att.md", ATTACHMENT_STORY);
    symlink("/etc/passwd", site.path("content/stories/passwd.txt")).unwrap();
    assert_refused(
        &site,
        "content/stories/passwd.txt",
        &[
            "outside the site's folder",
            "站点文件夹以外",
            "复制到站点文件夹里",
        ],
    );

    // A folder linked from outside the site, and a link into a hidden folder of the site.
    std::fs::remove_file(site.path("content/stories/passwd.txt")).unwrap();
    std::fs::create_dir_all(site.outside("elsewhere")).unwrap();
    std::fs::write(site.outside("elsewhere/passwd.txt"), "secret").unwrap();
    symlink(
        site.outside("elsewhere"),
        site.path("content/stories/shared"),
    )
    .unwrap();
    assert_refused(
        &site,
        "content/stories/shared",
        &["outside the site's folder", "站点文件夹以外"],
    );
    std::fs::remove_file(site.path("content/stories/shared")).unwrap();
    std::fs::create_dir_all(site.path(".git")).unwrap();
    std::fs::write(site.path(".git/config"), "secret").unwrap();
    symlink(
        site.path(".git/config"),
        site.path("content/stories/passwd.txt"),
    )
    .unwrap();
    assert_refused(
        &site,
        "content/stories/passwd.txt",
        &["outside the site's folder", "站点文件夹以外"],
    );
}

#[test]
fn links_inside_the_site_are_followed() {
    let site = TestSite::fixture("basic");
    std::fs::create_dir_all(site.path("shared")).unwrap();
    std::fs::copy(
        site.path("content/galleries/spring/01.png"),
        site.path("shared/photo.png"),
    )
    .unwrap();
    symlink(
        site.path("shared/photo.png"),
        site.path("content/stories/photo.png"),
    )
    .unwrap();
    site.write(
        "content/stories/att.md",
        "---\ntitle: 合影\ndate: 2013-03-01\n---\n![合影](photo.png)\n",
    );
    site.build().assert_ok();
    assert!(site.path("public/stories/att/photo.png").is_file());
}

#[test]
fn a_site_without_content_is_an_error() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    std::fs::rename(site.path("content"), site.path("content-old")).unwrap();
    let before = snapshot(&site.path("public"));
    let run = site.herald(&["--lang", "zh", "build"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr().contains("没有 content/ 文件夹"),
        "{}",
        run.stderr()
    );
    assert_eq!(snapshot(&site.path("public")), before);
    assert_eq!(site.herald(&["check"]).code(), 1);
}

#[test]
fn the_preview_refuses_a_link_out_of_the_site_and_stays_up() {
    let site = TestSite::fixture("basic");
    let (server, _) = start(&site, &[]);
    let port = server.port;
    symlink("/etc/passwd", site.path("content/stories/passwd.png")).unwrap();
    site.write(
        "content/stories/att.md",
        ATTACHMENT_STORY
            .replace("passwd.txt", "passwd.png")
            .as_str(),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut page = String::new();
    while Instant::now() < deadline {
        page = get_text(port, "/").1;
        if page.contains("content/stories/passwd.png") {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        page.contains("content/stories/passwd.png"),
        "the error is shown: {page}"
    );
    let (status, body) = get_text(port, "/stories/att/passwd.png");
    assert_eq!(status, 404);
    assert!(!body.contains("root:"));

    std::fs::remove_file(site.path("content/stories/passwd.png")).unwrap();
    std::fs::remove_file(site.path("content/stories/att.md")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline && get_text(port, "/").1.contains("__heraldError") {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !get_text(port, "/").1.contains("__heraldError"),
        "a fix clears the error"
    );
}

#[test]
fn attachments_and_odd_file_names_are_published_and_found() {
    let site = TestSite::fixture("basic");
    let photo = std::fs::read(site.path("content/galleries/spring/01.png")).unwrap();
    for name in ["合影 #1.png", "100%.png", "a?b.png"] {
        std::fs::create_dir_all(site.path("content/stories/att")).unwrap();
        std::fs::write(site.path(&format!("content/stories/att/{name}")), &photo).unwrap();
    }
    site.write("content/stories/att/通知.pdf", "%PDF-1.4");
    site.write("content/stories/att/图纸.DWG", "AC1015");
    let official = "关于开展二〇二四年度全市新时代文明实践志愿服务暨学雷锋志愿服务月系列主题宣传活动的实施方案的通知";
    site.write(&format!("content/stories/att/{official}.docx"), "PK");
    site.write(
        "content/stories/att/index.md",
        "---\ntitle: 附件\ndate: 2013-03-01\n---\n![合影](合影%20%231.png) ![百分](100%25.png) ![问](a%3Fb.png)\n\n[通知](通知.pdf?dl=1#page=2) [图纸](图纸.DWG) [方案](关于开展二〇二四年度全市新时代文明实践志愿服务暨学雷锋志愿服务月系列主题宣传活动的实施方案的通知.docx)\n",
    );
    let run = site.herald(&["build"]);
    assert_eq!(
        run.code(),
        1,
        "a type on no list is refused: {}",
        run.stderr()
    );
    assert!(run.stderr().contains("图纸.DWG"), "{}", run.stderr());

    let config = site.read("site.yaml");
    site.write("site.yaml", &format!("{config}\nattachments: [dwg]\n"));
    site.build().assert_ok();
    for name in ["通知.pdf", "图纸.DWG", "合影 #1.png", "100%.png", "a?b.png"] {
        assert!(
            site.path(&format!("public/stories/att/{name}")).is_file(),
            "{name}"
        );
    }
    let long: Vec<String> = std::fs::read_dir(site.path("public/stories/att"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("关于开展") && name.ends_with(".docx"))
        .collect();
    assert_eq!(
        long.len(),
        1,
        "the long name is published, cut to fit: {long:?}"
    );
    let page = site.read("public/stories/att/index.html");
    assert!(page.contains("%231.png"), "`#` is encoded in the address");
    assert!(
        page.contains("%E9%80%9A%E7%9F%A5.pdf?dl=1#page=2"),
        "a query and a fragment stay on the published file's address"
    );
    assert_eq!(
        broken_links(
            &site.path("public"),
            "/volunteer/",
            "https://example.org/volunteer/"
        ),
        vec![]
    );
}

#[test]
fn an_output_that_is_a_link_stays_a_link() {
    let site = TestSite::fixture_in_folder("basic");
    let web_root = site.outside("www/html");
    std::fs::create_dir_all(&web_root).unwrap();
    std::fs::write(web_root.join("old.html"), "old").unwrap();
    symlink(&web_root, site.path("public")).unwrap();
    site.build().assert_ok();
    assert!(site.path("public").is_symlink(), "the link is kept");
    assert!(
        web_root.join("index.html").is_file(),
        "the site went where it leads"
    );
    assert!(!web_root.join("old.html").exists());
    assert_no_staging_left(site.root());
    assert_no_staging_left(&site.outside("www"));
}

#[test]
fn an_output_that_is_a_file_is_refused_and_nothing_is_left() {
    let site = TestSite::fixture("basic");
    site.write("public", "a file");
    let run = site.herald(&["--lang", "zh", "build"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr().contains("输出位置是一个文件"),
        "{}",
        run.stderr()
    );
    assert_eq!(site.read("public"), "a file");
    assert_no_staging_left(site.root());
}

#[test]
fn builds_into_one_output_at_once_take_turns() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let whole = snapshot(&site.path("public"));
    for round in 0..3 {
        // A different "today" each round, so that no build is skipped as up to date.
        let now = format!("2013-03-1{round}");
        let builds: Vec<std::process::Child> = (0..3)
            .map(|_| {
                std::process::Command::new(env!("CARGO_BIN_EXE_herald"))
                    .args([
                        "--root",
                        site.root().to_str().unwrap(),
                        "build",
                        "--now",
                        &now,
                    ])
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for build in builds {
            let output = build.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        assert_no_staging_left(site.root());
        let files: Vec<String> = snapshot(&site.path("public"))
            .into_iter()
            .map(|f| f.0)
            .collect();
        let expected: Vec<String> = whole.iter().map(|f| f.0.clone()).collect();
        assert_eq!(files, expected, "round {round}: the output is whole");
    }
}

/// The inputs that once wrote at the file system's root or over a section's index, each
/// with where its page is now.
#[test]
fn slugs_and_titles_that_made_no_path_get_one_of_their_own() {
    let site = TestSite::fixture_in_folder("basic");
    site.write(
        "content/evil.md",
        "---\ntitle: 攻击\nslug: \"/\"\n---\n![合影](zz.png)\n",
    );
    std::fs::copy(
        site.path("content/galleries/spring/01.png"),
        site.path("content/zz.png"),
    )
    .unwrap();
    site.write("content/关于.md", "---\ntitle: \"？？？\"\n---\n关于\n");
    site.write(
        "content/stories/标点.md",
        "---\ntitle: \"！？。，\"\ndate: 2013-03-01\n---\n一\n",
    );
    site.write(
        "content/stories/片假名.md",
        "---\ntitle: ボランティア\ndate: 2013-03-02\n---\n二\n",
    );
    let official = "关于开展二〇二四年度全市新时代文明实践志愿服务暨学雷锋志愿服务月系列主题宣传活动的实施方案";
    site.write(
        &format!("content/plans/{official}.md"),
        &format!("---\ntitle: {official}\ndate: 2013-03-03\n---\n三\n"),
    );
    let check = site.herald(&["check"]);
    assert_eq!(check.code(), 0, "{}", check.stderr());
    site.build().assert_ok();

    assert!(site.path("public/evil/index.html").is_file());
    assert!(site.path("public/evil/zz.png").is_file());
    assert!(!site.outside("zz.png").exists() && !Path::new("/zz.png").exists());
    let hashed = |folder: &str| -> Vec<String> {
        std::fs::read_dir(site.path(folder))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.len() == 8 && name.bytes().all(|b| b.is_ascii_hexdigit()))
            .collect()
    };
    assert_eq!(hashed("public").len(), 1, "？？？ has a page of its own");
    assert_eq!(
        hashed("public/stories").len(),
        2,
        "each story has a page of its own"
    );
    let plan: Vec<String> = std::fs::read_dir(site.path("public/plans"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("guan-yu-kai-zhan"))
        .collect();
    assert_eq!(plan.len(), 1);
    assert!(plan[0].len() <= 80, "{}", plan[0]);
}

#[test]
fn a_published_file_swapped_for_a_link_out_is_not_served() {
    let site = TestSite::fixture_in_folder("basic");
    std::fs::write(site.outside("secret.txt"), "TOP SECRET").unwrap();
    site.write("content/plans/a.txt", "hello attachment");
    site.write(
        "content/plans/att.md",
        "---\ntitle: 附件\ndate: 2013-03-02\n---\n[下载](a.txt)\n",
    );
    let (server, _) = start(&site, &[]);
    let port = server.port;
    assert_eq!(
        get_text(port, "/plans/att/a.txt"),
        (200, "hello attachment".into())
    );
    for target in [site.outside("secret.txt"), PathBuf::from("/etc/passwd")] {
        std::fs::remove_file(site.path("content/plans/a.txt")).unwrap();
        symlink(&target, site.path("content/plans/a.txt")).unwrap();
        // Asked at once, before the preview has seen the change, and again after.
        for _ in 0..2 {
            let (status, body) = get_text(port, "/plans/att/a.txt");
            assert_eq!(status, 404, "{body}");
            assert!(!body.contains("SECRET") && !body.contains("root:"));
            std::thread::sleep(Duration::from_millis(300));
        }
    }
}

/// Tags whose slugs meet (homophones in pinyin, `C++` and `c`, a name that is another's
/// hash) keep a page each, and every item links to the page of its own tag.
#[test]
fn tags_that_share_a_slug_keep_a_page_each() {
    let site = TestSite::fixture("basic");
    // 学雷锋 is used twice, so it keeps its established address whatever else comes.
    let names = ["学雷锋", "雪雷锋", "C++", "c", "？", "614a6edb", "削雷锋"];
    site.write(
        "content/stories/also.md",
        "---\ntitle: 又一篇\ndate: 2013-03-09\ntags: ['学雷锋']\n---\n正文\n",
    );
    for (number, name) in names.iter().enumerate() {
        site.write(
            &format!("content/stories/t{number}.md"),
            &format!(
                "---\ntitle: 第{number}篇\ndate: 2013-03-0{}\ntags: ['{name}']\n---\n正文\n",
                number + 1
            ),
        );
    }
    site.build().assert_ok();
    let tag_pages: Vec<String> = std::fs::read_dir(site.path("public/tags"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("index.html").is_file() && path.file_name().unwrap() != "page")
        .map(|path| std::fs::read_to_string(path.join("index.html")).unwrap())
        .collect();
    for name in names {
        let heading = format!("标签：{name}");
        let pages = tag_pages
            .iter()
            .filter(|page| page.contains(&heading))
            .count();
        assert_eq!(pages, 1, "{name} has a page of its own");
    }
    for (number, name) in names.iter().enumerate() {
        let story = site.read(&format!("public/stories/t{number}/index.html"));
        let link = story
            .split("href=\"")
            .map(|rest| rest.split('"').next().unwrap())
            .find(|href| href.contains("/tags/") && !href.ends_with("/tags/"))
            .unwrap_or_else(|| panic!("t{number} links to its tag"));
        let path = link.trim_start_matches("/volunteer/");
        let page = site.read(&format!("public/{path}index.html"));
        assert!(
            page.contains(&format!("标签：{name}")),
            "t{number} → {link}"
        );
    }
    assert_eq!(
        broken_links(
            &site.path("public"),
            "/volunteer/",
            "https://example.org/volunteer/"
        ),
        vec![]
    );
}
