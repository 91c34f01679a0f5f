//! A build killed with SIGKILL at any moment leaves a whole output behind: the
//! previous one or the new one, never a mix, never none; and the next build is
//! not misled by anything the killed one left.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{TestSite, assert_no_staging_left, snapshot};

/// Enough pages that a build takes long enough to be killed in the middle.
const STORIES: usize = 300;

fn write_version(site: &TestSite, version: &str) {
    for n in 0..STORIES {
        site.write(
            &format!("content/stories/s{n:03}.md"),
            &format!(
                "---\ntitle: 第{n}位志愿者（{version}）\ndate: 2013-03-{:02}\ntags: [敬老]\n---\n{}\n\n## 经过\n\n{version}稿的正文。\n",
                n % 28 + 1,
                "志愿服务进社区，".repeat(40)
            ),
        );
    }
}

fn start_build(site: &TestSite) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_herald"))
        .arg("--root")
        .arg(site.root())
        .args(["build", "--now", "2013-03-06"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("herald starts")
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_output() {
    let site = TestSite::fixture("basic");
    let versions = ["甲", "乙"];
    let mut whole = Vec::new();
    let mut full_build = Duration::ZERO;
    for version in versions {
        write_version(&site, version);
        let started = Instant::now();
        site.build().assert_ok();
        full_build = full_build.max(started.elapsed());
        whole.push(snapshot(&site.path("public")));
    }
    assert_ne!(whole[0], whole[1]);

    // Kill points spread from the start to past the end of a build, each one
    // building the other version over whatever the last run left.
    let points = 16;
    let mut kept_previous = 0;
    for point in 0..points {
        let target = point % 2;
        write_version(&site, versions[target]);
        let before = snapshot(&site.path("public"));
        let mut child = start_build(&site);
        std::thread::sleep(full_build * point as u32 / (points as u32 - 4));
        let _ = child.kill();
        child.wait().expect("the killed build is reaped");
        let after = snapshot(&site.path("public"));
        kept_previous += usize::from(after == before);
        assert!(
            after == before || after == whole[target],
            "kill point {point} of {points}: the output is neither the previous one nor the new one"
        );
    }

    eprintln!(
        "{kept_previous} of {points} killed builds left the previous output, the others finished"
    );

    // What the killed builds left behind does not spoil the next build.
    for (version, expected) in versions.iter().zip(&whole) {
        write_version(&site, version);
        site.build().assert_ok();
        assert!(
            snapshot(&site.path("public")) == *expected,
            "a build after the kills gives the same output as before them"
        );
    }
    assert_no_staging_left(site.root());
}
