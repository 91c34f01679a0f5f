//! Where a file may go in the output: the one type through which an output-relative
//! path becomes a path on disk, so that nothing a page, a slug or a file name says can
//! place a file outside the output folder.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, ErrorKind, Owner};

pub use crate::limits::{MAX_NAME_BYTES, MAX_PATH_BYTES};

/// A checked path relative to the output folder: `/`-separated, non-empty names,
/// none of them `.` or `..`, no backslash, no control character, within the limits above.
/// Only [`OutputPath::parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutputPath(String);

pub use crate::limits::PathFault;

impl OutputPath {
    /// Checks a path such as `plans/x/index.html`.
    pub fn parse(path: &str) -> Result<OutputPath, PathFault> {
        if path.len() > MAX_PATH_BYTES {
            return Err(PathFault::PathTooLong);
        }
        for name in path.split('/') {
            check_name(name)?;
        }
        Ok(OutputPath(path.to_string()))
    }

    /// The path under a folder. Every name was checked, so the result lies inside it.
    pub fn within(&self, folder: &Path) -> PathBuf {
        let mut full = folder.to_path_buf();
        full.extend(self.0.split('/'));
        full
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OutputPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PathFault {
    /// The error for a path refused for this fault.
    pub fn error(self, path: &str) -> Error {
        Error::new(ErrorKind::BadOutputPath {
            path: path.to_string(),
            fault: self,
        })
    }
}

/// Every path of one build's output and what put it there, so that no two things are ever
/// published at the same path, whatever made them: pages, lists, feeds, search files,
/// static files, attachments or resized photos.
/// Paths are told apart as a case-blind host would (Windows, macOS, many object stores):
/// `ABC/` and `abc/` would be one folder there, so they clash here too.
#[derive(Debug, Default)]
pub struct Claims {
    taken: Mutex<HashMap<String, Claim>>,
}

#[derive(Debug)]
struct Claim {
    path: OutputPath,
    owner: Owner,
    /// A planned page is claimed before it is rendered; its rendering fills the claim.
    awaiting_render: bool,
}

/// A path as a case-blind file system compares it.
fn folded(path: &str) -> String {
    if path.chars().any(char::is_uppercase) {
        path.to_lowercase()
    } else {
        path.to_string()
    }
}

impl Claims {
    /// Claims a path for a file to be copied or a page about to be rendered.
    pub fn claim(&self, path: &str, owner: Owner, page: bool) -> Result<(), Error> {
        let parsed =
            OutputPath::parse(path).map_err(|fault| with_owner(fault.error(path), &owner))?;
        let mut taken = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        let key = folded(path);
        if let Some(first) = taken.get(&key) {
            return Err(clash(&first.path, first.owner.clone(), &parsed, owner));
        }
        taken.insert(
            key,
            Claim {
                path: parsed,
                owner,
                awaiting_render: page,
            },
        );
        Ok(())
    }

    /// Claims the path of a file just rendered: the page planned for it, or a path free
    /// until now (a feed, a search file).
    pub fn rendered(&self, path: &str) -> Result<OutputPath, Error> {
        let parsed = OutputPath::parse(path).map_err(|fault| fault.error(path))?;
        let mut taken = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        let key = folded(path);
        match taken.get_mut(&key) {
            Some(claim) if claim.awaiting_render && claim.path == parsed => {
                claim.awaiting_render = false
            }
            Some(claim) => {
                return Err(clash(
                    &claim.path,
                    claim.owner.clone(),
                    &parsed,
                    Owner::Herald,
                ));
            }
            None => {
                taken.insert(
                    key,
                    Claim {
                        path: parsed.clone(),
                        owner: Owner::Herald,
                        awaiting_render: false,
                    },
                );
            }
        }
        Ok(parsed)
    }

    /// How many paths are taken.
    pub fn len(&self) -> usize {
        self.taken.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether nothing is taken yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every path taken, in no order.
    pub fn into_paths(self) -> Vec<String> {
        self.taken
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_values()
            .map(|claim| claim.path.0)
            .collect()
    }
}

fn clash(first_path: &OutputPath, first: Owner, path: &OutputPath, second: Owner) -> Error {
    let location = match (&second, &first) {
        (Owner::File(file), _) | (Owner::Herald, Owner::File(file)) => Some(file.clone()),
        _ => None,
    };
    let kind = if first_path == path {
        ErrorKind::OutputClash {
            path: path.to_string(),
            first: Box::new(first),
            second: Box::new(second),
        }
    } else {
        ErrorKind::CaseClash {
            paths: Box::new((first_path.to_string(), path.to_string())),
            first: Box::new(first),
            second: Box::new(second),
        }
    };
    match location {
        Some(file) => Error::in_file(kind, file),
        None => Error::new(kind),
    }
}

fn with_owner(error: Error, owner: &Owner) -> Error {
    match owner {
        Owner::File(file) => Error::in_file(error.kind, file),
        Owner::Herald => error,
    }
}

/// Checks one file or folder name of an output path.
pub fn check_name(name: &str) -> Result<(), PathFault> {
    if name.is_empty() {
        return Err(PathFault::EmptyName);
    }
    if name == "." || name == ".." {
        return Err(PathFault::DotName);
    }
    if name
        .chars()
        .any(|c| c == '\\' || c == '/' || c.is_control())
    {
        return Err(PathFault::BadCharacter);
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(PathFault::NameTooLong);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::{Component, Path};

    use proptest::prelude::*;

    use super::{Claims, MAX_PATH_BYTES, OutputPath, PathFault};
    use crate::error::{ErrorKind, Owner};

    #[test]
    fn a_path_is_published_once() {
        let claims = Claims::default();
        let story = Owner::File("content/stories/a.md".into());
        claims
            .claim("stories/a/index.html", story.clone(), true)
            .unwrap();
        claims.rendered("stories/a/index.html").unwrap();
        // A second rendering of the same page, a copy or a feed at the same path: refused.
        let again = claims.rendered("stories/a/index.html").unwrap_err();
        assert!(matches!(again.kind, ErrorKind::OutputClash { .. }));
        let photo = Owner::File("content/stories/b/index.html".into());
        let copy = claims
            .claim("stories/a/index.html", photo, false)
            .unwrap_err();
        assert_eq!(
            copy.location.unwrap().path,
            std::path::Path::new("content/stories/b/index.html")
        );
        claims.rendered("atom.xml").unwrap();
        assert!(claims.claim("atom.xml", story.clone(), false).is_err());
        // Paths one letter's case apart are one file on a case-blind host.
        claims
            .claim("plans/ABC/index.html", story.clone(), true)
            .unwrap();
        let case = claims
            .claim("plans/abc/index.html", story, true)
            .unwrap_err();
        assert!(matches!(case.kind, ErrorKind::CaseClash { .. }), "{case}");
        assert!(claims.rendered("Atom.XML").is_err());
        assert!(claims.rendered("../x").is_err());
        assert_eq!(claims.len(), 3);
    }

    #[test]
    fn ordinary_paths_pass() {
        for path in [
            "index.html",
            "plans/x/index.html",
            "2019/06/30/x.html",
            "galleries/相册/合影 1.jpg",
            "search/docs/0/1.json",
        ] {
            assert_eq!(OutputPath::parse(path).unwrap().as_str(), path);
        }
    }

    #[test]
    fn paths_that_leave_or_blur_the_folder_are_refused() {
        for (path, fault) in [
            ("", PathFault::EmptyName),
            ("/index.html", PathFault::EmptyName),
            ("plans//index.html", PathFault::EmptyName),
            ("plans/", PathFault::EmptyName),
            ("../x", PathFault::DotName),
            ("a/./b", PathFault::DotName),
            ("a\\..\\b", PathFault::BadCharacter),
            ("a\0b", PathFault::BadCharacter),
            ("a\nb", PathFault::BadCharacter),
        ] {
            assert_eq!(OutputPath::parse(path), Err(fault), "{path:?}");
        }
        assert_eq!(
            OutputPath::parse(&"a".repeat(MAX_PATH_BYTES + 1)),
            Err(PathFault::PathTooLong)
        );
        assert_eq!(
            OutputPath::parse(&format!("{}.html", "名".repeat(60))),
            Ok(OutputPath(format!("{}.html", "名".repeat(60))))
        );
    }

    proptest! {
        /// Whatever text is given, a path that passes stays strictly inside the folder.
        #[test]
        fn a_parsed_path_never_leaves_its_folder(path in "[a./\\\\名\\x00-\\x1f]{0,40}") {
            if let Ok(parsed) = OutputPath::parse(&path) {
                let folder = Path::new("/out");
                let full = parsed.within(folder);
                let rest = full.strip_prefix(folder).unwrap();
                prop_assert!(rest.components().count() >= 1);
                prop_assert!(rest.components().all(|c| matches!(c, Component::Normal(_))));
            }
        }
    }
}
