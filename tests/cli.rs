//! The command line around the build: check, new, init, output safety and exit codes.

mod common;

use common::TestSite;

#[test]
fn check_validates_and_writes_nothing() {
    let site = TestSite::fixture("basic");
    let run = site.herald(&["check", "--now", "2013-03-06"]);
    run.assert_ok();
    assert!(
        run.stdout().contains("check passed: 2 campaigns"),
        "{}",
        run.stdout()
    );
    assert!(!site.path("public").exists());
    site.write("content/plans/bad.md", "---\ntitle: x\ndate: 明天\n---\n");
    assert_eq!(site.herald(&["check"]).code(), 1);
}

#[test]
fn usage_errors_exit_2() {
    let site = TestSite::fixture("basic");
    assert_eq!(site.herald(&["build", "--now", "2013-3-6x"]).code(), 2);
    assert_eq!(site.herald(&["publish"]).code(), 2);
    assert_eq!(site.herald(&["new", "poster", "标题"]).code(), 2);
}

#[test]
fn refuses_to_build_over_the_sources() {
    let site = TestSite::fixture("basic");
    for output in ["content", ".", "static"] {
        let run = site.herald(&["build", "--output", output]);
        assert_eq!(run.code(), 1, "{output}");
        assert!(
            run.stderr().contains("refusing to build into"),
            "{}",
            run.stderr()
        );
    }
    assert!(
        site.path("content/plans/honghu.md").is_file(),
        "content is untouched"
    );
}

#[test]
fn not_a_site_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_herald"))
        .arg("--root")
        .arg(dir.path())
        .args(["--lang", "en", "build"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("there is no site.yaml here"));
}

#[test]
fn new_creates_from_the_archetype_and_never_overwrites() {
    let site = TestSite::fixture("basic");
    let run = site.herald(&["new", "initiative", "学雷锋志愿服务倡议书"]);
    run.assert_ok();
    let path = "content/initiatives/xue-lei-feng-zhi-yuan-fu-wu-chang-yi-shu.md";
    let text = site.read(path);
    assert!(text.contains("title: 学雷锋志愿服务倡议书"));
    assert!(text.contains("# 称呼"));
    let again = site.herald(&["new", "initiative", "学雷锋志愿服务倡议书"]);
    assert_eq!(again.code(), 1);
    assert!(again.stderr().contains("already exists"));
    assert_eq!(site.read(path), text);
    site.herald(&["new", "gallery", "春季植树相册"]).assert_ok();
    assert!(
        site.path("content/galleries/chun-ji-zhi-shu-xiang-ce/index.md")
            .is_file()
    );
    site.build().assert_ok();
    assert!(
        site.path("public/initiatives/xue-lei-feng-zhi-yuan-fu-wu-chang-yi-shu/index.html")
            .is_file()
    );
}

#[test]
fn init_makes_a_site_that_builds_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let herald = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_herald"))
            .arg("--root")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    assert!(herald(&["init", "mysite"]).status.success());
    let site = dir.path().join("mysite");
    let build = std::process::Command::new(env!("CARGO_BIN_EXE_herald"))
        .arg("--root")
        .arg(&site)
        .arg("build")
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(
        site.join("public/campaigns/example-campaign/index.html")
            .is_file()
    );
    assert!(site.join("public/plans/example-plan/index.html").is_file());
    assert!(
        site.join("public/style.css").is_file(),
        "the built-in theme's files are written"
    );
    assert_eq!(
        herald(&["init", "mysite"]).status.code(),
        Some(1),
        "refuses a folder with files"
    );
}
