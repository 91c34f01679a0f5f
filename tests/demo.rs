//! The repository's own demo site: it checks clean, builds whole, and every link in it works.

mod common;

use common::{broken_links, copy_dir};

#[test]
fn the_demo_site_builds_and_every_link_resolves() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tempfile::tempdir().unwrap();
    for part in ["content", "themes"] {
        copy_dir(&root.join(part), &site.path().join(part));
    }
    std::fs::copy(root.join("site.yaml"), site.path().join("site.yaml")).unwrap();
    let herald = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_herald"))
            .arg("--root")
            .arg(site.path())
            .args(["--lang", "en"])
            .args(args)
            .output()
            .unwrap()
    };
    let check = herald(&["check", "--now", "2013-03-06"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains("12 plans, 1 initiative, 1 story, 2 galleries"),
        "{stdout}"
    );

    let build = herald(&["build", "--now", "2013-03-06"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let public = site.path().join("public");
    let broken = broken_links(&public, "/", "https://example.org/");
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    let campaign =
        std::fs::read_to_string(public.join("campaigns/xue-leifeng-2013/index.html")).unwrap();
    assert!(
        campaign.contains("进行中"),
        "the 2013 学雷锋 campaign is ongoing on 2013-03-06"
    );
    let gallery =
        std::fs::read_to_string(public.join("galleries/shanye-fengguang/index.html")).unwrap();
    assert!(gallery.contains("srcset="), "photos come in several sizes");
    assert!(gallery.contains(".webp "), "and in WebP");
    let letter =
        std::fs::read_to_string(public.join("initiatives/yiyang-xue-leifeng/index.html")).unwrap();
    for tag in [
        r#"<meta property="og:image" content="https://example.org/logo.png">"#,
        r#"<link rel="canonical" href="https://example.org/initiatives/yiyang-xue-leifeng/">"#,
        r#"<meta property="og:title" content="关于开展学雷锋义工服务系列活动的倡议书">"#,
    ] {
        assert!(letter.contains(tag), "{tag}");
    }
    let logo = image::image_dimensions(public.join("logo.png")).unwrap();
    assert!(
        logo.0 >= 300 && logo.1 >= 300,
        "a sharing image of at least 300×300 px"
    );
}
