//! What a build starts from: what it is asked to do, and the site it is asked to do it to.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::{CONFIG_FILE, SiteConfig};
use crate::error::{Error, Warning};
use crate::load::CONTENT_DIR;
use crate::theme::{STATIC_DIR, TEMPLATES_DIR, THEMES_DIR, Theme};

/// Everything a build reads, relative to the site root: a change to any of them means a
/// rebuild, and the output may never replace one or lie inside one.
pub const SOURCES: &[&str] = &[
    CONTENT_DIR,
    TEMPLATES_DIR,
    STATIC_DIR,
    THEMES_DIR,
    CONFIG_FILE,
];

/// What a build or check is asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site's root folder.
    pub root: PathBuf,
    /// Where to write; `root/public` when not given.
    pub output: Option<PathBuf>,
    /// Include drafts.
    pub drafts: bool,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    /// "Today"; the real today in the site's time zone when not given.
    pub now: Option<NaiveDate>,
}

/// The site a build works on: its folder, its settings with their warnings, and its theme,
/// each read once per build and handed down to the stages that need them.
#[derive(Debug, Clone)]
pub struct Project {
    /// The site's root folder.
    pub root: PathBuf,
    /// `site.yaml`, with `--base-url` applied.
    pub config: SiteConfig,
    /// What reading `site.yaml` found to warn about.
    pub warnings: Vec<Warning>,
    /// The theme `site.yaml` names, with its parents.
    pub theme: Theme,
}

impl Project {
    /// Reads `site.yaml`, applies `--base-url` and resolves the theme.
    pub fn load(options: &BuildOptions) -> Result<Project, Error> {
        let (mut config, warnings) = SiteConfig::load(&options.root)?;
        if let Some(base_url) = &options.base_url {
            config.override_base_url(base_url)?;
        }
        Project::new(&options.root, config, warnings)
    }

    /// A project whose settings are already read: only its theme is resolved.
    pub fn new(root: &Path, config: SiteConfig, warnings: Vec<Warning>) -> Result<Project, Error> {
        let theme = Theme::resolve(root, &config.theme)?;
        Ok(Project {
            root: root.to_path_buf(),
            config,
            warnings,
            theme,
        })
    }
}
