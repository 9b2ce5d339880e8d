//! A message's Date, read in every form Python's `email.utils.parsedate_to_datetime`
//! reads (RFC 5322, RFC 850, asctime's `Sat Sep 21 08:18:08 2002`, a zone name or none),
//! so the family's mail is dated as any other careful reader would date it. A date that
//! does not exist (31 February, hour 25) is unreadable, never moved to another day.
//! mail-parser's own reading is not used: it reads `029 Apr` as 2 April and takes the
//! next line into a Date ending in `UT`, `Z`, `AM` or `PM`.

use casebook_domain::uk_time_zone;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;
use jiff::{Timestamp, Zoned};

/// What a Date says: a local time and, unless the sender gave no zone (or `-0000`,
/// "zone unknown"), the offset from UTC it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub local: DateTime,
    pub offset: Option<Offset>,
}

impl Written {
    /// The instant, taking a time without a zone as UK time (the family's own).
    pub fn instant(&self) -> Option<Timestamp> {
        match self.offset {
            Some(offset) => offset.to_timestamp(self.local).ok(),
            None => self
                .local
                .to_zoned(uk_time_zone())
                .ok()
                .map(|z| z.timestamp()),
        }
    }
}

/// The time in England at an instant, for the chronology.
pub fn uk_time(instant: Timestamp) -> Zoned {
    instant.to_zoned(uk_time_zone())
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const LONG_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Zone names RFC 822 allowed, as hours and minutes east of UTC.
fn named_zone(name: &str) -> Option<i32> {
    Some(match name {
        "UT" | "UTC" | "GMT" | "Z" => 0,
        "AST" => -400,
        "ADT" => -300,
        "EST" => -500,
        "EDT" => -400,
        "CST" => -600,
        "CDT" => -500,
        "MST" => -700,
        "MDT" => -600,
        "PST" => -800,
        "PDT" => -700,
        _ => return None,
    })
}

fn month(word: &str) -> Option<i8> {
    let word = word.to_ascii_lowercase();
    MONTHS
        .iter()
        .chain(&LONG_MONTHS)
        .position(|m| *m == word)
        .map(|n| (n % 12) as i8 + 1)
}

/// A whole number as Python's `int()` reads one: a sign, digits, and underscores
/// between digits.
fn number(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
        || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    {
        return None;
    }
    let value: i64 = digits.replace('_', "").parse().ok()?;
    Some(if negative { -value } else { value })
}

/// Reads a Date header's value; `None` when it cannot be read as a real date and time.
pub fn read_date(value: &str) -> Option<Written> {
    let mut words: Vec<String> = value.split_whitespace().map(str::to_owned).collect();
    let first = words.first()?;
    // A day name comes first, with or without its comma.
    if first.ends_with(',') || DAYS.contains(&first.to_ascii_lowercase().as_str()) {
        words.remove(0);
    } else if let Some(comma) = first.rfind(',') {
        words[0] = first[comma + 1..].to_owned();
    }
    // RFC 850: "21-Sep-02 08:18:08 GMT".
    if words.len() == 3 {
        let parts: Vec<String> = words[0].split('-').map(str::to_owned).collect();
        if parts.len() == 3 {
            words = parts.into_iter().chain(words.drain(1..)).collect();
        }
    }
    // A zone written against the time: "08:18:08+0100".
    if words.len() == 4 {
        let last = words[3].clone();
        let at = last.find('+').or_else(|| last.find('-'));
        match at {
            Some(at) if at > 0 => {
                words[3] = last[..at].to_owned();
                words.push(last[at..].to_owned());
            }
            _ => words.push(String::new()),
        }
    }
    if words.len() < 5 {
        return None;
    }
    let [mut day, mut mon, mut year, mut time, mut zone] =
        <[String; 5]>::try_from(words[..5].to_vec()).ok()?;
    if day.is_empty() || mon.is_empty() || year.is_empty() {
        return None;
    }
    // "Sep 21" as well as "21 Sep".
    let month_number = match month(&mon) {
        Some(m) => m,
        None => {
            std::mem::swap(&mut day, &mut mon);
            month(&mon)?
        }
    };
    if day.ends_with(',') {
        day.pop();
    }
    // asctime puts the time before the year.
    if year.find(':').is_some_and(|at| at > 0) {
        std::mem::swap(&mut year, &mut time);
    }
    if year.ends_with(',') {
        year.pop();
        if year.is_empty() {
            return None;
        }
    }
    if !year.starts_with(|c: char| c.is_ascii_digit()) {
        std::mem::swap(&mut year, &mut zone);
    }
    if time.ends_with(',') {
        time.pop();
    }
    let parts: Vec<&str> = if time.contains(':') || !time.contains('.') {
        time.split(':').collect()
    } else {
        time.split('.').collect()
    };
    let (hour, minute, second) = match parts.as_slice() {
        [h, m] => (*h, *m, "0"),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    let two_digits = year.len() <= 2;
    let mut year = number(&year).filter(|y| *y >= 1)?;
    let day = number(&day)?;
    let (hour, minute, second) = (number(hour)?, number(minute)?, number(second)?);
    // RFC 5322's obsolete two-digit years. Python also moves "0001" to 2001; a year
    // written with four digits is kept as written (and then refused as impossible).
    if year < 100 && two_digits {
        year += if year > 68 { 1900 } else { 2000 };
    }
    let zone = zone.to_ascii_uppercase();
    let hhmm = named_zone(&zone).map(i64::from).or_else(|| {
        // "-0000" says the zone is unknown.
        number(&zone).filter(|n| !(*n == 0 && zone.starts_with('-')))
    });
    let offset = match hhmm {
        None => None,
        Some(hhmm) => {
            let seconds = hhmm.signum() * ((hhmm.abs() / 100) * 3600 + (hhmm.abs() % 100) * 60);
            // As Python's timezone: strictly less than a day either way.
            if seconds.abs() >= 86_400 {
                return None;
            }
            Some(Offset::from_seconds(i32::try_from(seconds).ok()?).ok()?)
        }
    };
    let date = Date::new(
        i16::try_from(year).ok()?,
        month_number,
        i8::try_from(day).ok()?,
    )
    .ok()?;
    let time = Time::new(
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        0,
    )
    .ok()?;
    Some(Written {
        local: date.to_datetime(time),
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(value: &str) -> Option<String> {
        read_date(value).map(|w| match w.offset {
            Some(o) => format!("{} {o}", w.local),
            None => w.local.to_string(),
        })
    }

    #[test]
    fn the_forms_python_reads_are_read() {
        // Each expected value is what Python 3.11's email.utils.parsedate_to_datetime
        // gives for the same text.
        for (text, expected) in [
            ("Tue, 3 Mar 2026 08:50:00 +0100", "2026-03-03T08:50:00 +01"),
            (
                "Tue, 029 Apr 2019 10:00:00 +0100",
                "2019-04-29T10:00:00 +01",
            ),
            ("Sat Sep 21 08:18:08 2002", "2002-09-21T08:18:08"),
            ("Mon, 2 Sep 2002 10:00:00 UT", "2002-09-02T10:00:00 +00"),
            ("Mon, 2 Sep 2002 10:00:00 Z", "2002-09-02T10:00:00 +00"),
            ("Mon, 2 Sep 2002 10:00:00 EDT", "2002-09-02T10:00:00 -04"),
            ("Mon, 2 Sep 2002 10:00:00 -0000", "2002-09-02T10:00:00"),
            (
                "Mon, 2 Sep 2002 10:00 -0430 (VET)",
                "2002-09-02T10:00:00 -04:30",
            ),
            ("2 Sep 02 10:00:00+0100", "2002-09-02T10:00:00 +01"),
            ("Monday, 02-Sep-02 10:00:00 GMT", "2002-09-02T10:00:00 +00"),
            ("Mon,2 Sep 2002 10.00.30 CEST", "2002-09-02T10:00:30"),
            ("Sep 2 2002 10:00:00 PM", "2002-09-02T10:00:00"),
        ] {
            assert_eq!(read(text).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn dates_that_do_not_exist_are_not_read_as_other_dates() {
        for text in [
            "Tue, 31 Feb 2026 08:50:00 +0000",
            "Tue, 3 Mar 2026 25:00:00 +0000",
            "Tue, 3 Mar 2026 08:50:00 +2400",
            "3 Smarch 2026 08:50:00 +0000",
            "yesterday",
            "",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
    }
}
