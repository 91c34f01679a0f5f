//! How the search index is written for the browser: numbers as base-64 digits, a key's
//! pages as a list of gaps or as a bitmap, and the hash that picks a key's shard. Each
//! function here has a mirror in themes/default/static/search.js and
//! benches/search_size.py.

/// The characters of the base-64 variable-length numbers, as in source maps: each digit
/// holds five bits, and a sixth bit says another digit follows.
const VLQ_DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends a number as base-64 digits, low bits first.
pub fn vlq(out: &mut String, mut value: u32) {
    loop {
        let mut digit = value & 31;
        value >>= 5;
        if value > 0 {
            digit |= 32;
        }
        out.push(VLQ_DIGITS[digit as usize] as char);
        if value == 0 {
            break;
        }
    }
}

/// Reads back what `vlq` wrote.
pub fn unvlq(text: &str) -> Vec<u32> {
    let mut numbers = Vec::new();
    let (mut value, mut shift) = (0u32, 0u32);
    for byte in text.bytes() {
        let digit = digit_value(byte);
        value |= (digit & 31) << shift;
        if digit & 32 != 0 {
            shift += 5;
        } else {
            numbers.push(value);
            value = 0;
            shift = 0;
        }
    }
    numbers
}

fn digit_value(byte: u8) -> u32 {
    VLQ_DIGITS.iter().position(|&d| d == byte).unwrap_or(0) as u32
}

/// A page number with whether the key occurs in the page's title (the low bit): one entry
/// of a key's list, as it is added and as it is read back.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Posting(u32);

impl Posting {
    /// Page `doc` (below 2³¹), with the key in its title or not.
    pub fn new(doc: u32, in_title: bool) -> Posting {
        Posting(doc << 1 | u32::from(in_title))
    }

    /// The page's number.
    pub fn doc(self) -> u32 {
        self.0 >> 1
    }

    /// Whether the key occurs in the page's title.
    pub fn in_title(self) -> bool {
        self.0 & 1 == 1
    }
}

impl std::fmt::Debug for Posting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "({}, {})", self.doc(), self.in_title())
    }
}

/// Marks a list written as a bitmap; what follows the `.` is the list of title pages.
const BITMAP: char = '!';
const TITLES: char = '.';

/// A key's pages, ascending, each with whether the key occurs in its title, in the
/// shorter of two forms:
/// - a list: per page one number, twice the gap from the previous page plus the title flag
///   (`A` … for a page right after the previous one: one character per page);
/// - a bitmap, for keys on many pages: `!`, one base-64 digit per six pages (bit `i` of
///   digit `k` is page `6k + i`), `.`, then the gaps between the title pages.
pub fn encode_pages(pages: &[Posting]) -> String {
    let mut list = PageList::default();
    for &page in pages {
        list.push(page);
    }
    list.encode()
}

/// A key's pages, added in ascending order and held as the list form of `encode_pages`
/// from the start: one or two characters a page, where a number would take four bytes;
/// a large site holds a hundred million of them while it is indexed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageList {
    list: String,
    last: u32,
}

impl PageList {
    /// Adds a page after every page already added.
    pub fn push(&mut self, page: Posting) {
        debug_assert!(self.list.is_empty() || page.doc() > self.last);
        vlq(
            &mut self.list,
            (page.doc() - self.last) * 2 + u32::from(page.in_title()),
        );
        self.last = page.doc();
    }

    /// The pages, read back.
    pub fn pages(&self) -> Vec<Posting> {
        decode_pages(&self.list)
    }

    /// The list, or the bitmap when that is shorter.
    pub fn encode(&self) -> String {
        // A bitmap costs a character per six pages up to the last: only worth it when dense.
        if self.list.is_empty() || (self.last as usize / 6 + 1) >= self.list.len() {
            return self.list.clone();
        }
        let pages = self.pages();
        let mut bits = vec![0u8; self.last as usize / 6 + 1];
        for doc in pages.iter().map(|page| page.doc()) {
            bits[doc as usize / 6] |= 1 << (doc % 6);
        }
        let mut bitmap = String::with_capacity(bits.len() + 8);
        bitmap.push(BITMAP);
        bitmap.extend(bits.iter().map(|&b| VLQ_DIGITS[usize::from(b)] as char));
        bitmap.push(TITLES);
        let mut previous = 0;
        for doc in pages
            .iter()
            .filter(|page| page.in_title())
            .map(|page| page.doc())
        {
            vlq(&mut bitmap, doc - previous);
            previous = doc;
        }
        if bitmap.len() < self.list.len() {
            bitmap
        } else {
            self.list.clone()
        }
    }
}

/// Reads back what `encode_pages` wrote.
pub fn decode_pages(text: &str) -> Vec<Posting> {
    let Some(rest) = text.strip_prefix(BITMAP) else {
        let mut doc = 0;
        return unvlq(text)
            .into_iter()
            .map(|n| {
                doc += n / 2;
                Posting::new(doc, n % 2 == 1)
            })
            .collect();
    };
    let (bits, titles) = rest.split_once(TITLES).unwrap_or((rest, ""));
    let mut title_docs = unvlq(titles).into_iter().scan(0, |doc, gap| {
        *doc += gap;
        Some(*doc)
    });
    let mut next_title = title_docs.next();
    let mut pages = Vec::new();
    for (k, byte) in bits.bytes().enumerate() {
        let digit = digit_value(byte);
        for i in 0..6 {
            if digit & (1 << i) != 0 {
                let doc = (k * 6 + i) as u32;
                let in_title = next_title == Some(doc);
                if in_title {
                    next_title = title_docs.next();
                }
                pages.push(Posting::new(doc, in_title));
            }
        }
    }
    pages
}

/// The shard a key lives in: a stable FNV-1a hash over its UTF-16 units.
pub fn shard_of(key: &str, shards: u32) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for unit in key.encode_utf16() {
        hash ^= u32::from(unit);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % shards.max(1)
}

#[cfg(test)]
mod tests {
    use super::{Posting, decode_pages, encode_pages, shard_of, unvlq, vlq};

    fn postings(pages: &[(u32, bool)]) -> Vec<Posting> {
        pages
            .iter()
            .map(|&(doc, title)| Posting::new(doc, title))
            .collect()
    }

    #[test]
    fn numbers_survive_their_encoding() {
        let numbers = [0, 1, 31, 32, 1000, 100_000, 250_123, u32::MAX >> 2];
        let mut text = String::new();
        for n in numbers {
            vlq(&mut text, n);
        }
        assert_eq!(unvlq(&text), numbers);
        let mut small = String::new();
        vlq(&mut small, 5);
        assert_eq!(small.len(), 1, "small gaps take one character");
    }

    #[test]
    fn sparse_lists_are_gaps_and_dense_lists_bitmaps() {
        let sparse = postings(&[(3, false), (40, true), (41, false), (5_000, true)]);
        let text = encode_pages(&sparse);
        assert!(!text.starts_with('!'), "{text}");
        assert_eq!(decode_pages(&text), sparse);

        // Every page but a few, some with the key in the title: one bit per page.
        let dense: Vec<Posting> = (0..10_000)
            .filter(|doc| doc % 97 != 5)
            .map(|doc| Posting::new(doc, doc % 1_000 == 0 || doc == 9_999))
            .collect();
        let text = encode_pages(&dense);
        assert!(text.starts_with('!'), "{}", &text[..20]);
        assert!(text.len() < 10_000 / 6 + 40, "{} characters", text.len());
        assert_eq!(decode_pages(&text), dense);

        assert_eq!(decode_pages(&encode_pages(&[])), vec![]);
        let first = postings(&[(0, true)]);
        assert_eq!(decode_pages(&encode_pages(&first)), first);
        let last = postings(&[((1 << 31) - 1, true)]);
        assert_eq!(
            last[0].doc(),
            (1 << 31) - 1,
            "a page number keeps all its bits"
        );
        assert_eq!(decode_pages(&encode_pages(&last)), last);
    }

    #[test]
    fn every_list_survives_its_encoding() {
        // Lists of every density, from one page in a hundred to every page.
        let mut state: u64 = 11;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            state >> 33
        };
        for step in [1, 2, 3, 5, 8, 13, 40, 100] {
            let mut pages = Vec::new();
            for doc in 0..600u32 {
                if next() % step == 0 {
                    pages.push(Posting::new(doc, next() % 7 == 0));
                }
            }
            assert_eq!(decode_pages(&encode_pages(&pages)), pages, "step {step}");
        }
    }

    #[test]
    fn shards_are_stable() {
        assert_eq!(shard_of("志愿", 1), 0);
        assert_eq!(shard_of("志愿", 7), 6, "the same as search.js computes");
    }
}
