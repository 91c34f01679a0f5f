//! Helpers for the integration tests: a fixture site copied into a temporary folder,
//! the real `herald` binary run on it, and a checker for the links of a built site.
#![allow(dead_code)]

pub mod serve;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fixture site copied to a temporary folder, so tests can edit and build it freely.
pub struct TestSite {
    pub dir: tempfile::TempDir,
    root: PathBuf,
}

impl TestSite {
    /// Copies `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> TestSite {
        Self::fixture_at(name, "")
    }

    /// Copies `tests/fixtures/<name>` into the folder `site` of a temporary folder, so that
    /// files can be put beside the site (`outside`).
    pub fn fixture_in_folder(name: &str) -> TestSite {
        Self::fixture_at(name, "site")
    }

    fn fixture_at(name: &str, folder: &str) -> TestSite {
        let dir = tempfile::tempdir().expect("temporary folder");
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let root = dir.path().join(folder);
        copy_dir(&source, &root);
        TestSite { dir, root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// A path beside the site's folder (only for `fixture_in_folder`).
    pub fn outside(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Runs herald with `--root <site>` and English messages.
    pub fn herald(&self, args: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_herald"));
        command.arg("--root").arg(self.root()).args(args);
        command
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C")
            .env("NO_COLOR", "1");
        Run(command.output().expect("herald runs"))
    }

    /// `herald build --now 2013-03-06` into `public/`.
    pub fn build(&self) -> Run {
        self.herald(&["build", "--now", "2013-03-06"])
    }
}

/// The outcome of one run of the binary.
pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    pub fn assert_ok(&self) -> &Run {
        assert_eq!(
            self.code(),
            0,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every `href`/`src` that points into the site (`base_path…` or the absolute base URL),
/// with the page it was found on, that does not resolve to a file in `output`.
pub fn broken_links(output: &Path, base_path: &str, base_url: &str) -> Vec<(String, String)> {
    let mut broken = Vec::new();
    for entry in walkdir::WalkDir::new(output) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.ends_with(".html") || name.ends_with(".xml")) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for attribute in ["href=\"", "src=\"", "<loc>", "<id>"] {
            for (index, _) in text.match_indices(attribute) {
                let rest = &text[index + attribute.len()..];
                let end = rest.find(['"', '<']).unwrap_or(rest.len());
                let link = rest[..end].replace("&amp;", "&");
                let local = if let Some(path) = link.strip_prefix(base_url) {
                    format!("/{}", path.trim_start_matches('/'))
                } else if link.starts_with(base_path) && !link.starts_with("//") {
                    format!("/{}", &link[base_path.len()..])
                } else {
                    continue;
                };
                let path = percent_decode(local.split(['#', '?']).next().unwrap());
                let mut file = output.join(path.trim_start_matches('/'));
                if path.ends_with('/') {
                    file = file.join("index.html");
                }
                if !file.is_file() {
                    broken.push((entry.path().display().to_string(), link));
                }
            }
        }
    }
    broken
}

/// A URL path as the server reads it: `%23` is `#`, `%E5%90%88` is 合.
pub fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = path.get(index + 1..index + 3);
        match hex.and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
            Some(byte) if bytes[index] == b'%' => {
                out.push(byte);
                index += 3;
            }
            _ => {
                out.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every file under `dir`, by path relative to it, with its bytes; sorted.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let rel = entry.path().strip_prefix(dir).unwrap();
            (
                rel.display().to_string(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Fails when a staging or set-aside output folder of a build is left beside the site.
pub fn assert_no_staging_left(root: &Path) {
    let leftovers: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".herald-new-") || name.contains(".herald-old-"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}
