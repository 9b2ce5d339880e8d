//! Decisions found in what the family received, offered to them to log: the inbox
//! starts the clocks, but only once the family says so. A suggestion is worked out from
//! the log each time (the message, the rule pack's recognisers, the case's people), so
//! nothing about it is stored until the family accepts it (an entry of the kind the
//! recogniser names, linked `about` the message, answering the request it closes) or
//! dismisses it (a note `about` the message saying so). Either settles it.

use std::collections::HashMap;

use casebook_calendar::{DayOne, Unit};
use casebook_domain::{
    AbsenceReason, CaseDate, DecisionMaker, DocumentType, EntryId, EntryKind, Facts, Link,
    Occurred, Outcome, Person, Record, Relation, Side, facts, uk_date,
};
use casebook_recognise::{Dated, Known, Letter, Recogniser, Recognisers, Suggestion, recognise};
use casebook_rules::{Inputs, compute};
use casebook_store::{BlobStore, CaseStore};
use jiff::civil::Date;
use serde::Serialize;

use crate::error::{AppError, AppResult, invalid};
use crate::record::{CaseFile, NewAttachment, NewEntry};
use crate::timeline::{RequestState, TimelineItem};
use crate::{Filter, calendar_for, rule_pack, term_dates};

/// How far back what to do now looks for suggestions: a decision's clock runs for weeks,
/// not years, and reading every message of a long case on every visit would be slow.
/// `casebook recognise` reads the whole log.
pub const RECENT_DAYS: i64 = 120;

/// A decision found in a message, not yet logged or dismissed.
#[derive(Debug, Clone, Serialize)]
pub struct Suggested {
    /// The entry it was found in.
    pub message: EntryId,
    /// That entry's summary (an email's subject) and date.
    pub message_summary: String,
    pub received: String,
    pub kind: String,
    /// What it is: "the council's decision not to carry out an EHC needs assessment".
    pub label: String,
    pub quote: String,
    pub found_in: String,
    pub date: Date,
    /// The date, and the time of a meeting, as words.
    pub when: String,
    /// How the date was found.
    pub dated: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// The steps it starts, each with its last day counted from `date`.
    pub starts: Vec<Starts>,
    /// The family's request it answers, when one is open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<EntryId>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Starts {
    pub rule: String,
    pub what: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_text: Option<String>,
    pub source: String,
    pub verify: bool,
}

impl<S: CaseStore, B: BlobStore> CaseFile<'_, S, B> {
    /// The open suggestions in messages dated on or after `since` (all when `None`),
    /// oldest first.
    pub fn suggestions(&self, since: Option<Date>) -> AppResult<Vec<Suggested>> {
        self.suggestions_among(&self.timeline(&Filter::default())?, since)
    }

    /// The open suggestions among what the recognisers found in these messages: what
    /// an import just brought in, read as it was prepared.
    pub fn suggestions_found(
        &self,
        found: &[(EntryId, Vec<Suggestion>)],
    ) -> AppResult<Vec<Suggested>> {
        let Some(pack) = recognisers(&self.case.jurisdiction)?.filter(|_| !found.is_empty()) else {
            return Ok(vec![]);
        };
        let items = self.timeline(&Filter::default())?;
        // Looked up by id: a stranger's mailbox can hold a "decision" in every message.
        let by_id: HashMap<EntryId, &TimelineItem> = items.iter().map(|i| (i.id, i)).collect();
        let mut out = Vec::new();
        for (message, suggestions) in found {
            if let Some(item) = by_id.get(message) {
                out.extend(self.offered(item, &items, &pack, suggestions.clone())?);
            }
        }
        Ok(out)
    }

    /// [`suggestions`](Self::suggestions) from the case's whole timeline, already read
    /// (what to do now has it).
    pub(crate) fn suggestions_among(
        &self,
        items: &[TimelineItem],
        since: Option<Date>,
    ) -> AppResult<Vec<Suggested>> {
        let Some(pack) = recognisers(&self.case.jurisdiction)? else {
            return Ok(vec![]);
        };
        let people = self.store.people(self.case.id)?;
        let known = known(&people);
        let mut out = Vec::new();
        for item in items
            .iter()
            .filter(|i| since.is_none_or(|s| i.occurred.latest() >= s))
        {
            out.extend(self.suggested_in(item, items, &pack, &known)?);
        }
        Ok(out)
    }

    /// The open suggestions in one message.
    fn suggested_in(
        &self,
        item: &TimelineItem,
        items: &[TimelineItem],
        pack: &Recognisers,
        known: &[Known],
    ) -> AppResult<Vec<Suggested>> {
        let Some(letter) = self.letter_of(item, pack)? else {
            return Ok(vec![]);
        };
        self.offered(item, items, pack, recognise(&letter, known, pack))
    }

    /// What the recognisers found in one message, as offered to the family: dated as
    /// the pack says, with the steps it starts, unless the family has settled it.
    fn offered(
        &self,
        item: &TimelineItem,
        items: &[TimelineItem],
        pack: &Recognisers,
        found: Vec<Suggestion>,
    ) -> AppResult<Vec<Suggested>> {
        let mut out = Vec::new();
        for found in found {
            let Some(r) = pack.get(&found.kind) else {
                continue;
            };
            // A letter that went by post is treated as given on the second working day
            // after posting (School Discipline (Pupil Exclusions and Reviews) (England)
            // Regulations 2012 Sch 1 para 1(2)): that day is the one written down.
            let (date, dated) = match found.dated {
                Dated::Posted => {
                    let pack = rule_pack(&self.case.jurisdiction)?;
                    let calendar = calendar_for(&pack, term_dates(self.store, &self.case)?);
                    let served = calendar
                        .add(2, Unit::WorkingDays, found.date, DayOne::After)
                        .map_err(|e| AppError::Invalid(e.to_string()))?
                        .due;
                    (
                        served,
                        format!(
                            "the second working day after it was posted on {}, when a notice sent by first-class post is treated as given (2012 exclusion regulations, Sch 1 para 1(2))",
                            uk_date(found.date)
                        ),
                    )
                }
                other => (
                    found.date,
                    match other {
                        Dated::LetterHead => "the date at the head of the letter",
                        Dated::Forwarded => "the date of the forwarded message",
                        Dated::Stated => "the day the message says your request was received",
                        Dated::Meeting => "the day of the meeting",
                        _ => "the day it arrived",
                    }
                    .to_owned(),
                ),
            };
            if settled(items, item.id, r, date) {
                continue;
            }
            let when = match found.time {
                Some(t) => format!("{} at {}", uk_date(date), t.strftime("%H:%M")),
                None => uk_date(date),
            };
            out.push(Suggested {
                message: item.id,
                message_summary: item.summary.clone().unwrap_or_default(),
                received: uk_date(item.occurred.earliest()),
                kind: found.kind.clone(),
                label: r.label.clone(),
                quote: found.quote.clone(),
                found_in: found.found_in.clone(),
                date,
                when,
                dated,
                days: found.days,
                starts: self.starts(r, date)?,
                answers: open_request(items, &r.answers),
            });
        }
        Ok(out)
    }

    /// A message as the recognisers read it: an imported email from its original; a
    /// letter or document the family logged from its files and text, its sender
    /// vouched for by them. What the family sent is never read.
    fn letter_of(&self, item: &TimelineItem, pack: &Recognisers) -> AppResult<Option<Letter>> {
        if item.redacted_by.is_some() {
            return Ok(None);
        }
        let logged_by_family = match &item.facts {
            Some(Facts::Communication(c))
                if c.direction == casebook_domain::Direction::Received =>
            {
                false
            }
            Some(Facts::Document(d)) => !matches!(
                d.document_type,
                DocumentType::Minutes | DocumentType::EhcPlanDraft | DocumentType::EhcPlanFinal
            ),
            _ => return Ok(None),
        };
        let original = item
            .attachments
            .iter()
            .find(|a| a.name.starts_with("email-") && a.name.ends_with(".eml"));
        if let (false, Some(original)) = (logged_by_family, original) {
            // A file that is missing or cannot be fetched is passed over: what to do now
            // must never fail for a whole case because of one message.
            let Ok(Some(bytes)) = self.blobs.get(&original.sha256) else {
                return Ok(None);
            };
            return Ok(Letter::from_email(&bytes, &pack.history).ok());
        }
        let day = item.occurred.earliest();
        let mut letter = Letter::from_document("", &[], day);
        for attachment in &item.attachments {
            if let Ok(Some(bytes)) = self.blobs.get(&attachment.sha256) {
                letter.attach(&attachment.name, &bytes);
            }
        }
        if let Some(details) = item.details.as_ref().filter(|d| !d.trim().is_empty()) {
            letter.attach("text.txt", details.as_bytes());
        }
        Ok(Some(letter))
    }

    /// The steps a suggestion starts, with their last days.
    fn starts(&self, r: &Recogniser, from: Date) -> AppResult<Vec<Starts>> {
        let pack = rule_pack(&self.case.jurisdiction)?;
        let calendar = calendar_for(&pack, term_dates(self.store, &self.case)?);
        Ok(r.starts
            .iter()
            .filter_map(|id| pack.rules.iter().find(|rule| &rule.id == id))
            .map(|rule| {
                let inputs = Inputs {
                    from: Some(from),
                    ..Inputs::default()
                };
                let deadline = compute(&pack, &calendar, &rule.id, &inputs).ok();
                Starts {
                    rule: rule.id.clone(),
                    what: rule.step.clone(),
                    due: deadline.as_ref().map(|d| d.due),
                    due_text: deadline.map(|d| d.due_text),
                    source: rule.source.clone(),
                    verify: rule.verify,
                }
            })
            .collect())
    }

    /// Logs what the suggestion found in `message` as the recogniser says, linked about
    /// the message and answering the open request it closes.
    pub fn accept_suggestion(
        &self,
        message: EntryId,
        kind: &str,
        author: &str,
    ) -> AppResult<Record> {
        let (found, r) = self.open_suggestion(message, kind)?;
        let items = self.timeline(&Filter::default())?;
        let item = items
            .iter()
            .find(|i| i.id == message)
            .ok_or_else(|| AppError::Invalid(format!("There is no entry {message}.")))?;
        let people = self.store.people(self.case.id)?;
        let sender = sender_of(item, &people);
        let facts = facts_of(&r, &found, sender)?;
        let occurred = match (&facts, found.when.split_once(" at ")) {
            (Facts::Meeting(_), Some((_, time))) => Occurred::at(
                CaseDate::new(found.date)?,
                jiff::civil::Time::strptime("%H:%M", time)
                    .map_err(|_| AppError::Invalid("The meeting's time cannot be read.".into()))?,
            ),
            _ => Occurred::on(found.date)?,
        };
        let mut links = vec![Link {
            rel: Relation::About,
            target: message,
        }];
        if let Some(request) = found.answers {
            links.push(Link {
                rel: Relation::Answers,
                target: request,
            });
        }
        let mut attachments = Vec::new();
        if matches!(facts, Facts::Document(_)) {
            for a in item
                .attachments
                .iter()
                .filter(|a| !a.name.ends_with(".eml") && !a.name.ends_with(".ics"))
            {
                if let Some(bytes) = self.blobs.get(&a.sha256)? {
                    attachments.push(NewAttachment {
                        name: a.name.clone(),
                        bytes,
                    });
                }
            }
        }
        let summary = match found.days {
            Some(days) if matches!(facts, Facts::Absence(_)) => format!(
                "{} for {days} school day{}",
                r.logs.summary,
                if days == 1 { "" } else { "s" }
            ),
            _ => r.logs.summary.clone(),
        };
        self.log(NewEntry {
            occurred,
            author: author.to_owned(),
            summary,
            details: Some(format!(
                "“{}”\n\nFrom {} of {} (“{}”), dated by {}.",
                found.quote, found.found_in, found.received, found.message_summary, found.dated
            )),
            sources: vec![format!(
                "suggested by casebook from the message of {}",
                found.received
            )],
            facts,
            links,
            attachments,
        })
    }

    /// Records that the family read the suggestion and it is not what it seemed.
    pub fn dismiss_suggestion(
        &self,
        message: EntryId,
        kind: &str,
        author: &str,
    ) -> AppResult<Record> {
        let (found, r) = self.open_suggestion(message, kind)?;
        self.log(NewEntry {
            occurred: Occurred::on(self.clock.today())?,
            author: author.to_owned(),
            summary: dismissal(&r),
            details: Some(format!(
                "casebook read “{}” in {} of {}.",
                found.quote, found.found_in, found.received
            )),
            sources: vec![],
            facts: Facts::Note,
            links: vec![Link {
                rel: Relation::About,
                target: message,
            }],
            attachments: vec![],
        })
    }

    fn open_suggestion(&self, message: EntryId, kind: &str) -> AppResult<(Suggested, Recogniser)> {
        let pack = recognisers(&self.case.jurisdiction)?.ok_or_else(|| {
            AppError::Invalid("casebook reads no decisions in this jurisdiction's mail.".into())
        })?;
        let items = self.timeline(&Filter::default())?;
        let people = self.store.people(self.case.id)?;
        let Some(item) = items.iter().find(|i| i.id == message) else {
            return invalid(format!("There is no entry {message} in this case."));
        };
        let open = self.suggested_in(item, &items, &pack, &known(&people))?;
        let kinds: Vec<&str> = open.iter().map(|s| s.kind.as_str()).collect();
        let Some(found) = open
            .iter()
            .find(|s| s.kind == kind || kind.is_empty() && open.len() == 1)
        else {
            return invalid(match kinds.as_slice() {
                [] => "Nothing in that message is waiting to be logged or dismissed: it may be done already.".to_owned(),
                _ => format!(
                    "That message holds no open suggestion of that kind; it holds: {}.",
                    kinds.join(", ")
                ),
            });
        };
        let r = pack
            .get(&found.kind)
            .cloned()
            .ok_or_else(|| AppError::Invalid(format!("There is no recogniser {kind}.")))?;
        Ok((found.clone(), r))
    }
}

/// The recognisers of a jurisdiction: England's, or none.
pub(crate) fn recognisers(jurisdiction: &str) -> AppResult<Option<Recognisers>> {
    match jurisdiction {
        "england" => Recognisers::england()
            .map(Some)
            .map_err(|e| AppError::Invalid(e.to_string())),
        _ => Ok(None),
    }
}

/// The case's people with addresses, on their sides.
pub(crate) fn known(people: &[Person]) -> Vec<Known> {
    people
        .iter()
        .filter_map(|p| {
            Some(Known {
                address: p.email.as_ref()?.trim().to_lowercase(),
                side: p.role.usual_side(),
            })
        })
        .collect()
}

/// The summary of the note that dismisses a suggestion of this kind.
fn dismissal(r: &Recogniser) -> String {
    format!("Read and not logged: {}", r.label)
}

/// Whether the family has settled this suggestion already: an entry of the kind it
/// logs about the message, a note dismissing it, the message itself logged as that
/// kind, or the same decision logged by hand on the same day.
fn settled(items: &[TimelineItem], message: EntryId, r: &Recogniser, date: Date) -> bool {
    let kind = EntryKind::parse(&r.logs.entry).ok();
    items.iter().any(|i| {
        let about = i
            .links
            .iter()
            .any(|l| l.rel == Relation::About && l.target == message);
        let same_kind = Some(i.kind) == kind;
        let same_facts = match (&i.facts, r.logs.entry.as_str()) {
            (Some(Facts::Document(d)), "document") => {
                r.logs.document_type.as_deref() == Some(d.document_type.slug())
            }
            (Some(Facts::Decision(d)), "decision") => r
                .logs
                .outcome
                .as_deref()
                .is_some_and(|o| o == d.outcome.slug()),
            (Some(Facts::Absence(a)), "absence") => {
                r.logs.reason.as_deref() == Some(a.reason.slug())
            }
            (Some(Facts::Request(q)), "request") => r.logs.rule == q.rule,
            (Some(Facts::Meeting(_)), "meeting") => true,
            _ => false,
        };
        (about && (same_kind || i.summary.as_deref() == Some(&dismissal(r))))
            // A penalty notice logged as one is not offered again as itself.
            || (same_facts && (i.id == message || i.occurred.earliest() == date))
    })
}

/// The newest open request of the family's with one of these rules.
fn open_request(items: &[TimelineItem], rules: &[String]) -> Option<EntryId> {
    items
        .iter()
        .rev()
        .find(|i| {
            matches!(i.request, Some(RequestState::Open { .. }) | Some(RequestState::Late { .. }))
                && matches!(&i.facts, Some(Facts::Request(r)) if r.rule.as_ref().is_some_and(|id| rules.contains(id)))
        })
        .map(|i| i.id)
}

/// Who sent a message, when the case knows them.
fn sender_of<'a>(item: &TimelineItem, people: &'a [Person]) -> Option<&'a Person> {
    let from = match &item.facts {
        Some(Facts::Communication(c)) => c.from?,
        _ => return None,
    };
    people.iter().find(|p| p.id == from)
}

/// The facts of the entry accepting a suggestion logs, as its recogniser names them.
fn facts_of(r: &Recogniser, found: &Suggested, sender: Option<&Person>) -> AppResult<Facts> {
    let named = |what: &str, value: &Option<String>| {
        value.clone().ok_or_else(|| {
            AppError::Invalid(format!(
                "The recogniser {} does not say the {what} to log.",
                r.kind
            ))
        })
    };
    let parse = |e: casebook_domain::DomainError| AppError::Invalid(e.to_string());
    Ok(match r.logs.entry.as_str() {
        "decision" => {
            let by = match named("decision maker", &r.logs.by)?.as_str() {
                // The side that wrote it: a council's complaints team, or the school.
                "sender" => match sender.map(|p| p.role.usual_side()) {
                    Some(Side::LocalAuthority) => DecisionMaker::Council,
                    _ => DecisionMaker::School,
                },
                by => DecisionMaker::parse(by).map_err(parse)?,
            };
            let mut outcome = Outcome::parse(&named("outcome", &r.logs.outcome)?).map_err(parse)?;
            let quote = found.quote.to_lowercase();
            if outcome == Outcome::NotUpheld
                && (quote.contains("partly") || quote.contains("partially"))
            {
                outcome = Outcome::PartlyUpheld;
            }
            Facts::Decision(facts::Decision { by, outcome })
        }
        "document" => Facts::Document(facts::Document {
            document_type: DocumentType::parse(&named("kind of document", &r.logs.document_type)?)
                .map_err(parse)?,
            title: Some(found.message_summary.clone()).filter(|t| !t.is_empty()),
            issued_by: sender.and_then(|p| p.organisation.clone()),
        }),
        "absence" => {
            let reason = AbsenceReason::parse(&named("reason", &r.logs.reason)?).map_err(parse)?;
            let mut absence = facts::Absence::new(reason);
            absence.formal_letter = Some(true);
            absence.sessions = found.days.map(|d| d * 2);
            absence.ongoing = reason == AbsenceReason::Exclusion;
            absence.asked_by = sender.map(|p| p.id);
            Facts::Absence(absence)
        }
        "meeting" => Facts::Meeting(facts::Meeting {
            purpose: Some(found.quote.clone()),
            invited: true,
            ..facts::Meeting::default()
        }),
        "request" => Facts::Request(facts::Request {
            to: sender.map(|p| p.id),
            rule: Some(named("rule", &r.logs.rule)?),
            due: found
                .starts
                .first()
                .and_then(|s| s.due)
                .map(CaseDate::new)
                .transpose()?,
        }),
        other => {
            return invalid(format!(
                "The recogniser {} logs \"{other}\", which casebook cannot make.",
                r.kind
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every recogniser names entries, decision makers, outcomes, documents, reasons and
    /// rules that exist, so accepting one never fails on the pack's own words.
    #[test]
    fn every_recogniser_logs_what_casebook_can_make() {
        let pack = Recognisers::england().expect("the recognisers");
        let rules = rule_pack("england").expect("the rule pack");
        for r in &pack.recognisers {
            let found = Suggested {
                message: EntryId(1),
                message_summary: "Alex".into(),
                received: "3 March 2026".into(),
                kind: r.kind.clone(),
                label: r.label.clone(),
                quote: r.example.clone(),
                found_in: "the message".into(),
                date: jiff::civil::date(2026, 3, 3),
                when: "3 March 2026".into(),
                dated: "the day it arrived".into(),
                days: Some(2),
                starts: vec![],
                answers: None,
            };
            let facts = facts_of(r, &found, None).unwrap_or_else(|e| panic!("{}: {e}", r.kind));
            assert_eq!(facts.kind().slug(), r.logs.entry, "{}", r.kind);
            for id in r.starts.iter().chain(&r.answers).chain(&r.logs.rule) {
                assert!(
                    rules.rules.iter().any(|rule| &rule.id == id),
                    "{}: no rule {id}",
                    r.kind
                );
            }
        }
    }
}
