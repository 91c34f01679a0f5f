//! The bad-input corpus: each folder of `tests/bad-input/` is one mistake an author makes.
//! Its `case.yaml` says what it is, the exit code, and words the English and Chinese
//! messages must hold; its `files/` are laid over the `basic` fixture. Every failing case
//! must also give a hint and leave the previous output exactly as it was. See
//! `tests/README.md` to add a case.

mod common;

use std::path::Path;

use common::{TestSite, copy_dir, snapshot};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    about: String,
    exit: i32,
    en: Vec<String>,
    zh: Vec<String>,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    generate: Option<Generate>,
}

/// Inputs too large or too strange to keep as files.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Generate {
    truncated_jpeg: Option<String>,
    huge: Option<String>,
    symlink_loop: Option<String>,
}

fn generate(site: &TestSite, what: &Generate) {
    if let Some(path) = &what.truncated_jpeg {
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageRgb8(image::RgbImage::new(64, 48))
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        jpeg.truncate(jpeg.len() / 2);
        std::fs::write(site.path(path), jpeg).unwrap();
    }
    if let Some(path) = &what.huge {
        let line = "志愿服务".repeat(100) + "\n";
        let text = format!(
            "---\ntitle: 很大的文件\ndate: 2013-03-01\n---\n{}",
            line.repeat(50 * 1024 * 1024 / line.len())
        );
        std::fs::write(site.path(path), text).unwrap();
    }
    if let Some(path) = &what.symlink_loop {
        std::os::unix::fs::symlink("..", site.path(path)).unwrap();
    }
}

/// Runs one case; returns what went wrong, if anything.
fn run(folder: &Path) -> Vec<String> {
    let name = folder.file_name().unwrap().to_string_lossy().into_owned();
    let case: Case =
        serde_yaml::from_str(&std::fs::read_to_string(folder.join("case.yaml")).unwrap())
            .unwrap_or_else(|e| panic!("{name}/case.yaml: {e}"));
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let before = snapshot(&site.path("public"));
    if folder.join("files").is_dir() {
        copy_dir(&folder.join("files"), site.root());
    }
    for path in &case.remove {
        std::fs::remove_file(site.path(path)).unwrap();
    }
    if let Some(what) = &case.generate {
        generate(&site, what);
    }
    let sources = unchanged_marks(&site.path("content"));
    let mut problems = Vec::new();
    for (lang, words, hint) in [("en", &case.en, "hint: "), ("zh", &case.zh, "提示: ")] {
        let mut args = vec!["--lang", lang, "build", "--now", "2013-03-06"];
        // A second build of unchanged input into the same folder does nothing, warnings
        // included: give each language its own folder when the build succeeds.
        if case.exit == 0 {
            args.extend([
                "--output",
                if lang == "en" {
                    "public-en"
                } else {
                    "public-zh"
                },
            ]);
        }
        args.extend(case.args.iter().map(String::as_str));
        let run = site.herald(&args);
        let stderr = run.stderr();
        if run.code() != case.exit {
            problems.push(format!(
                "{name} ({}) [{lang}]: exit {} instead of {}\n{stderr}",
                case.about,
                run.code(),
                case.exit
            ));
            continue;
        }
        for word in words {
            if !stderr.contains(word.as_str()) {
                problems.push(format!("{name} [{lang}]: {word:?} not in:\n{stderr}"));
            }
        }
        if case.exit != 0 {
            if !stderr.contains(hint) {
                problems.push(format!("{name} [{lang}]: no hint in:\n{stderr}"));
            }
            if stderr.contains("panicked") || stderr.contains("internal error") {
                problems.push(format!(
                    "{name} [{lang}]: a crash, not a message:\n{stderr}"
                ));
            }
            if snapshot(&site.path("public")) != before {
                problems.push(format!("{name} [{lang}]: the previous output changed"));
            }
        }
    }
    if unchanged_marks(&site.path("content")) != sources {
        problems.push(format!("{name}: a file in content/ was written"));
    }
    problems
}

/// Each file's path, size and modification time: any write changes them.
fn unchanged_marks(dir: &Path) -> Vec<(String, u64, std::time::SystemTime)> {
    let mut marks: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let meta = entry.metadata().ok()?;
            Some((
                entry.path().display().to_string(),
                meta.len(),
                meta.modified().ok()?,
            ))
        })
        .collect();
    marks.sort();
    marks
}

#[test]
fn every_bad_input_gets_a_clear_error_and_leaves_the_output_alone() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-input");
    let mut folders: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("case.yaml").is_file())
        .collect();
    folders.sort();
    assert!(
        folders.len() >= 40,
        "the corpus has {} cases",
        folders.len()
    );
    let problems: Vec<String> = folders.iter().flat_map(|folder| run(folder)).collect();
    assert!(
        problems.is_empty(),
        "{} problems:\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}
