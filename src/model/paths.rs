//! Paths inside `content/`: joining relative references and telling images apart.

use std::path::{Component, Path, PathBuf};

use crate::output_path::{MAX_NAME_BYTES, MAX_PATH_BYTES};
use crate::parse::slug::hash_slug;

/// The folder a content-relative file lives in.
pub fn parent_dir(rel: &Path) -> PathBuf {
    rel.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Joins a relative reference to a folder, resolving `.` and `..`; `None` when it leaves `content/`.
pub fn normalize(folder: &Path, reference: &str) -> Option<PathBuf> {
    let mut parts: Vec<String> = folder
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    for part in reference.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            name => parts.push(name.to_string()),
        }
    }
    Some(parts.iter().collect())
}

/// Resolves a link or image reference as written in Markdown (percent-encoded or not)
/// against the folder of the file that holds it; `None` when it leaves `content/`.
pub fn resolve_reference(folder: &Path, reference: &str) -> Option<PathBuf> {
    normalize(folder, &percent_decode(reference))
}

/// Decodes `%E5%80%A1` in links written by editors that encode them.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && index + 2 < bytes.len()
            && let Some(byte) = text
                .get(index + 1..index + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

pub use crate::limits::ATTACHMENTS;

/// File types a browser opens as a document of the site, able to run scripts in its name:
/// never published from `content/`, whatever site.yaml says.
pub const LIVE_DOCUMENTS: &[&str] = &[
    "html", "htm", "xhtml", "shtml", "svg", "svgz", "xml", "xsl", "xslt", "js", "mjs", "swf",
];

/// What a file in `content/` that a page uses may become in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publishable {
    /// A picture: shown, resized, and copied.
    Image,
    /// A download.
    Attachment,
    /// A document the browser would run as part of the site.
    LiveDocument,
    /// A type on no list.
    Unlisted,
}

/// Sorts a file by its extension; `extra` is the site's own list of attachment types.
pub fn publishable(path: &Path, extra: &[String]) -> Publishable {
    let extension = extension_of(path);
    if is_image(path) {
        Publishable::Image
    } else if LIVE_DOCUMENTS.contains(&extension.as_str()) {
        Publishable::LiveDocument
    } else if ATTACHMENTS.contains(&extension.as_str())
        // An empty entry would let files without an extension through.
        || (!extension.is_empty()
            && extra.iter().any(|allowed| {
                allowed
                    .trim_start_matches('.')
                    .eq_ignore_ascii_case(&extension)
            }))
    {
        Publishable::Attachment
    } else {
        Publishable::Unlisted
    }
}

/// A file's extension in lower case, or empty.
pub fn extension_of(path: &Path) -> String {
    path.extension()
        .map(|ext| ext.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether a file is a HEIC or HEIF photo, the format iPhones take photos in, which
/// browsers other than Safari do not show.
pub fn is_heif(path: &Path) -> bool {
    matches!(extension_of(path).as_str(), "heic" | "heif")
}

/// Encodes what a URL path cannot hold as it is (`#`, `?`, `%`, spaces, quotes, controls),
/// so that a file named `合影 #1.jpg` is found; other characters, Chinese among them,
/// are left for the browser.
pub fn encode_url_path(path: &str) -> std::borrow::Cow<'_, str> {
    let needs = |c: char| {
        c.is_control()
            || matches!(
                c,
                '#' | '?' | '%' | ' ' | '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' | '\''
            )
    };
    if !path.chars().any(needs) {
        return std::borrow::Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 8);
    for c in path.chars() {
        if needs(c) {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Bytes kept free after a published file's name, for the size suffixes of resized
/// photos (`-1600w.webp`).
const VARIANT_SUFFIX_BYTES: usize = 16;

/// Where a file of `content/` used by the page at `page_url` is published: beside the page,
/// under its own name, or — when that would make the path too long for the output (a Word
/// file named after a 72-character official title) — under its name cut short at a
/// character, with a hash of the whole name so that two long names never meet.
pub fn asset_target(page_url: &str, source: &Path) -> String {
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let budget = MAX_PATH_BYTES
        .saturating_sub(page_url.len() + VARIANT_SUFFIX_BYTES)
        .min(MAX_NAME_BYTES - VARIANT_SUFFIX_BYTES);
    if name.len() <= budget {
        return format!("{page_url}{name}");
    }
    let extension = source
        .extension()
        .map(|ext| format!(".{}", ext.to_string_lossy()))
        .filter(|ext| ext.len() <= 12)
        .unwrap_or_default();
    let hash = format!("-{}", hash_slug(&name));
    let room = budget.saturating_sub(extension.len() + hash.len());
    let mut stem: String = String::new();
    for c in name.chars() {
        if stem.len() + c.len_utf8() > room {
            break;
        }
        stem.push(c);
    }
    format!("{page_url}{stem}{hash}{extension}")
}

/// Whether a file is an image a gallery shows.
pub fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .map(|ext| {
            matches!(
                ext.to_ascii_lowercase().as_str(),
                "jpg" | "jpeg" | "png" | "webp" | "gif"
            )
        })
        .unwrap_or(false)
        || (cfg!(feature = "heif") && is_heif(path))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{
        MAX_PATH_BYTES, Publishable, VARIANT_SUFFIX_BYTES, asset_target, encode_url_path, is_image,
        normalize, percent_decode, publishable,
    };
    use crate::output_path::OutputPath;

    #[test]
    fn relative_references_resolve_inside_content() {
        assert_eq!(
            normalize(Path::new("plans"), "../initiatives/leifeng.md"),
            Some(PathBuf::from("initiatives/leifeng.md"))
        );
        assert_eq!(
            normalize(Path::new("a/b"), "./c.jpg"),
            Some(PathBuf::from("a/b/c.jpg"))
        );
        assert_eq!(normalize(Path::new("plans"), "../../etc/passwd"), None);
    }

    #[test]
    fn files_are_published_by_type() {
        let extra = vec!["dwg".to_string(), String::new(), ".".to_string()];
        for (name, expected) in [
            ("a/合影.JPG", Publishable::Image),
            ("通知.pdf", Publishable::Attachment),
            ("报名表.et", Publishable::Attachment),
            ("图纸.DWG", Publishable::Attachment),
            ("evil.html", Publishable::LiveDocument),
            ("x.SVG", Publishable::LiveDocument),
            ("feed.xml", Publishable::LiveDocument),
            ("run.exe", Publishable::Unlisted),
            ("noextension", Publishable::Unlisted),
        ] {
            assert_eq!(publishable(Path::new(name), &extra), expected, "{name}");
        }
        // A live document stays refused even when the site lists it.
        let html = vec!["html".to_string()];
        assert_eq!(
            publishable(Path::new("a.html"), &html),
            Publishable::LiveDocument
        );
    }

    #[test]
    fn url_paths_are_encoded_where_they_must_be() {
        assert_eq!(
            encode_url_path("galleries/x/合影.jpg"),
            "galleries/x/合影.jpg"
        );
        assert_eq!(
            encode_url_path("a/合影 #1?%.jpg"),
            "a/合影%20%231%3F%25.jpg"
        );
        for name in ["a#b", "c?d", "e%f", "g h", "名 #?%"] {
            assert_eq!(percent_decode(&encode_url_path(name)), name);
        }
    }

    #[test]
    fn long_file_names_are_cut_to_fit_the_output() {
        let title = "关于开展二〇二四年度全市新时代文明实践志愿服务暨学雷锋志愿服务月系列主题宣传活动的实施方案的通知";
        let page =
            "plans/guan-yu-kai-zhan-er-ling-er-si-nian-du-quan-shi-xin-shi-dai-wen-ming-shi/";
        let short = asset_target(page, Path::new(&format!("plans/{title}.docx")));
        assert!(
            short.starts_with(page) && short.ends_with(".docx"),
            "{short}"
        );
        assert!(
            short.len() + VARIANT_SUFFIX_BYTES <= MAX_PATH_BYTES,
            "{short}"
        );
        assert!(OutputPath::parse(&short).is_ok());
        let other = asset_target(page, Path::new(&format!("plans/{title}（附件二）.docx")));
        assert_ne!(short, other, "two long names stay two files");
        assert_eq!(
            asset_target("stories/a/", Path::new("stories/a/合影.jpg")),
            "stories/a/合影.jpg"
        );
    }

    #[test]
    fn images_by_extension() {
        assert!(is_image(Path::new("a/B.JPG")));
        assert!(!is_image(Path::new("a/LICENSE.txt")));
    }
}
