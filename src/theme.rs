//! Themes: where templates and static files come from. A theme is a folder in `themes/`;
//! its `theme.yaml` may name a parent (`extends: default`) whose files it overrides. The
//! `default` theme is also built into the binary, for sites without a copy of it. The
//! site's own `templates/` and `static/` override them all. A theme that comes back in its
//! own line of parents, or a line deeper than [`MAX_DEPTH`], is an error that shows the
//! whole line, at the `extends:` (or `theme:`) that closes it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Location};
use crate::fsio::{self, EntryKind, Links};
use crate::load::{self, display_path};
use crate::output::{CopyFile, OutputFile};
use crate::render::TemplateSource;
use include_dir::{Dir, include_dir};
use serde::Deserialize;

/// The folder of themes under the site root, one theme per sub-folder.
pub const THEMES_DIR: &str = "themes";
/// The folder of templates, in a theme and at the site root.
pub const TEMPLATES_DIR: &str = "templates";
/// The folder of files published as they are, in a theme and at the site root.
pub const STATIC_DIR: &str = "static";

/// The default theme, built into the binary.
static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");
const BUILTIN: &str = "default";
/// How many themes one may stack with `extends`; more is taken for a mistake.
const MAX_DEPTH: usize = 4;

/// One theme in a chain of parents.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Layer {
    /// A theme folder on disk.
    Disk(PathBuf),
    /// The built-in default theme.
    Builtin,
}

/// `theme.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ThemeConfig {
    /// The parent theme.
    extends: Option<String>,
}

/// A theme with its parents, parent first.
#[derive(Debug, Clone)]
pub struct Theme {
    layers: Vec<Layer>,
}

/// The file whose key named a theme, so that an error about the theme points there.
struct NamedBy {
    /// The file.
    path: PathBuf,
    /// The file as shown in messages.
    shown: PathBuf,
    /// `theme` in site.yaml, `extends` in theme.yaml.
    key: &'static str,
}

impl NamedBy {
    /// The error at the key's line; the file is read again only now, when one is made.
    fn error(&self, kind: ErrorKind) -> Error {
        let text = fsio::read_text(&self.path).unwrap_or_default();
        let line = crate::parse::frontmatter::find_key_line(&text, self.key);
        let column = if line > 0 { self.key.len() + 3 } else { 0 };
        Error::at(kind, Location::at(&self.shown, line, column), Some(&text))
    }
}

impl Theme {
    /// Finds a theme and its parents.
    pub fn resolve(root: &Path, name: &str) -> Result<Theme, Error> {
        let site_yaml = root.join(crate::config::CONFIG_FILE);
        let mut named_by = NamedBy {
            shown: display_path(root, &site_yaml),
            path: site_yaml,
            key: "theme",
        };
        let mut layers = Vec::new();
        let mut chain: Vec<String> = Vec::new();
        let mut next = Some(name.to_string());
        while let Some(name) = next.take() {
            if !crate::config::is_theme_name(&name) {
                return Err(named_by.error(ErrorKind::BadThemeName { name }));
            }
            let repeated = chain.contains(&name);
            chain.push(name.clone());
            if repeated || chain.len() > MAX_DEPTH {
                return Err(named_by.error(ErrorKind::ThemeLoop { chain }));
            }
            let dir = root.join(THEMES_DIR).join(&name);
            if fsio::is_dir(&dir) {
                let config_path = dir.join("theme.yaml");
                if fsio::is_file(&config_path) {
                    let text = fsio::read_text(&config_path)?;
                    let shown = display_path(root, &config_path);
                    let config: ThemeConfig = serde_yaml::from_str(&text)
                        .map_err(|e| crate::parse::yaml_error(e, &shown, &text, 0))?;
                    next = config.extends;
                    named_by = NamedBy {
                        path: config_path,
                        shown,
                        key: "extends",
                    };
                }
                layers.push(Layer::Disk(dir));
            } else if name == BUILTIN {
                layers.push(Layer::Builtin);
            } else {
                return Err(named_by.error(ErrorKind::MissingTheme {
                    name,
                    available: fsio::subfolder_names(&root.join(THEMES_DIR)),
                }));
            }
        }
        layers.reverse();
        Ok(Theme { layers })
    }

    /// Every template, parents first and the site's own last, so later ones win.
    pub fn template_sources(&self, root: &Path) -> Result<Vec<TemplateSource>, Error> {
        let mut sources = Vec::new();
        for layer in &self.layers {
            match layer {
                Layer::Disk(dir) => sources.extend(read_templates(root, &dir.join(TEMPLATES_DIR))?),
                Layer::Builtin => {
                    for file in embedded_files(TEMPLATES_DIR) {
                        if let Some(text) = file.contents_utf8() {
                            sources.push(TemplateSource {
                                name: relative_name(file.path(), TEMPLATES_DIR),
                                path: PathBuf::from("(built-in default theme)").join(file.path()),
                                text: text.to_string(),
                            });
                        }
                    }
                }
            }
        }
        sources.extend(read_templates(root, &root.join(TEMPLATES_DIR))?);
        Ok(sources)
    }

    /// Static files: disk files to copy and built-in files to write. A later layer (and the
    /// site's own `static/`) replaces a file of the same name.
    pub fn static_files(&self, root: &Path) -> (Vec<CopyFile>, Vec<OutputFile>) {
        enum Source {
            Disk(PathBuf),
            Builtin(&'static [u8]),
        }
        let mut files: BTreeMap<String, Source> = BTreeMap::new();
        let disk_dirs = self
            .layers
            .iter()
            .map(|layer| match layer {
                Layer::Disk(dir) => Some(dir.join(STATIC_DIR)),
                Layer::Builtin => None,
            })
            .chain([Some(root.join(STATIC_DIR))]);
        for dir in disk_dirs {
            match dir {
                Some(dir) => {
                    for path in files_in(&dir).flatten() {
                        files.insert(relative_name(&path, &dir), Source::Disk(path));
                    }
                }
                None => {
                    for file in embedded_files(STATIC_DIR) {
                        files.insert(
                            relative_name(file.path(), STATIC_DIR),
                            Source::Builtin(file.contents()),
                        );
                    }
                }
            }
        }
        let mut copies = Vec::new();
        let mut outputs = Vec::new();
        for (to, source) in files {
            match source {
                Source::Disk(from) => copies.push(CopyFile { from, to }),
                Source::Builtin(bytes) => outputs.push(OutputFile {
                    path: to,
                    bytes: bytes.to_vec(),
                }),
            }
        }
        (copies, outputs)
    }
}

fn relative_name(path: &Path, folder: impl AsRef<Path>) -> String {
    path.strip_prefix(folder)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn read_templates(root: &Path, dir: &Path) -> Result<Vec<TemplateSource>, Error> {
    if !fsio::is_dir(dir) {
        return Ok(Vec::new());
    }
    files_in(dir)
        .map(|path| {
            let path = path?;
            Ok(TemplateSource {
                name: relative_name(&path, dir),
                text: fsio::read_text(&path)?,
                path: display_path(root, &path),
            })
        })
        .collect()
}

/// The files of a theme's folder, in name order, without hidden files and editor leftovers.
/// Links are not followed: what a link in a theme leads to may lie outside the site.
fn files_in(dir: &Path) -> impl Iterator<Item = Result<PathBuf, Error>> + use<> {
    fsio::walk(dir, Links::DontFollow, |found| {
        found.depth == 0 || !load::is_ignored(&found.name())
    })
    .filter_map(|entry| match entry {
        Ok(entry) if entry.kind == EntryKind::File => Some(Ok(entry.path)),
        Ok(_) => None,
        Err(error) => Some(Err(error)),
    })
}

/// Every file under a folder of the built-in default theme.
fn embedded_files(folder: &str) -> Vec<&'static include_dir::File<'static>> {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<&'static include_dir::File<'static>>) {
        for entry in dir.entries() {
            match entry {
                include_dir::DirEntry::Dir(sub) => walk(sub, out),
                include_dir::DirEntry::File(file) => out.push(file),
            }
        }
    }
    let mut files = Vec::new();
    if let Some(dir) = DEFAULT_THEME.get_dir(folder) {
        walk(dir, &mut files);
    }
    files
}

#[cfg(test)]
mod tests {
    use super::{MAX_DEPTH, Theme};
    use crate::config::is_theme_name;
    use crate::error::{ErrorKind, Lang};

    #[test]
    fn a_theme_extends_its_parent_and_the_site_overrides_both() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("themes/paper/theme.yaml", "extends: default\n");
        write("themes/paper/templates/base.html", "paper base");
        write("themes/paper/static/style.css", "paper css");
        write("static/style.css", "site css");
        write("static/.git/config", "not published");
        let theme = Theme::resolve(root, "paper").unwrap();
        let sources = theme.template_sources(root).unwrap();
        let last_base = sources
            .iter()
            .rev()
            .find(|s| s.name == "base.html")
            .unwrap();
        assert_eq!(last_base.text, "paper base");
        assert!(
            sources.iter().any(|s| s.name == "plan.html"),
            "the parent's templates are there"
        );
        let (copies, builtin) = theme.static_files(root);
        let css: Vec<_> = copies.iter().filter(|c| c.to == "style.css").collect();
        assert_eq!(css.len(), 1);
        assert!(
            css[0].from.ends_with("static/style.css")
                && !css[0].from.to_string_lossy().contains("themes")
        );
        assert!(copies.iter().all(|copy| !copy.to.contains(".git")));
        assert!(builtin.iter().all(|file| file.path != "style.css"));
        assert!(builtin.iter().any(|file| file.path == "lightbox.js"));
    }

    #[test]
    fn a_loop_of_parents_is_an_error_at_the_extends_line() {
        let dir = tempfile::tempdir().unwrap();
        for (name, parent) in [("a", "b"), ("b", "a")] {
            let path = dir.path().join("themes").join(name);
            std::fs::create_dir_all(&path).unwrap();
            std::fs::write(
                path.join("theme.yaml"),
                format!("# {name}\nextends: {parent}\n"),
            )
            .unwrap();
        }
        let error = Theme::resolve(dir.path(), "a").unwrap_err();
        assert!(
            matches!(&error.kind, ErrorKind::ThemeLoop { chain } if chain == &["a", "b", "a"]),
            "{error:?}"
        );
        for lang in [Lang::Zh, Lang::En] {
            assert!(error.message(lang).contains("a → b → a"), "{lang:?}");
        }
        let location = error.location.unwrap();
        assert_eq!(location.path, std::path::Path::new("themes/b/theme.yaml"));
        assert_eq!(location.line, 2);
    }

    #[test]
    fn a_line_of_parents_deeper_than_the_limit_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<String> = (0..=MAX_DEPTH).map(|n| format!("t{n}")).collect();
        for pair in names.windows(2) {
            let path = dir.path().join("themes").join(&pair[0]);
            std::fs::create_dir_all(&path).unwrap();
            std::fs::write(path.join("theme.yaml"), format!("extends: {}\n", pair[1])).unwrap();
        }
        let error = Theme::resolve(dir.path(), "t0").unwrap_err();
        assert!(
            matches!(&error.kind, ErrorKind::ThemeLoop { chain } if chain == &names),
            "{error:?}"
        );
    }

    #[test]
    fn a_theme_name_is_one_folder_of_themes() {
        for good in ["default", "paper", "红色", "paper-2"] {
            assert!(is_theme_name(good), "{good}");
        }
        for bad in [
            "", "/", "..", ".", "a/b", "/etc", "..\\x", "C:", ".git", "a\0b",
        ] {
            assert!(!is_theme_name(bad), "{bad:?}");
        }
        let dir = tempfile::tempdir().unwrap();
        let theme = dir.path().join("themes/escape");
        std::fs::create_dir_all(&theme).unwrap();
        std::fs::write(theme.join("theme.yaml"), "extends: ../..\n").unwrap();
        let error = Theme::resolve(dir.path(), "escape").unwrap_err();
        assert!(matches!(&error.kind, ErrorKind::BadThemeName { name } if name == "../.."));
        assert_eq!(error.location.unwrap().line, 1);
    }
}
