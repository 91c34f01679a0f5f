//! `herald new` and `herald init`: new content from archetypes, new sites from a skeleton.
//! These are the only commands that write into `content/`, and they never overwrite.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use clap::ValueEnum;

use crate::config::SiteConfig;
use crate::error::{Error, ErrorKind, Result};
use crate::fsio;
use crate::parse::slug::{settle_slug, slugify};

/// What `herald new` can create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewKind {
    /// 活动方案
    Plan,
    /// 倡议书
    Initiative,
    /// 典型事迹
    Story,
    /// 相册 (a folder with index.md)
    Gallery,
    /// 普通页面
    Page,
    /// 活动
    Campaign,
}

impl NewKind {
    fn archetype(self) -> &'static str {
        match self {
            NewKind::Plan => include_str!("plan.md"),
            NewKind::Initiative => include_str!("initiative.md"),
            NewKind::Story => include_str!("story.md"),
            NewKind::Gallery => include_str!("gallery.md"),
            NewKind::Page => include_str!("page.md"),
            NewKind::Campaign => include_str!("campaign.md"),
        }
    }

    fn relative_path(self, slug: &str) -> PathBuf {
        match self {
            NewKind::Plan => PathBuf::from(format!("plans/{slug}.md")),
            NewKind::Initiative => PathBuf::from(format!("initiatives/{slug}.md")),
            NewKind::Story => PathBuf::from(format!("stories/{slug}.md")),
            NewKind::Gallery => PathBuf::from(format!("galleries/{slug}/index.md")),
            NewKind::Page => PathBuf::from(format!("{slug}.md")),
            NewKind::Campaign => PathBuf::from(format!("campaigns/{slug}.md")),
        }
    }
}

/// The archetype's text with the title and date filled in.
pub fn fill_archetype(kind: NewKind, title: &str, today: NaiveDate) -> String {
    let quoted = serde_yaml::to_string(title).unwrap_or_else(|_| title.to_string());
    kind.archetype()
        .replace("{title}", quoted.trim_end())
        .replace("{date}", &today.format("%Y-%m-%d").to_string())
}

/// Creates a content file dated the site's today at the instant `now`; returns its path.
/// Never overwrites.
pub fn new_content(root: &Path, kind: NewKind, title: &str, now: DateTime<Utc>) -> Result<PathBuf> {
    let (config, _) = SiteConfig::load(root)?;
    let today = config.day_at(now);
    let slug = settle_slug([slugify(title).as_str(), "untitled"], title);
    let path = root
        .join(crate::load::CONTENT_DIR)
        .join(kind.relative_path(&slug));
    fsio::write_new(&path, fill_archetype(kind, title, today).as_bytes())?;
    Ok(path)
}

/// Creates a new site in an empty or new folder, with example content that builds at once,
/// dated the new site's today at the instant `now`.
pub fn init_site(dir: &Path, now: DateTime<Utc>) -> Result<()> {
    if !fsio::folder_entries(dir).is_empty() {
        return Err(Error::in_file(ErrorKind::NotEmpty, dir));
    }
    let skeleton = include_str!("site.yaml");
    let config_path = dir.join(crate::config::CONFIG_FILE);
    let (config, _) = SiteConfig::parse(skeleton, &config_path)?;
    let today = config.day_at(now);
    fsio::write_new(&config_path, skeleton.as_bytes())?;
    fsio::create_dir_all(&dir.join("static"))?;
    let campaign = "example-campaign";
    let mut campaign_text = fill_archetype(NewKind::Campaign, "示例活动", today);
    campaign_text = campaign_text.replace(
        "活动简介。",
        "这是 herald init 生成的示例活动,可以直接修改或删除。",
    );
    fsio::write_new(
        &dir.join(format!("content/campaigns/{campaign}.md")),
        campaign_text.as_bytes(),
    )?;
    let plan = fill_archetype(NewKind::Plan, "示例活动方案", today).replace(
        "# campaign: 2024-xue-lei-feng",
        &format!("campaign: {campaign}"),
    );
    fsio::write_new(&dir.join("content/plans/example-plan.md"), plan.as_bytes())?;
    let about = fill_archetype(NewKind::Page, "关于我们", today);
    fsio::write_new(&dir.join("content/about.md"), about.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::{NewKind, fill_archetype};
    use crate::parse::document::Document;

    #[test]
    fn every_archetype_parses_as_valid_front_matter() {
        let today = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
        for kind in [
            NewKind::Plan,
            NewKind::Initiative,
            NewKind::Story,
            NewKind::Gallery,
            NewKind::Page,
            NewKind::Campaign,
        ] {
            let text = fill_archetype(kind, "标题: 含冒号", today);
            let doc = Document::parse(text, "a.md".as_ref(), "a.md".as_ref())
                .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
            assert_eq!(doc.front.title.as_deref(), Some("标题: 含冒号"));
            assert!(doc.warnings.is_empty(), "{kind:?}: {:?}", doc.warnings);
        }
    }
}
