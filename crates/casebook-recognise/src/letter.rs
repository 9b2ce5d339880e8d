//! A message as the recognisers read it: what its sender wrote, each message it
//! forwards (with that message's own sender and date), each attached letter and each
//! calendar invitation. What a reply quotes of earlier mail, and the signature, are
//! left out: they repeat what the family already had.

use casebook_documents::read_document;
use casebook_mail::{Email, Fallbacks, read_email, uk_time};
use jiff::civil::{Date, DateTime};

use crate::rules::History;
use crate::when::dates;

/// Where in the message a part stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// What the sender wrote.
    Body,
    /// A message the sender forwarded.
    Forwarded,
    /// An attached letter, by its file name.
    Attachment(String),
}

#[derive(Debug, Clone)]
pub struct Part {
    pub place: Place,
    pub text: String,
    /// A forwarded message's own sender and date, from its header lines.
    pub from: Option<String>,
    pub sent: Option<Date>,
}

/// An event of a calendar invitation, in UK time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub start: DateTime,
    pub summary: String,
}

#[derive(Debug, Clone, Default)]
pub struct Letter {
    /// The sender's address, lowercased; `None` for a document the family logged
    /// themselves, whose sender they vouch for.
    pub from: Option<String>,
    pub subject: String,
    /// The day it arrived, in UK time.
    pub arrived: Option<Date>,
    pub parts: Vec<Part>,
    pub events: Vec<Event>,
}

/// The largest attachment read for a decision: a letter is a few pages.
const ATTACHMENT_LIMIT: usize = 20 << 20;

impl Letter {
    /// An email, as saved from a mail program (the original a casebook import keeps).
    pub fn from_email(raw: &[u8], history: &History) -> Result<Letter, String> {
        Ok(Letter::of_email(
            &read_email(raw, &Fallbacks::default())?,
            history,
        ))
    }

    /// An email already read, as an import has it.
    pub fn of_email(email: &Email, history: &History) -> Letter {
        let subject = email.subject.clone().unwrap_or_default();
        let forward = history
            .forward_subjects
            .iter()
            .any(|s| subject.trim_start().to_lowercase().starts_with(s.as_str()));
        let mut letter = Letter {
            from: Some(
                email
                    .from
                    .first()
                    .map(|a| a.email.to_lowercase())
                    .unwrap_or_default(),
            ),
            subject,
            arrived: Some(uk_time(email.dated.instant).date()),
            parts: split_body(&email.text, forward, history),
            events: vec![],
        };
        for file in &email.files {
            letter.attach(&file.name, &file.bytes);
        }
        letter
    }

    /// A letter the family logged as a document, dated as they logged it.
    pub fn from_document(name: &str, bytes: &[u8], logged: Date) -> Letter {
        let mut letter = Letter {
            from: None,
            subject: String::new(),
            arrived: Some(logged),
            parts: vec![],
            events: vec![],
        };
        letter.attach(name, bytes);
        letter
    }

    /// Reads an attached file: a calendar invitation's events, or a letter's text.
    /// A file that cannot be read is passed over: the message's own text still counts.
    pub fn attach(&mut self, name: &str, bytes: &[u8]) {
        if bytes.len() > ATTACHMENT_LIMIT {
            return;
        }
        let lower = name.to_lowercase();
        if lower.ends_with(".ics") || bytes.starts_with(b"BEGIN:VCALENDAR") {
            if let Ok(text) = std::str::from_utf8(bytes) {
                self.events.extend(crate::invitation::events(text));
            }
            return;
        }
        let pdf = bytes.starts_with(b"%PDF");
        let readable = [".pdf", ".docx", ".txt"].iter().any(|e| lower.ends_with(e)) || pdf;
        // A PDF without its end marker is damaged or cut short: the reader's repair of
        // such a file costs a tenth of a second, and a mailbox can hold hundreds. The
        // minutes and plan checks still try it when the family asks.
        if !readable || pdf && !ends_like_a_pdf(bytes) {
            return;
        }
        if let Ok(document) = read_document(name, bytes) {
            self.parts.push(Part {
                place: Place::Attachment(name.to_owned()),
                text: document.text(),
                from: None,
                sent: None,
            });
        }
    }
}

/// Whether "%%EOF" is in the last 4 KiB, where a whole PDF has it.
fn ends_like_a_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(4096)..];
    tail.windows(5).any(|w| w == b"%%EOF")
}

/// The sender's own words, then each forwarded message; quoted history and the
/// signature are dropped.
fn split_body(text: &str, forward: bool, history: &History) -> Vec<Part> {
    let lines: Vec<&str> = text.lines().collect();
    let mut parts = vec![Part {
        place: Place::Body,
        text: String::new(),
        from: None,
        sent: None,
    }];
    // Whether the lines now read are kept: false in a signature and in quoted history.
    let mut keep = true;
    let mut at = 0;
    while at < lines.len() {
        let line = lines[at].trim();
        let lower = line.to_lowercase();
        let marker = |list: &[String]| list.iter().any(|m| lower.contains(m.as_str()));
        let marked = marker(&history.forwarded) || marker(&history.original);
        // An Outlook-style header with no marker line above it: the header starts here.
        let outlook = !marked && starts_history(&lines, at);
        if marker(&history.forwarded) || forward && (marked || outlook) {
            let (from, sent, next) = header_block(&lines, if outlook { at } else { at + 1 });
            parts.push(Part {
                place: Place::Forwarded,
                text: String::new(),
                from,
                sent,
            });
            keep = true;
            at = next;
            continue;
        }
        if marked || outlook {
            // A reply: everything below is what it quotes.
            break;
        }
        if wrote_line(&lines, at) {
            break;
        }
        if line == "--" || lines[at] == "-- " {
            keep = false;
        } else if keep
            && !line.starts_with('>')
            && let Some(part) = parts.last_mut()
        {
            part.text.push_str(lines[at]);
            part.text.push('\n');
        }
        at += 1;
    }
    parts.retain(|p| !p.text.trim().is_empty());
    parts
}

/// An Outlook-style header of an earlier message: "From:" with "Sent:" or "Date:"
/// within the next lines.
fn starts_history(lines: &[&str], at: usize) -> bool {
    let starts = |l: &str, w: &str| l.trim_start().to_lowercase().starts_with(w);
    starts(lines[at], "from:")
        && lines[at + 1..]
            .iter()
            .take(4)
            .any(|l| starts(l, "sent:") || starts(l, "date:"))
}

/// "On Tue, 3 Mar 2026 at 09:12, Jo <jo@example.org> wrote:", on one line or two.
fn wrote_line(lines: &[&str], at: usize) -> bool {
    let line = lines[at].trim().to_lowercase();
    if !line.starts_with("on ") {
        return false;
    }
    let joined = match lines.get(at + 1) {
        Some(next) if !line.ends_with(':') => format!("{line} {}", next.trim().to_lowercase()),
        _ => line,
    };
    joined.ends_with("wrote:") || joined.ends_with("a écrit :")
}

/// Reads the header lines of a forwarded message from `at`: its sender and date, and
/// where its text starts.
fn header_block(lines: &[&str], at: usize) -> (Option<String>, Option<Date>, usize) {
    let mut from = None;
    let mut sent = None;
    let mut next = at;
    for (i, line) in lines.iter().enumerate().skip(at).take(10) {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if i > at {
                next = i + 1;
                break;
            }
            continue;
        }
        let Some((name, value)) = trimmed.split_once(':') else {
            next = i;
            break;
        };
        match name.trim().to_lowercase().as_str() {
            "from" => from = address(value),
            "date" | "sent" => sent = dates(value, None).first().map(|f| f.date),
            "to" | "cc" | "subject" | "importance" | "attachments" => {}
            _ => {
                next = i;
                break;
            }
        }
        next = i + 1;
    }
    (from, sent, next)
}

/// The address in "Name <name@example.org>" or a bare address.
fn address(value: &str) -> Option<String> {
    let inside = match (value.find('<'), value.rfind('>')) {
        (Some(start), Some(end)) if start < end => &value[start + 1..end],
        _ => value,
    };
    inside
        .split_whitespace()
        .find(|w| w.contains('@'))
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history() -> History {
        History {
            forwarded: vec!["forwarded message".into()],
            original: vec!["-----original message-----".into()],
            forward_subjects: vec!["fw:".into(), "fwd:".into()],
        }
    }

    #[test]
    fn a_reply_loses_what_it_quotes_and_a_forward_keeps_it() {
        let reply = "Thank you.\n\nOn Tue, 3 Mar 2026 at 09:12, SEN Team <sen@northshire.gov.uk>\nwrote:\n> We have decided not to assess.\n";
        let parts = split_body(reply, false, &history());
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].text, "Thank you.\n\n");
        let outlook = "See below.\n\nFrom: SEN Team <sen@northshire.gov.uk>\nSent: 03 March 2026 10:15\nTo: Jo\nSubject: Decision\n\nWe have decided not to assess.\n";
        assert_eq!(split_body(outlook, false, &history()).len(), 1);
        let parts = split_body(outlook, true, &history());
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].place, Place::Forwarded);
        assert_eq!(parts[1].from.as_deref(), Some("sen@northshire.gov.uk"));
        assert_eq!(parts[1].sent, Some(jiff::civil::date(2026, 3, 3)));
        assert_eq!(parts[1].text, "We have decided not to assess.\n");
    }

    #[test]
    fn the_signature_is_left_out() {
        let parts = split_body(
            "Yes.\n-- \nJo Smith\nSuspended ceilings Ltd\n",
            false,
            &history(),
        );
        assert_eq!(parts[0].text, "Yes.\n");
    }
}
