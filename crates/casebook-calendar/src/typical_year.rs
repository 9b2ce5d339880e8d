//! A typical English school year, for when a setting's own term dates are unknown.
//! Results that rely on it are marked as estimates. The pattern follows the reference
//! (three terms, a week's half-term in each, about two weeks at Christmas and Easter,
//! six in the summer):
//!
//! - autumn: the first weekday from 3 September to the last Friday on or before
//!   20 December; half-term the week of the last Monday in October;
//! - spring: the first weekday from 5 January to the Friday before the week before
//!   Easter; half-term the week of the third Monday in February;
//! - Easter holidays: the week before Easter Sunday and the week after it;
//! - summer: from the Monday after Easter week to the last weekday on or before
//!   22 July; half-term the week of the last Monday in May.

use jiff::Span;
use jiff::civil::{Date, Weekday, date};

use crate::terms::{Closure, Term, TermCalendar};

/// The typical calendar of the school year that starts in September of `year`.
pub(crate) fn typical_school_year(year: i16) -> TermCalendar {
    let next = year + 1;
    let easter = easter_sunday(next);
    let terms = vec![
        Term {
            name: format!("autumn term {year} (typical)"),
            start: weekday_on_or_after(date(year, 9, 3)),
            end: weekday_back(date(year, 12, 20), Weekday::Friday),
        },
        Term {
            name: format!("spring term {next} (typical)"),
            start: weekday_on_or_after(date(next, 1, 5)),
            end: easter.saturating_sub(days(9)),
        },
        Term {
            name: format!("summer term {next} (typical)"),
            start: easter.saturating_add(days(8)),
            end: last_weekday_on_or_before(date(next, 7, 22)),
        },
    ];
    let week = |name: &str, monday: Date| Closure {
        name: format!("{name} (typical)"),
        start: monday,
        end: monday.saturating_add(days(4)),
    };
    let closures = vec![
        week(
            "October half-term",
            weekday_back(date(year, 10, 31), Weekday::Monday),
        ),
        week("February half-term", nth_monday(next, 2, 3)),
        week(
            "May half-term",
            weekday_back(date(next, 5, 31), Weekday::Monday),
        ),
    ];
    // Built in order and never overlapping, so it needs no validation.
    TermCalendar::from_parts(terms, closures)
}

/// The school year a date belongs to, named by the calendar year it starts in.
pub(crate) fn school_year_of(d: Date) -> i16 {
    if d.month() >= 8 {
        d.year()
    } else {
        d.year() - 1
    }
}

fn days(n: i64) -> Span {
    Span::new().days(n)
}

fn weekday_on_or_after(d: Date) -> Date {
    let mut d = d;
    while matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
        d = d.saturating_add(days(1));
    }
    d
}

fn last_weekday_on_or_before(d: Date) -> Date {
    let mut d = d;
    while matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
        d = d.saturating_sub(days(1));
    }
    d
}

/// The last `weekday` on or before `d`.
fn weekday_back(d: Date, weekday: Weekday) -> Date {
    let mut d = d;
    while d.weekday() != weekday {
        d = d.saturating_sub(days(1));
    }
    d
}

fn nth_monday(year: i16, month: i8, n: i64) -> Date {
    let mut d = date(year, month, 1);
    while d.weekday() != Weekday::Monday {
        d = d.saturating_add(days(1));
    }
    d.saturating_add(days(7 * (n - 1)))
}

/// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
pub(crate) fn easter_sunday(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    date(year, month as i8, day as i8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_matches_the_published_dates() {
        assert_eq!(easter_sunday(2025), date(2025, 4, 20));
        assert_eq!(easter_sunday(2026), date(2026, 4, 5));
        assert_eq!(easter_sunday(2027), date(2027, 3, 28));
    }

    #[test]
    fn the_typical_year_has_three_terms_and_three_half_terms() {
        let year = typical_school_year(2025);
        let names: Vec<(Date, Date)> = year.terms().iter().map(|t| (t.start, t.end)).collect();
        assert_eq!(
            names,
            vec![
                (date(2025, 9, 3), date(2025, 12, 19)),
                (date(2026, 1, 5), date(2026, 3, 27)),
                (date(2026, 4, 13), date(2026, 7, 22)),
            ]
        );
        assert_eq!(year.closures()[0].start, date(2025, 10, 27));
        assert_eq!(year.closures()[1].start, date(2026, 2, 16));
        assert_eq!(year.closures()[2].start, date(2026, 5, 25));
    }
}
