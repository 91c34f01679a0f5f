//! Replays the fuzz targets' committed seeds (`tests/fuzz/seeds/`, including every input
//! that once failed) through the very checks the targets run, so a plain `cargo test`
//! keeps them passing without libFuzzer. See `tests/fuzz/README.md`.

use std::fs;
use std::path::Path;

#[path = "fuzz/src/lib.rs"]
mod checks;

fn replay(target: &str, check: fn(&[u8])) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/seeds")
        .join(target);
    let mut count = 0;
    for entry in fs::read_dir(&folder).expect("the seeds folder") {
        let path = entry.expect("a seed").path();
        let input = fs::read(&path).expect("a readable seed");
        eprintln!("{}", path.display());
        check(&input);
        count += 1;
    }
    assert!(count > 0, "no seeds in {}", folder.display());
}

#[test]
fn front_matter_seeds() {
    replay("front_matter", checks::front_matter);
}

#[test]
fn document_seeds() {
    replay("document", checks::document);
}

#[test]
fn date_seeds() {
    replay("date", checks::date);
}

#[test]
fn slug_seeds() {
    replay("slug", checks::slug);
}

#[test]
fn markdown_seeds() {
    replay("markdown", checks::markdown);
}

#[test]
fn summary_seeds() {
    replay("summary", checks::summary);
}

#[test]
fn image_seeds() {
    replay("image", checks::image);
}
