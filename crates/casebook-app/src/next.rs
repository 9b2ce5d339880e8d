//! "What do I need to do now": for the case as it stands on a given day, what is due
//! soon, what is late, what to confirm in writing, what the family has waited for, and
//! the escalation steps the rule pack opens for this kind of setting.

use casebook_calendar::Calendar;
use casebook_domain::{
    Case, CaseDate, DecisionMaker, EntryId, Facts, Outcome, Person, Relation, Role, Side, uk_date,
};
use casebook_rules::{Inputs, Pack, Rule, RuleKind, compute};
use jiff::civil::Date;
use serde::Serialize;

use crate::timeline::{RequestState, TimelineItem, lateness};
use crate::triggers::{self, MinutesCheck};

/// How far ahead "due soon" looks.
const SOON_DAYS: i32 = 14;

#[derive(Debug, Clone, Serialize)]
pub struct NextSteps {
    pub today: Date,
    /// Decisions found in recent mail and letters, waiting for the family to log or
    /// dismiss them: shown first.
    pub suggestions: Vec<crate::Suggested>,
    pub due: Vec<Item>,
    pub late: Vec<Item>,
    pub confirm: Vec<Item>,
    pub waiting: Vec<Item>,
    pub steps: Vec<Step>,
}

/// Something to do about an entry.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub entry: EntryId,
    pub summary: String,
    pub what: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter: Option<String>,
}

/// A step open now, with its rule and source, and its last day when it has one.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub rule: String,
    pub what: String,
    pub why: String,
    /// The entry that opened this step, when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<EntryId>,
    pub source: String,
    pub verify: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter: Option<String>,
    /// The last day for this step, counted from what opened it, and as words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_text: Option<String>,
    /// How that day was counted, a line a step.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub counted: Vec<String>,
}

impl<S: casebook_store::CaseStore, B: casebook_store::BlobStore> crate::CaseFile<'_, S, B> {
    /// What to do now for this case: its rule pack, its term dates, its timeline, today.
    pub fn what_to_do_now(&self) -> crate::AppResult<NextSteps> {
        let pack = crate::rule_pack(&self.case.jurisdiction)?;
        let calendar = crate::calendar_for(&pack, crate::term_dates(self.store, &self.case)?);
        let items = self.timeline(&crate::Filter::default())?;
        let people = self.store.people(self.case.id)?;
        let checks = self.minutes_checks(&items)?;
        // The routes are those of the school the child is at today.
        let case = self.case_on(self.clock.today())?;
        let record = Record {
            case: &case,
            people: &people,
            items: &items,
            minutes_checks: &checks,
        };
        let mut next = next_steps(&record, &pack, &calendar, self.clock.today());
        let since = self
            .clock
            .today()
            .checked_sub(jiff::Span::new().days(crate::RECENT_DAYS))
            .ok();
        next.suggestions = self.suggestions_among(&items, since)?;
        Ok(next)
    }
}

/// What `next` reads: the case, its people, its timeline, and what the minutes of its
/// meetings leave out.
pub struct Record<'a> {
    pub case: &'a Case,
    pub people: &'a [Person],
    pub items: &'a [TimelineItem],
    pub minutes_checks: &'a [MinutesCheck],
}

pub fn next_steps(record: &Record<'_>, pack: &Pack, calendar: &Calendar, today: Date) -> NextSteps {
    let items = record.items;
    let mut adviser = Adviser {
        case: record.case,
        pack,
        calendar,
        steps: vec![],
    };
    let mut next = NextSteps {
        today,
        suggestions: vec![],
        due: vec![],
        late: vec![],
        confirm: vec![],
        waiting: vec![],
        steps: vec![],
    };
    let last_incident = items
        .iter()
        .filter(|i| matches!(i.facts, Some(Facts::Incident(_))))
        .map(|i| i.occurred.latest())
        .max();
    for item in items {
        let summary = item.summary.clone().unwrap_or_else(|| "[redacted]".into());
        match item.request {
            Some(RequestState::Late { due, days_late }) => {
                let rule = rule_of(item);
                next.late.push(Item {
                    entry: item.id,
                    what: format!(
                        "The reply was due on {} and is {} late.",
                        uk_date(due),
                        lateness(days_late)
                    ),
                    summary: summary.clone(),
                    due: Some(due),
                    days: Some(days_late),
                    letter: Some("chase-reply".into()),
                    rule: rule.clone(),
                });
                // The family knew of the failure when the reply was due.
                let opened_by = Opened {
                    why: format!("{summary}: the reply is late."),
                    entry: Some(item.id),
                    on: Some(due),
                };
                match rule.and_then(|id| pack.rules.iter().find(|r| r.id == id)) {
                    Some(rule) if !rule.if_late.is_empty() => {
                        for opened in &rule.if_late {
                            adviser.open(opened, &opened_by);
                        }
                    }
                    _ => adviser.next_rung(recipient(record, item), &opened_by, last_incident),
                }
            }
            // An answer after the time limit leaves the failure on the record: a council's
            // plan that came weeks late is still for the Ombudsman.
            Some(RequestState::Answered { by }) => {
                let answered = items
                    .iter()
                    .find(|i| i.id == by)
                    .map(|i| i.occurred.earliest());
                let due = match &item.facts {
                    Some(Facts::Request(r)) => r.due.map(CaseDate::get),
                    _ => None,
                };
                let rule = rule_of(item).and_then(|id| pack.rules.iter().find(|r| r.id == id));
                if let (Some(answered), Some(due), Some(rule)) = (answered, due, rule)
                    && answered > due
                {
                    let opened_by = Opened {
                        why: format!(
                            "{summary}: answered on {}, {} after it was due.",
                            uk_date(answered),
                            lateness((answered - due).get_days())
                        ),
                        entry: Some(item.id),
                        on: Some(due),
                    };
                    for opened in &rule.if_late {
                        adviser.open(opened, &opened_by);
                    }
                }
            }
            Some(RequestState::Open { due: Some(due) })
                if (due - today).get_days() <= SOON_DAYS =>
            {
                let days = (due - today).get_days();
                next.due.push(Item {
                    entry: item.id,
                    what: format!("A reply is due on {} ({}).", uk_date(due), in_days(days)),
                    summary: summary.clone(),
                    due: Some(due),
                    days: Some(days),
                    rule: rule_of(item),
                    letter: None,
                });
            }
            _ => {}
        }
        if item.unconfirmed && item.redacted_by.is_none() {
            let what = match item.kind {
                casebook_domain::EntryKind::Meeting => {
                    "Nothing confirms this meeting in writing yet: send your note of what was said and agreed."
                }
                _ => {
                    "Nothing confirms this conversation in writing yet: send a short email saying what was said."
                }
            };
            next.confirm.push(Item {
                entry: item.id,
                summary: summary.clone(),
                what: what.into(),
                due: None,
                days: Some((today - item.occurred.latest()).get_days()),
                rule: None,
                letter: Some("confirm-in-writing".into()),
            });
        }
        if let Some(Facts::Meeting(m)) = &item.facts
            && m.requested_only
            && !items.iter().any(|later| {
                later.id > item.id
                    && matches!(&later.facts, Some(Facts::Meeting(held)) if !held.requested_only)
            })
        {
            let days = (today - item.occurred.earliest()).get_days();
            next.waiting.push(Item {
                entry: item.id,
                summary: summary.clone(),
                what: format!(
                    "You asked for this meeting {days} days ago and it has not happened."
                ),
                due: None,
                days: Some(days),
                rule: None,
                letter: Some("request-meeting".into()),
            });
            triggers::meeting_not_held(&mut adviser, item, days, today);
        }
        if let Some(Facts::Decision(d)) = &item.facts
            && matches!(
                d.outcome,
                Outcome::NotUpheld
                    | Outcome::PartlyUpheld
                    | Outcome::Refused
                    | Outcome::NotResolved
            )
        {
            let opened_by = Opened {
                why: format!("{summary}: {}.", d.outcome.phrase()),
                entry: Some(item.id),
                on: Some(item.occurred.latest()),
            };
            // A decision that answers a request opens what its rule says follows a no.
            let answered_rule = item
                .links
                .iter()
                .filter(|l| l.rel == Relation::Answers)
                .filter_map(|l| items.iter().find(|i| i.id == l.target))
                .find_map(rule_of)
                .or_else(|| {
                    reviews_an_exclusion(items, item, d.by)
                        .then(|| GOVERNORS_EXCLUSION_REVIEW.to_owned())
                });
            match answered_rule.and_then(|id| pack.rules.iter().find(|r| r.id == id)) {
                Some(rule) => {
                    for opened in &rule.if_refused {
                        adviser.open(opened, &opened_by);
                    }
                }
                // The council's no on special educational needs (an assessment, a plan,
                // its contents) goes to mediation and the tribunal, never to a school's
                // governors (SEND Code of Practice 2015, chapter 11).
                None if d.by == DecisionMaker::Council => {
                    for opened in COUNCIL_SEN_REFUSAL {
                        adviser.open(opened, &opened_by);
                    }
                }
                None => {
                    for rule in pack
                        .rules
                        .iter()
                        .filter(|r| r.kind == RuleKind::Step && r.procedure == "Escalation")
                    {
                        adviser.open(&rule.id, &opened_by);
                    }
                }
            }
            if d.by != DecisionMaker::Council {
                triggers::discrimination(
                    &mut adviser,
                    record,
                    item,
                    item.occurred.latest(),
                    &summary,
                );
            }
        }
    }
    triggers::from_the_record(&mut adviser, record, today);
    next.steps = adviser.steps;
    next
}

pub(crate) fn rule_of(item: &TimelineItem) -> Option<String> {
    match &item.facts {
        Some(Facts::Request(r)) => r.rule.clone(),
        _ => None,
    }
}

/// The person a request was made to, when the log names one.
fn recipient<'a>(record: &Record<'a>, item: &TimelineItem) -> Option<&'a Person> {
    let Some(Facts::Request(r)) = &item.facts else {
        return None;
    };
    let to = r.to?;
    record.people.iter().find(|p| p.id == to)
}

/// The governors' consideration of an exclusion, whose no (the pupil is not reinstated)
/// opens what the pack says follows it: the independent review panel.
const GOVERNORS_EXCLUSION_REVIEW: &str = "exclusion-governors-review";

/// Whether a decision by the governors (or the trust) comes after an exclusion in the
/// log: it is their review of it, not the end of a complaint.
pub(crate) fn reviews_an_exclusion(
    items: &[TimelineItem],
    decision: &TimelineItem,
    by: DecisionMaker,
) -> bool {
    matches!(by, DecisionMaker::Governors | DecisionMaker::Trust)
        && items.iter().any(|i| {
            i.id < decision.id
                && matches!(&i.facts, Some(Facts::Absence(a)) if matches!(a.reason, casebook_domain::AbsenceReason::Exclusion | casebook_domain::AbsenceReason::Suspension))
        })
}

/// The steps a council's refusal about special educational needs opens when it answers
/// no request in the log.
const COUNCIL_SEN_REFUSAL: &[&str] = &["mediation-contact", "tribunal-appeal"];

/// Why a step is open, and the day its clock starts when it has one.
#[derive(Clone)]
pub(crate) struct Opened {
    pub why: String,
    /// The entry that opened it, when one did.
    pub entry: Option<EntryId>,
    pub on: Option<Date>,
}

/// Opens steps for one case: only those its setting has, each once, with its last day.
pub(crate) struct Adviser<'a> {
    pub case: &'a Case,
    pub pack: &'a Pack,
    pub calendar: &'a Calendar,
    pub steps: Vec<Step>,
}

impl Adviser<'_> {
    /// Opens the rule `id`; a step this setting does not have gives way to the one at
    /// the same rung that it does (no governing board: the council, not governors).
    pub fn open(&mut self, id: &str, opened: &Opened) {
        let Some(rule) = self.pack.rules.iter().find(|r| r.id == id) else {
            return;
        };
        if applies(rule, self.case) {
            self.push(rule, opened);
        } else if let Some(rung) = &rule.rung {
            self.open_rung(rung, opened);
        }
    }

    /// The steps at `rung` this setting has.
    fn open_rung(&mut self, rung: &str, opened: &Opened) {
        let pack = self.pack;
        for rule in pack.rules.iter().filter(|r| {
            r.kind == RuleKind::Step && r.rung.as_deref() == Some(rung) && applies(r, self.case)
        }) {
            self.push(rule, opened);
        }
    }

    /// A reply late with no route of its own goes one rung up from whoever did not
    /// answer: from a member of staff to a formal complaint to the head teacher, within
    /// its limit counted from the last incident logged; from the head to whoever sits
    /// above the head in this setting, which has no clock of its own.
    pub fn next_rung(&mut self, to: Option<&Person>, opened: &Opened, last_incident: Option<Date>) {
        match to.map(|p| p.role) {
            Some(Role::HeadTeacher) => {
                let undated = Opened {
                    on: None,
                    ..opened.clone()
                };
                self.open_rung("above-the-head", &undated)
            }
            Some(role) if role.usual_side() == Side::School => {
                let from_the_incident = Opened {
                    on: last_incident,
                    ..opened.clone()
                };
                self.open("complaint-raise", &from_the_incident)
            }
            _ => {}
        }
    }

    fn push(&mut self, rule: &Rule, opened: &Opened) {
        if self.steps.iter().any(|s| s.rule == rule.id) {
            return;
        }
        // A step with a time limit shows its last day, counted as `casebook deadline` does.
        let deadline = opened
            .on
            .filter(|_| rule.kind != RuleKind::Step)
            .and_then(|from| {
                let inputs = Inputs {
                    from: Some(from),
                    ..Inputs::default()
                };
                compute(self.pack, self.calendar, &rule.id, &inputs).ok()
            });
        self.steps.push(Step {
            rule: rule.id.clone(),
            what: rule.step.clone(),
            why: opened.why.clone(),
            entry: opened.entry,
            source: rule.source.clone(),
            verify: rule.verify,
            letter: rule.letter.clone(),
            due: deadline.as_ref().map(|d| d.due),
            due_text: deadline.as_ref().map(|d| d.due_text.clone()),
            // How the day was counted: the step and its source are shown already.
            counted: deadline
                .map(|d| {
                    let step_line = format!("{}: {}", rule.procedure, rule.step);
                    d.explanation
                        .into_iter()
                        .filter(|line| *line != step_line && !line.starts_with("Source: "))
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
}

/// Whether a rule of the pack applies to this kind of setting and its governance.
fn applies(rule: &Rule, case: &Case) -> bool {
    (rule.applies_to.is_empty()
        || rule
            .applies_to
            .iter()
            .any(|k| k == case.setting.kind.slug()))
        && (rule.governance.is_empty()
            || rule
                .governance
                .iter()
                .any(|g| g == case.setting.governance.slug()))
}

pub(crate) fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

fn in_days(days: i32) -> String {
    match days {
        0 => "today".into(),
        1 => "tomorrow".into(),
        n => format!("in {n} days"),
    }
}
