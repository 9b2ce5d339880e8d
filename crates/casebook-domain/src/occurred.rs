use std::fmt;

use jiff::civil::{Date, DateTime, Time, date};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::uk_date::{month_number, uk_month};
use crate::{CaseDate, DomainError};

/// The three terms of the English school year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Term {
    Spring,
    Summer,
    Autumn,
}

impl Term {
    fn name(self) -> &'static str {
        match self {
            Term::Spring => "spring",
            Term::Summer => "summer",
            Term::Autumn => "autumn",
        }
    }

    /// The widest plausible span of the term in a given calendar year. Used only to
    /// sort and filter approximate dates, never to count a deadline.
    fn span(self, year: i16) -> (Date, Date) {
        match self {
            Term::Spring => (date(year, 1, 1), date(year, 4, 30)),
            Term::Summer => (date(year, 4, 1), date(year, 7, 31)),
            Term::Autumn => (date(year, 9, 1), date(year, 12, 31)),
        }
    }
}

/// When something happened, as precisely as the family knows it. An approximate date
/// stays approximate: "week of 3 March 2026" is never silently turned into 3 March.
/// Every day in it is a [`CaseDate`], so it holds only dates every reader can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurred(When);

#[derive(Debug, Clone, PartialEq, Eq)]
enum When {
    Day(CaseDate),
    At(CaseDate, Time),
    WeekOf(CaseDate),
    Month {
        year: i16,
        month: i8,
    },
    Term {
        term: Term,
        year: i16,
    },
    /// A spelling found in a store that this version cannot read (written by an older
    /// version with a date outside the case's years, or by hand). Kept exactly, so the
    /// entry's hash still verifies; never made by anything but [`Occurred::from_stored`].
    Unreadable(Box<str>),
}

impl Occurred {
    pub fn day(day: CaseDate) -> Self {
        Occurred(When::Day(day))
    }

    pub fn at(day: CaseDate, time: Time) -> Self {
        Occurred(When::At(
            day,
            Time::new(time.hour(), time.minute(), 0, 0).unwrap_or(time),
        ))
    }

    /// A day given as a plain date, checked to be one a case file holds.
    pub fn on(day: Date) -> Result<Self, DomainError> {
        CaseDate::new(day).map(Occurred::day)
    }

    /// Reads `2026-03-03`, `2026-03-03T14:30`, `3 March 2026`, `week of 2026-03-03`,
    /// `2026-03`, `March 2026` and `spring term 2025`.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let text = input.trim();
        // The stored spelling of a day, first: it is by far the most common.
        if text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-' {
            return text.parse().map(Occurred::day);
        }
        let lower = text.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("week of ") {
            return Ok(Occurred(When::WeekOf(rest.parse()?)));
        }
        if let Some(found) = parse_term(&lower) {
            return found;
        }
        if let Some(found) = parse_month(text) {
            return found;
        }
        let date_and_time = text.split_once('T').or_else(|| text.rsplit_once(' '));
        if let Some((day, time)) = date_and_time.filter(|(_, t)| t.contains(':')) {
            let day: CaseDate = day.parse()?;
            let time = parse_time(time).ok_or_else(|| {
                DomainError::invalid(format!(
                    "\"{text}\" has a time casebook cannot read: write it as 2026-03-03T14:30 (24-hour clock)."
                ))
            })?;
            return Ok(Occurred::at(day, time));
        }
        text.parse().map(Occurred::day).map_err(|err| {
            if text.chars().any(|c| c.is_ascii_digit()) && !text.contains(' ') && text.len() == 10 {
                err
            } else {
                DomainError::invalid(format!(
                    "\"{text}\" is not a date casebook can read: write 2026-03-03, 2026-03-03T14:30, \"week of 2026-03-02\", 2026-03 or \"spring term 2026\"."
                ))
            }
        })
    }

    /// As [`Occurred::parse`], and also a day as people say it near `today`: "today",
    /// "yesterday", "3 March" (with a time after it, too: "yesterday 15:40").
    pub fn parse_near(input: &str, today: Date) -> Result<Self, DomainError> {
        let text = input.trim();
        let (day, time) = match text.rsplit_once(['T', ' ']) {
            Some((day, time)) if time.contains(':') => (day, Some(time)),
            _ => (text, None),
        };
        let Ok(date) = crate::uk_date::parse_date_near(day, today) else {
            return Occurred::parse(text);
        };
        let day = CaseDate::new(date)?;
        match time {
            None => Ok(Occurred::day(day)),
            Some(time) => parse_time(time).map(|t| Occurred::at(day, t)).ok_or_else(|| {
                DomainError::invalid(format!(
                    "\"{text}\" has a time casebook cannot read: write it as 14:30 (24-hour clock)."
                ))
            }),
        }
    }

    /// The date of an entry as a store holds it. A spelling this version cannot read is
    /// kept as it is, so the entry can still be verified, shown, corrected and redacted.
    pub fn from_stored(text: &str) -> Self {
        Occurred::parse(text)
            .ok()
            .filter(|o| o.canonical() == text)
            .unwrap_or_else(|| Occurred(When::Unreadable(text.into())))
    }

    /// The stored spelling, when it cannot be read as a date of the case.
    pub fn unreadable(&self) -> Option<&str> {
        match &self.0 {
            When::Unreadable(text) => Some(text),
            _ => None,
        }
    }

    /// The stable spelling that is stored and hashed.
    pub fn canonical(&self) -> String {
        match &self.0 {
            When::Day(d) => d.get().to_string(),
            When::At(d, t) => format!("{}T{:02}:{:02}", d.get(), t.hour(), t.minute()),
            When::WeekOf(d) => format!("week of {}", d.get()),
            When::Month { year, month } => format!("{year:04}-{month:02}"),
            When::Term { term, year } => format!("{} term {year}", term.name()),
            When::Unreadable(text) => text.to_string(),
        }
    }

    /// The earliest day it could have been.
    pub fn earliest(&self) -> Date {
        self.span().0
    }

    /// The latest day it could have been.
    pub fn latest(&self) -> Date {
        self.span().1
    }

    /// An unreadable date spans only the last day a case holds, so it sorts after
    /// everything and falls inside no period anyone asks for.
    pub fn span(&self) -> (Date, Date) {
        match &self.0 {
            When::Day(d) | When::At(d, _) => (d.get(), d.get()),
            When::WeekOf(d) => (d.get(), d.get().saturating_add(jiff::Span::new().days(6))),
            When::Month { year, month } => {
                let first = date(*year, *month, 1);
                (first, first.last_of_month())
            }
            When::Term { term, year } => term.span(*year),
            When::Unreadable(_) => (CaseDate::LAST.get(), CaseDate::LAST.get()),
        }
    }

    /// The exact day and time, when the family knows it to the minute.
    pub fn time(&self) -> Option<DateTime> {
        match &self.0 {
            When::At(d, t) => Some(d.get().to_datetime(*t)),
            _ => None,
        }
    }

    /// Exact times sort within their day; a day without a time sorts after the timed
    /// entries of that day (a confirming email follows the call it confirms); an
    /// approximate date sorts at its start.
    pub fn sort_key(&self) -> DateTime {
        match &self.0 {
            When::At(d, t) => d.get().to_datetime(*t),
            When::Day(d) => d.get().to_datetime(Time::MAX),
            When::Unreadable(_) => CaseDate::LAST.get().to_datetime(Time::MAX),
            _ => self.earliest().to_datetime(Time::midnight()),
        }
    }

    pub fn is_approximate(&self) -> bool {
        matches!(
            self.0,
            When::WeekOf(_) | When::Month { .. } | When::Term { .. }
        )
    }
}

impl fmt::Display for Occurred {
    /// "3 March 2026 at 14:30", "week of 2 March 2026", "spring term 2025".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            When::Day(d) => write!(f, "{d}"),
            When::At(d, t) => write!(f, "{d} at {:02}:{:02}", t.hour(), t.minute()),
            When::WeekOf(d) => write!(f, "week of {d}"),
            When::Month { year, month } => f.write_str(&uk_month(*year, *month)),
            When::Term { term, year } => write!(f, "{} term {year}", term.name()),
            When::Unreadable(text) => write!(f, "an unreadable date (\"{text}\")"),
        }
    }
}

fn parse_time(text: &str) -> Option<Time> {
    let (h, m) = text.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()
}

fn parse_term(lower: &str) -> Option<Result<Occurred, DomainError>> {
    let words: Vec<&str> = lower.split_whitespace().collect();
    let (season, year) = match words.as_slice() {
        [s, "term", y] | [s, y] => (*s, *y),
        _ => return None,
    };
    let term = match season {
        "spring" => Term::Spring,
        "summer" => Term::Summer,
        "autumn" => Term::Autumn,
        _ => return None,
    };
    Some(
        year.parse::<i16>()
            .ok()
            .filter(|y| CaseDate::holds_year(*y))
            .map(|year| Occurred(When::Term { term, year }))
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "\"{lower}\" needs a year, as in \"spring term 2026\"."
                ))
            }),
    )
}

fn parse_month(text: &str) -> Option<Result<Occurred, DomainError>> {
    let (year, month) = if let Some((y, m)) = text.split_once('-') {
        if y.len() != 4 || m.len() != 2 || m.contains('-') {
            return None;
        }
        (y.parse::<i16>().ok()?, m.parse::<i8>().ok()?)
    } else {
        let words: Vec<&str> = text.split_whitespace().collect();
        let [m, y] = words.as_slice() else {
            return None;
        };
        (y.parse::<i16>().ok()?, month_number(m)?)
    };
    if !(1..=12).contains(&month) || !CaseDate::holds_year(year) {
        return Some(Err(DomainError::invalid(format!(
            "\"{text}\" is not a real month: write it as 2026-03 or March 2026."
        ))));
    }
    Some(Ok(Occurred(When::Month { year, month })))
}

impl Serialize for Occurred {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.canonical())
    }
}

impl<'de> Deserialize<'de> for Occurred {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Occurred::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(input: &str, canonical: &str, shown: &str) {
        let o = Occurred::parse(input).unwrap();
        assert_eq!(o.canonical(), canonical);
        assert_eq!(o.to_string(), shown);
        assert_eq!(Occurred::parse(&o.canonical()).unwrap(), o);
    }

    #[test]
    fn every_precision_round_trips() {
        round_trip("2026-03-03", "2026-03-03", "3 March 2026");
        round_trip(
            "2026-03-03T08:45",
            "2026-03-03T08:45",
            "3 March 2026 at 08:45",
        );
        round_trip(
            "3 March 2026 14:30",
            "2026-03-03T14:30",
            "3 March 2026 at 14:30",
        );
        round_trip(
            "week of 3 March 2026",
            "week of 2026-03-03",
            "week of 3 March 2026",
        );
        round_trip("2026-03", "2026-03", "March 2026");
        round_trip("March 2026", "2026-03", "March 2026");
        round_trip("Spring term 2025", "spring term 2025", "spring term 2025");
    }

    #[test]
    fn approximate_dates_have_spans() {
        let week = Occurred::parse("week of 2026-03-02").unwrap();
        assert_eq!(week.span(), (date(2026, 3, 2), date(2026, 3, 8)));
        assert!(week.is_approximate());
        let feb = Occurred::parse("2028-02").unwrap();
        assert_eq!(feb.latest(), date(2028, 2, 29));
    }

    #[test]
    fn dates_outside_the_case_years_are_refused_and_kept_as_stored() {
        for bad in [
            "2999-12-31",
            "2999-12-31T10:00",
            "0001-01-01T00:00",
            "1850-06",
            "week of 9999-12-27",
            "spring term 2201",
        ] {
            assert!(Occurred::parse(bad).is_err(), "{bad} should be refused");
            let stored = Occurred::from_stored(bad);
            assert_eq!(stored.unreadable(), Some(bad));
            assert_eq!(
                stored.canonical(),
                bad,
                "kept exactly, so the hash verifies"
            );
            assert_eq!(stored.span(), (CaseDate::LAST.get(), CaseDate::LAST.get()));
        }
        // A readable date spelt other than casebook writes it was changed by hand.
        assert!(Occurred::from_stored("3 March 2026").unreadable().is_some());
        assert!(
            Occurred::from_stored("2026-03-03T14:30")
                .unreadable()
                .is_none()
        );
    }

    #[test]
    fn nonsense_is_refused_plainly() {
        for bad in [
            "2026-02-30",
            "2026-03-03T25:00",
            "yesterday",
            "2026-13",
            "winter term 2025",
            "",
        ] {
            assert!(Occurred::parse(bad).is_err(), "{bad} should be refused");
        }
        assert_eq!(
            Occurred::parse("2026-02-29").unwrap_err().to_string(),
            "\"2026-02-29\" is not a real date: February 2026 has 28 days."
        );
    }
}
