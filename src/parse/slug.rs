//! Slugs for URLs (pinyin for Chinese) and anchors for headings (Chinese kept).

use pinyin::ToPinyin;

/// A URL slug: ASCII words kept, Chinese characters spelled in toneless pinyin,
/// everything joined by single hyphens. `学雷锋志愿服务倡议书` → `xue-lei-feng-zhi-yuan-fu-wu-chang-yi-shu`.
pub fn slugify(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut ascii_word = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            ascii_word.push(c.to_ascii_lowercase());
            continue;
        }
        if !ascii_word.is_empty() {
            words.push(std::mem::take(&mut ascii_word));
        }
        if let Some(pinyin) = c.to_pinyin() {
            // ü is written v, as on Chinese keyboards, so URLs stay ASCII: 绿 → lv.
            words.push(pinyin.plain().replace('ü', "v"));
        }
    }
    if !ascii_word.is_empty() {
        words.push(ascii_word);
    }
    words.join("-")
}

/// Whether a file name can serve as a slug as it is.
pub fn is_ascii_slug(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A heading anchor: letters and digits of any script kept, spaces to hyphens,
/// punctuation dropped. `一、目标任务` → `一目标任务`.
pub fn anchor(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_') && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "section".into()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{anchor, is_ascii_slug, slugify};

    #[test]
    fn chinese_titles_become_pinyin() {
        assert_eq!(
            slugify("学雷锋志愿服务倡议书"),
            "xue-lei-feng-zhi-yuan-fu-wu-chang-yi-shu"
        );
        assert_eq!(
            slugify("2013年学雷锋活动"),
            "2013-nian-xue-lei-feng-huo-dong"
        );
        assert_eq!(slugify("Hello, 世界!"), "hello-shi-jie");
        assert_eq!(
            slugify("“三走进三服务”活动方案"),
            "san-zou-jin-san-fu-wu-huo-dong-fang-an"
        );
    }

    #[test]
    fn u_umlaut_becomes_v() {
        // Found by the property tests: 䂮 is "lüe".
        assert_eq!(slugify("绿色环保"), "lv-se-huan-bao");
        assert_eq!(slugify("䂮"), "lve");
        assert_eq!(slugify("女"), "nv");
    }

    #[test]
    fn anchors_keep_chinese() {
        assert_eq!(anchor("一、目标任务"), "一目标任务");
        assert_eq!(anchor("Phase 2: 报名 登记"), "phase-2-报名-登记");
        assert_eq!(anchor("!!!"), "section");
    }

    #[test]
    fn ascii_file_names_are_slugs() {
        assert!(is_ascii_slug("honghu-2012"));
        assert!(!is_ascii_slug("洪湖"));
        assert!(!is_ascii_slug("a b"));
    }
}
