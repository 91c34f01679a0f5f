//! The kinds of content and the folders and URLs that go with them.

use serde::Serialize;

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// 活动方案
    Plan,
    /// 倡议书
    Initiative,
    /// 典型事迹
    Story,
    /// 相册
    Gallery,
    /// Any other page: 关于我们, 联系方式.
    Page,
}

impl Kind {
    /// The kinds that have an index and a feed, in the order the site shows them.
    pub const LISTED: [Kind; 4] = [Kind::Plan, Kind::Initiative, Kind::Story, Kind::Gallery];

    /// From the `type:` field.
    pub fn from_type(value: &str) -> Option<Kind> {
        match value.trim().to_ascii_lowercase().as_str() {
            "plan" | "活动方案" | "方案" => Some(Kind::Plan),
            "initiative" | "倡议书" => Some(Kind::Initiative),
            "story" | "典型事迹" | "事迹" => Some(Kind::Story),
            "gallery" | "相册" => Some(Kind::Gallery),
            "page" | "页面" => Some(Kind::Page),
            _ => None,
        }
    }

    /// From a folder name, English or Chinese.
    pub fn from_folder(name: &str) -> Option<Kind> {
        match name {
            "plans" | "方案" => Some(Kind::Plan),
            "initiatives" | "倡议书" => Some(Kind::Initiative),
            "stories" | "事迹" => Some(Kind::Story),
            "galleries" | "相册" => Some(Kind::Gallery),
            _ => None,
        }
    }

    /// The URL section: `plans`, …; empty for pages, which live at the root.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Plan => "plans",
            Kind::Initiative => "initiatives",
            Kind::Story => "stories",
            Kind::Gallery => "galleries",
            Kind::Page => "",
        }
    }

    /// The Chinese name shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Plan => "活动方案",
            Kind::Initiative => "倡议书",
            Kind::Story => "典型事迹",
            Kind::Gallery => "相册",
            Kind::Page => "页面",
        }
    }

    /// The English identifier, as in `type:` and template names.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Plan => "plan",
            Kind::Initiative => "initiative",
            Kind::Story => "story",
            Kind::Gallery => "gallery",
            Kind::Page => "page",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn folders_in_either_language_give_the_kind() {
        assert_eq!(Kind::from_folder("方案"), Some(Kind::Plan));
        assert_eq!(Kind::from_folder("stories"), Some(Kind::Story));
        assert_eq!(Kind::from_folder("相册"), Some(Kind::Gallery));
        assert_eq!(Kind::from_folder("misc"), None);
        assert_eq!(Kind::from_type("Initiative"), Some(Kind::Initiative));
        assert_eq!(Kind::from_type("poster"), None);
    }
}
