//! No published image says where it was taken: every picture in the output — gallery
//! photos, covers, images in bodies, originals and resized copies, in every format — is
//! read back and holds no GPS field, no XMP, no camera data, unless `keep_metadata:` keeps
//! a field, and then only that one.

mod common;

use std::path::Path;

use common::TestSite;
use exif::{Field, In, Rational, Tag, Value};

const CAMERA: &[u8] = b"SecretPhone X";

/// A TIFF block as a phone writes it: orientation, camera, copyright and a position.
fn phone_exif(orientation: u16) -> Vec<u8> {
    let ascii = |tag, text: &[u8]| Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Ascii(vec![text.to_vec()]),
    };
    let degrees = |d: u32, m: u32| {
        Value::Rational(vec![
            Rational::from((d, 1)),
            Rational::from((m, 1)),
            Rational::from((0, 1)),
        ])
    };
    let fields = [
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![orientation]),
        },
        ascii(Tag::Make, CAMERA),
        ascii(Tag::Copyright, b"Volunteer Association"),
        ascii(Tag::DateTimeOriginal, b"2013:03:12 09:30:00"),
        ascii(Tag::GPSLatitudeRef, b"N"),
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: degrees(39, 54),
        },
        ascii(Tag::GPSLongitudeRef, b"E"),
        Field {
            tag: Tag::GPSLongitude,
            ifd_num: In::PRIMARY,
            value: degrees(116, 23),
        },
    ];
    let mut writer = exif::experimental::Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut tiff = std::io::Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    tiff.into_inner()
}

const XMP: &[u8] = b"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><exif:GPSLatitude>39,54N</exif:GPSLatitude></x:xmpmeta>";

/// A picture of `width`×`height` in `format`, with a phone's EXIF and XMP.
fn phone_photo(format: image::ImageFormat, width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 7) as u8, (y * 5) as u8, 120])
    });
    let mut plain = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut std::io::Cursor::new(&mut plain), format)
        .unwrap();
    let exif = Some(img_parts::Bytes::from(phone_exif(orientation)));
    let xmp = img_parts::Bytes::from([b"http://ns.adobe.com/xap/1.0/\0".as_slice(), XMP].concat());
    match format {
        image::ImageFormat::Jpeg => {
            let mut jpeg = img_parts::jpeg::Jpeg::from_bytes(plain.into()).unwrap();
            img_parts::ImageEXIF::set_exif(&mut jpeg, exif);
            let segment = img_parts::jpeg::JpegSegment::new_with_contents(0xE1, xmp);
            jpeg.segments_mut().insert(1, segment);
            jpeg.encoder().bytes().to_vec()
        }
        image::ImageFormat::Png => {
            let mut png = img_parts::png::Png::from_bytes(plain.into()).unwrap();
            img_parts::ImageEXIF::set_exif(&mut png, exif);
            let text = img_parts::png::PngChunk::new(
                *b"iTXt",
                [b"XML:com.adobe.xmp\0\0\0\0\0".as_slice(), XMP]
                    .concat()
                    .into(),
            );
            png.chunks_mut().insert(1, text);
            png.encoder().bytes().to_vec()
        }
        image::ImageFormat::WebP => {
            let mut webp = img_parts::webp::WebP::from_bytes(plain.into()).unwrap();
            img_parts::ImageEXIF::set_exif(&mut webp, exif);
            webp.chunks_mut().push(img_parts::riff::RiffChunk::new(
                *b"XMP ",
                img_parts::riff::RiffContent::Data(XMP.to_vec().into()),
            ));
            webp.encoder().bytes().to_vec()
        }
        other => panic!("{other:?}"),
    }
}

/// Puts phone photos everywhere a site shows pictures: a gallery (JPEG turned by its
/// orientation, PNG, WebP), a body image and a cover.
fn site_with_phone_photos(extra_config: &str) -> TestSite {
    use image::ImageFormat::{Jpeg, Png, WebP};
    let site = TestSite::fixture("basic");
    let put = |rel: &str, bytes: Vec<u8>| std::fs::write(site.path(rel), bytes).unwrap();
    put(
        "content/galleries/spring/03.jpg",
        phone_photo(Jpeg, 640, 480, 6),
    );
    put(
        "content/galleries/spring/04.png",
        phone_photo(Png, 300, 200, 1),
    );
    put(
        "content/galleries/spring/05.webp",
        phone_photo(WebP, 900, 600, 1),
    );
    put("content/stories/visit.jpg", phone_photo(Jpeg, 200, 150, 1));
    put("content/plans/cover.webp", phone_photo(WebP, 400, 300, 1));
    let story = site.read("content/stories/jinglaoyuan.md");
    site.write(
        "content/stories/jinglaoyuan.md",
        &format!("{story}\n![看望老人](visit.jpg)\n"),
    );
    let plan = site.read("content/plans/honghu.md");
    site.write(
        "content/plans/honghu.md",
        &plan.replacen("---\n", "---\ncover: cover.webp\n", 1),
    );
    let config = site.read("site.yaml");
    site.write("site.yaml", &format!("{config}{extra_config}"));
    site
}

/// Every picture in a built site, with its bytes.
fn published_pictures(output: &Path) -> Vec<(String, Vec<u8>)> {
    let mut pictures: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(output)
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
            [".jpg", ".jpeg", ".png", ".webp", ".gif"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .map(|entry| {
            let rel = entry
                .path()
                .strip_prefix(output)
                .unwrap()
                .display()
                .to_string();
            (rel, std::fs::read(entry.path()).unwrap())
        })
        .collect();
    pictures.sort();
    pictures
}

fn exif_of(bytes: &[u8]) -> Option<exif::Exif> {
    exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .ok()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// The EXIF tags a published picture carries.
fn tags_of(bytes: &[u8]) -> Vec<Tag> {
    exif_of(bytes)
        .map(|exif| exif.fields().map(|field| field.tag).collect())
        .unwrap_or_default()
}

#[test]
fn no_published_picture_keeps_a_position_or_any_metadata_but_its_orientation() {
    let site = site_with_phone_photos("");
    site.build().assert_ok();
    let pictures = published_pictures(&site.path("public"));
    for original in [
        "galleries/spring/03.jpg",
        "galleries/spring/04.png",
        "galleries/spring/05.webp",
        "stories/jinglaoyuan/visit.jpg",
        "plans/honghu/cover.webp",
    ] {
        assert!(
            pictures.iter().any(|(rel, _)| rel == original),
            "{original} is published: {:?}",
            pictures.iter().map(|(rel, _)| rel).collect::<Vec<_>>()
        );
    }
    assert!(
        pictures.len() >= 15,
        "originals and copies: {}",
        pictures.len()
    );
    for (rel, bytes) in &pictures {
        let tags = tags_of(bytes);
        assert!(
            tags.iter().all(|tag| *tag == Tag::Orientation),
            "{rel} keeps {tags:?}"
        );
        for secret in [CAMERA, b"xmpmeta", b"Volunteer Association", b"2013:03:12"] {
            assert!(
                !contains(bytes, secret),
                "{rel} keeps {}",
                String::from_utf8_lossy(secret)
            );
        }
        image::load_from_memory(bytes).unwrap_or_else(|e| panic!("{rel} no longer decodes: {e}"));
    }
    // The turned photo still shows upright: its original keeps the orientation, its copies
    // were turned.
    let original = &pictures
        .iter()
        .find(|(rel, _)| rel == "galleries/spring/03.jpg")
        .unwrap()
        .1;
    let orientation = exif_of(original).and_then(|exif| {
        exif.get_field(Tag::Orientation, In::PRIMARY)
            .and_then(|f| f.value.get_uint(0))
    });
    assert_eq!(orientation, Some(6));
    let copy = image::load_from_memory(
        &pictures
            .iter()
            .find(|(rel, _)| rel == "galleries/spring/03-480w.jpg")
            .unwrap()
            .1,
    )
    .unwrap();
    assert_eq!((copy.width(), copy.height()), (480, 640));
    // Share cards show the cover's largest JPEG copy, which every app reads.
    assert!(
        site.read("public/plans/honghu/index.html").contains(
            "og:image\" content=\"https://example.org/volunteer/plans/honghu/cover-400w.jpg\""
        ),
        "the share card's picture"
    );
    // The date taken was read before it was taken out: the gallery still knows it.
    assert!(
        site.read("public/galleries/spring/index.html")
            .contains("2013")
    );
}

#[test]
fn a_kept_field_is_the_only_one_kept() {
    let site = site_with_phone_photos("keep_metadata: [copyright]\n");
    site.build().assert_ok();
    for (rel, bytes) in published_pictures(&site.path("public")) {
        let tags = tags_of(&bytes);
        assert!(
            tags.iter()
                .all(|tag| matches!(*tag, Tag::Orientation | Tag::Copyright)),
            "{rel} keeps {tags:?}"
        );
        if [
            "galleries/spring/03.jpg",
            "galleries/spring/04.png",
            "plans/honghu/cover.webp",
        ]
        .contains(&rel.as_str())
        {
            assert!(tags.contains(&Tag::Copyright), "{rel}: {tags:?}");
        }
        assert!(!contains(&bytes, CAMERA), "{rel}");
    }
}

#[test]
fn an_unknown_field_to_keep_is_an_error_naming_the_key() {
    let site = site_with_phone_photos("keep_metadata: [copyright, gps]\n");
    let run = site.build();
    assert_eq!(run.code(), 1);
    let stderr = run.stderr();
    assert!(stderr.contains("site.yaml"), "{stderr}");
    assert!(stderr.contains("gps"), "{stderr}");
}
