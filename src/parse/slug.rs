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

pub use crate::limits::MAX_SLUG_BYTES;

/// The first candidate that makes a slug, cut to [`MAX_SLUG_BYTES`] at a word boundary;
/// when none does (a title of punctuation, of kana, a `slug: "/"`), a short hash of
/// `seed` (the source file's path), so the page still has a stable address of its own.
pub fn settle_slug<'a>(candidates: impl IntoIterator<Item = &'a str>, seed: &str) -> String {
    candidates
        .into_iter()
        .find_map(fit_slug)
        .unwrap_or_else(|| hash_slug(seed))
}

/// A slug cut to [`MAX_SLUG_BYTES`] at its last hyphen that fits; `None` when empty.
fn fit_slug(slug: &str) -> Option<String> {
    let slug = slug.trim_matches(['-', '_']);
    if slug.is_empty() {
        return None;
    }
    if slug.len() <= MAX_SLUG_BYTES {
        return Some(slug.to_string());
    }
    // Slugs are ASCII, so every byte is a character boundary.
    let head = &slug[..MAX_SLUG_BYTES];
    let cut = match head.rfind('-') {
        Some(at) if at > 0 => &head[..at],
        _ => head,
    };
    Some(cut.trim_matches(['-', '_']).to_string()).filter(|cut| !cut.is_empty())
}

/// Eight hex digits of a stable 32-bit FNV-1a hash.
pub fn hash_slug(seed: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in seed.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("{hash:08x}")
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
    use proptest::prelude::*;

    use super::{MAX_SLUG_BYTES, anchor, is_ascii_slug, settle_slug, slugify};

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
    fn titles_without_letters_get_a_stable_slug_of_their_own() {
        let slug = settle_slug([slugify("？？？").as_str()], "关于.md");
        assert_eq!(slug.len(), 8);
        assert_eq!(slug, settle_slug([slugify("！？。，").as_str()], "关于.md"));
        assert_ne!(slug, settle_slug([""], "其他.md"));
        assert_eq!(settle_slug(["", "guan-yu"], "关于.md"), "guan-yu");
    }

    #[test]
    fn long_slugs_are_cut_at_a_word() {
        let title = "关于开展二〇二四年度全市新时代文明实践志愿服务暨学雷锋志愿服务月系列主题宣传活动的实施方案";
        let slug = settle_slug([slugify(title).as_str()], "x.md");
        assert!(slug.len() <= MAX_SLUG_BYTES, "{slug}");
        assert!(slugify(title).starts_with(&format!("{slug}-")), "{slug}");
    }

    proptest! {
        /// Any text gives a slug that is a single, short, plain URL name.
        #[test]
        fn settled_slugs_are_plain_names(text in "\\PC{0,200}", seed in "\\PC{0,20}") {
            let slug = settle_slug([slugify(&text).as_str()], &seed);
            prop_assert!(!slug.is_empty() && slug.len() <= MAX_SLUG_BYTES);
            prop_assert!(slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'), "{}", slug);
            prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'));
        }
    }

    #[test]
    fn ascii_file_names_are_slugs() {
        assert!(is_ascii_slug("honghu-2012"));
        assert!(!is_ascii_slug("洪湖"));
        assert!(!is_ascii_slug("a b"));
    }
}
