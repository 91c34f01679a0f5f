//! Paths inside `content/`: joining relative references and telling images apart.

use std::path::{Component, Path, PathBuf};

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
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{is_image, normalize};

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
    fn images_by_extension() {
        assert!(is_image(Path::new("a/B.JPG")));
        assert!(!is_image(Path::new("a/LICENSE.txt")));
    }
}
