//! Dates as authors write them: `2013-02-22`, `2013-02-22 10:00[:00][+08:00]`,
//! `2013/2/22` and `2013年2月22日`.

use std::fmt;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::parse::BAD_DATE_MARK;

/// A calendar date with an optional time of day and UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    /// The day.
    pub day: NaiveDate,
    /// The time of day, when written.
    pub time: Option<NaiveTime>,
    /// The offset, when written (`+08:00`); the site's time zone applies otherwise.
    pub offset_seconds: Option<i32>,
}

impl Date {
    /// A date with no time.
    pub fn from_day(day: NaiveDate) -> Date {
        Date {
            day,
            time: None,
            offset_seconds: None,
        }
    }

    /// Parses any accepted form; `None` when the text is none of them or not a real day.
    /// Years run from 1 to 9999, so every date herald writes back reads the same.
    pub fn parse(text: &str) -> Option<Date> {
        Date::parse_any_year(text).filter(|date| (1..=9999).contains(&date.day.year()))
    }

    fn parse_any_year(text: &str) -> Option<Date> {
        let text = text.trim();
        if let Some(day) = parse_chinese(text) {
            return Some(Date::from_day(day));
        }
        if text.contains('/') {
            return NaiveDate::parse_from_str(text, "%Y/%m/%d")
                .ok()
                .map(Date::from_day);
        }
        let (day_part, rest) = match text.find([' ', 'T']) {
            Some(index) => (&text[..index], Some(text[index + 1..].trim())),
            None => (text, None),
        };
        if day_part.len() != 10 {
            return None;
        }
        let day = NaiveDate::parse_from_str(day_part, "%Y-%m-%d").ok()?;
        let Some(rest) = rest else {
            return Some(Date::from_day(day));
        };
        let (time_part, offset) = split_offset(rest)?;
        let time = NaiveTime::parse_from_str(time_part, "%H:%M:%S")
            .or_else(|_| NaiveTime::parse_from_str(time_part, "%H:%M"))
            .ok()?;
        Some(Date {
            day,
            time: Some(time),
            offset_seconds: offset,
        })
    }

    /// RFC 3339, in the given offset when the date carries none.
    pub fn rfc3339(&self, default_offset_seconds: i32) -> String {
        let offset = FixedOffset::east_opt(self.offset_seconds.unwrap_or(default_offset_seconds))
            .unwrap_or(FixedOffset::east_opt(0).expect("zero offset"));
        let time = self.time.unwrap_or(NaiveTime::MIN);
        let stamp = self.day.and_time(time).and_local_timezone(offset).single();
        match stamp {
            Some(stamp) => stamp.to_rfc3339(),
            None => format!("{}T00:00:00Z", self.day),
        }
    }
}

/// `2013年2月22日`, with no spaces.
fn parse_chinese(text: &str) -> Option<NaiveDate> {
    let (year, rest) = text.split_once('年')?;
    let (month, rest) = rest.split_once('月')?;
    let day = rest
        .strip_suffix('日')
        .or_else(|| rest.strip_suffix('号'))?;
    NaiveDate::from_ymd_opt(
        year.trim().parse().ok()?,
        month.trim().parse().ok()?,
        day.trim().parse().ok()?,
    )
}

/// Splits `10:00+08:00` (also `+0800` or `+8`) into the time and the offset in seconds;
/// `None` for an offset that is not a real one (hours past 23, minutes past 59).
fn split_offset(text: &str) -> Option<(&str, Option<i32>)> {
    if let Some(time) = text.strip_suffix('Z') {
        return Some((time, Some(0)));
    }
    let Some(index) = text.rfind(['+', '-']) else {
        return Some((text, None));
    };
    let (time, offset) = text.split_at(index);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits = &offset[1..];
    if !digits
        .bytes()
        .all(|byte| byte.is_ascii_digit() || byte == b':')
    {
        return None;
    }
    let (hours, minutes) = match digits.split_once(':') {
        Some(parts) => parts,
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "00"),
    };
    if !(1..=2).contains(&hours.len()) || minutes.len() != 2 {
        return None;
    }
    let (hours, minutes) = (hours.parse::<i32>().ok()?, minutes.parse::<i32>().ok()?);
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some((time.trim(), Some(sign * (hours * 3600 + minutes * 60))))
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.day.format("%Y-%m-%d"))?;
        if let Some(time) = self.time {
            write!(f, " {}", time.format("%H:%M"))?;
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("{BAD_DATE_MARK}{text}{BAD_DATE_MARK}"))
        })
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime};

    use super::Date;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn accepts_every_documented_form() {
        assert_eq!(Date::parse("2013-02-22").unwrap().day, day(2013, 2, 22));
        assert_eq!(Date::parse("2013/2/22").unwrap().day, day(2013, 2, 22));
        assert_eq!(Date::parse("2013年2月22日").unwrap().day, day(2013, 2, 22));
        let with_time = Date::parse("2013-02-22 10:00").unwrap();
        assert_eq!(with_time.time, NaiveTime::from_hms_opt(10, 0, 0));
        let with_offset = Date::parse("2013-02-22 10:00:30+08:00").unwrap();
        assert_eq!(with_offset.time, NaiveTime::from_hms_opt(10, 0, 30));
        assert_eq!(with_offset.offset_seconds, Some(8 * 3600));
    }

    #[test]
    fn rejects_impossible_days_and_other_forms() {
        for bad in [
            "2013年2月30日",
            "2013-02-30",
            "2013-2-2",
            "22/02/2013",
            "明天",
            "2013-02-22 25:00",
            "",
            // Found by fuzzing: years chrono reads but writes back in another form.
            "-013-02-22T10:00:30+0",
            "12345年1月1日",
            "0000-01-01",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad} should be rejected");
        }
    }

    #[test]
    fn offsets_are_read_in_each_form_and_bounded() {
        let offset = |text: &str| Date::parse(text).and_then(|date| date.offset_seconds);
        assert_eq!(offset("2013-02-22 10:00+08:00"), Some(8 * 3600));
        assert_eq!(offset("2013-02-22 10:00+0800"), Some(8 * 3600));
        assert_eq!(offset("2013-02-22 10:00+8"), Some(8 * 3600));
        assert_eq!(
            offset("2013-02-22 10:00-05:30"),
            Some(-(5 * 3600 + 30 * 60))
        );
        // Found by fuzzing: `-0210` was read as minus 210 hours, and a long run of
        // digits overflowed.
        assert_eq!(offset("2013-02-22 5:13-0210"), Some(-(2 * 3600 + 10 * 60)));
        for bad in [
            "2013-02-22 10:00+24:00",
            "2013-02-22 10:00+08:60",
            "2013-02-22 10:00+999999999",
            "2013-02-22 10:00+08:0",
            "2013-02-22 10:00+八",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad} should be rejected");
        }
    }

    #[test]
    fn formats_in_rfc3339() {
        let date = Date::parse("2013-02-22").unwrap();
        assert_eq!(date.rfc3339(8 * 3600), "2013-02-22T00:00:00+08:00");
    }
}
