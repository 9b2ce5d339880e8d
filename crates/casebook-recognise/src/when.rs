//! Dates and times as schools and councils write them: "3 March 2026", "3rd March",
//! "Tuesday 3rd March 2026", "March 3, 2026", "03/03/2026", "Thursday 12th"; "2pm",
//! "2.30 pm", "14:00", "9:15", "midday". A date without its year is read near the day
//! the letter arrived.

use std::ops::Range;
use std::sync::LazyLock;

use jiff::civil::{Date, Time, Weekday};
use regex::Regex;

const MONTH: &str = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const WEEKDAY: &str = r"(mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?";

#[allow(clippy::expect_used)]
fn pattern(text: &str) -> Regex {
    // The patterns are constants of this file, tested below: a failure is a mistake here.
    Regex::new(text).expect("a date pattern of casebook's own")
}

static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}\b\.?,?(?:\s+(\d{{4}})\b)?"
    ))
});
static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"(?i)\b{MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b,?(?:\s+(\d{{4}})\b)?"
    ))
});
static NUMERIC: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b(\d{1,2})([/.])(\d{1,2})[/.](\d{4}|\d{2})\b"));
static WEEKDAY_DAY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"(?i)\b{WEEKDAY},?\s+(?:the\s+)?(\d{{1,2}})(st|nd|rd|th)\b"
    ))
});
static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)(?:^|[^\d£$.,:/])(\d{1,2})(?:[:.](\d{2}))?\s?(a\.?m\.?|p\.?m\.?)(?:[^a-z]|$)|(?:^|[^\d£$.,:/])([01]?\d|2[0-3])[:.]([0-5]\d)(?:[^\d.:/]|$)|\b(midday|noon)\b",
    )
});

/// A date found in a text, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub date: Date,
    pub at: Range<usize>,
    /// The year was written; without it, it was taken from the day the letter arrived.
    pub with_year: bool,
}

/// Every date in `text`, in the order written. `near` is the day the letter arrived: a
/// date without a year is the one nearest it; a day without a month ("Thursday 12th")
/// is the next with that weekday, on or after it.
pub fn dates(text: &str, near: Option<Date>) -> Vec<Found> {
    let mut found = Vec::new();
    // "3 March 2026" and "March 3, 2026": the day and the month in either order.
    for (pattern, day_at, month_at) in [(&*DAY_MONTH, 1, 2), (&*MONTH_DAY, 2, 1)] {
        for c in pattern.captures_iter(text) {
            let (Some(all), Some(day), Some(month)) = (c.get(0), c.get(day_at), c.get(month_at))
            else {
                continue;
            };
            let year = c.get(3).map(|y| y.as_str());
            push(
                &mut found,
                all.range(),
                day.as_str(),
                month_number(month.as_str()),
                year,
                near,
            );
        }
    }
    for c in NUMERIC.captures_iter(text) {
        let (Some(all), Some(day), Some(month), Some(year)) =
            (c.get(0), c.get(1), c.get(3), c.get(4))
        else {
            continue;
        };
        let year = match year.as_str() {
            y if y.len() == 2 => format!("20{y}"),
            y => y.to_owned(),
        };
        push(
            &mut found,
            all.range(),
            day.as_str(),
            month.as_str().parse().ok(),
            Some(&year),
            near,
        );
    }
    for c in WEEKDAY_DAY.captures_iter(text) {
        let (Some(all), Some(weekday), Some(day), Some(near)) =
            (c.get(0), c.get(1), c.get(2), near)
        else {
            continue;
        };
        if found
            .iter()
            .any(|f| f.at.start <= all.end() && all.start() <= f.at.end)
        {
            continue;
        }
        if let (Some(weekday), Ok(day)) = (weekday_of(weekday.as_str()), day.as_str().parse::<i8>())
            && let Some(date) = next_with(near, weekday, day)
        {
            found.push(Found {
                date,
                at: all.range(),
                with_year: false,
            });
        }
    }
    found.sort_by_key(|f| f.at.start);
    found
}

fn push(
    found: &mut Vec<Found>,
    at: Range<usize>,
    day: &str,
    month: Option<i8>,
    year: Option<&str>,
    near: Option<Date>,
) {
    if found
        .iter()
        .any(|f| f.at.start < at.end && at.start < f.at.end)
    {
        return;
    }
    let (Ok(day), Some(month)) = (day.parse::<i8>(), month) else {
        return;
    };
    let date = match year.and_then(|y| y.parse::<i16>().ok()) {
        Some(year) => Date::new(year, month, day).ok(),
        None => near.and_then(|near| nearest(near, month, day)),
    };
    if let Some(date) = date {
        found.push(Found {
            date,
            at,
            with_year: year.is_some(),
        });
    }
}

/// The date with this day and month nearest `near`: in its year, the year before or the
/// year after ("3 January" in a letter of 20 December is next month).
fn nearest(near: Date, month: i8, day: i8) -> Option<Date> {
    [near.year() - 1, near.year(), near.year() + 1]
        .into_iter()
        .filter_map(|y| Date::new(y, month, day).ok())
        .min_by_key(|d| (*d - near).get_days().abs())
}

/// The first day on or after `from`, within about two months, that is `weekday` the
/// `day`th.
fn next_with(from: Date, weekday: Weekday, day: i8) -> Option<Date> {
    let mut month = from.first_of_month();
    for _ in 0..3 {
        if let Ok(date) = Date::new(month.year(), month.month(), day)
            && date >= from
            && date.weekday() == weekday
        {
            return Some(date);
        }
        month = month.checked_add(jiff::Span::new().months(1)).ok()?;
    }
    None
}

fn month_number(name: &str) -> Option<i8> {
    let name = name.to_lowercase();
    casebook_documents::phrases::MONTHS
        .iter()
        .position(|m| m.starts_with(&name[..name.len().min(3)]))
        .and_then(|i| i8::try_from(i + 1).ok())
}

fn weekday_of(name: &str) -> Option<Weekday> {
    let name = name.to_lowercase();
    let days = [
        ("mon", Weekday::Monday),
        ("tue", Weekday::Tuesday),
        ("wed", Weekday::Wednesday),
        ("thu", Weekday::Thursday),
        ("fri", Weekday::Friday),
        ("sat", Weekday::Saturday),
        ("sun", Weekday::Sunday),
    ];
    days.iter()
        .find(|(short, _)| name.starts_with(short))
        .map(|(_, d)| *d)
}

/// Every time of day in `text`: "2pm", "2.30 pm", "14:00", "09:15", "midday". A time
/// without am or pm from 1:00 to 7:59 is in the afternoon ("3.30 after pick-up"): a
/// school does not meet a family in the small hours.
pub fn times(text: &str) -> Vec<Time> {
    let mut out = Vec::new();
    for c in CLOCK.captures_iter(text) {
        let time = if c.get(6).is_some() {
            Time::new(12, 0, 0, 0).ok()
        } else if let (Some(hour), Some(half)) = (c.get(1), c.get(3)) {
            let hour: i8 = hour.as_str().parse().unwrap_or(99);
            let minute: i8 = c.get(2).map_or(Ok(0), |m| m.as_str().parse()).unwrap_or(99);
            let pm = half.as_str().to_lowercase().starts_with('p');
            let hour = match (hour, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
            Time::new(hour, minute, 0, 0).ok().filter(|_| hour < 24)
        } else if let (Some(hour), Some(minute)) = (c.get(4), c.get(5)) {
            let hour: i8 = hour.as_str().parse().unwrap_or(99);
            let minute: i8 = minute.as_str().parse().unwrap_or(99);
            let hour = if (1..8).contains(&hour) {
                hour + 12
            } else {
                hour
            };
            Time::new(hour, minute, 0, 0).ok()
        } else {
            None
        };
        out.extend(time);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn all(text: &str) -> Vec<Date> {
        dates(text, Some(date(2026, 3, 2)))
            .into_iter()
            .map(|f| f.date)
            .collect()
    }

    #[test]
    fn dates_as_letters_write_them() {
        assert_eq!(all("Date: 3 March 2026"), [date(2026, 3, 3)]);
        assert_eq!(all("Tuesday 3rd March 2026"), [date(2026, 3, 3)]);
        assert_eq!(all("on the 3rd of March"), [date(2026, 3, 3)]);
        assert_eq!(all("March 3, 2026"), [date(2026, 3, 3)]);
        assert_eq!(
            all("03/03/2026 and 4.3.26"),
            [date(2026, 3, 3), date(2026, 3, 4)]
        );
        assert_eq!(all("Thursday 12th at 9:15"), [date(2026, 3, 12)]);
        assert_eq!(all("on 3 January"), [date(2026, 1, 3)]);
        assert_eq!(all("31 February 2026, 2 mayo"), Vec::<Date>::new());
        assert_eq!(
            dates("3 January", Some(date(2026, 12, 20)))[0].date,
            date(2027, 1, 3)
        );
    }

    #[test]
    fn times_as_letters_write_them() {
        assert_eq!(times("at 2pm"), [time(14, 0, 0, 0)]);
        assert_eq!(times("at 2.30 p.m. in the hall"), [time(14, 30, 0, 0)]);
        assert_eq!(
            times("from 14:00 until 15:30"),
            [time(14, 0, 0, 0), time(15, 30, 0, 0)]
        );
        assert_eq!(times("9:15 on Thursday"), [time(9, 15, 0, 0)]);
        assert_eq!(times("Monday 2nd at 3.30"), [time(15, 30, 0, 0)]);
        assert_eq!(times("12 noon"), [time(12, 0, 0, 0)]);
        assert_eq!(times("12am"), [time(0, 0, 0, 0)]);
        assert!(times("£80.00 by 03.03.2026, ref 12/34, in 3 days").is_empty());
    }
}
