//! `casebook log KIND`: turns flags into an entry. Flags that do not belong to the
//! kind are refused rather than silently dropped, so nothing the user typed is lost.

use crate::output::say;
use std::path::Path;

use anyhow::{Result, bail};
use casebook_app::{ATTACHMENT_LIMIT, Clock, NewAttachment, NewEntry, find_person};
use casebook_domain::{
    AbsenceReason, Attendee, CaseDate, Category, Channel, DecisionMaker, Direction, DocumentType,
    EntryId, Facts, Link, Occurred, Outcome, Person, PersonId, Relation, Side, Sign, facts,
};
use casebook_store::CaseStore;
use jiff::civil::Date;
use serde_json::json;

use super::Context;
use crate::args::{LogArgs, LogKind};
use crate::output;

pub fn log(cx: &Context, args: &LogArgs) -> Result<()> {
    let kind = LogKind::parse(&args.kind)?;
    refuse_foreign_flags(kind, args)?;
    let today = cx.clock.today();
    let occurred = Occurred::parse_near(&args.occurred, today)?;
    let details = match &args.details_file {
        Some(path) => Some(read_text(path)?),
        None => args.details.clone(),
    };
    let attachments = args
        .attach
        .iter()
        .map(|p| read_attachment(p))
        .collect::<Result<Vec<_>>>()?;
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let people = opened.store.people(file.case.id)?;
    let facts = facts_for(kind, args, &people, today)?;
    let mut links = Vec::new();
    for (rel, ids) in [
        (Relation::Confirms, args.confirms.as_slice()),
        (Relation::Answers, args.answers.as_slice()),
        (Relation::RepliesTo, args.replies_to.as_slice()),
        (Relation::MinutesOf, args.minutes_of.as_slice()),
        (Relation::About, args.about.as_slice()),
    ] {
        for id in ids {
            links.push(Link {
                rel,
                target: id.parse::<EntryId>()?,
            });
        }
    }
    let record = file.log(NewEntry {
        occurred,
        author: cx.cli.author.clone(),
        summary: args.summary.clone(),
        details,
        sources: args.sources.clone(),
        facts,
        links,
        attachments,
    })?;
    if cx.cli.json {
        return output::json(
            &json!({ "id": record.id(), "kind": record.kind, "hash": record.hash }),
        );
    }
    say!("{}", record.id());
    Ok(())
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| anyhow::anyhow!("{} cannot be read: {e}.", path.display()))?;
    String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} is not a text file (UTF-8).", path.display()))
}

fn read_attachment(path: &Path) -> Result<NewAttachment> {
    let meta = std::fs::metadata(path).map_err(|_| {
        anyhow::anyhow!(
            "The file {} does not exist or cannot be opened: nothing was logged.",
            path.display()
        )
    })?;
    if !meta.is_file() {
        bail!("{} is not a file: attach files one by one.", path.display());
    }
    if meta.len() > ATTACHMENT_LIMIT as u64 {
        bail!(
            "{} is {} MB; the limit for one attachment is {} MB.",
            path.display(),
            meta.len() / (1024 * 1024),
            ATTACHMENT_LIMIT / (1024 * 1024)
        );
    }
    let bytes = std::fs::read(path)
        .map_err(|e| anyhow::anyhow!("{} cannot be read: {e}.", path.display()))?;
    let name = path
        .file_name()
        .map_or_else(|| "attachment".into(), |n| n.to_string_lossy().into_owned());
    Ok(NewAttachment { name, bytes })
}

/// The flags that belong to one kind of entry or another, with the kinds they fit.
fn refuse_foreign_flags(kind: LogKind, a: &LogArgs) -> Result<()> {
    use LogKind::*;
    const COMMUNICATION: &[LogKind] = &[Call, Email, Letter, Text, InPerson, Portal];
    let set: [(&str, bool, &[LogKind]); 34] = [
        ("--place", a.place.is_some(), &[Incident]),
        ("--category", !a.categories.is_empty(), &[Incident]),
        ("--prejudice", a.prejudice.is_some(), &[Incident]),
        ("--involved", !a.involved.is_empty(), &[Incident]),
        ("--witness", !a.witnesses.is_empty(), &[Incident]),
        ("--harm", a.harm.is_some(), &[Incident]),
        (
            "--child-words",
            a.child_words.is_some(),
            &[Incident, Observation],
        ),
        ("--reported-to", a.reported_to.is_some(), &[Incident]),
        ("--reported-on", a.reported_on.is_some(), &[Incident]),
        (
            "--school-response",
            a.school_response.is_some(),
            &[Incident],
        ),
        ("--school-word", a.school_word.is_some(), &[Incident]),
        ("--direction", a.direction.is_some(), COMMUNICATION),
        ("--from", a.from.is_some(), COMMUNICATION),
        (
            "--to",
            !a.to.is_empty(),
            &[Call, Email, Letter, Text, InPerson, Portal, Request],
        ),
        ("--cc", !a.cc.is_empty(), COMMUNICATION),
        ("--subject", a.subject.is_some(), COMMUNICATION),
        ("--confirms", a.confirms.is_some(), COMMUNICATION),
        (
            "--answers",
            a.answers.is_some(),
            &[Call, Email, Letter, Text, InPerson, Portal, Decision],
        ),
        ("--replies-to", a.replies_to.is_some(), COMMUNICATION),
        ("--attendee", !a.attendees.is_empty(), &[Meeting]),
        ("--purpose", a.purpose.is_some(), &[Meeting]),
        ("--point", !a.points.is_empty(), &[Meeting]),
        ("--action", !a.actions.is_empty(), &[Meeting]),
        ("--requested", a.requested, &[Meeting]),
        ("--reason", a.reason.is_some(), &[Absence]),
        ("--until", a.until.is_some(), &[Absence]),
        ("--ongoing", a.ongoing, &[Absence]),
        ("--sessions", a.sessions.is_some(), &[Absence]),
        ("--authorised", a.authorised.is_some(), &[Absence]),
        ("--evidence", a.evidence.is_some(), &[Absence]),
        ("--sign", !a.signs.is_empty(), &[Observation]),
        ("--document-type", a.document_type.is_some(), &[Document]),
        ("--rule", a.rule.is_some(), &[Request]),
        ("--due", a.due.is_some(), &[Request]),
    ];
    let more: [(&str, bool, &[LogKind]); 5] = [
        ("--title", a.title.is_some(), &[Document]),
        ("--issued-by", a.issued_by.is_some(), &[Document]),
        ("--minutes-of", a.minutes_of.is_some(), &[Document]),
        ("--by", a.by.is_some(), &[Decision]),
        ("--outcome", a.outcome.is_some(), &[Decision]),
    ];
    for (flag, given, kinds) in set.iter().chain(more.iter()) {
        if *given && !kinds.contains(&kind) {
            bail!(
                "{flag} does not apply to {}: see `casebook log --help` for which details each kind takes.",
                kind_phrase(kind)
            );
        }
    }
    Ok(())
}

fn kind_phrase(kind: LogKind) -> &'static str {
    match kind {
        LogKind::Incident => "an incident",
        LogKind::Call => "a call",
        LogKind::Email => "an email",
        LogKind::Letter => "a letter",
        LogKind::Text => "a text message",
        LogKind::InPerson => "a conversation in person",
        LogKind::Portal => "a portal message",
        LogKind::Meeting => "a meeting",
        LogKind::Absence => "an absence",
        LogKind::Observation => "an observation",
        LogKind::Document => "a document",
        LogKind::Request => "a request",
        LogKind::Decision => "a decision",
        LogKind::Note => "a note",
    }
}

fn facts_for(kind: LogKind, a: &LogArgs, people: &[Person], today: Date) -> Result<Facts> {
    let who = |r: &String| -> Result<PersonId> { Ok(find_person(people, r)?.id) };
    let many = |rs: &[String]| -> Result<Vec<PersonId>> { rs.iter().map(who).collect() };
    let one = |r: &Option<String>| -> Result<Option<PersonId>> { r.as_ref().map(who).transpose() };
    let date = |d: &Option<String>| -> Result<Option<CaseDate>> {
        Ok(d.as_deref().map(str::parse).transpose()?)
    };
    let channel = match kind {
        LogKind::Call => Some(Channel::Phone),
        LogKind::Email => Some(Channel::Email),
        LogKind::Letter => Some(Channel::Letter),
        LogKind::Text => Some(Channel::Text),
        LogKind::InPerson => Some(Channel::InPerson),
        LogKind::Portal => Some(Channel::Portal),
        _ => None,
    };
    if let Some(channel) = channel {
        return Ok(Facts::Communication(facts::Communication {
            channel,
            direction: a
                .direction
                .as_deref()
                .map(Direction::parse)
                .transpose()?
                .unwrap_or(Direction::Sent),
            from: one(&a.from)?,
            to: many(&a.to)?,
            cc: many(&a.cc)?,
            subject: a.subject.clone(),
            message_id: None,
            sent: None,
            dated_by: None,
            content_digest: None,
        }));
    }
    Ok(match kind {
        LogKind::Incident => {
            let categories = a
                .categories
                .iter()
                .map(|c| Category::parse(c))
                .collect::<Result<Vec<_>, _>>()?;
            if a.prejudice.is_some() && !categories.contains(&Category::PrejudiceBased) {
                bail!("--prejudice goes with --category prejudice-based.");
            }
            Facts::Incident(facts::Incident {
                place: a.place.clone(),
                categories,
                prejudice: a.prejudice.clone(),
                involved: many(&a.involved)?,
                witnesses: many(&a.witnesses)?,
                harm: a.harm.clone(),
                child_words: a.child_words.clone(),
                reported_to: one(&a.reported_to)?,
                reported_on: a
                    .reported_on
                    .as_deref()
                    .map(|d| Occurred::parse_near(d, today))
                    .transpose()?,
                school_response: a.school_response.clone(),
                school_word: a.school_word.clone(),
            })
        }
        LogKind::Meeting => Facts::Meeting(facts::Meeting {
            attendees: a
                .attendees
                .iter()
                .map(|text| {
                    // "Name:side" when given; otherwise the side their role sits on (a
                    // family member with the family, a SENCO with the school).
                    let (name, side) = match text.rsplit_once(':') {
                        Some((name, side)) if Side::parse(side).is_ok() => {
                            (name, Some(Side::parse(side)?))
                        }
                        _ => (text.as_str(), None),
                    };
                    let person = find_person(people, name)?;
                    Ok(Attendee {
                        person: person.id,
                        side: side.unwrap_or_else(|| person.role.usual_side()),
                    })
                })
                .collect::<Result<_>>()?,
            purpose: a.purpose.clone(),
            points_raised: a.points.clone(),
            actions: a
                .actions
                .iter()
                .map(|text| action(text, &who))
                .collect::<Result<_>>()?,
            requested_only: a.requested,
        }),
        LogKind::Absence => Facts::Absence(facts::Absence {
            reason: match &a.reason {
                Some(r) => AbsenceReason::parse(r)?,
                None => bail!(
                    "An absence needs --reason (illness, mental-health, bullying-related, ...)."
                ),
            },
            until: date(&a.until)?,
            ongoing: a.ongoing,
            sessions: a.sessions,
            authorised: match a.authorised.as_deref() {
                None => None,
                Some("yes") => Some(true),
                Some("no") => Some(false),
                Some(other) => bail!("--authorised takes yes or no, not \"{other}\"."),
            },
            evidence: a.evidence.clone(),
        }),
        LogKind::Observation => Facts::Observation(facts::Observation {
            signs: a
                .signs
                .iter()
                .map(|s| Sign::parse(s))
                .collect::<Result<_, _>>()?,
            child_words: a.child_words.clone(),
        }),
        LogKind::Document => Facts::Document(facts::Document {
            document_type: match &a.document_type {
                Some(t) => DocumentType::parse(t)?,
                None if a.minutes_of.is_some() => DocumentType::Minutes,
                None => bail!(
                    "A document needs --document-type (policy:anti-bullying, minutes, report:medical, ...)."
                ),
            },
            title: a.title.clone(),
            issued_by: a.issued_by.clone(),
        }),
        LogKind::Request => {
            if a.to.len() > 1 {
                bail!("A request goes to one person: log one request for each.");
            }
            Facts::Request(facts::Request {
                to: a.to.first().map(who).transpose()?,
                rule: a.rule.clone(),
                due: date(&a.due)?,
            })
        }
        LogKind::Decision => Facts::Decision(facts::Decision {
            by: match &a.by {
                Some(b) => DecisionMaker::parse(b)?,
                None => bail!(
                    "A decision needs --by (school, governors, trust, council, panel, mediator, tribunal, ombudsman)."
                ),
            },
            outcome: match &a.outcome {
                Some(o) => Outcome::parse(o)?,
                None => bail!(
                    "A decision needs --outcome (resolved, partly-resolved, not-upheld, ...)."
                ),
            },
        }),
        _ => Facts::Note,
    })
}

/// "WHAT; WHO; BY DATE", with who and the date optional.
fn action(text: &str, who: &dyn Fn(&String) -> Result<PersonId>) -> Result<facts::Action> {
    let mut parts = text.split(';').map(str::trim);
    let what = parts.next().unwrap_or_default().to_owned();
    if what.is_empty() {
        bail!("An --action needs to say what was agreed, as \"WHAT; WHO; BY DATE\".");
    }
    let who = parts
        .next()
        .filter(|s| !s.is_empty())
        .map(|s| who(&s.to_owned()))
        .transpose()?;
    let by = parts
        .next()
        .filter(|s| !s.is_empty())
        .map(|s| s.strip_prefix("by ").unwrap_or(s).parse::<CaseDate>())
        .transpose()?;
    Ok(facts::Action { who, what, by })
}
