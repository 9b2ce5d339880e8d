use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::vocab::vocabulary;
use crate::{CaseDate, Digest, DomainError, Occurred, PersonId};

/// An entry's number within its case's log, shown as `e12`. It is the entry's place in
/// the chain, so it never changes and never repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(pub u64);

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "e{}", self.0)
    }
}

impl FromStr for EntryId {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, DomainError> {
        s.trim()
            .strip_prefix('e')
            .and_then(|n| n.parse().ok())
            .filter(|n| *n > 0)
            .map(EntryId)
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "\"{s}\" is not an entry id: entry ids look like e12 (see casebook timeline)."
                ))
            })
    }
}

impl Serialize for EntryId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for EntryId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

vocabulary! {
    /// What kind of entry this is. Stored in the hashed record, so it survives redaction.
    EntryKind, "kind of entry" {
        Incident => "incident", "incident";
        Communication => "communication", "communication";
        Meeting => "meeting", "meeting";
        Absence => "absence", "absence";
        Observation => "observation", "home observation";
        Document => "document", "document";
        Request => "request", "request";
        Decision => "decision", "decision";
        Note => "note", "note";
        Amendment => "amendment", "amendment";
        Redaction => "redaction", "redaction";
        Timestamp => "timestamp", "trusted timestamp";
    }
}

vocabulary! {
    /// How one entry relates to an earlier one. Links are part of the hashed record.
    Relation, "kind of link" {
        Amends => "amends", "amends";
        Redacts => "redacts", "redacts";
        Confirms => "confirms", "confirms in writing";
        Answers => "answers", "answers";
        Withdraws => "withdraws", "withdraws";
        RepliesTo => "replies-to", "replies to";
        MinutesOf => "minutes-of", "is the minutes of";
        About => "about", "is about";
        Covers => "covers", "is a trusted timestamp of the log up to";
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Link {
    pub rel: Relation,
    pub target: EntryId,
}

vocabulary! {
    /// Kinds of bullying, as schools' anti-bullying policies and the Anti-Bullying
    /// Alliance name them.
    Category, "category of incident" {
        Physical => "physical", "physical";
        Verbal => "verbal", "verbal";
        Relational => "relational", "relational or exclusion";
        Cyber => "cyber", "online";
        Property => "property", "damage to or taking of property";
        Sexual => "sexual", "sexual";
        PrejudiceBased => "prejudice-based", "prejudice-based";
        Intimidation => "intimidation", "intimidation";
    }
}

vocabulary! {
    Channel, "channel" {
        Email => "email", "email";
        Letter => "letter", "letter";
        Phone => "phone", "phone call";
        Meeting => "meeting", "meeting";
        InPerson => "in-person", "conversation in person";
        Text => "text", "text message";
        Portal => "portal", "school portal or app";
    }
}

impl Channel {
    /// Spoken words leave no record: they stay unconfirmed until put in writing.
    pub fn needs_written_confirmation(self) -> bool {
        matches!(self, Channel::Phone | Channel::InPerson | Channel::Meeting)
    }
}

vocabulary! {
    Direction, "direction" {
        Sent => "sent", "sent by the family";
        Received => "received", "received by the family";
    }
}

vocabulary! {
    Side, "side" {
        Family => "family", "family";
        School => "school", "school";
        LocalAuthority => "local-authority", "local authority";
        Independent => "independent", "independent";
    }
}

vocabulary! {
    AbsenceReason, "reason for absence" {
        Illness => "illness", "illness";
        MentalHealth => "mental-health", "anxiety or mental health";
        BullyingRelated => "bullying-related", "related to bullying";
        Appointment => "appointment", "medical or other appointment";
        Suspension => "suspension", "suspension";
        Exclusion => "exclusion", "permanent exclusion";
        SentHome => "sent-home", "sent home by the school";
        PartTimeTimetable => "part-time-timetable", "part-time timetable";
        AwaitingHealthcarePlan => "awaiting-healthcare-plan", "kept at home until a healthcare plan is in place";
        AwaitingRiskAssessment => "awaiting-risk-assessment", "kept at home until a risk assessment is done";
        AwaitingTransport => "awaiting-transport", "kept at home until transport is arranged";
        AwaitingPlace => "awaiting-place", "kept at home until a school place is found";
        Other => "other", "other";
    }
}

vocabulary! {
    /// What a parent sees at home that the school may not: children often mask at school.
    Sign, "kind of observation" {
        Distress => "distress", "distress";
        Refusal => "refusal", "refusing to go to school";
        Sleep => "sleep", "sleep problems";
        Meltdown => "meltdown", "meltdown after school";
        Appetite => "appetite", "change in appetite";
        PhysicalSymptoms => "physical-symptoms", "physical symptoms";
        Withdrawal => "withdrawal", "withdrawal";
        Said => "said", "something the child said";
        Other => "other", "other";
    }
}

vocabulary! {
    DocumentType, "kind of document" {
        AntiBullyingPolicy => "policy:anti-bullying", "anti-bullying policy";
        BehaviourPolicy => "policy:behaviour", "behaviour policy";
        ComplaintsPolicy => "policy:complaints", "complaints policy";
        SenPolicy => "policy:sen", "SEN policy";
        SenInformationReport => "policy:sen-information-report", "SEN information report";
        AttendancePolicy => "policy:attendance", "attendance policy";
        SafeguardingPolicy => "policy:safeguarding", "safeguarding policy";
        AccessibilityPlan => "policy:accessibility", "accessibility plan";
        EducationalPsychologistReport => "report:educational-psychologist", "educational psychologist's report";
        SpeechAndLanguageReport => "report:speech-and-language", "speech and language therapy report";
        OccupationalTherapyReport => "report:occupational-therapy", "occupational therapy report";
        CamhsReport => "report:camhs", "CAMHS report";
        MedicalReport => "report:medical", "medical report";
        OnePageProfile => "plan:one-page-profile", "one-page profile";
        SenSupportPlan => "plan:sen-support", "SEN support plan";
        EhcPlanDraft => "plan:ehc-draft", "draft EHC plan";
        EhcPlanFinal => "plan:ehc-final", "final EHC plan";
        AmendmentNotice => "notice:ehc-amendments", "proposed amendments to the EHC plan";
        Minutes => "minutes", "minutes";
        SchoolReport => "school-report", "school report";
        DecisionLetter => "decision-letter", "decision letter";
        AttendanceWarning => "notice:attendance-warning", "warning about attendance (a fine or prosecution)";
        PenaltyNotice => "notice:penalty", "penalty notice";
        Other => "other", "document";
    }
}

vocabulary! {
    DecisionMaker, "decision maker" {
        School => "school", "the school";
        Governors => "governors", "the governing board";
        Trust => "trust", "the trust";
        Council => "council", "the local authority";
        Panel => "panel", "a panel";
        Mediator => "mediator", "a mediator";
        Tribunal => "tribunal", "the tribunal";
        Ombudsman => "ombudsman", "the ombudsman";
        Other => "other", "another body";
    }
}

vocabulary! {
    /// Mediators give one of the first four; panels and tribunals uphold or not.
    Outcome, "outcome" {
        Resolved => "resolved", "resolved";
        PartlyResolved => "partly-resolved", "partly resolved";
        ResolvedOnConditions => "resolved-on-conditions", "resolved on conditions";
        NotResolved => "not-resolved", "not resolved";
        Upheld => "upheld", "upheld";
        PartlyUpheld => "partly-upheld", "partly upheld";
        NotUpheld => "not-upheld", "not upheld";
        Agreed => "agreed", "agreed";
        Refused => "refused", "refused";
        Other => "other", "other";
    }
}

/// A file brought in by an entry. The bytes live in the blob store under `sha256`;
/// the name and type live here, in the content, so a redaction removes them too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub sha256: Digest,
    pub name: String,
    pub media_type: String,
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub person: PersonId,
    pub side: Side,
}

/// What an entry says. Its canonical JSON is hashed into the chain; a redaction removes
/// it and leaves the hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Content {
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// Where the family's knowledge of this came from: "my notes at the time", "email".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    pub facts: Facts,
}

/// The facts particular to each kind of entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Facts {
    Incident(facts::Incident),
    Communication(facts::Communication),
    Meeting(facts::Meeting),
    Absence(facts::Absence),
    Observation(facts::Observation),
    Document(facts::Document),
    Request(facts::Request),
    Decision(facts::Decision),
    Note,
    Amendment(facts::Amendment),
    Redaction(facts::Redaction),
    Timestamp(facts::Timestamp),
}

impl Facts {
    pub fn kind(&self) -> EntryKind {
        match self {
            Facts::Incident(_) => EntryKind::Incident,
            Facts::Communication(_) => EntryKind::Communication,
            Facts::Meeting(_) => EntryKind::Meeting,
            Facts::Absence(_) => EntryKind::Absence,
            Facts::Observation(_) => EntryKind::Observation,
            Facts::Document(_) => EntryKind::Document,
            Facts::Request(_) => EntryKind::Request,
            Facts::Decision(_) => EntryKind::Decision,
            Facts::Note => EntryKind::Note,
            Facts::Amendment(_) => EntryKind::Amendment,
            Facts::Redaction(_) => EntryKind::Redaction,
            Facts::Timestamp(_) => EntryKind::Timestamp,
        }
    }

    /// Everyone the entry names, for filtering the timeline by person.
    pub fn people(&self) -> Vec<PersonId> {
        let mut out = Vec::new();
        match self {
            Facts::Incident(i) => {
                out.extend(&i.involved);
                out.extend(&i.witnesses);
                out.extend(i.reported_to);
            }
            Facts::Communication(c) => {
                out.extend(c.from);
                out.extend(&c.to);
                out.extend(&c.cc);
            }
            Facts::Meeting(m) => {
                out.extend(m.attendees.iter().map(|a| a.person));
                out.extend(m.actions.iter().filter_map(|a| a.who));
            }
            Facts::Request(r) => out.extend(r.to),
            Facts::Absence(a) => out.extend(a.asked_by),
            _ => {}
        }
        out.sort();
        out.dedup();
        out
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One struct per kind. Optional facts are left out of the JSON when absent, so adding
/// a new optional fact later does not change the hash of existing entries.
pub mod facts {
    use super::*;

    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Incident {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub place: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub categories: Vec<Category>,
        /// The kind of prejudice (race, religion, disability, sexual orientation...).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub prejudice: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub involved: Vec<PersonId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub witnesses: Vec<PersonId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub harm: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub child_words: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reported_to: Option<PersonId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reported_on: Option<Occurred>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub school_response: Option<String>,
        /// The school's own word for it ("niggle", "friendship issue"): it matters later.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub school_word: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Communication {
        pub channel: Channel,
        pub direction: Direction,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub from: Option<PersonId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub to: Vec<PersonId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub cc: Vec<PersonId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub subject: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message_id: Option<String>,
        /// An email's date as its sender's clock showed it, with the offset from UTC
        /// ("2026-06-02T08:50:00+01:00"); the entry's own time is UK time.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sent: Option<String>,
        /// Where an email's date came from when it is not simply its own Date ("date
        /// from the server's receipt ...").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub dated_by: Option<String>,
        /// SHA-256 of what an email says (its date, sender, recipients, subject and
        /// text): the same message from another mailbox has the same, and two different
        /// messages that share a Message-ID do not.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub content_digest: Option<String>,
    }

    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Meeting {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub attendees: Vec<Attendee>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub purpose: Option<String>,
        /// What the family raised: the minutes check looks for each of these.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub points_raised: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub actions: Vec<Action>,
        /// A meeting the family asked for and has not yet had.
        #[serde(default, skip_serializing_if = "is_false")]
        pub requested_only: bool,
        /// A meeting the school or council invited the family to, not yet held: there is
        /// nothing said at it to confirm.
        #[serde(default, skip_serializing_if = "is_false")]
        pub invited: bool,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Action {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub who: Option<PersonId>,
        pub what: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub by: Option<CaseDate>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Absence {
        pub reason: AbsenceReason,
        /// The last day of absence when it ran over several days.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub until: Option<CaseDate>,
        /// Still away: the absence runs on to today (and past `until`, if given).
        #[serde(default, skip_serializing_if = "is_false")]
        pub ongoing: bool,
        /// Half-day sessions missed, as registers count them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sessions: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub authorised: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub evidence: Option<String>,
        /// When the child was collected, when the school sent them home: the time lost
        /// counts from it (the entry's own time is when the school called).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub collected: Option<jiff::civil::Time>,
        /// Who asked for the child to go home or stay at home, or agreed the part-time
        /// timetable.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub asked_by: Option<PersonId>,
        /// The reason the school gave, in its words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reason_given: Option<String>,
        /// Whether a formal letter of suspension followed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub formal_letter: Option<bool>,
        /// When a part-time timetable was agreed to be reviewed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub review: Option<CaseDate>,
    }

    impl Absence {
        /// An absence of the kind the record cannot count as anything but what it is.
        pub fn new(reason: AbsenceReason) -> Self {
            Absence {
                reason,
                until: None,
                ongoing: false,
                sessions: None,
                authorised: None,
                evidence: None,
                collected: None,
                asked_by: None,
                reason_given: None,
                formal_letter: None,
                review: None,
            }
        }

        /// Kept out of school at the school's request, with no formal suspension: what
        /// the DfE's exclusions guidance calls an informal exclusion.
        pub fn informal_exclusion(&self) -> bool {
            matches!(
                self.reason,
                AbsenceReason::SentHome
                    | AbsenceReason::AwaitingHealthcarePlan
                    | AbsenceReason::AwaitingRiskAssessment
            ) && self.formal_letter != Some(true)
        }
    }

    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Observation {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub signs: Vec<Sign>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub child_words: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Document {
        pub document_type: DocumentType,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub issued_by: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Request {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub to: Option<PersonId>,
        /// The rule pack's identifier for the deadline, when one applies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rule: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub due: Option<CaseDate>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Decision {
        pub by: DecisionMaker,
        pub outcome: Outcome,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Amendment {
        pub reason: String,
        /// A corrected date, when the date was what was wrong.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub occurred: Option<Occurred>,
        /// The details as corrected, when they were what was wrong.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub details: Option<String>,
        /// Every fact of the entry as corrected (a place, a witness, a reason), when
        /// any of them was wrong; of the same kind as the entry's own.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub facts: Option<Box<Facts>>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Redaction {
        pub reason: String,
    }

    /// An independent authority's RFC 3161 token over the hash of the entry this one
    /// `covers`: proof that the log up to there existed by `time`.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Timestamp {
        /// The token as the authority signed it (DER), in base64.
        pub token: String,
        /// The authority, as its certificate names it.
        pub authority: String,
        /// The time the token gives, UTC ("2026-03-03T14:02:07Z").
        pub time: String,
        /// Where the token was asked for, when casebook asked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub asked: Option<String>,
    }
}

impl Content {
    /// Every text in the content is checked: the summary is one line, everything else
    /// may have line breaks; no control characters; nothing over the size limits. Runs
    /// on what the user types and on what an import brings in alike.
    pub fn validate(&self) -> Result<(), DomainError> {
        crate::check_short_text("summary", &self.summary)?;
        let value = serde_json::to_value(self)
            .map_err(|e| DomainError::invalid(format!("The entry cannot be encoded: {e}.")))?;
        check_strings("entry", &value)?;
        let size = crate::canonical_json(&value).len();
        if size > 2 * crate::LONG_TEXT_LIMIT {
            return Err(DomainError::invalid(format!(
                "The entry holds {size} bytes of text; the limit is 2 MiB: attach long material as a file instead."
            )));
        }
        Ok(())
    }
}

fn check_strings(field: &str, value: &serde_json::Value) -> Result<(), DomainError> {
    match value {
        serde_json::Value::String(s) => crate::check_long_text(&field.replace('_', " "), s),
        serde_json::Value::Array(items) => items.iter().try_for_each(|v| check_strings(field, v)),
        serde_json::Value::Object(map) => map.iter().try_for_each(|(k, v)| check_strings(k, v)),
        _ => Ok(()),
    }
}
