//! How dates, ranges and countdowns are written, shared by views, templates, feeds and the
//! search index.

use chrono::{Datelike, NaiveDate};

use crate::model::campaign::Status;

/// `2013-02-22`, as `%Y-%m-%d` gives it, without parsing a format on every call.
pub fn date_iso(day: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
}

/// `20130222`, iCalendar's basic form.
pub fn date_basic(day: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", day.year(), day.month(), day.day())
}

/// `2013年2月22日`
pub fn date_zh(day: NaiveDate) -> String {
    format!("{}年{}月{}日", day.year(), day.month(), day.day())
}

/// `星期五`
pub fn weekday_zh(day: NaiveDate) -> &'static str {
    [
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期日",
    ][day.weekday().num_days_from_monday() as usize]
}

/// `9月4日至9月15日`, with years when the span crosses one or `with_year` asks.
pub fn date_range_zh(start: NaiveDate, end: NaiveDate, with_year: bool) -> String {
    if start == end {
        return if with_year {
            date_zh(start)
        } else {
            format!("{}月{}日", start.month(), start.day())
        };
    }
    let month_day = |day: NaiveDate| format!("{}月{}日", day.month(), day.day());
    if start.year() != end.year() {
        format!("{}至{}", date_zh(start), date_zh(end))
    } else if with_year {
        format!("{}至{}", date_zh(start), month_day(end))
    } else {
        format!("{}至{}", month_day(start), month_day(end))
    }
}

/// `距开始还有 3 天`, `进行中 · 还剩 12 天`, `已结束`.
pub fn countdown_zh(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> String {
    let remaining = remaining_zh(start, end, today);
    match Status::of(start, end, today) {
        Status::Upcoming => remaining,
        Status::Ongoing => format!("{} · {remaining}", Status::Ongoing.label()),
        Status::Ended => Status::Ended.label().to_string(),
    }
}

/// The part of a countdown after the status: `距开始还有 3 天`, `还剩 12 天`, or nothing once ended.
pub fn remaining_zh(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> String {
    match Status::of(start, end, today) {
        Status::Upcoming => format!("距开始还有 {} 天", (start - today).num_days()),
        Status::Ongoing => format!("还剩 {} 天", (end - today).num_days() + 1),
        Status::Ended => String::new(),
    }
}

/// `一`, `十二`, `二十三`: Chinese numerals for heading numbers up to 99.
pub fn chinese_numeral(number: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match number {
        0..=9 => DIGITS[number as usize].to_string(),
        10..=19 => format!(
            "十{}",
            if number == 10 {
                ""
            } else {
                DIGITS[(number % 10) as usize]
            }
        ),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(number / 10) as usize],
            if number.is_multiple_of(10) {
                ""
            } else {
                DIGITS[(number % 10) as usize]
            }
        ),
        _ => number.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::{
        chinese_numeral, countdown_zh, date_basic, date_iso, date_range_zh, date_zh, remaining_zh,
        weekday_zh,
    };

    #[test]
    fn dates_are_written_as_strftime_writes_them() {
        for (y, m, d) in [(2013, 2, 22), (1999, 12, 31), (2026, 1, 1), (987, 7, 4)] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(date_iso(day), day.format("%Y-%m-%d").to_string());
            assert_eq!(date_basic(day), day.format("%Y%m%d").to_string());
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_and_ranges() {
        assert_eq!(date_zh(day(2013, 2, 22)), "2013年2月22日");
        assert_eq!(weekday_zh(day(2013, 2, 22)), "星期五");
        assert_eq!(
            date_range_zh(day(2012, 9, 4), day(2012, 9, 15), false),
            "9月4日至9月15日"
        );
        assert_eq!(
            date_range_zh(day(2012, 9, 4), day(2012, 9, 15), true),
            "2012年9月4日至9月15日"
        );
        assert_eq!(
            date_range_zh(day(2012, 12, 20), day(2013, 1, 5), false),
            "2012年12月20日至2013年1月5日"
        );
        assert_eq!(
            date_range_zh(day(2012, 9, 4), day(2012, 9, 4), false),
            "9月4日"
        );
    }

    #[test]
    fn a_chinese_date_reads_back_as_the_same_day() {
        for day in [day(2013, 2, 22), day(1, 1, 1), day(9999, 12, 31)] {
            let written = date_zh(day);
            let read = crate::parse::date::Date::parse(&written).map(|date| date.day);
            assert_eq!(read, Some(day), "{written}");
        }
    }

    #[test]
    fn countdowns() {
        let (start, end) = (day(2013, 3, 1), day(2013, 3, 31));
        assert_eq!(
            countdown_zh(start, end, day(2013, 2, 26)),
            "距开始还有 3 天"
        );
        assert_eq!(
            countdown_zh(start, end, day(2013, 3, 20)),
            "进行中 · 还剩 12 天"
        );
        assert_eq!(countdown_zh(start, end, day(2013, 4, 1)), "已结束");
        assert_eq!(remaining_zh(start, end, day(2013, 3, 31)), "还剩 1 天");
        assert_eq!(remaining_zh(start, end, day(2013, 4, 1)), "");
    }

    #[test]
    fn numerals() {
        let numbers: Vec<String> = [1, 3, 10, 12, 20, 23]
            .iter()
            .map(|n| chinese_numeral(*n))
            .collect();
        assert_eq!(numbers, ["一", "三", "十", "十二", "二十", "二十三"]);
    }
}
