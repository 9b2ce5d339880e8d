//! Calendar invitations (.ics, RFC 5545): each VEVENT's start and summary, in UK time.
//! A start in UTC ("...Z"), with a TZID, or floating (taken as UK time) is read; an
//! all-day event is no meeting time and is left out, and so is a cancellation.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use crate::letter::Event;

/// The most events read from one file: an invitation has one, a school calendar dozens.
const MOST: usize = 20;

pub fn events(text: &str) -> Vec<Event> {
    let mut events = Vec::new();
    let mut start = None;
    let mut summary = String::new();
    let mut in_event = false;
    let mut cancelled = false;
    for line in casebook_calendar::unfold(text) {
        let (name, value) = match line.split_once(':') {
            Some(pair) => pair,
            None => continue,
        };
        let (property, params) = name.split_once(';').unwrap_or((name, ""));
        match property.to_ascii_uppercase().as_str() {
            "METHOD" if value.eq_ignore_ascii_case("CANCEL") => return Vec::new(),
            "BEGIN" if value.eq_ignore_ascii_case("VEVENT") => {
                in_event = true;
                cancelled = false;
                start = None;
                summary.clear();
            }
            "STATUS" if in_event => cancelled = value.eq_ignore_ascii_case("CANCELLED"),
            "END" if value.eq_ignore_ascii_case("VEVENT") && in_event => {
                in_event = false;
                if let Some(start) = start.take().filter(|_| !cancelled) {
                    events.push(Event {
                        start,
                        summary: unescape(&summary),
                    });
                }
                if events.len() >= MOST {
                    break;
                }
            }
            "DTSTART" if in_event => start = uk_start(params, value),
            "SUMMARY" if in_event => summary = value.to_owned(),
            _ => {}
        }
    }
    events
}

/// A DTSTART value in UK time.
fn uk_start(params: &str, value: &str) -> Option<DateTime> {
    let value = value.trim();
    let (local, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(v) => (v, true),
        None => (value, false),
    };
    let when = DateTime::strptime("%Y%m%dT%H%M%S", local).ok()?;
    let zone = if utc {
        TimeZone::UTC
    } else {
        params
            .split(';')
            .find_map(|p| p.strip_prefix("TZID="))
            .and_then(|id| TimeZone::get(id.trim_matches('"')).ok())
            .unwrap_or_else(casebook_domain::uk_time_zone)
    };
    let zoned = when.to_zoned(zone).ok()?;
    Some(
        zoned
            .with_time_zone(casebook_domain::uk_time_zone())
            .datetime(),
    )
}

fn unescape(text: &str) -> String {
    text.replace("\\n", " ")
        .replace("\\N", " ")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn starts_in_uk_time_whatever_the_zone() {
        let ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Europe/London:20260610T143000\r\nSUMMARY:Meeting about Alex\\, with the SENCo\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART:20260610T080000Z\r\nSUMMARY:Review\r\n  meeting\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260611\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let found = events(ics);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].start, date(2026, 6, 10).at(14, 30, 0, 0));
        assert_eq!(found[0].summary, "Meeting about Alex, with the SENCo");
        assert_eq!(found[1].start, date(2026, 6, 10).at(9, 0, 0, 0));
        assert_eq!(found[1].summary, "Review meeting");
        let cancelled = ics.replace("METHOD:REQUEST", "METHOD:CANCEL");
        assert!(events(&cancelled).is_empty());
        let one_cancelled = ics.replace("SUMMARY:Review", "STATUS:CANCELLED\r\nSUMMARY:Review");
        assert_eq!(events(&one_cancelled).len(), 1);
    }
}
