use jiff::civil::Date;

use crate::{CaseDate, DomainError};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "3 March 2026": the form UK readers expect in letters, bundles and on screen.
/// England's clocks (GMT and BST), from the time zone database jiff carries, so a
/// machine without one of its own still keeps UK time.
pub fn uk_time_zone() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC)
}

pub fn uk_date(date: Date) -> String {
    format!("{} {}", date.day(), uk_month(date.year(), date.month()))
}

/// "March 2026".
pub fn uk_month(year: i16, month: i8) -> String {
    format!("{} {year}", MONTHS[(month - 1) as usize])
}

pub(crate) fn month_number(name: &str) -> Option<i8> {
    let lower = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| {
            let m = m.to_ascii_lowercase();
            lower == m || (lower.len() >= 3 && m.starts_with(&lower))
        })
        .map(|i| i as i8 + 1)
}

/// A calendar date written as `2026-03-03`, `3 March 2026` or, as UK forms write it,
/// day first: `3/3/26`, `03/03/2026`, `3.3.2026`. Impossible dates are refused with a
/// sentence that says why, rather than rolled over to the next month.
pub fn parse_date(input: &str) -> Result<Date, DomainError> {
    let text = input.trim();
    let (year, month, day) = split_iso(text)
        .or_else(|| split_words(text))
        .or_else(|| split_day_first(text))
        .ok_or_else(|| {
            DomainError::invalid(format!(
                "\"{text}\" is not a date casebook can read: write it as 3 March 2026, 3/3/2026 or 2026-03-03."
            ))
        })?;
    make_date(text, year, month, day)
}

/// A date near `today` as people say it: "today", "yesterday", or a day and month
/// without the year ("3 March": the last 3 March on or before today); any other date
/// as [`parse_date`] reads it.
pub fn parse_date_near(input: &str, today: Date) -> Result<Date, DomainError> {
    let text = input.trim();
    match text.to_lowercase().as_str() {
        "today" => return Ok(today),
        "yesterday" => {
            return today
                .yesterday()
                .map_err(|_| DomainError::invalid("That date is out of range."));
        }
        _ => {}
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if let [d, m] = words.as_slice()
        && let (Ok(day), Some(month)) = (
            d.trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .parse::<i8>(),
            month_number(m),
        )
    {
        let this_year = make_date(text, today.year(), month, day)?;
        return if this_year <= today {
            Ok(this_year)
        } else {
            make_date(text, today.year() - 1, month, day)
        };
    }
    parse_date(text)
}

fn split_iso(text: &str) -> Option<(i16, i8, i8)> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))
}

/// Day, month, year with slashes or dots (or hyphens after a short day): a two-digit
/// year is 2000 to 2069 or 1970 to 1999.
fn split_day_first(text: &str) -> Option<(i16, i8, i8)> {
    let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    if d.is_empty() || d.len() > 2 || m.is_empty() || m.len() > 2 || !matches!(y.len(), 2 | 4) {
        return None;
    }
    let year: i16 = y.parse().ok()?;
    let year = match (y.len(), year) {
        (2, y) if y < 70 => 2000 + y,
        (2, y) => 1900 + y,
        _ => year,
    };
    Some((year, m.parse().ok()?, d.parse().ok()?))
}

fn split_words(text: &str) -> Option<(i16, i8, i8)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let [d, m, y] = words.as_slice() else {
        return None;
    };
    let day = d
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .ok()?;
    Some((y.parse().ok()?, month_number(m)?, day))
}

fn make_date(text: &str, year: i16, month: i8, day: i8) -> Result<Date, DomainError> {
    if !CaseDate::holds_year(year) {
        return Err(DomainError::invalid(format!(
            "\"{text}\" has the year {year}, which cannot be right for this case file."
        )));
    }
    if !(1..=12).contains(&month) {
        return Err(DomainError::invalid(format!(
            "\"{text}\" has month {month}; months run from 01 to 12."
        )));
    }
    Date::new(year, month, day).map_err(|_| {
        let days = Date::new(year, month, 1)
            .map(|d| d.days_in_month())
            .unwrap_or(31);
        DomainError::invalid(format!(
            "\"{text}\" is not a real date: {} has {days} days.",
            uk_month(year, month)
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn reads_iso_and_written_dates() {
        assert_eq!(parse_date("2026-03-03").unwrap(), date(2026, 3, 3));
        assert_eq!(parse_date("3 March 2026").unwrap(), date(2026, 3, 3));
        assert_eq!(parse_date("3rd Mar 2026").unwrap(), date(2026, 3, 3));
        assert_eq!(uk_date(date(2026, 3, 3)), "3 March 2026");
    }

    #[test]
    fn impossible_dates_say_why() {
        let err = parse_date("2026-02-30").unwrap_err().to_string();
        assert_eq!(
            err,
            "\"2026-02-30\" is not a real date: February 2026 has 28 days."
        );
        assert!(
            parse_date("2026-13-01")
                .unwrap_err()
                .to_string()
                .contains("months run")
        );
        assert!(
            parse_date("31/02/2026")
                .unwrap_err()
                .to_string()
                .contains("28 days")
        );
        assert!(parse_date("3/3/2026/1").is_err());
        assert!(parse_date("").is_err());
    }

    #[test]
    fn reads_dates_as_uk_forms_write_them_day_first() {
        for text in ["3/3/26", "03/03/2026", "3.3.2026", "03-03-2026"] {
            assert_eq!(parse_date(text).unwrap(), date(2026, 3, 3), "{text}");
        }
        assert_eq!(parse_date("12/1/99").unwrap(), date(1999, 1, 12));
        assert_eq!(parse_date("12/1/69").unwrap(), date(2069, 1, 12));
    }

    #[test]
    fn reads_days_near_today_as_people_say_them() {
        let today = date(2026, 12, 3);
        assert_eq!(parse_date_near("today", today).unwrap(), today);
        assert_eq!(
            parse_date_near("Yesterday", today).unwrap(),
            date(2026, 12, 2)
        );
        // The last such day on or before today: March this year, December 25 last year.
        assert_eq!(parse_date_near("3 March", today).unwrap(), date(2026, 3, 3));
        assert_eq!(
            parse_date_near("25 December", today).unwrap(),
            date(2025, 12, 25)
        );
        assert_eq!(parse_date_near("3/3/26", today).unwrap(), date(2026, 3, 3));
        assert!(parse_date_near("31 February", today).is_err());
    }
}
