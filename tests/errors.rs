//! Bad input: each error names file:line, says how to fix it, exits 1, and leaves the
//! previous output exactly as it was.

mod common;

use std::process::Command;

use common::{TestSite, assert_no_staging_left, snapshot};

/// Builds once, breaks the site with `edit`, builds again, and checks the failure.
fn fails_cleanly(edit: impl FnOnce(&TestSite), expected: &[&str]) -> String {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let before = snapshot(&site.path("public"));
    edit(&site);
    let run = site.build();
    assert_eq!(
        run.code(),
        1,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout(),
        run.stderr()
    );
    let stderr = run.stderr();
    for words in expected {
        assert!(stderr.contains(words), "expected {words:?} in:\n{stderr}");
    }
    assert!(
        stderr.contains("hint: "),
        "every error has a hint:\n{stderr}"
    );
    assert_eq!(
        before,
        snapshot(&site.path("public")),
        "the previous output changed"
    );
    assert_no_staging_left(site.root());
    stderr
}

#[test]
fn broken_yaml_gives_file_line_and_keeps_the_old_site() {
    let stderr = fails_cleanly(
        |site| {
            site.write(
                "content/plans/honghu.md",
                "---\ntitle: 洪湖\ndate: 2013-03-02\ntags: [学雷锋\n---\n正文\n",
            )
        },
        &["error: content/plans/honghu.md:5", "the YAML is not valid"],
    );
    assert!(stderr.contains(" | "), "the line is quoted:\n{stderr}");
}

#[test]
fn impossible_date_is_named_with_the_accepted_forms() {
    fails_cleanly(
        |site| {
            site.write(
                "content/initiatives/leifeng.md",
                "---\ntitle: 倡议书\ndate: 2013年2月30日\n---\n正文\n",
            )
        },
        &[
            "content/initiatives/leifeng.md:3:7: `2013年2月30日` is not a date herald understands",
            "2013/2/22",
        ],
    );
}

#[test]
fn unclosed_front_matter() {
    fails_cleanly(
        |site| {
            site.write(
                "content/stories/jinglaoyuan.md",
                "---\ntitle: 敬老院\ndate: 2013-03-10\n正文\n",
            )
        },
        &["content/stories/jinglaoyuan.md:1:1: the front matter opened with `---` is never closed"],
    );
}

#[test]
fn missing_title_and_date() {
    fails_cleanly(
        |site| {
            site.write(
                "content/stories/jinglaoyuan.md",
                "---\ndate: 2013-03-10\n---\n正文\n",
            )
        },
        &["content/stories/jinglaoyuan.md:1:1: the required field `title` is missing"],
    );
    fails_cleanly(
        |site| {
            site.write(
                "content/stories/jinglaoyuan.md",
                "---\ntitle: 敬老院\n---\n正文\n",
            )
        },
        &["the required field `date` is missing"],
    );
}

#[test]
fn wrong_type_names_the_field() {
    fails_cleanly(
        |site| {
            site.write(
                "content/stories/jinglaoyuan.md",
                "---\ntitle: 敬老院\ndate: 2013-03-10\ntags: 一个字符串\n---\n",
            )
        },
        &["content/stories/jinglaoyuan.md:4", "tags: invalid type"],
    );
}

#[test]
fn unknown_campaign_lists_the_known_ids() {
    fails_cleanly(
        |site| {
            site.write(
                "content/stories/jinglaoyuan.md",
                "---\ntitle: 敬老院\ndate: 2013-03-10\ncampaign: leifeng-2031\n---\n",
            )
        },
        &[
            "content/stories/jinglaoyuan.md:4:11: there is no campaign with the id `leifeng-2031`; known campaigns: leifeng-2013, qiye-2011",
        ],
    );
}

#[test]
fn unknown_kind() {
    fails_cleanly(
        |site| site.write("content/poster.md", "---\ntitle: 海报\ntype: poster\n---\n"),
        &[
            "content/poster.md:3:7: unknown type `poster`",
            "plan, initiative, story, gallery or page",
        ],
    );
}

#[test]
fn two_files_on_one_url_are_both_named() {
    fails_cleanly(
        |site| {
            site.write(
                "content/方案/honghu.md",
                "---\ntitle: 另一个洪湖方案\ndate: 2013-03-02\n---\n",
            )
        },
        &[
            "would both be published at /plans/honghu/",
            "content/plans/honghu.md",
            "content/方案/honghu.md",
        ],
    );
}

#[test]
fn link_to_a_missing_file_gives_its_line() {
    fails_cleanly(
        |site| {
            site.write("content/stories/jinglaoyuan.md", "---\ntitle: 敬老院\ndate: 2013-03-10\n---\n第一段\n\n见[旧方案](../plans/old.md)\n")
        },
        &[
            "content/stories/jinglaoyuan.md:7:1: the link points to `../plans/old.md`, which does not exist",
        ],
    );
}

#[test]
fn missing_cover_and_photo() {
    fails_cleanly(
        |site| {
            site.write(
                "content/stories/jinglaoyuan.md",
                "---\ntitle: 敬老院\ndate: 2013-03-10\ncover: cover.jpg\n---\n",
            )
        },
        &["content/stories/jinglaoyuan.md:4:8: the image `cover.jpg` cannot be found"],
    );
    fails_cleanly(
        |site| {
            site.write("content/galleries/spring/index.md", "---\ntitle: 春\ndate: 2013-03-12\nphotos:\n  - src: 01.png\n  - src: 09.png\n---\n")
        },
        &["content/galleries/spring/index.md:6:10: the image `09.png` cannot be found"],
    );
}

#[test]
fn template_error_names_the_template_line() {
    fails_cleanly(
        |site| {
            site.write("templates/story.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.no_such_field }}\n{% endblock content %}\n");
        },
        &["templates/story.html:3", "template error"],
    );
    fails_cleanly(
        |site| site.write("templates/page.html", "{% if %}\n"),
        &["templates/page.html:1", "template error"],
    );
}

#[test]
fn missing_theme_lists_the_themes() {
    fails_cleanly(
        |site| {
            std::fs::create_dir_all(site.path("themes/plain")).unwrap();
            site.write(
                "site.yaml",
                &site
                    .read("site.yaml")
                    .replace("paginate: 2", "paginate: 2\ntheme: fancy"),
            );
        },
        &["site.yaml:6:8: the theme `fancy` is not in themes/; available: plain"],
    );
}

#[test]
fn non_utf8_file_says_how_to_convert() {
    fails_cleanly(
        |site| {
            std::fs::write(
                site.path("content/stories/gbk.md"),
                b"---\ntitle: \xc4\xe3\xba\xc3\ndate: 2013-03-01\n---\n",
            )
            .unwrap()
        },
        &[
            "content/stories/gbk.md: the file is not UTF-8 text",
            "UTF-8",
        ],
    );
}

#[test]
fn several_errors_are_reported_together() {
    let stderr = fails_cleanly(
        |site| {
            site.write("content/stories/a.md", "---\ntitle: a\n---\n");
            site.write("content/stories/b.md", "---\ndate: 2013-01-01\n---\n");
        },
        &["content/stories/a.md", "content/stories/b.md"],
    );
    assert_eq!(stderr.matches("error: ").count(), 2);
}

#[test]
fn bom_and_crlf_simply_work() {
    let site = TestSite::fixture("basic");
    std::fs::write(
        site.path("content/stories/windows.md"),
        "\u{feff}---\r\ntitle: 记事本保存的事迹\r\ndate: 2013-03-08\r\n---\r\n正文一段。\r\n",
    )
    .unwrap();
    site.build().assert_ok();
    assert!(
        site.read("public/stories/windows/index.html")
            .contains("<p>正文一段。</p>")
    );
}

#[test]
fn chinese_messages_follow_the_locale_or_the_flag() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/stories/jinglaoyuan.md",
        "---\ntitle: 敬老院\ndate: 2013年2月30日\n---\n",
    );
    let run = site.herald(&["--lang", "zh", "build", "--now", "2013-03-06"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr()
            .contains("错误: content/stories/jinglaoyuan.md:3:7: 无法识别的日期 `2013年2月30日`"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("提示: "));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_herald"))
        .args(["--root"])
        .arg(site.root())
        .args(["build", "--now", "2013-03-06"])
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("无法识别的日期"));
}

#[test]
fn a_full_disk_is_reported_with_the_file_and_keeps_the_old_site() {
    // `ulimit -f` makes every write past 8 blocks fail the way a full disk does;
    // root is not exempt, so this holds wherever the tests run.
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let before = snapshot(&site.path("public"));
    site.write("content/about.md", "---\ntitle: 关于\n---\n改过的正文\n");
    let run = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -f 8; trap "" XFSZ; exec "$0" "$@""#)
        .arg(env!("CARGO_BIN_EXE_herald"))
        .arg("--root")
        .arg(site.root())
        .args(["build", "--now", "2013-03-06"])
        .env("LANG", "C")
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("/public/") && !stderr.contains(".herald-new-"),
        "the file is named by its place in the output:\n{stderr}"
    );
    assert!(stderr.contains("could not write the file"), "{stderr}");
    assert!(stderr.contains("hint: the disk is full"), "{stderr}");
    assert_eq!(
        before,
        snapshot(&site.path("public")),
        "the previous output changed"
    );
}

#[test]
fn an_output_folder_under_a_file_is_reported_with_its_path() {
    let site = TestSite::fixture("basic");
    site.write("blocker", "a file where a folder should be");
    let run = site.herald(&["build", "--output", "blocker/public"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(run.stderr().contains("blocker"), "{}", run.stderr());
    assert!(
        run.stderr().contains("hint: a part of the path is a file"),
        "{}",
        run.stderr()
    );
    assert_eq!(site.read("blocker"), "a file where a folder should be");
}
