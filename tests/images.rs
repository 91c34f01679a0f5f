//! Images at the edges of what herald takes: a long screenshot builds into copies every
//! encoder accepts, and a failed write into the image cache is reported as what it is.

mod common;

use common::{TestSite, snapshot};
use herald::media::MAX_COPY_SIDE;

/// Writes a JPEG of `width`×`height` in bands 40 pixels high, so the copies have something
/// to show. Rows are copied, not computed: this test binary is not optimised.
fn write_jpeg(site: &TestSite, rel: &str, width: u32, height: u32) {
    let row = |green: u8| -> Vec<u8> {
        (0..width)
            .flat_map(|x| [(x % 256) as u8, green, 90])
            .collect()
    };
    let bands = [row(0), row(200)];
    let mut pixels = Vec::with_capacity(3 * width as usize * height as usize);
    for y in 0..height {
        pixels.extend_from_slice(&bands[(y / 40 % 2) as usize]);
    }
    image::save_buffer_with_format(
        site.path(rel),
        &pixels,
        width,
        height,
        image::ColorType::Rgb8,
        image::ImageFormat::Jpeg,
    )
    .unwrap();
}

#[test]
fn a_long_screenshot_keeps_full_width_copies_in_jpeg_and_no_webp() {
    let site = TestSite::fixture("basic");
    write_jpeg(&site, "content/galleries/spring/03.jpg", 750, 20_000);
    site.build().assert_ok();
    let mut copies = Vec::new();
    for entry in std::fs::read_dir(site.path("public/galleries/spring")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.starts_with("03-") {
            let copy = image::open(site.path(&format!("public/galleries/spring/{name}")))
                .unwrap_or_else(|e| panic!("{name} does not decode: {e}"));
            assert!(
                copy.width() <= MAX_COPY_SIDE && copy.height() <= MAX_COPY_SIDE,
                "{name}: {}×{}",
                copy.width(),
                copy.height()
            );
            copies.push((name, copy.width(), copy.height()));
        }
    }
    copies.sort();
    // Taller than WebP's 16,383 pixels: JPEG copies only, the larger at full width, so the
    // screenshot's text stays as sharp as it was.
    assert_eq!(
        copies,
        [
            ("03-480w.jpg".to_string(), 480, 12_800),
            ("03-750w.jpg".to_string(), 750, 20_000),
        ]
    );
    let gallery = site.read("public/galleries/spring/index.html");
    assert!(
        gallery.contains("03-750w.jpg 750w"),
        "the page offers the copy"
    );
    let picture = &gallery[gallery.find("03-480w.jpg").unwrap() - 300..];
    let picture = &picture[..picture.find("</picture>").unwrap()];
    assert!(!picture.contains("image/webp"), "{picture}");
    assert!(picture.contains("loading=\"lazy\""), "{picture}");
    // Marked tall: its thumbnail shows its top, and the lightbox scrolls it at a readable
    // width.
    assert_eq!(gallery.matches("data-tall").count(), 1, "{gallery}");
}

#[test]
fn a_failed_write_into_the_image_cache_names_the_cache_not_the_photo() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let before = snapshot(&site.path("public"));
    // A new photo must be processed, and the cache's folder is a file.
    write_jpeg(&site, "content/galleries/spring/03.jpg", 64, 48);
    std::fs::remove_dir_all(site.path(".herald-cache/images")).unwrap();
    std::fs::write(site.path(".herald-cache/images"), "not a folder").unwrap();
    let run = site.build();
    assert_eq!(run.code(), 1);
    let stderr = run.stderr();
    assert!(
        stderr.contains("error: .herald-cache/images: could not create the file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: a part of the path is a file"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("cannot be read"),
        "the photo is fine: {stderr}"
    );
    assert_eq!(snapshot(&site.path("public")), before);
}
