//! What an entry says, line by line, in the order an adviser reads it: for an incident
//! the place, the child's own words, who was involved and who saw it, the harm, who it
//! was reported to and what the school said; for a meeting who sat on each side, the
//! points raised, the actions agreed and what the minutes left out; for an absence its
//! span in school days. A panel sees the bundle, not the database: every fact the
//! family recorded is here, with other children under their pseudonyms.

use std::collections::BTreeMap;

use casebook_calendar::Calendar;
use casebook_domain::{EntryId, Facts, Person, PersonId, Relation, Side, facts, uk_date};
use jiff::civil::Date;
use serde::Serialize;

use crate::bundle::capitalise;
use crate::timeline::{RequestState, TimelineItem, person_name};
use crate::triggers::{MinutesCheck, away};

/// One labelled fact, with one line a value ("Seen by: Mr Osei").
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub label: String,
    pub lines: Vec<String>,
}

/// Everything the facts are read against: the people (for names), the whole timeline
/// (for links, minutes and corrections), the calendar (for school days) and today.
pub(crate) struct Reader<'a> {
    pub people: &'a [Person],
    pub real_names: bool,
    pub private: &'a dyn Fn(&str) -> String,
    pub all: &'a [TimelineItem],
    pub checks: &'a [MinutesCheck],
    pub calendar: &'a Calendar,
    pub today: Date,
    /// Each entry's summary and date as first written, for entries later corrected.
    pub originals: &'a BTreeMap<EntryId, (String, String)>,
    /// Each correction's day and reason.
    pub amendments: &'a BTreeMap<EntryId, (String, String)>,
    /// Other entries named by their date alone, as pages do (a bundle gives the entry
    /// number too, which its index and pages use).
    pub by_date: bool,
}

impl Reader<'_> {
    fn name(&self, id: PersonId) -> String {
        person_name(self.people, id, self.real_names)
    }

    fn names(&self, ids: &[PersonId]) -> String {
        ids.iter()
            .map(|p| self.name(*p))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn date_of(&self, id: EntryId) -> String {
        self.all
            .iter()
            .find(|i| i.id == id)
            .map_or_else(String::new, |i| format!(" ({})", i.occurred_text))
    }

    /// Another entry, as the reader names it: "e12 (3 March 2026)" in a bundle, "the
    /// entry of 3 March 2026" on a page.
    fn refer(&self, id: EntryId) -> String {
        if self.by_date {
            format!("the entry of {}", self.when(id))
        } else {
            format!("{id}{}", self.date_of(id))
        }
    }

    /// When another entry happened, for a page.
    fn when(&self, id: EntryId) -> String {
        self.all.iter().find(|i| i.id == id).map_or_else(
            || "a day no longer in the case".to_owned(),
            |i| i.occurred_text.clone(),
        )
    }

    /// The facts of one entry, in reading order; empty facts are left out.
    pub fn facts(&self, item: &TimelineItem) -> Vec<Fact> {
        let mut out = Lines::default();
        match &item.facts {
            Some(Facts::Incident(f)) => self.incident(&mut out, f),
            Some(Facts::Observation(f)) => {
                out.add(
                    "Seen at home",
                    &f.signs
                        .iter()
                        .map(|s| s.phrase())
                        .collect::<Vec<_>>()
                        .join(", "),
                );
                if let Some(words) = &f.child_words {
                    out.add("In the child's own words", &quoted(&(self.private)(words)));
                }
            }
            Some(Facts::Meeting(m)) => self.meeting(&mut out, item, m),
            Some(Facts::Absence(a)) => self.absence(&mut out, item, a),
            Some(Facts::Communication(c)) => {
                if let Some(from) = c.from {
                    out.add("From", &self.name(from));
                }
                out.add("To", &self.names(&c.to));
                out.add("Copied to", &self.names(&c.cc));
                if let Some(subject) = &c.subject {
                    out.add("Subject", &(self.private)(subject));
                }
                if let Some(sent) = c.sent.as_deref().and_then(senders_clock) {
                    out.add("Sent by the sender's clock", &sent);
                }
                if let Some(note) = &c.dated_by {
                    out.add("Date", note);
                }
            }
            Some(Facts::Request(r)) => {
                if let Some(to) = r.to {
                    out.add("Asked of", &self.name(to));
                }
                if let Some(due) = r.due {
                    out.add("Reply due by", &uk_date(due.get()));
                }
                let state = match item.request {
                    Some(RequestState::Answered { by }) => {
                        // An answer after its due date stays late in the record.
                        let answered = self
                            .all
                            .iter()
                            .find(|i| i.id == by)
                            .map(|i| i.occurred.earliest());
                        match (answered, r.due.map(|d| d.get())) {
                            (Some(on), Some(due)) if on > due => format!(
                                "answered {} late: {}",
                                crate::timeline::lateness((on - due).get_days()),
                                self.refer(by)
                            ),
                            _ => format!("answered: {}", self.refer(by)),
                        }
                    }
                    Some(RequestState::Withdrawn { by }) => {
                        format!("withdrawn: {}", self.refer(by))
                    }
                    Some(RequestState::Late { days_late, .. }) => {
                        format!(
                            "not answered, {} late",
                            crate::timeline::lateness(days_late)
                        )
                    }
                    _ => "waiting for a reply".into(),
                };
                out.add("Reply", &state);
            }
            Some(Facts::Decision(d)) => {
                out.add("Decided by", d.by.phrase());
                out.add("Outcome", d.outcome.phrase());
            }
            Some(Facts::Document(d)) => {
                out.add("Kind of document", d.document_type.phrase());
                if let Some(title) = &d.title {
                    out.add("Title", &(self.private)(title));
                }
                if let Some(by) = &d.issued_by {
                    out.add("Issued by", &(self.private)(by));
                }
                for check in self.checks.iter().filter(|c| c.minutes == item.id) {
                    out.add(
                        "Checked against the points raised",
                        &format!(
                            "at the meeting {}: {}",
                            if self.by_date {
                                format!("of {}", self.when(check.meeting))
                            } else {
                                self.refer(check.meeting)
                            },
                            outcome(check)
                        ),
                    );
                }
            }
            Some(Facts::Timestamp(t)) => {
                out.add("Time-stamping authority", &t.authority);
                let time = t
                    .time
                    .parse::<jiff::Timestamp>()
                    .map(casebook_timestamps::when)
                    .unwrap_or_else(|_| t.time.clone());
                out.add("Existed by", &time);
            }
            _ => {}
        }
        // What it answers, confirms or is about; corrections are shown on their own.
        for link in item
            .links
            .iter()
            .filter(|l| !matches!(l.rel, Relation::Amends | Relation::Redacts))
        {
            out.add(&capitalise(link.rel.phrase()), &self.refer(link.target));
        }
        out.0
    }

    fn incident(&self, out: &mut Lines, f: &facts::Incident) {
        if let Some(place) = &f.place {
            out.add("Place", &(self.private)(place));
        }
        out.add(
            "Kind",
            &f.categories
                .iter()
                .map(|c| c.phrase())
                .collect::<Vec<_>>()
                .join(", "),
        );
        if let Some(prejudice) = &f.prejudice {
            out.add("Prejudice", &(self.private)(prejudice));
        }
        if let Some(words) = &f.child_words {
            out.add("In the child's own words", &quoted(&(self.private)(words)));
        }
        out.add("Involved", &self.names(&f.involved));
        out.add("Seen by", &self.names(&f.witnesses));
        if let Some(harm) = &f.harm {
            out.add("Harm", &(self.private)(harm));
        }
        if let Some(to) = f.reported_to {
            let on = f
                .reported_on
                .as_ref()
                .map(|o| format!(", on {o}"))
                .unwrap_or_default();
            out.add("Reported to", &format!("{}{on}", self.name(to)));
        }
        if let Some(said) = &f.school_response {
            out.add("What the school said", &(self.private)(said));
        }
        if let Some(word) = &f.school_word {
            out.add("The school's word for it", &quoted(&(self.private)(word)));
        }
    }

    fn meeting(&self, out: &mut Lines, item: &TimelineItem, m: &facts::Meeting) {
        if m.requested_only {
            out.add("Held", "not yet: the family asked for this meeting");
        }
        let mut sides: Vec<String> = Vec::new();
        for side in [
            Side::School,
            Side::LocalAuthority,
            Side::Family,
            Side::Independent,
        ] {
            let here: Vec<PersonId> = m
                .attendees
                .iter()
                .filter(|a| a.side == side)
                .map(|a| a.person)
                .collect();
            if !here.is_empty() {
                sides.push(format!(
                    "{} for the {} ({})",
                    here.len(),
                    side.phrase(),
                    self.names(&here)
                ));
            }
        }
        out.add("Who was there", &sides.join("; "));
        if let Some(purpose) = &m.purpose {
            out.add("Purpose", &(self.private)(purpose));
        }
        out.lines(
            "Points the family raised",
            m.points_raised.iter().map(|p| (self.private)(p)).collect(),
        );
        out.lines(
            "Actions agreed",
            m.actions.iter().map(|a| self.action(a)).collect(),
        );
        let minutes: Vec<String> = self
            .all
            .iter()
            .filter(|d| {
                d.links
                    .iter()
                    .any(|l| l.rel == Relation::MinutesOf && l.target == item.id)
            })
            .map(|d| {
                let checked = match self.checks.iter().find(|c| c.minutes == d.id) {
                    Some(check) => outcome(check),
                    None if m.points_raised.is_empty() => "no points were recorded to check".into(),
                    None => "not checked: the text of the minutes is not in the case".into(),
                };
                if self.by_date {
                    format!("{}: {checked}", d.occurred_text)
                } else {
                    format!("{}, {}: {checked}", d.id, d.occurred_text)
                }
            })
            .collect();
        if minutes.is_empty() {
            out.add("Minutes", "none in the case");
        } else {
            out.lines("Minutes", minutes);
        }
        out.add(
            "Confirmed in writing",
            if item.unconfirmed { "not yet" } else { "yes" },
        );
    }

    fn action(&self, a: &facts::Action) -> String {
        let mut line = (self.private)(&a.what);
        if let Some(who) = a.who {
            line.push_str(&format!(": {}", self.name(who)));
        }
        if let Some(by) = a.by {
            let passed = if by.get() < self.today {
                ", a date now passed"
            } else {
                ""
            };
            line.push_str(&format!(", by {}{passed}", uk_date(by.get())));
        }
        line
    }

    fn absence(&self, out: &mut Lines, item: &TimelineItem, a: &facts::Absence) {
        let (first, last) = away(item, a, self.today);
        let days = self.calendar.school_days_between(first, last);
        let span = if last == first {
            uk_date(first)
        } else if a.ongoing {
            format!(
                "from {} and still away on {}",
                uk_date(first),
                uk_date(last)
            )
        } else {
            format!("from {} to {}", uk_date(first), uk_date(last))
        };
        let estimate = if self.calendar.has_terms() {
            ""
        } else {
            ", counted on a typical school year (the school's term dates are not in the case)"
        };
        out.add(
            "Away",
            &format!(
                "{span}: {days} school day{}{estimate}",
                if days == 1 { "" } else { "s" }
            ),
        );
        if let Some(sessions) = a.sessions {
            out.add("Sessions missed", &sessions.to_string());
        }
        out.add("Reason", a.reason.phrase());
        if let Some(authorised) = a.authorised {
            out.add("Authorised", if authorised { "yes" } else { "no" });
        }
        if let Some(evidence) = &a.evidence {
            out.add("Evidence", &(self.private)(evidence));
        }
        if let Some(collected) = a.collected {
            out.add("Collected at", &collected.strftime("%H:%M").to_string());
        }
        if let Some(who) = a.asked_by {
            out.add("Asked for or agreed by", &self.name(who));
        }
        if let Some(reason) = &a.reason_given {
            out.add("Reason the school gave", &quoted(&(self.private)(reason)));
        }
        if let Some(letter) = a.formal_letter {
            out.add(
                "Letter of suspension",
                if letter {
                    "one followed"
                } else {
                    "none followed"
                },
            );
        }
        if let Some(review) = a.review {
            out.add("To be reviewed by", &uk_date(review.get()));
        }
    }

    /// Each correction of an entry, beside it: when, why, and what it said before.
    pub fn corrections(&self, item: &TimelineItem) -> Vec<String> {
        let mut out = Vec::new();
        for id in &item.amended_by {
            if let Some((day, reason)) = self.amendments.get(id) {
                out.push(format!(
                    "Corrected on {day} ({id}): {}",
                    (self.private)(reason)
                ));
            }
        }
        if let (false, Some((summary, date))) =
            (item.amended_by.is_empty(), self.originals.get(&item.id))
        {
            let now = item.summary.as_deref().unwrap_or_default();
            if summary != now {
                out.push(format!("First written as: {}", (self.private)(summary)));
            }
            if *date != item.occurred_text {
                out.push(format!("Date first given: {date}"));
            }
        }
        out
    }

    /// Where the school's account differs from the family's: an incident the school
    /// answered, or gave a word of its own to.
    pub fn disputed(&self, item: &TimelineItem) -> Option<Vec<Fact>> {
        let Some(Facts::Incident(f)) = &item.facts else {
            return None;
        };
        if f.school_response.is_none() && f.school_word.is_none() {
            return None;
        }
        let mut out = Lines::default();
        if let Some(words) = &f.child_words {
            out.add("In the child's own words", &quoted(&(self.private)(words)));
        }
        if let Some(said) = &f.school_response {
            out.add("What the school said", &(self.private)(said));
        }
        if let Some(word) = &f.school_word {
            out.add("The school's word for it", &quoted(&(self.private)(word)));
        }
        Some(out.0)
    }
}

/// The facts gathered so far; an empty value is not a fact.
#[derive(Default)]
struct Lines(Vec<Fact>);

impl Lines {
    fn add(&mut self, label: &str, value: &str) {
        if !value.trim().is_empty() {
            self.lines(label, vec![value.to_owned()]);
        }
    }

    fn lines(&mut self, label: &str, lines: Vec<String>) {
        if !lines.is_empty() {
            self.0.push(Fact {
                label: label.into(),
                lines,
            });
        }
    }
}

/// What the minutes check found, in words.
fn outcome(check: &MinutesCheck) -> String {
    match check.missing {
        0 => format!("all {} points raised are recorded", check.points),
        1 => format!(
            "1 of the {} points raised is left out or changed",
            check.points
        ),
        n => format!(
            "{n} of the {} points raised are left out or changed",
            check.points
        ),
    }
}

/// Words as they were said, in curly quotes.
fn quoted(words: &str) -> String {
    format!("\u{201c}{}\u{201d}", words.trim())
}

/// "08:20 on 2 June 2026 (UTC+00:00), 09:20 in the UK" from an email's RFC 3339 date:
/// the entry's own time is UK time, and a sender elsewhere (or a server on UTC) wrote
/// another.
fn senders_clock(sent: &str) -> Option<String> {
    let (local, offset) = (sent.get(..19)?, sent.get(19..)?);
    let local: jiff::civil::DateTime = local.parse().ok()?;
    let mut said = format!(
        "{} on {} (UTC{offset})",
        local.strftime("%H:%M"),
        uk_date(local.date())
    );
    if let Ok(instant) = sent.parse::<jiff::Timestamp>() {
        let uk = instant.to_zoned(casebook_domain::uk_time_zone()).datetime();
        if uk != local {
            said.push_str(&format!(", {} in the UK", uk.strftime("%H:%M")));
            if uk.date() != local.date() {
                said.push_str(&format!(" on {}", uk_date(uk.date())));
            }
        }
    }
    Some(said)
}

/// "1 day", "5 days".
#[cfg(test)]
mod tests {
    use super::senders_clock;

    #[test]
    fn an_email_s_time_is_shown_by_its_sender_s_clock_and_in_the_uk() {
        // June is BST (UTC+1); December is GMT; New York in December is UTC-5.
        assert_eq!(
            senders_clock("2026-06-02T08:20:00+00:00").as_deref(),
            Some("08:20 on 2 June 2026 (UTC+00:00), 09:20 in the UK")
        );
        assert_eq!(
            senders_clock("2026-12-01T23:30:00-05:00").as_deref(),
            Some("23:30 on 1 December 2026 (UTC-05:00), 04:30 in the UK on 2 December 2026")
        );
        assert_eq!(
            senders_clock("2026-12-01T09:00:00+00:00").as_deref(),
            Some("09:00 on 1 December 2026 (UTC+00:00)")
        );
        // Whatever a store holds is read without a panic.
        assert_eq!(senders_clock("2026-06-02T08:2é"), None);
    }
}
