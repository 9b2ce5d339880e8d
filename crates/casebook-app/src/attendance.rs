//! Time out of school counted as a school counts it: sessions (two a school day, a
//! morning and an afternoon, each with its registration), the attendance percentage by
//! the DfE's method (sessions attended out of sessions possible, with authorised and
//! unauthorised absence apart), and the hours lost, which a register does not show: a
//! child sent home at 09:20 is marked present for the morning and has lost the day.
//!
//! Every figure comes with its working, so a family can check the school's own.

use std::collections::BTreeMap;

use casebook_calendar::Calendar;
use casebook_domain::{
    AbsenceReason, Case, EntryKind, Facts, check_short_text, facts::Absence, uk_date,
};
use casebook_store::{BlobStore, CaseStore};
use jiff::ToSpan;
use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult, invalid};
use crate::record::CaseFile;
use crate::timeline::{Filter, TimelineItem, timeline};

const SETTING: &str = "school-day";

/// Ten years: every absence is walked day by day over the period, so its length bounds
/// the work whatever dates a file from elsewhere brings.
const LONGEST_PERIOD_DAYS: i32 = 3_653;

/// The school's day as its own timetable gives it: when each session starts (its
/// registration) and ends. Set by the family from the school's website or prospectus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolDay {
    pub morning: (Time, Time),
    pub afternoon: (Time, Time),
}

impl SchoolDay {
    /// Reads "08:45-12:00" and "13:00-15:15".
    pub fn parse(morning: &str, afternoon: &str) -> AppResult<Self> {
        let session = |text: &str, which: &str| -> AppResult<(Time, Time)> {
            check_short_text(which, text)?;
            let times = text
                .split_once(['-', '–'])
                .and_then(|(a, b)| {
                    Some((
                        a.trim().parse::<Time>().ok()?,
                        b.trim().parse::<Time>().ok()?,
                    ))
                })
                .filter(|(a, b)| a < b);
            times.ok_or_else(|| {
                AppError::Invalid(format!(
                    "The {which} session is given as its start and end, such as 08:45-12:00, not \"{text}\"."
                ))
            })
        };
        let day = SchoolDay {
            morning: session(morning, "morning")?,
            afternoon: session(afternoon, "afternoon")?,
        };
        if day.afternoon.0 < day.morning.1 {
            return invalid("The afternoon session starts after the morning session ends.");
        }
        Ok(day)
    }

    pub fn read(store: &impl CaseStore, case: &Case) -> AppResult<Option<Self>> {
        store
            .case_setting(case.id, SETTING)?
            .map(|json| {
                serde_json::from_str(&json).map_err(|_| {
                    AppError::Invalid(
                        "The school day's times cannot be read: set them again.".into(),
                    )
                })
            })
            .transpose()
    }

    pub fn save(&self, store: &impl CaseStore, case: &Case) -> AppResult<()> {
        let json = serde_json::to_string(self)
            .map_err(|e| AppError::Invalid(format!("The school day cannot be saved: {e}.")))?;
        Ok(store.set_case_setting(case.id, SETTING, &json)?)
    }

    fn minutes(session: (Time, Time)) -> i64 {
        session.1.duration_since(session.0).as_mins()
    }

    /// Minutes of teaching in a whole day.
    pub fn length(&self) -> i64 {
        Self::minutes(self.morning) + Self::minutes(self.afternoon)
    }

    /// Minutes of the day's sessions from `left` to the end of the day.
    fn after(&self, left: Time) -> i64 {
        [self.morning, self.afternoon]
            .iter()
            .map(|&(start, end)| Self::minutes((left.max(start).min(end), end)))
            .sum()
    }
}

/// What the register would show for one day of absence, and the time actually lost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Day {
    morning: bool,
    afternoon: bool,
    /// Minutes lost, when the school day's times are known.
    minutes: i64,
    authorised: Option<bool>,
}

impl Day {
    fn sessions(&self) -> u32 {
        u32::from(self.morning) + u32::from(self.afternoon)
    }
}

/// One week (Monday to Sunday) of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Week {
    pub monday: Date,
    pub school_days: u32,
    pub possible: u32,
    pub missed: u32,
    /// Hours lost, in minutes, when the school day's times are known.
    pub minutes_lost: Option<i64>,
}

/// Attendance over a period, as a school's register would count it, and the time lost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attendance {
    pub from: Date,
    pub to: Date,
    /// School days from the setting's term dates, or from a typical year when the case
    /// has none (then the figures are an estimate).
    pub estimate: bool,
    pub school_days: u32,
    pub possible: u32,
    pub missed: u32,
    pub authorised: u32,
    pub unauthorised: u32,
    /// Absence not yet said to be authorised or not.
    pub not_said: u32,
    /// Sessions attended out of sessions possible, to two places, as schools report it.
    pub percentage: f64,
    pub school_day: Option<SchoolDay>,
    pub minutes_possible: Option<i64>,
    pub minutes_lost: Option<i64>,
    pub weeks: Vec<Week>,
}

impl Attendance {
    /// The hours lost each week, drawn, once the school day's times are known.
    pub fn chart(&self) -> Option<crate::charts::Chart> {
        crate::charts::hours_lost(&self.weeks, self.school_day.as_ref()?)
    }

    /// The working, a line at a time, in words.
    pub fn working(&self) -> Vec<String> {
        let mut lines = vec![
            format!(
                "From {} to {}: {} school days{}, so {} sessions possible (two a day).",
                uk_date(self.from),
                uk_date(self.to),
                self.school_days,
                if self.estimate {
                    " in a typical school year (the case's term dates do not cover the whole period, so this is an estimate)"
                } else {
                    " in the setting's term dates"
                },
                self.possible
            ),
            format!(
                "Sessions missed: {} ({} authorised, {} unauthorised, {} not yet said).",
                self.missed, self.authorised, self.unauthorised, self.not_said
            ),
            format!(
                "Attendance: {} sessions attended out of {} possible = {:.2}%.",
                self.possible - self.missed,
                self.possible,
                self.percentage
            ),
        ];
        match (self.minutes_lost, self.minutes_possible) {
            (Some(lost), Some(possible)) => lines.push(format!(
                "Time lost: {} of {} of teaching, counted from the school day's times; a child sent home after registration is marked present for that session but has lost the rest of the day.",
                hours(lost),
                hours(possible)
            )),
            _ => lines.push(
                "Hours lost are counted once the school day's times are given.".into(),
            ),
        }
        lines
    }
}

/// "4 h 55 min" as hours and minutes.
pub fn hours(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (h, 0) => format!("{h} h"),
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m} min"),
    }
}

impl<S: CaseStore, B: BlobStore> CaseFile<'_, S, B> {
    /// The first day of the school year holding `day`: the setting's first term that
    /// starts in September, else 1 September.
    pub fn school_year_start(&self, day: Date) -> AppResult<Date> {
        let first = first_of_september(day);
        let year = first.year();
        let terms = crate::term_dates(self.store, &self.case)?;
        Ok(terms
            .iter()
            .flat_map(|t| t.terms())
            .map(|t| t.start)
            .find(|start| start.year() == year && start.month() == 9)
            .unwrap_or(first))
    }

    /// Attendance from `from` to `to` (both included), from the case's absences.
    pub fn attendance(&self, from: Date, to: Date) -> AppResult<Attendance> {
        if to < from {
            return invalid("The period ends before it starts.");
        }
        if (to - from).get_days() > LONGEST_PERIOD_DAYS {
            return invalid(
                "Attendance is counted over at most ten years at a time: choose a shorter period.",
            );
        }
        let terms = crate::term_dates(self.store, &self.case)?;
        let estimate = terms
            .as_ref()
            .is_none_or(|t| !t.covers(from) || !t.covers(to));
        let pack = crate::rule_pack(&self.case.jurisdiction)?;
        let calendar = crate::calendar_for(&pack, terms);
        let school_day = SchoolDay::read(self.store, &self.case)?;
        let today = self.clock.today();
        let items = timeline(
            &self.entries()?,
            &Filter {
                kinds: vec![EntryKind::Absence],
                ..Filter::default()
            },
            today,
        );
        let days = absent_days(&items, &calendar, school_day.as_ref(), from, to, today);
        Ok(count(&calendar, school_day, days, from, to, estimate))
    }
}

/// Each school day of absence in the period, as the register would show it.
fn absent_days(
    items: &[TimelineItem],
    calendar: &Calendar,
    school_day: Option<&SchoolDay>,
    from: Date,
    to: Date,
    today: Date,
) -> BTreeMap<Date, Day> {
    let mut days: BTreeMap<Date, Day> = BTreeMap::new();
    for item in items {
        let Some(Facts::Absence(absence)) = &item.facts else {
            continue;
        };
        let (first, approximate_end) = item.occurred.span();
        // Only the period's days are walked: an absence of many centuries from a hostile
        // file costs no more than one within it.
        let last = last_day(absence, approximate_end, today).min(to);
        // A part-time timetable's time is when the child leaves every day; any other
        // absence's is when the child left on its first day (sent home at 09:20), or
        // was collected after the school called.
        let left = absence
            .collected
            .or_else(|| item.occurred.time().map(|t| t.time()));
        let every_day = absence.reason == AbsenceReason::PartTimeTimetable;
        // Sessions given by the family stand for whole days from the first day counted.
        let mut given = absence.sessions;
        let mut day = first.max(from);
        while day <= last {
            if calendar.is_school_day(day) {
                let mut this = whole_day(school_day);
                if (day == first || every_day)
                    && let (Some(left), Some(school)) = (left, school_day)
                {
                    // Registered before leaving: present for the sessions begun.
                    this.morning = left <= school.morning.0;
                    this.afternoon = left <= school.afternoon.0;
                    this.minutes = school.after(left);
                }
                if let Some(remaining) = given.as_mut() {
                    let take = this.sessions().min(*remaining);
                    *remaining -= take;
                    keep_sessions(&mut this, take, school_day);
                }
                this.authorised = absence.authorised;
                if (from..=to).contains(&day) && (this.sessions() > 0 || this.minutes > 0) {
                    let seen = days.entry(day).or_default();
                    seen.morning |= this.morning;
                    seen.afternoon |= this.afternoon;
                    seen.minutes = seen.minutes.max(this.minutes);
                    seen.authorised = match (seen.authorised, this.authorised) {
                        (Some(false), _) | (_, Some(false)) => Some(false),
                        (Some(true), _) | (_, Some(true)) => Some(true),
                        _ => None,
                    };
                }
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
    }
    days
}

/// The last day of an absence: its `until`, today while it goes on, else its own day
/// (or the end of an approximate one, "the week of ...").
fn last_day(absence: &Absence, approximate_end: Date, today: Date) -> Date {
    let mut last = absence.until.map_or(approximate_end, |u| u.get());
    if absence.ongoing {
        last = last.max(today);
    }
    last
}

/// Keeps the first `n` of the sessions a day's absence missed.
fn keep_sessions(day: &mut Day, n: u32, school_day: Option<&SchoolDay>) {
    match n {
        0 => *day = Day::default(),
        1 if day.sessions() == 2 => {
            day.afternoon = false;
            day.minutes = school_day.map_or(0, |s| SchoolDay::minutes(s.morning));
        }
        _ => {}
    }
}

fn whole_day(school_day: Option<&SchoolDay>) -> Day {
    Day {
        morning: true,
        afternoon: true,
        minutes: school_day.map_or(0, SchoolDay::length),
        authorised: None,
    }
}

fn count(
    calendar: &Calendar,
    school_day: Option<SchoolDay>,
    days: BTreeMap<Date, Day>,
    from: Date,
    to: Date,
    estimate: bool,
) -> Attendance {
    let mut weeks: BTreeMap<Date, Week> = BTreeMap::new();
    let mut school_days = 0;
    let mut day = from;
    while day <= to {
        if calendar.is_school_day(day) {
            school_days += 1;
            let monday = monday_of(day);
            let week = weeks.entry(monday).or_insert(Week {
                monday,
                school_days: 0,
                possible: 0,
                missed: 0,
                minutes_lost: school_day.map(|_| 0),
            });
            week.school_days += 1;
            week.possible += 2;
            if let Some(absent) = days.get(&day) {
                week.missed += absent.sessions();
                if let Some(lost) = week.minutes_lost.as_mut() {
                    *lost += absent.minutes;
                }
            }
        }
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    let sessions = |which: Option<bool>| -> u32 {
        days.values()
            .filter(|d| d.authorised == which)
            .map(Day::sessions)
            .sum()
    };
    let possible = school_days * 2;
    let missed: u32 = days.values().map(Day::sessions).sum();
    let percentage = match possible {
        0 => 100.0,
        _ => ((f64::from(possible - missed) / f64::from(possible)) * 10_000.0).round() / 100.0,
    };
    Attendance {
        from,
        to,
        estimate,
        school_days,
        possible,
        missed,
        authorised: sessions(Some(true)),
        unauthorised: sessions(Some(false)),
        not_said: sessions(None),
        percentage,
        school_day,
        minutes_possible: school_day.map(|s| s.length() * i64::from(school_days)),
        minutes_lost: school_day.map(|_| days.values().map(|d| d.minutes).sum()),
        weeks: weeks.into_values().collect(),
    }
}

/// 1 September of the school year holding `day`.
pub(crate) fn first_of_september(day: Date) -> Date {
    let year = if day.month() >= 9 {
        day.year()
    } else {
        day.year() - 1
    };
    jiff::civil::date(year, 9, 1)
}

pub(crate) fn monday_of(day: Date) -> Date {
    let back = i64::from(day.weekday().to_monday_zero_offset());
    day.checked_sub(back.days()).unwrap_or(day)
}
