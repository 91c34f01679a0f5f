//! Every form of image phones, cameras and screenshot tools make, generated here: each one
//! either gives copies of the right size, colours and transparency, or an error that names
//! the file and says what to do, never a panic or an internal error.

mod common;

use std::io::Cursor;
use std::path::Path;

use common::TestSite;
use herald::error::{ErrorKind, Lang};
use herald::media::{ImageInfo, copies_of};
use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};

const WIDTH: u32 = 600;
const HEIGHT: u32 = 400;
const RED: [u8; 3] = [220, 20, 30];
const BLUE: [u8; 3] = [20, 40, 210];

/// Red on the left, blue on the right; with `clear`, the bottom half fully transparent.
fn pattern(clear: bool) -> RgbaImage {
    RgbaImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let [r, g, b] = if x < WIDTH / 2 { RED } else { BLUE };
        let alpha = if clear && y >= HEIGHT / 2 { 0 } else { 255 };
        Rgba([r, g, b, alpha])
    })
}

fn encoded(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

/// What the build made of `bytes`: the image's facts and each copy decoded, by format.
struct Made {
    info: ImageInfo,
    copies: Vec<(String, DynamicImage)>,
}

fn make(bytes: &[u8]) -> Result<Made, herald::error::Error> {
    let cache = tempfile::tempdir().unwrap();
    let info = copies_of(
        bytes,
        cache.path(),
        Path::new("content/galleries/a/photo.jpg"),
    )?;
    let copies = info
        .variants
        .iter()
        .map(|variant| {
            let name = variant.path_url.replacen("image", "", 1);
            let key = std::fs::read_dir(cache.path())
                .unwrap()
                .map(|entry| entry.unwrap().file_name().into_string().unwrap())
                .find(|file| file.ends_with(&name))
                .unwrap_or_else(|| panic!("no cached {name}"));
            let copy = image::open(cache.path().join(&key))
                .unwrap_or_else(|e| panic!("{key} does not decode: {e}"));
            assert_eq!(
                (copy.width(), copy.height()),
                (variant.width, variant.height),
                "{key}"
            );
            (variant.format.clone(), copy)
        })
        .collect();
    Ok(Made { info, copies })
}

fn close(found: [u8; 3], wanted: [u8; 3]) -> bool {
    found.iter().zip(wanted).all(|(a, b)| a.abs_diff(b) <= 40)
}

impl Made {
    fn formats(&self) -> Vec<&str> {
        let mut formats: Vec<&str> = self.copies.iter().map(|(f, _)| f.as_str()).collect();
        formats.sort();
        formats.dedup();
        formats
    }

    /// Every copy is red on the left and blue on the right, in the top half; with `clear`,
    /// its bottom half is transparent, else opaque.
    fn assert_pattern(&self, clear: bool) {
        assert_eq!((self.info.width, self.info.height), (WIDTH, HEIGHT));
        assert!(!self.copies.is_empty());
        for (format, copy) in &self.copies {
            let rgba = copy.to_rgba8();
            let (w, h) = rgba.dimensions();
            let at = |x: u32, y: u32| rgba.get_pixel(x, y).0;
            let rgb = |x, y| {
                let [r, g, b, _] = at(x, y);
                [r, g, b]
            };
            assert!(
                close(rgb(w / 4, h / 4), RED),
                "{format}: {:?}",
                at(w / 4, h / 4)
            );
            assert!(
                close(rgb(3 * w / 4, h / 4), BLUE),
                "{format}: {:?}",
                at(3 * w / 4, h / 4)
            );
            assert_eq!(at(w / 4, h / 4)[3], 255, "{format}");
            let below = at(w / 4, 3 * h / 4)[3];
            if clear {
                assert!(copy.color().has_alpha(), "{format} lost its alpha");
                assert!(below < 10, "{format}: alpha {below}");
            } else {
                assert_eq!(below, 255, "{format}");
            }
        }
    }
}

fn assert_opaque(bytes: &[u8]) {
    let made = make(bytes).unwrap_or_else(|e| panic!("{}", e.report(Lang::En)));
    assert_eq!(made.formats(), ["jpeg", "webp"]);
    made.assert_pattern(false);
}

fn assert_transparent(bytes: &[u8]) {
    let made = make(bytes).unwrap_or_else(|e| panic!("{}", e.report(Lang::En)));
    assert_eq!(made.formats(), ["png", "webp"], "no JPEG: it has no alpha");
    made.assert_pattern(true);
}

/// The pattern as CMYK: what a print shop's JPEG holds.
fn cmyk_pattern() -> Vec<u8> {
    let rgb = DynamicImage::ImageRgba8(pattern(false)).to_rgb8();
    rgb.pixels()
        .flat_map(|pixel| {
            let [r, g, b] = pixel.0.map(|c| f32::from(c) / 255.0);
            let k = 1.0 - r.max(g).max(b);
            let ink = |c: f32| ((1.0 - c - k) / (1.0 - k) * 255.0).round() as u8;
            [ink(r), ink(g), ink(b), (k * 255.0).round() as u8]
        })
        .collect()
}

fn cmyk_jpeg(color: jpeg_encoder::ColorType) -> Vec<u8> {
    let mut bytes = Vec::new();
    jpeg_encoder::Encoder::new(&mut bytes, 90)
        .encode(&cmyk_pattern(), WIDTH as u16, HEIGHT as u16, color)
        .unwrap();
    bytes
}

#[test]
fn cmyk_and_ycck_jpegs_come_out_in_their_colours() {
    assert_opaque(&cmyk_jpeg(jpeg_encoder::ColorType::Cmyk));
    assert_opaque(&cmyk_jpeg(jpeg_encoder::ColorType::CmykAsYcck));
}

#[test]
fn progressive_jpeg() {
    let rgb = DynamicImage::ImageRgba8(pattern(false)).to_rgb8();
    let mut bytes = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, 90);
    encoder.set_progressive(true);
    encoder
        .encode(
            rgb.as_raw(),
            WIDTH as u16,
            HEIGHT as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .unwrap();
    assert_opaque(&bytes);
}

#[test]
fn sixteen_bit_pngs_with_and_without_alpha() {
    let opaque = DynamicImage::ImageRgba8(pattern(false)).to_rgb16();
    assert_opaque(&encoded(DynamicImage::ImageRgb16(opaque), ImageFormat::Png));
    let clear = DynamicImage::ImageRgba8(pattern(true)).to_rgba16();
    assert_transparent(&encoded(DynamicImage::ImageRgba16(clear), ImageFormat::Png));
}

/// A palette PNG of the pattern: red and blue, and with `clear` a third, transparent entry
/// by a tRNS chunk.
fn palette_png(clear: bool) -> Vec<u8> {
    let indices: Vec<u8> = pattern(clear)
        .pixels()
        .map(|pixel| match pixel.0 {
            [_, _, _, 0] => 2,
            [r, ..] if r == RED[0] => 0,
            _ => 1,
        })
        .collect();
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette([RED, BLUE, [255, 255, 255]].concat());
    if clear {
        encoder.set_trns(vec![255, 255, 0]);
    }
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&indices).unwrap();
    writer.finish().unwrap();
    bytes
}

#[test]
fn palette_pngs_with_and_without_transparency() {
    assert_opaque(&palette_png(false));
    assert_transparent(&palette_png(true));
}

#[test]
fn grayscale_pngs_with_and_without_alpha() {
    let gray = |clear| {
        RgbaImage::from_fn(WIDTH, HEIGHT, |x, y| {
            let level = if x < WIDTH / 2 { 40 } else { 200 };
            Rgba([
                level,
                level,
                level,
                if clear && y >= HEIGHT / 2 { 0 } else { 255 },
            ])
        })
    };
    for clear in [false, true] {
        let image = DynamicImage::ImageRgba8(gray(clear));
        let bytes = if clear {
            encoded(
                DynamicImage::ImageLumaA8(image.to_luma_alpha8()),
                ImageFormat::Png,
            )
        } else {
            encoded(DynamicImage::ImageLuma8(image.to_luma8()), ImageFormat::Png)
        };
        let made = make(&bytes).unwrap();
        let expected: &[&str] = if clear {
            &["png", "webp"]
        } else {
            &["jpeg", "webp"]
        };
        assert_eq!(made.formats(), expected);
        for (format, copy) in &made.copies {
            let rgba = copy.to_rgba8();
            let (w, h) = rgba.dimensions();
            let [dark, _, _, top] = rgba.get_pixel(w / 4, h / 4).0;
            let [light, ..] = rgba.get_pixel(3 * w / 4, h / 4).0;
            assert!(
                dark.abs_diff(40) < 20 && light.abs_diff(200) < 20,
                "{format}"
            );
            assert_eq!(top, 255);
            let bottom = rgba.get_pixel(w / 4, 3 * h / 4).0[3];
            assert_eq!(bottom < 10, clear, "{format}: alpha {bottom}");
        }
    }
}

#[test]
fn webp_lossy_lossless_and_with_alpha() {
    let opaque = DynamicImage::ImageRgba8(pattern(false)).to_rgb8();
    let lossy = webp::Encoder::from_rgb(opaque.as_raw(), WIDTH, HEIGHT).encode(80.0);
    assert_opaque(&lossy);
    let lossless = webp::Encoder::from_rgb(opaque.as_raw(), WIDTH, HEIGHT).encode_lossless();
    assert_opaque(&lossless);
    let clear = pattern(true);
    let alpha = webp::Encoder::from_rgba(clear.as_raw(), WIDTH, HEIGHT).encode(80.0);
    assert_transparent(&alpha);
}

fn gif(frames: &[RgbaImage]) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut bytes);
        encoder
            .set_repeat(image::codecs::gif::Repeat::Infinite)
            .unwrap();
        for frame in frames {
            encoder
                .encode_frame(image::Frame::new(frame.clone()))
                .unwrap();
        }
    }
    bytes
}

#[test]
fn a_still_gif_is_a_picture_like_a_png() {
    assert_opaque(&gif(&[pattern(false)]));
    assert_transparent(&gif(&[pattern(true)]));
}

#[test]
fn an_animated_gif_keeps_moving_as_its_original() {
    let flipped = image::imageops::flip_horizontal(&pattern(false));
    let made = make(&gif(&[pattern(false), flipped])).unwrap();
    assert_eq!((made.info.width, made.info.height), (WIDTH, HEIGHT));
    assert!(made.info.variants.is_empty(), "a copy would show one frame");
}

#[test]
fn an_animated_webp_keeps_moving_as_its_original() {
    let config = webp::WebPConfig::new().unwrap();
    let first = pattern(false);
    let second = image::imageops::flip_horizontal(&first);
    let mut encoder = webp::AnimEncoder::new(WIDTH, HEIGHT, &config);
    encoder.add_frame(webp::AnimFrame::from_rgba(first.as_raw(), WIDTH, HEIGHT, 0));
    encoder.add_frame(webp::AnimFrame::from_rgba(
        second.as_raw(),
        WIDTH,
        HEIGHT,
        100,
    ));
    let bytes = encoder.encode();
    let made = make(&bytes).unwrap();
    assert_eq!((made.info.width, made.info.height), (WIDTH, HEIGHT));
    assert!(made.info.variants.is_empty());
}

#[test]
fn an_animated_png_keeps_moving_as_its_original() {
    let first = pattern(false);
    let second = image::imageops::flip_horizontal(&first);
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_animated(2, 0).unwrap();
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(first.as_raw()).unwrap();
    writer.write_image_data(second.as_raw()).unwrap();
    writer.finish().unwrap();
    let made = make(&bytes).unwrap();
    assert_eq!((made.info.width, made.info.height), (WIDTH, HEIGHT));
    assert!(made.info.variants.is_empty());
}

/// The error about an image that cannot be used: it names the file, is no internal error,
/// and says in both languages what to do.
fn assert_refused(bytes: &[u8], what: &str) -> ErrorKind {
    let error = match make(bytes) {
        Ok(made) => panic!("{what}: made {:?}", made.info),
        Err(error) => error,
    };
    for (lang, error_label, hint_label) in [(Lang::Zh, "错误", "提示"), (Lang::En, "error", "hint")]
    {
        let report = error.report(lang);
        assert!(
            report.starts_with(&format!("{error_label}: content/galleries/a/photo.jpg: ")),
            "{what}: {report}"
        );
        assert!(report.contains(&format!("\n{hint_label}: ")), "{report}");
    }
    assert!(
        !matches!(
            error.kind,
            ErrorKind::ImageProcessing { .. } | ErrorKind::Io { .. }
        ),
        "{what}: {}",
        error.report(Lang::En)
    );
    error.kind
}

#[test]
fn an_empty_file_and_one_that_is_no_image_are_refused_plainly() {
    assert!(matches!(
        assert_refused(b"", "empty"),
        ErrorKind::EmptyImage
    ));
    assert!(matches!(
        assert_refused(b"<html>not a photo</html>", "text"),
        ErrorKind::UnknownImageFormat
    ));
    let error = make(b"").err().unwrap();
    let report = error.report(Lang::Zh);
    assert!(report.contains("图片文件是空的"), "{report}");
    assert!(report.contains("重新复制"), "{report}");
}

#[test]
fn a_truncated_file_of_each_format_is_refused_naming_it() {
    let rgb = DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(pattern(false)).to_rgb8());
    let formats = [
        ("JPEG", encoded(rgb.clone(), ImageFormat::Jpeg)),
        ("PNG", encoded(rgb.clone(), ImageFormat::Png)),
        ("GIF", gif(&[pattern(false)])),
        ("lossless WebP", encoded(rgb, ImageFormat::WebP)),
        (
            "WebP",
            webp::Encoder::from_rgba(pattern(true).as_raw(), WIDTH, HEIGHT)
                .encode(80.0)
                .to_vec(),
        ),
        ("CMYK JPEG", cmyk_jpeg(jpeg_encoder::ColorType::Cmyk)),
    ];
    for (name, bytes) in formats {
        for keep in [bytes.len() / 2, 40] {
            let kind = assert_refused(&bytes[..keep], name);
            assert!(
                matches!(kind, ErrorKind::TruncatedImage { .. }),
                "{name} cut at {keep}: {kind:?}"
            );
        }
    }
}

/// The errors of a failed build, in Chinese.
fn build_in_chinese(site: &TestSite) -> String {
    let run = site.herald(&["--lang", "zh", "build", "--now", "2013-03-06"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    run.stderr()
}

fn write_png(site: &TestSite, rel: &str, image: RgbaImage) {
    std::fs::write(
        site.path(rel),
        encoded(DynamicImage::ImageRgba8(image), ImageFormat::Png),
    )
    .unwrap();
}

#[test]
fn a_transparent_photo_is_published_as_png_and_webp_with_their_types() {
    let site = TestSite::fixture("basic");
    write_png(&site, "content/galleries/spring/03.png", pattern(true));
    // Screenshot tools save an alpha channel that is opaque throughout: still a JPEG.
    write_png(&site, "content/galleries/spring/04.png", pattern(false));
    site.build().assert_ok();
    let page = site.read("public/galleries/spring/index.html");
    assert!(page.contains("03-480w.png 480w, "), "{page}");
    assert!(
        page.contains(
            r#"<source type="image/webp" srcset="/volunteer/galleries/spring/03-480w.webp 480w"#
        ),
        "{page}"
    );
    assert!(!page.contains("03-480w.jpg"), "{page}");
    assert!(page.contains("04-480w.jpg 480w"), "{page}");
    let copy = image::open(site.path("public/galleries/spring/03-480w.webp")).unwrap();
    assert!(copy.color().has_alpha());
    assert!(site.path("public/galleries/spring/03-600w.png").is_file());
}

#[test]
fn an_animated_gif_is_shown_as_it_is() {
    let site = TestSite::fixture("basic");
    let frames = [
        pattern(false),
        image::imageops::flip_horizontal(&pattern(false)),
    ];
    std::fs::write(site.path("content/galleries/spring/03.gif"), gif(&frames)).unwrap();
    site.build().assert_ok();
    let page = site.read("public/galleries/spring/index.html");
    assert!(
        page.contains(r#"<a href="/volunteer/galleries/spring/03.gif""#),
        "{page}"
    );
    assert!(
        page.contains(r#"<img src="/volunteer/galleries/spring/03.gif" width="600" height="400""#),
        "{page}"
    );
    assert!(!page.contains("03-480w"), "{page}");
}

#[test]
fn png_bytes_named_jpg_are_read_by_their_content() {
    let site = TestSite::fixture("basic");
    write_png(&site, "content/galleries/spring/03.jpg", pattern(true));
    site.build().assert_ok();
    let page = site.read("public/galleries/spring/index.html");
    assert!(page.contains("03-480w.png 480w"), "{page}");
}

#[cfg(not(feature = "heif"))]
#[test]
fn a_heic_photo_in_a_gallery_folder_is_an_error_saying_how_to_convert_it() {
    let site = TestSite::fixture("basic");
    // Only the name matters: herald never reads a HEIC's bytes.
    std::fs::write(
        site.path("content/galleries/spring/IMG_0412.HEIC"),
        b"\0\0\0\x18ftypheic",
    )
    .unwrap();
    let run = site.build();
    assert_eq!(run.code(), 1);
    let stderr = run.stderr();
    assert!(
        stderr.contains(
            "error: content/galleries/spring/IMG_0412.HEIC: `IMG_0412.HEIC` is a HEIC/HEIF photo"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("Settings → Camera → Formats → Most Compatible"),
        "{stderr}"
    );
    let zh = build_in_chinese(&site);
    assert!(zh.contains("`IMG_0412.HEIC` 是 HEIC/HEIF 格式"), "{zh}");
    assert!(zh.contains("设置 → 相机 → 格式"), "{zh}");
    assert!(zh.contains("兼容性最佳"), "{zh}");
}

#[test]
fn a_heic_photo_in_a_body_is_an_error_naming_it() {
    // The page would show the file itself, which only Safari shows, even with `heif`.
    let site = TestSite::fixture("basic");
    std::fs::write(site.path("content/galleries/spring/a.heif"), b"").unwrap();
    let index = site.read("content/galleries/spring/index.md");
    site.write(
        "content/galleries/spring/index.md",
        &format!("{index}\n\n![合影](a.heif)\n"),
    );
    let run = site.build();
    assert_eq!(run.code(), 1);
    let stderr = run.stderr();
    assert!(
        stderr.contains("content/galleries/spring/index.md:"),
        "{stderr}"
    );
    assert!(stderr.contains("`a.heif` is a HEIC/HEIF photo"), "{stderr}");
}

#[cfg(not(feature = "heif"))]
#[test]
fn a_heic_cover_is_an_error_naming_it() {
    let site = TestSite::fixture("basic");
    std::fs::write(site.path("content/galleries/spring/a.heif"), b"").unwrap();
    let index = site.read("content/galleries/spring/index.md");
    site.write(
        "content/galleries/spring/index.md",
        &index.replacen("date:", "cover: a.heif\ndate:", 1),
    );
    let run = site.build();
    assert_eq!(run.code(), 1);
    let stderr = run.stderr();
    assert!(
        stderr.contains("content/galleries/spring/index.md:"),
        "{stderr}"
    );
    assert!(stderr.contains("`a.heif` is a HEIC/HEIF photo"), "{stderr}");
}

/// The pattern as an iPhone would write it, by libheif's HEVC encoder.
#[cfg(feature = "heif")]
fn heic() -> Vec<u8> {
    use libheif_rs::{
        Channel, ColorSpace, CompressionFormat, EncoderQuality, HeifContext, Image, RgbChroma,
    };
    let source = pattern(false);
    let mut image = Image::new(WIDTH, HEIGHT, ColorSpace::Rgb(RgbChroma::C444)).unwrap();
    for channel in [Channel::R, Channel::G, Channel::B] {
        image.create_plane(channel, WIDTH, HEIGHT, 8).unwrap();
    }
    let planes = image.planes_mut();
    for (index, plane) in [planes.r, planes.g, planes.b].into_iter().enumerate() {
        let plane = plane.unwrap();
        for (y, row) in plane
            .data
            .chunks_mut(plane.stride)
            .enumerate()
            .take(HEIGHT as usize)
        {
            for x in 0..WIDTH {
                row[x as usize] = source.get_pixel(x, y as u32)[index];
            }
        }
    }
    let mut context = HeifContext::new().unwrap();
    let mut encoder = context.encoder_for_format(CompressionFormat::Hevc).unwrap();
    encoder.set_quality(EncoderQuality::Lossy(85)).unwrap();
    context.encode_image(&image, &mut encoder, None).unwrap();
    context.write_to_bytes().unwrap()
}

#[cfg(feature = "heif")]
#[test]
fn with_libheif_a_heic_photo_gets_jpeg_and_webp_copies() {
    assert_opaque(&heic());
    let site = TestSite::fixture("basic");
    std::fs::write(site.path("content/galleries/spring/IMG_0412.HEIC"), heic()).unwrap();
    site.build().assert_ok();
    let page = site.read("public/galleries/spring/index.html");
    assert!(page.contains("IMG_0412-480w.jpg 480w"), "{page}");
    assert!(page.contains("IMG_0412-480w.webp 480w"), "{page}");
    // The HEIC itself, which keeps its metadata and which browsers do not show, is not
    // published; the lightbox opens the largest JPEG.
    assert!(!site.path("public/galleries/spring/IMG_0412.HEIC").exists());
    assert!(!page.contains("IMG_0412.HEIC\""), "{page}");
    // Damaged, it is named like any other photo.
    let mut cut = heic();
    cut.truncate(cut.len() / 2);
    std::fs::write(site.path("content/galleries/spring/IMG_0412.HEIC"), cut).unwrap();
    let run = site.build();
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr()
            .contains("content/galleries/spring/IMG_0412.HEIC: "),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_broken_photo_is_named_in_plain_chinese_with_what_to_do() {
    let site = TestSite::fixture("basic");
    let mut bytes = encoded(DynamicImage::ImageRgba8(pattern(false)), ImageFormat::Png);
    bytes.truncate(bytes.len() / 2);
    std::fs::write(site.path("content/galleries/spring/03.png"), &bytes).unwrap();
    std::fs::write(site.path("content/galleries/spring/04.jpg"), b"").unwrap();
    let zh = build_in_chinese(&site);
    assert!(
        zh.contains("content/galleries/spring/03.png: 图片文件不完整"),
        "{zh}"
    );
    assert!(
        zh.contains("content/galleries/spring/04.jpg: 图片文件是空的"),
        "{zh}"
    );
    assert!(zh.contains("重新复制或下载这张图片"), "{zh}");
}
