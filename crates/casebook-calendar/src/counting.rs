//! Counting forward from a date in calendar days, working days, school days, weeks or
//! months, recording every day passed over and why.

use jiff::Span;
use jiff::civil::{Date, Weekday};
use serde::Serialize;

use crate::bank_holidays::{BankHolidays, Holidays};
use crate::error::{CalendarError, invalid};
use crate::explanation::{Explanation, long_date};
use crate::terms::{TermCalendar, TermDay};
use crate::typical_year::{school_year_of, typical_school_year};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    CalendarDays,
    WorkingDays,
    SchoolDays,
    Weeks,
    Months,
}

impl Unit {
    pub const ALL: [Unit; 5] = [
        Unit::CalendarDays,
        Unit::WorkingDays,
        Unit::SchoolDays,
        Unit::Weeks,
        Unit::Months,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Unit::CalendarDays => "calendar-days",
            Unit::WorkingDays => "working-days",
            Unit::SchoolDays => "school-days",
            Unit::Weeks => "weeks",
            Unit::Months => "months",
        }
    }

    pub fn parse(text: &str) -> Result<Unit, CalendarError> {
        Self::ALL.into_iter().find(|u| u.slug() == text).map_or_else(
            || invalid(format!("\"{text}\" is not a unit casebook counts in: use calendar-days, working-days, school-days, weeks or months.")),
            Ok,
        )
    }

    /// "6 weeks", "1 calendar month", "15 school days".
    pub fn amount(self, count: i64) -> String {
        let (one, many) = match self {
            Unit::CalendarDays => ("calendar day", "calendar days"),
            Unit::WorkingDays => ("working day", "working days"),
            Unit::SchoolDays => ("school day", "school days"),
            Unit::Weeks => ("week", "weeks"),
            Unit::Months => ("calendar month", "calendar months"),
        };
        format!("{count} {}", if count == 1 { one } else { many })
    }
}

/// Whether the day of the event is day 0 (the usual "within N days of") or day 1
/// ("beginning with the day on which it was served").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DayOne {
    #[default]
    After,
    Start,
}

/// A date computed with how it was computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Computed {
    pub due: Date,
    /// True when a typical school year or unpublished bank holidays were assumed.
    pub estimate: bool,
    pub explanation: Explanation,
}

/// One setting's calendar: which bank holidays count, and its term dates if known.
#[derive(Debug, Clone)]
pub struct Calendar {
    holidays: Holidays,
    terms: Option<TermCalendar>,
}

/// Why a day does not count, and whether that is an estimate.
struct NotCounted {
    reason: String,
    estimate: bool,
}

impl Calendar {
    pub fn new(holidays: Holidays, terms: Option<TermCalendar>) -> Self {
        Calendar { holidays, terms }
    }

    /// The same setting, counting another set of bank holidays.
    pub fn with_holidays(&self, holidays: Holidays) -> Self {
        Calendar {
            holidays,
            terms: self.terms.clone(),
        }
    }

    pub fn has_terms(&self) -> bool {
        self.terms.is_some()
    }

    fn not_working(&self, d: Date) -> Option<NotCounted> {
        if let Some(day) = weekend(d) {
            return Some(NotCounted {
                reason: day.into(),
                estimate: false,
            });
        }
        BankHolidays::official()
            .on(d, self.holidays)
            .map(|name| NotCounted {
                reason: format!("bank holiday: {name}"),
                estimate: false,
            })
    }

    fn not_school(&self, d: Date) -> Option<NotCounted> {
        if let Some(n) = self.not_working(d) {
            return Some(n);
        }
        let (day, estimate) = match &self.terms {
            Some(terms) if terms.covers(d) => (reason_from(terms.day(d)), false),
            _ => (
                reason_from(typical_school_year(school_year_of(d)).day(d)),
                true,
            ),
        };
        day.map(|reason| NotCounted { reason, estimate })
    }

    /// Beyond the published list a bank holiday may yet be proclaimed, so a count of
    /// working or school days that reaches past it is refused rather than guessed.
    fn known(&self, d: Date) -> Result<(), CalendarError> {
        let last = BankHolidays::official().known_until();
        if self.holidays != Holidays::None && d > last {
            return invalid(format!(
                "casebook's list of bank holidays runs to {}, and this count reaches {}: a later bank holiday would move the date, so casebook will not guess it. A newer version of casebook carries the later list.",
                long_date(last),
                long_date(d)
            ));
        }
        Ok(())
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        self.not_working(d).is_none()
    }

    pub fn is_school_day(&self, d: Date) -> bool {
        self.not_school(d).is_none()
    }

    /// The school days from `first` to `last`, both included.
    pub fn school_days_between(&self, first: Date, last: Date) -> i64 {
        let mut days = 0;
        let mut day = first;
        while day <= last {
            if self.is_school_day(day) {
                days += 1;
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        days
    }

    /// Counts `count` units on from `from`.
    pub fn add(
        &self,
        count: i64,
        unit: Unit,
        from: Date,
        day_one: DayOne,
    ) -> Result<Computed, CalendarError> {
        if !(0..=10_000).contains(&count) {
            return invalid(format!("{count} is not a count casebook can use."));
        }
        let mut explanation = Explanation::default();
        let offset = if day_one == DayOne::Start {
            count - 1
        } else {
            count
        };
        let (due, estimate) = match unit {
            Unit::CalendarDays => (shift(from, Span::new().days(offset))?, false),
            // "Beginning with" a day makes it the first of the period, for weeks and
            // months as for days: the period ends the day before it would otherwise.
            Unit::Weeks => (
                shift(
                    from,
                    Span::new().days(7 * count - i64::from(day_one == DayOne::Start)),
                )?,
                false,
            ),
            Unit::Months => {
                let corresponding = add_months(from, count)?;
                let no_such_day = corresponding.day() != from.day();
                if no_such_day {
                    explanation.step(format!(
                        "{} has no {}: the limit ends on the last day of that month.",
                        casebook_domain::uk_month(corresponding.year(), corresponding.month()),
                        ordinal(from.day())
                    ));
                }
                let due = match day_one {
                    DayOne::Start if !no_such_day => shift(corresponding, Span::new().days(-1))?,
                    _ => corresponding,
                };
                (due, false)
            }
            Unit::WorkingDays => self.count_days(count, from, day_one, &mut explanation, |d| {
                self.not_working(d)
            })?,
            Unit::SchoolDays => self.count_days(count, from, day_one, &mut explanation, |d| {
                self.not_school(d)
            })?,
        };
        let counting = match day_one {
            DayOne::After => format!("{} after {}", unit.amount(count), long_date(from)),
            DayOne::Start => format!(
                "{}, counting {} as the first",
                unit.amount(count),
                long_date(from)
            ),
        };
        explanation
            .steps
            .insert(0, format!("{counting}: {}.", long_date(due)));
        if estimate {
            explanation.step(if self.terms.is_none() {
                "The school's term dates are not known, so a typical English school year was assumed: this date is an estimate. Enter the school's term dates for an exact answer."
            } else {
                "Part of the count falls outside the school term dates entered, so a typical school year was assumed there: this date is an estimate."
            });
        }
        Ok(Computed {
            due,
            estimate,
            explanation,
        })
    }

    fn count_days(
        &self,
        count: i64,
        from: Date,
        day_one: DayOne,
        explanation: &mut Explanation,
        not_counted: impl Fn(Date) -> Option<NotCounted>,
    ) -> Result<(Date, bool), CalendarError> {
        let mut day = if day_one == DayOne::Start {
            from
        } else {
            next_day(from)?
        };
        let mut counted = 0;
        let mut estimate = false;
        // Twenty years of days is far more than any limit in any rule pack.
        for _ in 0..7300 {
            self.known(day)?;
            match not_counted(day) {
                Some(n) => {
                    estimate |= n.estimate;
                    explanation.skip(day, &n.reason);
                }
                None => {
                    counted += 1;
                    if counted >= count {
                        return Ok((day, estimate));
                    }
                }
            }
            day = next_day(day)?;
        }
        invalid("The count ran past twenty years without finding enough days.")
    }

    /// The first working day on or after `d`, with the days passed over.
    pub fn working_day_on_or_after(&self, d: Date) -> Result<(Date, Explanation), CalendarError> {
        self.first_on_or_after(d, |day| self.not_working(day))
    }

    /// The first school day on or after `d`, with the days passed over, and whether
    /// that relied on a typical school year.
    pub fn school_day_on_or_after(
        &self,
        d: Date,
    ) -> Result<(Date, Explanation, bool), CalendarError> {
        let mut estimate = false;
        let (day, explanation) = self.first_on_or_after(d, |day| {
            let n = self.not_school(day);
            estimate |= n.as_ref().is_some_and(|n| n.estimate)
                || (!self.terms.as_ref().is_some_and(|t| t.covers(day)));
            n
        })?;
        Ok((day, explanation, estimate))
    }

    fn first_on_or_after(
        &self,
        d: Date,
        mut not_counted: impl FnMut(Date) -> Option<NotCounted>,
    ) -> Result<(Date, Explanation), CalendarError> {
        let mut explanation = Explanation::default();
        let mut day = d;
        for _ in 0..400 {
            self.known(day)?;
            match not_counted(day) {
                Some(n) => explanation.skip(day, &n.reason),
                None => return Ok((day, explanation)),
            }
            day = next_day(day)?;
        }
        invalid("No working day was found within a year.")
    }
}

fn reason_from(day: TermDay<'_>) -> Option<String> {
    match day {
        TermDay::InTerm => None,
        TermDay::Closed(name) => Some(name.to_owned()),
        TermDay::Holiday => Some("school holiday".into()),
    }
}

fn weekend(d: Date) -> Option<&'static str> {
    match d.weekday() {
        Weekday::Saturday => Some("Saturday"),
        Weekday::Sunday => Some("Sunday"),
        _ => None,
    }
}

fn next_day(d: Date) -> Result<Date, CalendarError> {
    d.tomorrow()
        .map_err(|_| CalendarError::Invalid("The date is beyond the calendar.".into()))
}

fn shift(d: Date, span: Span) -> Result<Date, CalendarError> {
    d.checked_add(span)
        .map_err(|_| CalendarError::Invalid("The date is beyond the calendar.".into()))
}

/// The corresponding day `months` later; when that month is shorter, its last day
/// (31 January + 1 month = 28 or 29 February), as the ICO and the courts count.
pub(crate) fn add_months(d: Date, months: i64) -> Result<Date, CalendarError> {
    let total = i64::from(d.year()) * 12 + i64::from(d.month() - 1) + months;
    let year = i16::try_from(total.div_euclid(12))
        .map_err(|_| CalendarError::Invalid("The date is beyond the calendar.".into()))?;
    let month = (total.rem_euclid(12) + 1) as i8;
    let first = Date::new(year, month, 1)
        .map_err(|_| CalendarError::Invalid("The date is beyond the calendar.".into()))?;
    Ok(first.saturating_add(Span::new().days(i64::from(d.day().min(first.days_in_month())) - 1)))
}

fn ordinal(day: i8) -> String {
    let suffix = match (day % 10, day % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{day}{suffix}")
}
