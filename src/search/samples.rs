//! Pages to index in tests: made up, or a deterministic pseudo-random corpus.

use super::SearchDoc;

pub fn doc(title: &str, text: &str) -> SearchDoc<'static> {
    SearchDoc {
        url: String::new(),
        title: title.to_string().into(),
        kind: "plan",
        campaign: None,
        date: None,
        extra: String::new(),
        body: text.to_string().into(),
    }
}

/// A deterministic pseudo-random corpus of Chinese and ASCII text.
pub fn corpus(count: usize) -> Vec<SearchDoc<'static>> {
    let alphabet: Vec<char> = "志愿服务敬老院植树报名学雷锋社区关爱活动方案倡议书aBc12"
        .chars()
        .collect();
    let mut state: u64 = 7;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    (0..count)
        .map(|_| {
            let mut text = String::new();
            for _ in 0..(20 + next() % 200) {
                text.push(alphabet[next() % alphabet.len()]);
                if next() % 9 == 0 {
                    text.push(if next() % 2 == 0 { ',' } else { ' ' });
                }
            }
            let title: String = (0..(2 + next() % 6))
                .map(|_| alphabet[next() % alphabet.len()])
                .collect();
            doc(&title, &text)
        })
        .collect()
}
