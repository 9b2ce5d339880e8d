//! Term dates from an iCalendar (.ics) file, as councils and schools publish them.
//! A small reader for the part of RFC 5545 that matters here: unfolded lines, VEVENT
//! blocks, DTSTART, DTEND and SUMMARY. Events are sorted by their summary into terms
//! and closures; anything else (parents' evenings, sports days) is left out.

use jiff::Span;
use jiff::civil::Date;

use crate::error::{CalendarError, invalid};
use crate::terms::{Closure, Term, TermCalendar};

struct Event {
    summary: String,
    start: Date,
    /// Inclusive.
    end: Date,
}

impl TermCalendar {
    pub fn from_ics(text: &str) -> Result<TermCalendar, CalendarError> {
        let lines = unfold(text);
        if !lines
            .iter()
            .any(|l| l.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
        {
            return invalid("The file is not a calendar (.ics): it has no BEGIN:VCALENDAR line.");
        }
        let events = events(&lines)?;
        let mut terms = Vec::new();
        let mut closures = Vec::new();
        let mut open_term: Option<Date> = None;
        for e in events {
            let s = e.summary.to_lowercase();
            let is_closure = [
                "inset",
                "training day",
                "staff development",
                "closed",
                "closure",
                "half term",
                "half-term",
                "holiday",
                "bank holiday",
            ]
            .iter()
            .any(|w| s.contains(w));
            if is_closure {
                closures.push(Closure {
                    name: e.summary,
                    start: e.start,
                    end: e.end,
                });
            } else if s.contains("term") {
                let starts = ["start", "begin", "first day", "opens"]
                    .iter()
                    .any(|w| s.contains(w));
                let ends = ["end", "last day", "finish", "closes"]
                    .iter()
                    .any(|w| s.contains(w));
                match (starts, ends) {
                    (true, false) => open_term = Some(e.start),
                    (false, true) => {
                        if let Some(start) = open_term.take() {
                            terms.push(Term {
                                name: format!("term ending {}", casebook_domain::uk_date(e.end)),
                                start,
                                end: e.end,
                            });
                        }
                    }
                    _ => terms.push(Term {
                        name: e.summary,
                        start: e.start,
                        end: e.end,
                    }),
                }
            }
        }
        if terms.is_empty() {
            terms = terms_between_holidays(&closures);
        }
        if terms.is_empty() {
            return invalid(
                "The calendar has no term dates or school holidays: casebook looks for events whose titles mention a term or a holiday.",
            );
        }
        TermCalendar::new(terms, closures)
    }
}

/// Most councils and schools publish only the holidays (half-terms, Christmas, Easter,
/// summer), the terms being the time between them: each gap between two holidays is a
/// term. Holidays that touch or overlap are one (a summer holiday split where one
/// school year ends and the next begins). Single bank holidays stay closures and split
/// nothing. Before the first holiday and after the last, nothing is known.
fn terms_between_holidays(closures: &[Closure]) -> Vec<Term> {
    let mut holidays: Vec<(Date, Date)> = closures
        .iter()
        .filter(|c| {
            let name = c.name.to_lowercase();
            (name.contains("holiday") || name.contains("half term") || name.contains("half-term"))
                && !name.contains("bank holiday")
        })
        .map(|c| (c.start, c.end))
        .collect();
    holidays.sort_unstable();
    let mut merged: Vec<(Date, Date)> = Vec::new();
    for (start, end) in holidays {
        match merged.last_mut() {
            Some(last) if start <= last.1.tomorrow().unwrap_or(last.1) => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
        .windows(2)
        .filter_map(|pair| {
            let start = pair[0].1.tomorrow().ok()?;
            let end = pair[1].0.yesterday().ok()?;
            (start <= end).then(|| Term {
                name: format!(
                    "term from {} to {} (between the holidays listed)",
                    casebook_domain::uk_date(start),
                    casebook_domain::uk_date(end)
                ),
                start,
                end,
            })
        })
        .collect()
}

/// Joins folded lines (a line starting with a space or tab continues the one before).
/// The lines of an iCalendar file with their continuations (a line starting with a
/// space or tab) joined, as RFC 5545 folds them.
pub fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.lines() {
        let raw = raw.trim_end_matches('\r');
        match (raw.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some(last)) => last.push_str(rest),
            _ => lines.push(raw.to_owned()),
        }
    }
    lines
}

/// An event being read: its summary, and its start and end with whether each was a
/// date alone (all-day) rather than a date and time.
type Partial = (Option<String>, Option<(Date, bool)>, Option<(Date, bool)>);

fn events(lines: &[String]) -> Result<Vec<Event>, CalendarError> {
    let mut out = Vec::new();
    let mut current: Option<Partial> = None;
    for line in lines {
        let (name, value) = line.split_once(':').unwrap_or((line.as_str(), ""));
        let property = name
            .split(';')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        match (
            property.as_str(),
            value.to_ascii_uppercase().as_str(),
            &mut current,
        ) {
            ("BEGIN", "VEVENT", _) => current = Some((None, None, None)),
            ("END", "VEVENT", Some((summary, start, end))) => {
                let Some((start, _)) = *start else {
                    return invalid("An event in the calendar has no start date (DTSTART).");
                };
                // DTEND of an all-day event is the day after it ends.
                let end = match *end {
                    Some((d, true)) if d > start => d.saturating_sub(Span::new().days(1)),
                    Some((d, _)) if d >= start => d,
                    Some(_) => return invalid("An event in the calendar ends before it starts."),
                    None => start,
                };
                out.push(Event {
                    summary: summary.clone().unwrap_or_default(),
                    start,
                    end,
                });
                current = None;
            }
            ("SUMMARY", _, Some((summary, _, _))) => *summary = Some(unescape(value)),
            ("DTSTART", _, Some((_, start, _))) => *start = Some(ics_date(value)?),
            ("DTEND", _, Some((_, _, end))) => *end = Some(ics_date(value)?),
            _ => {}
        }
    }
    Ok(out)
}

/// `20260902` or `20260902T080000Z`: the date, and whether it was a date alone.
fn ics_date(value: &str) -> Result<(Date, bool), CalendarError> {
    let digits = value
        .get(..8)
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
    let parsed = digits.and_then(|d| {
        Date::new(
            d[..4].parse().ok()?,
            d[4..6].parse().ok()?,
            d[6..].parse().ok()?,
        )
        .ok()
    });
    match parsed {
        Some(date) => Ok((date, value.len() == 8)),
        None => invalid(format!(
            "The calendar has a date casebook cannot read: \"{value}\"."
        )),
    }
}

fn unescape(value: &str) -> String {
    value
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\n", " ")
        .replace("\\N", " ")
        .replace("\\\\", "\\")
}
