//! The bad-input corpus: each folder of `tests/bad-input/` is one mistake an author makes.
//! Its `case.yaml` says what it is, the exit code, and words the English and Chinese
//! messages must hold; its `files/` are laid over the `basic` fixture. Every failing case
//! must also give a hint and leave the previous output exactly as it was. See
//! `tests/README.md` to add a case.

mod common;

use std::path::Path;

use common::{TestSite, copy_dir, snapshot};
use herald::project::BuildOptions;
use herald::serve::session::Session;
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
    huge_png: Option<String>,
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
    if let Some(path) = &what.huge_png {
        std::fs::write(site.path(path), black_png(20_000, 20_000)).unwrap();
    }
}

/// A valid, all-black RGB PNG that compresses to almost nothing: its pixel data is one
/// zero byte and then matches of 258 zeros at distance 1, in fixed-Huffman deflate.
/// 20000×20000 is 1.2 GB decoded and 7 MB on disk.
fn black_png(width: u32, height: u32) -> Vec<u8> {
    let raw = u64::from(height) * (1 + 3 * u64::from(width)); // each row: filter byte, pixels
    let mut bits = Bits::default();
    bits.put(0b011, 3); // the last block, fixed Huffman codes
    bits.put(0b0000_1100, 8); // literal 0 (code 00110000, sent from its high bit)
    let (matches, rest) = ((raw - 1) / 258, (raw - 1) % 258);
    for _ in 0..matches {
        bits.put(0b1010_0011, 8); // length 258 (code 11000101)
        bits.put(0, 5); // distance 1
    }
    for _ in 0..rest {
        bits.put(0b0000_1100, 8);
    }
    bits.put(0, 7); // end of block
    let mut zlib = vec![0x78, 0x01];
    zlib.extend(bits.finish());
    // Adler-32 of zeros: a stays 1, b gains 1 a byte.
    zlib.extend((((raw % 65_521) << 16) as u32 | 1).to_be_bytes());
    let mut header = width.to_be_bytes().to_vec();
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]); // 8 bits, RGB, deflate, no filter choice, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(b"IHDR", header), (b"IDAT", zlib), (b"IEND", Vec::new())] {
        png.extend((data.len() as u32).to_be_bytes());
        let start = png.len();
        png.extend(kind);
        png.extend(&data);
        let crc = crc32(&png[start..]);
        png.extend(crc.to_be_bytes());
    }
    png
}

/// Bits packed from the lowest, as deflate sends them.
#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    pending: u64,
    count: u32,
}

impl Bits {
    fn put(&mut self, value: u64, count: u32) {
        self.pending |= value << self.count;
        self.count += count;
        while self.count >= 8 {
            self.bytes.push(self.pending as u8);
            self.pending >>= 8;
            self.count -= 8;
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            self.bytes.push(self.pending as u8);
        }
        self.bytes
    }
}

fn crc32(bytes: &[u8]) -> u32 {
    let table: Vec<u32> = (0..256u32)
        .map(|n| {
            (0..8).fold(n, |c, _| {
                if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                }
            })
        })
        .collect();
    !bytes.iter().fold(!0u32, |crc, byte| {
        table[((crc ^ u32::from(*byte)) & 0xFF) as usize] ^ (crc >> 8)
    })
}

#[test]
fn the_generated_huge_png_is_a_valid_png() {
    // Small enough to decode here: the same writer, checked by a real decoder.
    let png = black_png(300, 200);
    let image = image::load_from_memory(&png).unwrap().into_rgb8();
    assert_eq!(image.dimensions(), (300, 200));
    assert!(image.as_raw().iter().all(|&byte| byte == 0));
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
    // The preview refuses what a build refuses, and takes what it takes (options of the
    // command line aside).
    if case.args.is_empty() {
        let preview = Session::new(BuildOptions {
            root: site.root().to_path_buf(),
            now: chrono::NaiveDate::from_ymd_opt(2013, 3, 6),
            ..BuildOptions::default()
        })
        .full();
        if preview.is_ok() != (case.exit == 0) {
            problems.push(format!(
                "{name}: the preview {} where the build exits {}",
                if preview.is_ok() { "builds" } else { "fails" },
                case.exit
            ));
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
