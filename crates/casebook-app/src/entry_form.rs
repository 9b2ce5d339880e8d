//! What someone filled in to write something down, as the words they typed, whether
//! they typed flags on the command line or a form on a phone. Read here once, so the
//! same words are accepted or refused the same way, with the same sentence, wherever
//! they were typed. A sentence never names a flag, a command or a page: the edge that
//! shows it adds how to fix it there.

use casebook_domain::{
    AbsenceReason, Attendee, CaseDate, Category, Channel, DecisionMaker, Direction, DocumentType,
    DomainError, EntryId, Facts, Link, Occurred, Outcome, Person, PersonId, Record, Relation, Role,
    Side, Sign, facts, parse_date_near, uk_date,
};
use jiff::civil::Date;

use crate::cases::{NewPerson, add_person, find_person};
use crate::record::{CaseFile, Correction, NewAttachment, NewEntry};
use crate::timeline::{Filter, TimelineItem};
use crate::{AppError, AppResult};
use casebook_store::{BlobStore, CaseStore};

/// The kinds of entry a person can write down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    Incident,
    Call,
    Email,
    Letter,
    Text,
    InPerson,
    Portal,
    Meeting,
    Absence,
    Observation,
    Document,
    Request,
    Decision,
    Note,
}

impl LogKind {
    pub const ALL: [(&'static str, LogKind); 14] = [
        ("incident", LogKind::Incident),
        ("call", LogKind::Call),
        ("email", LogKind::Email),
        ("letter", LogKind::Letter),
        ("text", LogKind::Text),
        ("in-person", LogKind::InPerson),
        ("portal", LogKind::Portal),
        ("meeting", LogKind::Meeting),
        ("absence", LogKind::Absence),
        ("observation", LogKind::Observation),
        ("document", LogKind::Document),
        ("request", LogKind::Request),
        ("decision", LogKind::Decision),
        ("note", LogKind::Note),
    ];

    pub fn parse(text: &str) -> AppResult<LogKind> {
        Self::ALL
            .iter()
            .find(|(name, _)| *name == text.trim())
            .map(|(_, k)| *k)
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "\"{text}\" is not a kind of entry casebook can write down: one of {}.",
                    Self::ALL.map(|(name, _)| name).join(", ")
                ))
            })
    }

    pub fn phrase(self) -> &'static str {
        match self {
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

    fn channel(self) -> Option<Channel> {
        Some(match self {
            LogKind::Call => Channel::Phone,
            LogKind::Email => Channel::Email,
            LogKind::Letter => Channel::Letter,
            LogKind::Text => Channel::Text,
            LogKind::InPerson => Channel::InPerson,
            LogKind::Portal => Channel::Portal,
            _ => return None,
        })
    }
}

/// Each thing a person fills in. The command line names it by a flag, the web app by a
/// field of its form; a refusal says which one so each can point to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    When,
    Summary,
    Details,
    Files,
    Place,
    Category,
    Prejudice,
    Involved,
    Witnesses,
    Harm,
    ChildWords,
    ReportedTo,
    ReportedOn,
    SchoolResponse,
    SchoolWord,
    Direction,
    From,
    To,
    Cc,
    Subject,
    Link(Relation),
    Attendees,
    Purpose,
    Points,
    Actions,
    Requested,
    Reason,
    Until,
    Ongoing,
    Sessions,
    Authorised,
    Evidence,
    Collected,
    AskedBy,
    ReasonGiven,
    FormalLetter,
    Review,
    Signs,
    DocumentType,
    Title,
    IssuedBy,
    Rule,
    Due,
    By,
    Outcome,
    /// The date is after today and nobody has said it is right.
    Future,
    /// Why an entry is corrected.
    WhyCorrected,
}

impl Field {
    /// What the field holds, as the start of a sentence.
    fn phrase(self) -> &'static str {
        match self {
            Field::Place => "Where it happened",
            Field::Category => "What kind of incident it was",
            Field::Prejudice => "The kind of prejudice",
            Field::Involved => "Who was involved",
            Field::Witnesses => "Who saw it",
            Field::Harm => "The harm done",
            Field::ChildWords => "Your child's own words",
            Field::ReportedTo => "Who it was reported to",
            Field::ReportedOn => "When it was reported",
            Field::SchoolResponse => "What the school did",
            Field::SchoolWord => "What the school said",
            Field::Direction => "Who wrote or spoke first",
            Field::From => "Who it came from",
            Field::To => "Who it went to",
            Field::Cc => "Who was copied in",
            Field::Subject => "A subject",
            Field::Link(Relation::Confirms) => "What it confirms",
            Field::Link(Relation::Answers) => "What it answers",
            Field::Link(Relation::RepliesTo) => "What it replies to",
            Field::Link(Relation::MinutesOf) => "The meeting these are the minutes of",
            Field::Link(_) => "What it is about",
            Field::Attendees => "Who was at the meeting",
            Field::Purpose => "What the meeting was for",
            Field::Points => "The points raised",
            Field::Actions => "What was agreed",
            Field::Requested => "A meeting asked for",
            Field::Reason => "Why your child was away",
            Field::Until => "The last day away",
            Field::Ongoing => "An absence still going on",
            Field::Sessions => "The sessions missed",
            Field::Authorised => "Whether the school authorised it",
            Field::Evidence => "The evidence for an absence",
            Field::Collected => "When your child was collected",
            Field::AskedBy => "Who asked for it or agreed it",
            Field::ReasonGiven => "The reason the school gave",
            Field::FormalLetter => "Whether a letter of suspension followed",
            Field::Review => "When the part-time timetable is to be reviewed",
            Field::Signs => "What you saw",
            Field::DocumentType => "What kind of document it is",
            Field::Title => "A document's title",
            Field::IssuedBy => "Who issued the document",
            Field::Rule => "The rule a request is made under",
            Field::Due => "When a reply is due",
            Field::By => "Who decided",
            Field::Outcome => "What was decided",
            Field::When | Field::Future => "The date",
            Field::Summary => "What happened",
            Field::Details => "The details",
            Field::Files => "Files",
            Field::WhyCorrected => "Why it is corrected",
        }
    }

    /// The kinds of entry that take this field; None when every kind does.
    fn kinds(self) -> Option<&'static [LogKind]> {
        use LogKind::*;
        const COMMUNICATION: &[LogKind] = &[Call, Email, Letter, Text, InPerson, Portal];
        Some(match self {
            Field::Place
            | Field::Category
            | Field::Prejudice
            | Field::Involved
            | Field::Witnesses
            | Field::Harm
            | Field::ReportedTo
            | Field::ReportedOn
            | Field::SchoolResponse
            | Field::SchoolWord => &[Incident],
            Field::ChildWords => &[Incident, Observation],
            Field::Direction
            | Field::From
            | Field::Cc
            | Field::Subject
            | Field::Link(Relation::Confirms | Relation::RepliesTo) => COMMUNICATION,
            Field::To => &[Call, Email, Letter, Text, InPerson, Portal, Request],
            // A decision letter or a final plan can answer a request as a message can.
            Field::Link(Relation::Answers) => &[
                Call, Email, Letter, Text, InPerson, Portal, Decision, Document,
            ],
            Field::Link(Relation::MinutesOf) | Field::DocumentType | Field::Title => &[Document],
            Field::IssuedBy => &[Document],
            Field::Attendees
            | Field::Purpose
            | Field::Points
            | Field::Actions
            | Field::Requested => &[Meeting],
            Field::Reason
            | Field::Until
            | Field::Ongoing
            | Field::Sessions
            | Field::Authorised
            | Field::Evidence
            | Field::Collected
            | Field::AskedBy
            | Field::ReasonGiven
            | Field::FormalLetter
            | Field::Review => &[Absence],
            Field::Signs => &[Observation],
            Field::Rule | Field::Due => &[Request],
            Field::By | Field::Outcome => &[Decision],
            _ => return None,
        })
    }
}

/// One thing wrong with what was filled in: where, and one plain sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: Field,
    pub sentence: String,
    /// A name the case does not know: the edge can say how to add them.
    pub unknown_person: bool,
}

/// What was filled in, as typed. Names are as a person writes them (a name, a
/// pseudonym, an email address or an id); dates as people write them ("3/3/26",
/// "yesterday").
#[derive(Debug, Clone, Default)]
pub struct EntryForm {
    pub kind: String,
    pub when: String,
    pub summary: String,
    pub details: Option<String>,
    pub sources: Vec<String>,
    pub place: Option<String>,
    pub categories: Vec<String>,
    pub prejudice: Option<String>,
    pub involved: Vec<String>,
    pub witnesses: Vec<String>,
    pub harm: Option<String>,
    pub child_words: Option<String>,
    pub reported_to: Option<String>,
    pub reported_on: Option<String>,
    pub school_response: Option<String>,
    pub school_word: Option<String>,
    pub direction: Option<String>,
    pub from: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: Option<String>,
    /// Other entries this one confirms, answers, replies to, minutes or is about.
    pub links: Vec<(Relation, String)>,
    /// "Name" or "Name:side".
    pub attendees: Vec<String>,
    pub purpose: Option<String>,
    pub points: Vec<String>,
    /// "WHAT; WHO; BY DATE", who and the date optional.
    pub actions: Vec<String>,
    pub requested: bool,
    pub reason: Option<String>,
    pub until: Option<String>,
    pub ongoing: bool,
    pub sessions: Option<String>,
    /// "yes" or "no".
    pub authorised: Option<String>,
    pub evidence: Option<String>,
    /// "10:05": when the child was collected after the school called.
    pub collected: Option<String>,
    pub asked_by: Option<String>,
    pub reason_given: Option<String>,
    /// "yes" or "no".
    pub formal_letter: Option<String>,
    pub review: Option<String>,
    pub signs: Vec<String>,
    pub document_type: Option<String>,
    pub title: Option<String>,
    pub issued_by: Option<String>,
    pub rule: Option<String>,
    pub due: Option<String>,
    pub by: Option<String>,
    pub outcome: Option<String>,
    /// The person has said a date after today is right.
    pub date_after_today_is_right: bool,
    /// Names the case does not know, given as involved or as witnesses, join it (another
    /// child under a pseudonym, anyone else as a witness) rather than being refused.
    pub new_names_join: bool,
}

/// What was written down, and who joined the case with it.
pub struct Written {
    pub record: Record,
    pub added: Vec<Person>,
}

/// Why nothing was written: what was filled in was refused (each problem at its
/// field), or the store failed.
#[derive(Debug)]
pub enum NotWritten {
    Refused(Vec<Problem>),
    Failed(AppError),
}

impl From<AppError> for NotWritten {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(sentence) => NotWritten::Refused(vec![Problem {
                field: Field::Summary,
                sentence,
                unknown_person: false,
            }]),
            other => NotWritten::Failed(other),
        }
    }
}

impl EntryForm {
    /// Writes the entry down, after adding the new names it may bring. Nothing is
    /// written, and nobody added, when anything is refused.
    pub fn write<S: CaseStore, B: BlobStore>(
        &self,
        file: &CaseFile<'_, S, B>,
        attachments: Vec<NewAttachment>,
        author: &str,
    ) -> Result<Written, NotWritten> {
        let (entry, added) = self.read_joining(file, attachments, author)?;
        let record = file.log(entry)?;
        Ok(Written { record, added })
    }

    /// Corrects `target` to read as this form says, for `reason`. Only what differs from
    /// the entry as it reads now is recorded; what the form does not carry (an email's
    /// Message-ID, its sender's clock) stays as it was.
    pub fn correct<S: CaseStore, B: BlobStore>(
        &self,
        file: &CaseFile<'_, S, B>,
        target: EntryId,
        reason: &str,
        author: &str,
    ) -> Result<Written, NotWritten> {
        let items = file.timeline(&Filter {
            corrections: true,
            unreadable: true,
            ..Filter::default()
        })?;
        let item = items.iter().find(|i| i.id == target).ok_or_else(|| {
            AppError::NotFound(format!("There is no entry {target} in this case."))
        })?;
        if reason.trim().is_empty() {
            return Err(NotWritten::Refused(vec![Problem {
                field: Field::WhyCorrected,
                sentence: "Say why it is corrected, for example \"Alex told me more\".".into(),
                unknown_person: false,
            }]));
        }
        let (entry, added) = self.read_joining(file, vec![], author)?;
        let mut facts = entry.facts;
        if let (Facts::Communication(new), Some(Facts::Communication(old))) =
            (&mut facts, &item.facts)
        {
            new.message_id.clone_from(&old.message_id);
            new.sent.clone_from(&old.sent);
            new.dated_by.clone_from(&old.dated_by);
            new.content_digest.clone_from(&old.content_digest);
        }
        let fix = Correction {
            occurred: (entry.occurred.canonical() != item.occurred.canonical())
                .then_some(entry.occurred),
            details: (entry.details != item.details).then(|| entry.details.unwrap_or_default()),
            // An entry that cannot be read, or was redacted, has no facts to correct.
            facts: (item.facts.is_some() && item.facts.as_ref() != Some(&facts)).then_some(facts),
            reason: reason.trim().to_owned(),
            summary: entry.summary,
        };
        if item.summary.as_deref() == Some(fix.summary.as_str())
            && fix.occurred.is_none()
            && fix.details.is_none()
            && fix.facts.is_none()
        {
            return Err(NotWritten::Refused(vec![Problem {
                field: Field::Summary,
                sentence: "Nothing was changed: change what is wrong, then save the correction."
                    .into(),
                unknown_person: false,
            }]));
        }
        let record = file.amend(target, fix, author)?;
        Ok(Written { record, added })
    }

    /// The entry the form describes, after adding to the case the new names it brings.
    fn read_joining<S: CaseStore, B: BlobStore>(
        &self,
        file: &CaseFile<'_, S, B>,
        attachments: Vec<NewAttachment>,
        author: &str,
    ) -> Result<(NewEntry, Vec<Person>), NotWritten> {
        let today = file.clock.today();
        let people = file.store.people(file.case.id).map_err(AppError::from)?;
        let (entry, unknown) = self.read(&people, attachments, author, today)?;
        if unknown.is_empty() {
            return Ok((entry, vec![]));
        }
        let mut added = Vec::new();
        for (name, role) in unknown {
            let new = NewPerson {
                name,
                role,
                organisation: None,
                email: None,
                phone: None,
            };
            added.push(add_person(file.store, &file.case, new)?);
        }
        let people = file.store.people(file.case.id).map_err(AppError::from)?;
        let (entry, _) = self.read(&people, entry.attachments, author, today)?;
        Ok((entry, added))
    }

    /// The words that write entry `id` as it reads now, corrections and all.
    pub fn for_entry<S: CaseStore, B: BlobStore>(
        file: &CaseFile<'_, S, B>,
        id: EntryId,
    ) -> AppResult<EntryForm> {
        let items = file.timeline(&Filter {
            corrections: true,
            unreadable: true,
            ..Filter::default()
        })?;
        let item = items
            .iter()
            .find(|i| i.id == id)
            .ok_or_else(|| AppError::NotFound(format!("There is no entry {id} in this case.")))?;
        let people = file.store.people(file.case.id)?;
        Ok(EntryForm::of(item, &people))
    }

    /// The words that write an entry as it reads now: where a correction starts.
    pub fn of(item: &TimelineItem, people: &[Person]) -> EntryForm {
        let name = |id: &PersonId| {
            people
                .iter()
                .find(|p| p.id == *id)
                .map_or_else(|| id.to_string(), |p| p.name.clone())
        };
        let names = |ids: &[PersonId]| ids.iter().map(name).collect::<Vec<_>>();
        let mut form = EntryForm {
            kind: "note".into(),
            when: item.occurred.canonical(),
            summary: item.summary.clone().unwrap_or_default(),
            details: item.details.clone(),
            sources: item.sources.clone(),
            date_after_today_is_right: true,
            ..EntryForm::default()
        };
        match &item.facts {
            Some(Facts::Incident(f)) => {
                form.kind = "incident".into();
                form.place.clone_from(&f.place);
                form.categories = f.categories.iter().map(|c| c.slug().into()).collect();
                form.prejudice.clone_from(&f.prejudice);
                form.involved = names(&f.involved);
                form.witnesses = names(&f.witnesses);
                form.harm.clone_from(&f.harm);
                form.child_words.clone_from(&f.child_words);
                form.reported_to = f.reported_to.as_ref().map(name);
                form.reported_on = f.reported_on.as_ref().map(Occurred::canonical);
                form.school_response.clone_from(&f.school_response);
                form.school_word.clone_from(&f.school_word);
            }
            Some(Facts::Communication(f)) => {
                form.kind = match f.channel {
                    Channel::Phone => "call".into(),
                    other => other.slug().into(),
                };
                form.direction = Some(f.direction.slug().into());
                form.from = f.from.as_ref().map(name);
                form.to = names(&f.to);
                form.cc = names(&f.cc);
                form.subject.clone_from(&f.subject);
            }
            Some(Facts::Meeting(f)) => {
                form.kind = "meeting".into();
                form.attendees = f
                    .attendees
                    .iter()
                    .map(|a| format!("{}:{}", name(&a.person), a.side.slug()))
                    .collect();
                form.purpose.clone_from(&f.purpose);
                form.points.clone_from(&f.points_raised);
                form.actions = f
                    .actions
                    .iter()
                    .map(|a| {
                        let who = a.who.as_ref().map(name).unwrap_or_default();
                        match a.by {
                            Some(by) => format!("{}; {who}; {by}", a.what),
                            None if who.is_empty() => a.what.clone(),
                            None => format!("{}; {who}", a.what),
                        }
                    })
                    .collect();
                form.requested = f.requested_only;
            }
            Some(Facts::Absence(f)) => {
                form.kind = "absence".into();
                form.reason = Some(f.reason.slug().into());
                form.until = f.until.map(|d| d.to_string());
                form.ongoing = f.ongoing;
                form.sessions = f.sessions.map(|n| n.to_string());
                form.authorised = f.authorised.map(|a| if a { "yes" } else { "no" }.into());
                form.evidence.clone_from(&f.evidence);
                form.collected = f.collected.map(|t| t.strftime("%H:%M").to_string());
                form.asked_by = f.asked_by.as_ref().map(name);
                form.reason_given.clone_from(&f.reason_given);
                form.formal_letter = f.formal_letter.map(|a| if a { "yes" } else { "no" }.into());
                form.review = f.review.map(|d| d.to_string());
            }
            Some(Facts::Observation(f)) => {
                form.kind = "observation".into();
                form.signs = f.signs.iter().map(|s| s.slug().into()).collect();
                form.child_words.clone_from(&f.child_words);
            }
            Some(Facts::Document(f)) => {
                form.kind = "document".into();
                form.document_type = Some(f.document_type.slug().into());
                form.title.clone_from(&f.title);
                form.issued_by.clone_from(&f.issued_by);
            }
            Some(Facts::Request(f)) => {
                form.kind = "request".into();
                form.to = f.to.as_ref().map(name).into_iter().collect();
                form.rule.clone_from(&f.rule);
                form.due = f.due.map(|d| d.to_string());
            }
            Some(Facts::Decision(f)) => {
                form.kind = "decision".into();
                form.by = Some(f.by.slug().into());
                form.outcome = Some(f.outcome.slug().into());
            }
            _ => {}
        }
        form
    }

    /// The entry the form describes and the names it brings that the case does not know
    /// yet, with the role each joins as; or every problem found, in the form's order.
    fn read(
        &self,
        people: &[Person],
        attachments: Vec<NewAttachment>,
        author: &str,
        today: Date,
    ) -> Result<(NewEntry, Vec<(String, Role)>), NotWritten> {
        let kind = LogKind::parse(&self.kind)?;
        let mut reading = Reading {
            people,
            today,
            problems: Vec::new(),
            unknown: Vec::new(),
        };
        for (field, given) in self.given() {
            if given && field.kinds().is_some_and(|kinds| !kinds.contains(&kind)) {
                reading.refuse(
                    field,
                    format!(
                        "{} does not go with {}: each kind of entry takes its own details.",
                        field.phrase(),
                        kind.phrase()
                    ),
                );
            }
        }
        if !reading.problems.is_empty() {
            return Err(NotWritten::Refused(reading.problems));
        }
        let occurred = reading.occurred(&self.when, self.date_after_today_is_right);
        if self.summary.trim().is_empty() {
            reading.refuse(Field::Summary, "Write a few words about what happened.");
        }
        let facts = self.facts(kind, &mut reading);
        let mut links = Vec::new();
        for (rel, id) in &self.links {
            match id.trim().parse::<EntryId>() {
                Ok(target) => links.push(Link { rel: *rel, target }),
                Err(e) => reading.refuse(Field::Link(*rel), e.to_string()),
            }
        }
        match (occurred, facts) {
            (Some(occurred), Some(facts)) if reading.problems.is_empty() => Ok((
                NewEntry {
                    occurred,
                    author: author.to_owned(),
                    summary: self.summary.trim().to_owned(),
                    details: self.details.clone().filter(|d| !d.trim().is_empty()),
                    sources: self.sources.clone(),
                    facts,
                    links,
                    attachments,
                },
                reading.unknown,
            )),
            _ => Err(NotWritten::Refused(reading.problems)),
        }
    }

    /// Each field that can belong to one kind of entry only, and whether it was filled in.
    fn given(&self) -> Vec<(Field, bool)> {
        let mut given = vec![
            (Field::Place, self.place.is_some()),
            (Field::Category, !self.categories.is_empty()),
            (Field::Prejudice, self.prejudice.is_some()),
            (Field::Involved, !self.involved.is_empty()),
            (Field::Witnesses, !self.witnesses.is_empty()),
            (Field::Harm, self.harm.is_some()),
            (Field::ChildWords, self.child_words.is_some()),
            (Field::ReportedTo, self.reported_to.is_some()),
            (Field::ReportedOn, self.reported_on.is_some()),
            (Field::SchoolResponse, self.school_response.is_some()),
            (Field::SchoolWord, self.school_word.is_some()),
            (Field::Direction, self.direction.is_some()),
            (Field::From, self.from.is_some()),
            (Field::To, !self.to.is_empty()),
            (Field::Cc, !self.cc.is_empty()),
            (Field::Subject, self.subject.is_some()),
            (Field::Attendees, !self.attendees.is_empty()),
            (Field::Purpose, self.purpose.is_some()),
            (Field::Points, !self.points.is_empty()),
            (Field::Actions, !self.actions.is_empty()),
            (Field::Requested, self.requested),
            (Field::Reason, self.reason.is_some()),
            (Field::Until, self.until.is_some()),
            (Field::Ongoing, self.ongoing),
            (Field::Sessions, self.sessions.is_some()),
            (Field::Authorised, self.authorised.is_some()),
            (Field::Evidence, self.evidence.is_some()),
            (Field::Collected, self.collected.is_some()),
            (Field::AskedBy, self.asked_by.is_some()),
            (Field::ReasonGiven, self.reason_given.is_some()),
            (Field::FormalLetter, self.formal_letter.is_some()),
            (Field::Review, self.review.is_some()),
            (Field::Signs, !self.signs.is_empty()),
            (Field::DocumentType, self.document_type.is_some()),
            (Field::Title, self.title.is_some()),
            (Field::IssuedBy, self.issued_by.is_some()),
            (Field::Rule, self.rule.is_some()),
            (Field::Due, self.due.is_some()),
            (Field::By, self.by.is_some()),
            (Field::Outcome, self.outcome.is_some()),
        ];
        given.extend(self.links.iter().map(|(rel, _)| (Field::Link(*rel), true)));
        given
    }

    /// The facts of the kind, or None when a choice it needs is missing or unknown (the
    /// problem is recorded).
    fn facts(&self, kind: LogKind, r: &mut Reading<'_>) -> Option<Facts> {
        if let Some(channel) = kind.channel() {
            let direction = match self.direction.as_deref().map(Direction::parse) {
                None => Direction::Sent,
                Some(Ok(d)) => d,
                Some(Err(e)) => {
                    r.refuse(Field::Direction, e.to_string());
                    Direction::Sent
                }
            };
            return Some(Facts::Communication(facts::Communication {
                channel,
                direction,
                from: r.one(Field::From, &self.from),
                to: r.many(Field::To, &self.to, None),
                cc: r.many(Field::Cc, &self.cc, None),
                subject: self.subject.clone(),
                message_id: None,
                sent: None,
                dated_by: None,
                content_digest: None,
            }));
        }
        Some(match kind {
            LogKind::Incident => {
                let categories = r.words(Field::Category, &self.categories, Category::parse);
                if self.prejudice.is_some() && !categories.contains(&Category::PrejudiceBased) {
                    r.refuse(
                        Field::Prejudice,
                        "The kind of prejudice goes with an incident marked as prejudice-based.",
                    );
                }
                Facts::Incident(facts::Incident {
                    place: self.place.clone(),
                    categories,
                    prejudice: self.prejudice.clone(),
                    involved: r.many(
                        Field::Involved,
                        &self.involved,
                        self.joins(Role::OtherChild),
                    ),
                    witnesses: r.many(Field::Witnesses, &self.witnesses, self.joins(Role::Witness)),
                    harm: self.harm.clone(),
                    child_words: self.child_words.clone(),
                    reported_to: r.one(Field::ReportedTo, &self.reported_to),
                    reported_on: self
                        .reported_on
                        .as_deref()
                        .and_then(|d| r.when(Field::ReportedOn, d)),
                    school_response: self.school_response.clone(),
                    school_word: self.school_word.clone(),
                })
            }
            LogKind::Meeting => Facts::Meeting(facts::Meeting {
                attendees: self
                    .attendees
                    .iter()
                    .filter_map(|text| r.attendee(text))
                    .collect(),
                purpose: self.purpose.clone(),
                points_raised: self.points.clone(),
                actions: self
                    .actions
                    .iter()
                    .filter_map(|text| r.action(text))
                    .collect(),
                requested_only: self.requested,
                invited: false,
            }),
            LogKind::Absence => {
                let reason = r.chosen(
                    Field::Reason,
                    self.reason.as_deref(),
                    AbsenceReason::parse,
                    "An absence needs a reason: illness, mental-health, bullying-related, ...",
                );
                let until = self.until.as_deref().and_then(|d| r.day(Field::Until, d));
                let sessions = self.sessions.as_deref().and_then(|s| match s.trim().parse() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        r.refuse(
                            Field::Sessions,
                            format!("The sessions missed are a whole number (two a day), not \"{s}\"."),
                        );
                        None
                    }
                });
                let collected = self.collected.as_deref().and_then(|t| {
                    t.trim()
                        .parse::<jiff::civil::Time>()
                        .map_err(|_| {
                            r.refuse(
                                Field::Collected,
                                format!("The time your child was collected is written like 10:05, not \"{t}\"."),
                            )
                        })
                        .ok()
                });
                Facts::Absence(facts::Absence {
                    reason: reason?,
                    until,
                    ongoing: self.ongoing,
                    sessions,
                    authorised: r.yes_no(Field::Authorised, self.authorised.as_deref()),
                    evidence: self.evidence.clone(),
                    collected,
                    // Someone not yet in the case joins it, as a witness would.
                    asked_by: r
                        .many(
                            Field::AskedBy,
                            self.asked_by.as_slice(),
                            self.joins(Role::Other),
                        )
                        .into_iter()
                        .next(),
                    reason_given: self.reason_given.clone(),
                    formal_letter: r.yes_no(Field::FormalLetter, self.formal_letter.as_deref()),
                    review: self.review.as_deref().and_then(|d| r.day(Field::Review, d)),
                })
            }
            LogKind::Observation => Facts::Observation(facts::Observation {
                signs: r.words(Field::Signs, &self.signs, Sign::parse),
                child_words: self.child_words.clone(),
            }),
            LogKind::Document => {
                let minutes = self
                    .links
                    .iter()
                    .any(|(rel, _)| *rel == Relation::MinutesOf);
                let document_type = match &self.document_type {
                    None if minutes => Some(DocumentType::Minutes),
                    given => r.chosen(
                        Field::DocumentType,
                        given.as_deref(),
                        DocumentType::parse,
                        "A document needs its kind: policy:anti-bullying, minutes, report:medical, ...",
                    ),
                };
                Facts::Document(facts::Document {
                    document_type: document_type?,
                    title: self.title.clone(),
                    issued_by: self.issued_by.clone(),
                })
            }
            LogKind::Request => {
                if self.to.len() > 1 {
                    r.refuse(
                        Field::To,
                        "A request goes to one person: write down one request for each.",
                    );
                }
                Facts::Request(facts::Request {
                    to: r.one(Field::To, &self.to.first().cloned()),
                    rule: self.rule.clone(),
                    due: self.due.as_deref().and_then(|d| r.day(Field::Due, d)),
                })
            }
            LogKind::Decision => {
                let by = r.chosen(
                    Field::By,
                    self.by.as_deref(),
                    DecisionMaker::parse,
                    "A decision needs who made it: school, governors, trust, council, panel, mediator, tribunal, ombudsman.",
                );
                let outcome = r.chosen(
                    Field::Outcome,
                    self.outcome.as_deref(),
                    Outcome::parse,
                    "A decision needs what was decided: resolved, partly-resolved, not-upheld, ...",
                );
                Facts::Decision(facts::Decision {
                    by: by?,
                    outcome: outcome?,
                })
            }
            _ => Facts::Note,
        })
    }

    fn joins(&self, role: Role) -> Option<Role> {
        self.new_names_join.then_some(role)
    }
}

/// The most people one field of an entry names.
const NAMES_AT_ONCE: usize = 50;

/// What has been read so far: problems in the order met, and unknown names that join.
struct Reading<'a> {
    people: &'a [Person],
    today: Date,
    problems: Vec<Problem>,
    unknown: Vec<(String, Role)>,
}

impl Reading<'_> {
    fn refuse(&mut self, field: Field, sentence: impl Into<String>) {
        self.problems.push(Problem {
            field,
            sentence: sentence.into(),
            unknown_person: false,
        });
    }

    fn occurred(&mut self, when: &str, after_today_is_right: bool) -> Option<Occurred> {
        if when.trim().is_empty() {
            self.refuse(Field::When, "Enter the date, for example 3 March 2026.");
            return None;
        }
        let occurred = self.when(Field::When, when)?;
        // A date after today is almost always a slip of the finger: asked about once.
        if occurred.earliest() > self.today && !after_today_is_right {
            self.refuse(
                Field::Future,
                format!(
                    "The date is after today, {}: check it.",
                    uk_date(self.today)
                ),
            );
        }
        Some(occurred)
    }

    fn when(&mut self, field: Field, text: &str) -> Option<Occurred> {
        Occurred::parse_near(text, self.today)
            .map_err(|e| self.refuse(field, e.to_string()))
            .ok()
    }

    /// "yes" or "no", or nothing said.
    fn yes_no(&mut self, field: Field, text: Option<&str>) -> Option<bool> {
        match text.map(str::trim) {
            None | Some("") => None,
            Some("yes") => Some(true),
            Some("no") => Some(false),
            Some(other) => {
                self.refuse(
                    field,
                    format!("{} is yes or no, not \"{other}\".", field.phrase()),
                );
                None
            }
        }
    }

    fn day(&mut self, field: Field, text: &str) -> Option<CaseDate> {
        parse_date_near(text, self.today)
            .and_then(CaseDate::new)
            .map_err(|e| self.refuse(field, e.to_string()))
            .ok()
    }

    /// One person named, found in the case.
    fn one(&mut self, field: Field, name: &Option<String>) -> Option<PersonId> {
        let name = name.as_deref()?;
        match find_person(self.people, name) {
            Ok(person) => Some(person.id),
            Err(e) => {
                self.problems.push(Problem {
                    field,
                    sentence: e.to_string(),
                    unknown_person: true,
                });
                None
            }
        }
    }

    /// People named, each found in the case; a name nobody has joins with `joins` when
    /// given, and is refused when not.
    fn many(&mut self, field: Field, names: &[String], joins: Option<Role>) -> Vec<PersonId> {
        let mut found = Vec::new();
        let names: Vec<&str> = names
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .collect();
        // Each name is looked for among everyone in the case, and each new one joins
        // it: a form holding thousands would cost the case that much.
        if names.len() > NAMES_AT_ONCE {
            self.refuse(
                field,
                format!(
                    "An entry names at most {NAMES_AT_ONCE} people in one box: write down the rest in another entry."
                ),
            );
            return found;
        }
        for name in names {
            match (find_person(self.people, name), joins) {
                (Ok(person), _) => found.push(person.id),
                // Only a name nobody has: "Mr" matching two people is still a question.
                (Err(_), Some(role)) if !self.people.iter().any(|p| p.name == name) => {
                    if !self.unknown.iter().any(|(n, _)| n == name) {
                        self.unknown.push((name.to_owned(), role));
                    }
                }
                (Err(e), _) => self.problems.push(Problem {
                    field,
                    sentence: e.to_string(),
                    unknown_person: true,
                }),
            }
        }
        found
    }

    /// Words from a fixed list (categories, signs), each one checked.
    fn words<T>(
        &mut self,
        field: Field,
        words: &[String],
        parse: fn(&str) -> Result<T, DomainError>,
    ) -> Vec<T> {
        let mut read = Vec::new();
        for word in words {
            match parse(word) {
                Ok(w) => read.push(w),
                Err(e) => self.refuse(field, e.to_string()),
            }
        }
        read
    }

    /// One choice from a fixed list that the kind of entry needs.
    fn chosen<T>(
        &mut self,
        field: Field,
        given: Option<&str>,
        parse: fn(&str) -> Result<T, DomainError>,
        missing: &str,
    ) -> Option<T> {
        match given.map(parse) {
            Some(Ok(chosen)) => Some(chosen),
            Some(Err(e)) => {
                self.refuse(field, e.to_string());
                None
            }
            None => {
                self.refuse(field, missing);
                None
            }
        }
    }

    /// "Name:side" when a side is given; otherwise the side their role sits on (a
    /// family member with the family, a SENCO with the school).
    fn attendee(&mut self, text: &str) -> Option<Attendee> {
        let (name, side) = match text.rsplit_once(':') {
            Some((name, side)) => match Side::parse(side) {
                Ok(side) => (name, Some(side)),
                Err(_) => (text, None),
            },
            None => (text, None),
        };
        let person = self.one(Field::Attendees, &Some(name.to_owned()))?;
        let role = self.people.iter().find(|p| p.id == person)?.role;
        Some(Attendee {
            person,
            side: side.unwrap_or_else(|| role.usual_side()),
        })
    }

    /// "WHAT; WHO; BY DATE", with who and the date optional.
    fn action(&mut self, text: &str) -> Option<facts::Action> {
        let mut parts = text.split(';').map(str::trim);
        let what = parts.next().unwrap_or_default().to_owned();
        if what.is_empty() {
            self.refuse(
                Field::Actions,
                "An action agreed needs to say what was agreed, as \"WHAT; WHO; BY DATE\".",
            );
            return None;
        }
        let who = parts.next().filter(|s| !s.is_empty()).map(|s| s.to_owned());
        let who = self.one(Field::Actions, &who);
        let by = parts
            .next()
            .filter(|s| !s.is_empty())
            .and_then(|s| self.day(Field::Actions, s.strip_prefix("by ").unwrap_or(s)));
        Some(facts::Action { who, what, by })
    }
}
