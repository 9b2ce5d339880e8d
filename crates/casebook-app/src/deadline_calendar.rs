//! Deadlines as an iCalendar file for the family's phone. Each request keeps the same
//! UID in every export, with a sequence number that rises as it changes, so importing
//! a newer export updates the event instead of adding a second one; an answered or
//! withdrawn request is sent as cancelled, which removes it.

use std::io::Write;

use casebook_domain::{Case, CaseDate, recorded_text};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::error::{AppError, AppResult};
use crate::timeline::{RequestState, TimelineItem};

pub fn write_ics(
    out: &mut impl Write,
    case: &Case,
    items: &[TimelineItem],
    now: Timestamp,
) -> AppResult<()> {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".into(),
        "PRODID:-//casebook//deadlines//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        format!(
            "X-WR-CALNAME:{}",
            escape(&format!("casebook: {}", case.child.name))
        ),
    ];
    let stamp = recorded_text(now).replace(['-', ':'], "");
    for item in items {
        let (due, state) = match item.request {
            Some(RequestState::Open { due: Some(due) }) => (due, "open"),
            Some(RequestState::Late { due, .. }) => (due, "late"),
            Some(RequestState::Answered { .. } | RequestState::Withdrawn { .. }) => {
                match &item.facts {
                    Some(casebook_domain::Facts::Request(r)) if r.due.is_some() => (
                        r.due.map_or(item.occurred.earliest(), CaseDate::get),
                        "closed",
                    ),
                    _ => continue,
                }
            }
            _ => continue,
        };
        let summary = item.summary.as_deref().unwrap_or("[redacted]");
        let rule = match &item.facts {
            Some(casebook_domain::Facts::Request(r)) => r.rule.clone(),
            _ => None,
        };
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}-{}@casebook", case.id, item.id));
        // The sequence rises with the log, so a later export always wins.
        lines.push(format!(
            "SEQUENCE:{}",
            item.amended_by.len() + usize::from(state == "closed")
        ));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("DTSTART;VALUE=DATE:{}", ics_date(due)));
        lines.push(format!(
            "DTEND;VALUE=DATE:{}",
            ics_date(due.tomorrow().unwrap_or(due))
        ));
        lines.push(format!(
            "SUMMARY:{}",
            escape(&format!("Reply due: {summary}"))
        ));
        let mut description = format!("casebook entry {} in case {}.", item.id, case.slug);
        if let Some(rule) = &rule {
            description.push_str(&format!(" Rule: {rule}."));
        }
        lines.push(format!("DESCRIPTION:{}", escape(&description)));
        if state == "closed" {
            lines.push("STATUS:CANCELLED".into());
        } else {
            lines.extend([
                "BEGIN:VALARM".into(),
                "ACTION:DISPLAY".into(),
                "TRIGGER:-P2D".into(),
            ]);
            lines.push(format!(
                "DESCRIPTION:{}",
                escape(&format!("Due in two days: {summary}"))
            ));
            lines.push("END:VALARM".into());
        }
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    for line in lines {
        out.write_all(fold(&line).as_bytes())
            .map_err(|e| AppError::Invalid(format!("Cannot write the calendar: {e}.")))?;
    }
    Ok(())
}

fn ics_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// RFC 5545 text escaping.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Lines longer than 75 octets continue on the next line after a space, never inside
/// a UTF-8 character; every line ends with CRLF.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn long_lines_fold_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{part}");
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
    }
}
