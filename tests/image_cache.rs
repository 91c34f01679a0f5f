//! The image cache is looked up by file facts: a rebuild opens no photo it has already
//! seen unchanged, opens again exactly those that changed, and whatever edits come in
//! whatever order, the site is the one a build with no cache makes.

mod common;

use common::{TestSite, copy_dir, snapshot};

/// A photo-like JPEG or PNG whose pixels depend on `seed`.
fn photo(site: &TestSite, rel: &str, seed: u32) {
    let pixels = image::RgbImage::from_fn(120 + seed % 7, 90, |x, y| {
        image::Rgb([(x * seed) as u8, (y + seed) as u8, (x ^ y) as u8])
    });
    pixels.save(site.path(rel)).unwrap();
}

/// Waits until files changed now count as settled: one changed within the last seconds
/// is read again at the next build, in case it changes again within one clock tick.
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(3100));
}

const PHOTOS: [&str; 3] = [
    "content/galleries/spring/03.jpg",
    "content/galleries/spring/04.png",
    "content/stories/visit.jpg",
];

fn site_with_photos() -> TestSite {
    let site = TestSite::fixture("basic");
    for (seed, rel) in PHOTOS.iter().enumerate() {
        photo(&site, rel, seed as u32 + 3);
    }
    let story = site.read("content/stories/jinglaoyuan.md");
    site.write(
        "content/stories/jinglaoyuan.md",
        &format!("{story}\n![看望老人](visit.jpg)\n"),
    );
    site
}

/// Which of the site's photos are opened while `run` runs.
#[cfg(target_os = "linux")]
fn photos_opened(site: &TestSite, run: impl FnOnce()) -> Vec<&'static str> {
    use inotify::{Inotify, WatchMask};
    let mut inotify = Inotify::init().unwrap();
    let watches: Vec<_> = PHOTOS
        .iter()
        .map(|rel| {
            let watch = inotify
                .watches()
                .add(site.path(rel), WatchMask::OPEN)
                .unwrap();
            (watch, *rel)
        })
        .collect();
    run();
    let mut buffer = [0; 4096];
    let mut opened: Vec<&str> = match inotify.read_events(&mut buffer) {
        Ok(events) => events
            .filter_map(|event| {
                watches
                    .iter()
                    .find(|(watch, _)| *watch == event.wd)
                    .map(|(_, rel)| *rel)
            })
            .collect(),
        Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => Vec::new(),
        Err(error) => panic!("{error}"),
    };
    opened.sort();
    opened.dedup();
    opened
}

#[cfg(target_os = "linux")]
#[test]
fn a_rebuild_opens_only_the_photos_that_changed() {
    let site = site_with_photos();
    settle();
    site.build().assert_ok();
    let first = snapshot(&site.path("public"));
    // Published pictures are the cache's files under a second name, and read-only, so that
    // an edit in place of the output cannot reach the cache.
    let published = std::fs::metadata(site.path("public/galleries/spring/03.jpg")).unwrap();
    assert!(published.permissions().readonly());
    assert_eq!(std::os::unix::fs::MetadataExt::nlink(&published), 2);

    // A text edit: no photo is opened, and the pictures published are the same.
    let plan = site.read("content/plans/honghu.md");
    site.write("content/plans/honghu.md", &format!("{plan}\n补充一句。\n"));
    let opened = photos_opened(&site, || {
        site.build().assert_ok();
    });
    assert_eq!(opened, Vec::<&str>::new(), "a text edit opens no photo");
    let pictures = |files: &[(String, Vec<u8>)]| -> Vec<(String, Vec<u8>)> {
        files
            .iter()
            .filter(|(rel, _)| {
                [".jpg", ".png", ".webp"]
                    .iter()
                    .any(|ext| rel.ends_with(ext))
            })
            .cloned()
            .collect()
    };
    assert_eq!(pictures(&snapshot(&site.path("public"))), pictures(&first));

    // One photo replaced: that one is read again, and its copies change.
    photo(&site, PHOTOS[0], 10);
    settle();
    let opened = photos_opened(&site, || {
        site.build().assert_ok();
    });
    assert_eq!(opened, vec![PHOTOS[0]]);
    assert_ne!(
        std::fs::read(site.path("public/galleries/spring/03-123w.jpg")).unwrap(),
        first
            .iter()
            .find(|(rel, _)| rel == "galleries/spring/03-123w.jpg")
            .unwrap()
            .1
    );
}

/// A small deterministic generator, so a failing sequence can be replayed by its seed.
struct Steps(u64);

impl Steps {
    fn next(&mut self, below: u32) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % u64::from(below)) as u32
    }
}

#[test]
fn whatever_changes_come_the_cached_build_equals_a_build_without_cache() {
    for seed in [1u64, 7, 2024] {
        let site = site_with_photos();
        site.build().assert_ok();
        let mut steps = Steps(seed);
        let mut log = Vec::new();
        for _ in 0..4 {
            let photo_rel = PHOTOS[steps.next(PHOTOS.len() as u32) as usize];
            match steps.next(5) {
                // New pixels, maybe the same size.
                0 => photo(&site, photo_rel, steps.next(9) + 1),
                // Touched: the same bytes, a new time.
                1 => {
                    let bytes = std::fs::read(site.path(photo_rel)).unwrap();
                    std::fs::write(site.path(photo_rel), bytes).unwrap();
                }
                // Swapped with another photo of the site.
                2 => {
                    let other = PHOTOS
                        [(PHOTOS.iter().position(|p| *p == photo_rel).unwrap() + 1) % PHOTOS.len()];
                    let (a, b) = (site.path(photo_rel), site.path(other));
                    let held = site.path("held");
                    std::fs::rename(&a, &held).unwrap();
                    std::fs::rename(&b, &a).unwrap();
                    std::fs::rename(&held, &b).unwrap();
                }
                // A text edit.
                3 => {
                    let plan = site.read("content/plans/honghu.md");
                    site.write("content/plans/honghu.md", &format!("{plan}\n又一句。\n"));
                }
                // The cache's index lost.
                _ => {
                    let _ = std::fs::remove_file(site.path(".herald-cache/images/index.json"));
                }
            }
            log.push(photo_rel);
            site.build().assert_ok();
        }
        // The same sources in a new folder, with no cache.
        let fresh = TestSite::fixture("basic");
        std::fs::remove_dir_all(fresh.path("content")).unwrap();
        copy_dir(&site.path("content"), &fresh.path("content"));
        fresh.build().assert_ok();
        assert!(
            snapshot(&site.path("public")) == snapshot(&fresh.path("public")),
            "seed {seed}: {log:?}"
        );
    }
}

#[test]
fn a_picture_changed_through_the_output_is_made_again_not_published_again() {
    use std::io::Write;
    let site = site_with_photos();
    settle();
    site.build().assert_ok();
    let published = site.path("public/galleries/spring/03-123w.jpg");
    let good = std::fs::read(&published).unwrap();
    // An optimiser run in place on the output: the published file is a link to the
    // cache's, and read-only does not stop its owner from making it writable.
    let mut permissions = std::fs::metadata(&published).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&published, permissions).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::OpenOptions::new()
        .write(true)
        .open(&published)
        .unwrap()
        .write_all(b"\xFF\xD8 not the copy herald made")
        .unwrap();
    let plan = site.read("content/plans/honghu.md");
    site.write("content/plans/honghu.md", &format!("{plan}\n补充。\n"));
    site.build().assert_ok();
    assert_eq!(std::fs::read(&published).unwrap(), good);
}
