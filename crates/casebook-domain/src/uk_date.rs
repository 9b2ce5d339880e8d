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

/// A calendar date written as `2026-03-03` or `3 March 2026`. Impossible dates are
/// refused with a sentence that says why, rather than rolled over to the next month.
pub fn parse_date(input: &str) -> Result<Date, DomainError> {
    let text = input.trim();
    let (year, month, day) = split_iso(text)
        .or_else(|| split_words(text))
        .ok_or_else(|| {
            DomainError::invalid(format!(
                "\"{text}\" is not a date casebook can read: write it as 2026-03-03 or 3 March 2026."
            ))
        })?;
    make_date(text, year, month, day)
}

fn split_iso(text: &str) -> Option<(i16, i8, i8)> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))
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
        assert!(parse_date("03/03/2026").is_err());
        assert!(parse_date("").is_err());
    }
}
