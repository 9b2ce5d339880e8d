//! "What do I need to do now": for the case as it stands on a given day, what is due
//! soon, what is late, what to confirm in writing, what the family has waited for, and
//! the escalation steps the rule pack opens for this kind of setting.

use casebook_calendar::Calendar;
use casebook_domain::{
    AbsenceReason, Case, CaseDate, DecisionMaker, DocumentType, EntryId, Facts, Outcome, Relation,
    uk_date,
};
use casebook_rules::{Inputs, Pack, Rule, RuleKind, compute};
use jiff::civil::Date;
use serde::Serialize;

use crate::timeline::{RequestState, TimelineItem};

/// How far ahead "due soon" looks.
const SOON_DAYS: i32 = 14;
/// The school days of illness absence after which the council's duty to arrange
/// education is engaged (DfE statutory guidance, December 2023).
const HEALTH_NEEDS_SCHOOL_DAYS: i64 = 15;

#[derive(Debug, Clone, Serialize)]
pub struct NextSteps {
    pub today: Date,
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
        Ok(next_steps(
            &self.case,
            &items,
            &pack,
            &calendar,
            self.clock.today(),
        ))
    }
}

pub fn next_steps(
    case: &Case,
    items: &[TimelineItem],
    pack: &Pack,
    calendar: &Calendar,
    today: Date,
) -> NextSteps {
    let mut next = NextSteps {
        today,
        due: vec![],
        late: vec![],
        confirm: vec![],
        waiting: vec![],
        steps: vec![],
    };
    let rule_of = |item: &TimelineItem| match &item.facts {
        Some(Facts::Request(r)) => r.rule.clone(),
        _ => None,
    };
    for item in items {
        let summary = item.summary.clone().unwrap_or_else(|| "[redacted]".into());
        match item.request {
            Some(RequestState::Late { due, days_late }) => {
                let rule = rule_of(item);
                next.late.push(Item {
                    entry: item.id,
                    what: format!(
                        "The reply was due on {} and is {days_late} days late.",
                        uk_date(due)
                    ),
                    summary: summary.clone(),
                    due: Some(due),
                    days: Some(days_late),
                    letter: Some("chase-reply".into()),
                    rule: rule.clone(),
                });
                if let Some(rule) = rule.and_then(|id| pack.rules.iter().find(|r| r.id == id)) {
                    for opened in &rule.if_late {
                        // The family knew of the failure when the reply was due.
                        let opened_by = Opened {
                            why: format!("{summary}: the reply is late."),
                            entry: Some(item.id),
                            on: Some(due),
                        };
                        push_step(&mut next.steps, pack, calendar, opened, &opened_by);
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
                .find_map(rule_of);
            match answered_rule.and_then(|id| pack.rules.iter().find(|r| r.id == id)) {
                Some(rule) => {
                    for opened in &rule.if_refused {
                        push_step(&mut next.steps, pack, calendar, opened, &opened_by);
                    }
                }
                // The council's no on special educational needs (an assessment, a plan,
                // its contents) goes to mediation and the tribunal, never to a school's
                // governors (SEND Code of Practice 2015, chapter 11).
                None if d.by == DecisionMaker::Council => {
                    for opened in COUNCIL_SEN_REFUSAL {
                        push_step(&mut next.steps, pack, calendar, opened, &opened_by);
                    }
                }
                None => {
                    for rule in steps_for_setting(pack, case)
                        .filter(|r| r.kind == RuleKind::Step && r.procedure == "Escalation")
                    {
                        push_step(&mut next.steps, pack, calendar, &rule.id, &opened_by);
                    }
                }
            }
        }
    }
    let asked_for_assessment = items
        .iter()
        .any(|i| rule_of(i).is_some_and(|r| r.starts_with("ehc-")));
    if !case.child.needs.is_empty() && !asked_for_assessment {
        let why = format!(
            "{}'s needs are recorded ({}) and no request for an EHC needs assessment is logged: a parent can ask at any time, and no diagnosis is needed.",
            first_name(&case.child.name),
            case.child.needs.join(", ")
        );
        let opened_by = Opened {
            why,
            entry: None,
            on: None,
        };
        push_step(
            &mut next.steps,
            pack,
            calendar,
            "ehc-assessment-request",
            &opened_by,
        );
    }
    ask_for_policies(&mut next, items, pack, calendar);
    health_needs(&mut next, items, pack, calendar, today);
    next
}

/// Incidents logged and no behaviour or anti-bullying policy in the case, nor a request
/// for one: the school's actions can only be tested against its policy once the family
/// holds it. A request is known by its words ("policy", "policies"), as the family or
/// the letter that asks for them wrote it.
fn ask_for_policies(
    next: &mut NextSteps,
    items: &[TimelineItem],
    pack: &Pack,
    calendar: &Calendar,
) {
    let incidents = items
        .iter()
        .filter(|i| matches!(i.facts, Some(Facts::Incident(_))))
        .count();
    let holds_policy = items.iter().any(|i| {
        matches!(&i.facts, Some(Facts::Document(d)) if matches!(
            d.document_type,
            DocumentType::AntiBullyingPolicy | DocumentType::BehaviourPolicy
        ))
    });
    let asked = items.iter().any(|i| {
        matches!(i.facts, Some(Facts::Request(_)))
            && i.summary
                .as_deref()
                .is_some_and(|s| s.to_lowercase().contains("polic"))
    });
    if incidents > 0 && !holds_policy && !asked {
        let opened = Opened {
            why: format!(
                "{incidents} incident{} logged and no behaviour or anti-bullying policy in the case.",
                if incidents == 1 { " is" } else { "s are" }
            ),
            entry: None,
            on: None,
        };
        push_step(&mut next.steps, pack, calendar, "ask-for-policies", &opened);
    }
}

/// The rules of the pack that apply to this kind of setting and its governance.
fn steps_for_setting<'a>(pack: &'a Pack, case: &'a Case) -> impl Iterator<Item = &'a Rule> {
    pack.rules.iter().filter(|r| {
        (r.applies_to.is_empty() || r.applies_to.iter().any(|k| k == case.setting.kind.slug()))
            && (r.governance.is_empty()
                || r.governance
                    .iter()
                    .any(|g| g == case.setting.governance.slug()))
    })
}

/// The steps a council's refusal about special educational needs opens when it answers
/// no request in the log.
const COUNCIL_SEN_REFUSAL: &[&str] = &["mediation-contact", "tribunal-appeal"];

/// Why a step is open, and the day its clock starts when it has one.
struct Opened {
    why: String,
    /// The entry that opened it, when one did.
    entry: Option<EntryId>,
    on: Option<Date>,
}

fn push_step(steps: &mut Vec<Step>, pack: &Pack, calendar: &Calendar, id: &str, opened: &Opened) {
    let Some(rule) = pack.rules.iter().find(|r| r.id == id) else {
        return;
    };
    if steps.iter().any(|s| s.rule == rule.id) {
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
            compute(pack, calendar, &rule.id, &inputs).ok()
        });
    steps.push(Step {
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

/// Absence this school year through illness, anxiety or bullying, in school days; at 15
/// the council should be arranging education (Education Act 1996 s.19: "by reason of
/// illness, exclusion or otherwise").
fn health_needs(
    next: &mut NextSteps,
    items: &[TimelineItem],
    pack: &Pack,
    calendar: &Calendar,
    today: Date,
) {
    let year_start = jiff::civil::date(
        if today.month() >= 9 {
            today.year()
        } else {
            today.year() - 1
        },
        9,
        1,
    );
    let mut days = 0;
    for item in items {
        let Some(Facts::Absence(a)) = &item.facts else {
            continue;
        };
        if !matches!(
            a.reason,
            AbsenceReason::Illness | AbsenceReason::MentalHealth | AbsenceReason::BullyingRelated
        ) || item.redacted_by.is_some()
        {
            continue;
        }
        let first = item.occurred.earliest().max(year_start);
        // An absence still going on counts every school day up to today.
        let last = match a.ongoing {
            true => today,
            false => a.until.map_or(item.occurred.earliest(), CaseDate::get),
        }
        .min(today);
        let mut day = first;
        while day <= last {
            if calendar.is_school_day(day) {
                days += 1;
            }
            match day.tomorrow() {
                Ok(d) => day = d,
                Err(_) => break,
            }
        }
    }
    if days >= HEALTH_NEEDS_SCHOOL_DAYS {
        let why = format!(
            "Your child has missed {days} school days this school year through illness, anxiety or bullying: from 15, consecutive or in total, the council should be arranging suitable education."
        );
        if pack.rules.iter().any(|r| r.id == "health-needs-education") {
            let opened_by = Opened {
                why,
                entry: None,
                on: None,
            };
            push_step(
                &mut next.steps,
                pack,
                calendar,
                "health-needs-education",
                &opened_by,
            );
        }
    }
}

fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

fn in_days(days: i32) -> String {
    match days {
        0 => "today".into(),
        1 => "tomorrow".into(),
        n => format!("in {n} days"),
    }
}
