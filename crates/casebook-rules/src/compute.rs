//! Computing one step's date from its rule, with the explanation of every adjustment.

use casebook_calendar::{Calendar, Computed, DayOne, Explanation, Holidays, Unit};
use jiff::civil::Date;
use serde::Serialize;

use crate::error::{Input, RuleError, invalid, refused};
use crate::pack::{Adjust, Choose, Pack, Rule, RuleKind, Status};

/// What the user tells the engine.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The date of the event that starts the clock.
    pub from: Option<Date>,
    /// For the tribunal appeal: the date of the mediation certificate.
    pub certificate: Option<Date>,
    /// The notice was sent by first-class post on `from`.
    pub posted: bool,
    /// The school's own figure, where its policy sets the limit.
    pub limit: Option<(i64, Unit)>,
}

/// A computed deadline. `--json` prints this.
#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    pub rule: String,
    pub procedure: String,
    pub step: String,
    pub actor: String,
    pub from: Date,
    pub due: Date,
    pub due_text: String,
    pub limit: String,
    pub unit: String,
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    pub status: Status,
    pub verify: bool,
    /// True when a typical school year, unpublished bank holidays or a typical school
    /// policy figure were assumed.
    pub estimate: bool,
    pub explanation: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<casebook_calendar::Skipped>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter: Option<String>,
}

pub fn compute(
    pack: &Pack,
    calendar: &Calendar,
    rule_id: &str,
    inputs: &Inputs,
) -> Result<Deadline, RuleError> {
    let rule = pack.rule(rule_id)?;
    if rule.kind == RuleKind::Step {
        return refused(
            Input::Rule,
            format!(
                "This is a next step with no time limit of its own: {}",
                rule.step
            ),
        );
    }
    let Some(from) = inputs.from else {
        return refused(
            Input::From,
            format!(
                "This needs the date the clock starts: the date {}.",
                rule.starts
            ),
        );
    };
    if inputs.certificate.is_some()
        && rule
            .options
            .iter()
            .all(|o| o.from.as_deref() != Some("certificate"))
    {
        return refused(
            Input::Certificate,
            "This limit does not count from a mediation certificate: leave the certificate's date out.",
        );
    }
    if inputs.posted && !rule.postal {
        return refused(
            Input::Posted,
            "This limit does not count from a posted notice: leave out that it was posted.",
        );
    }
    let calendar = match (rule.holidays.as_str(), pack.holidays) {
        ("uk", Holidays::Nation(_)) => calendar.with_holidays(Holidays::AnyUk),
        _ => calendar.with_holidays(pack.holidays),
    };
    let mut why = Explanation::default();
    let mut estimate = false;
    why.step(format!(
        "{}: {}.",
        rule.procedure,
        rule.step.trim_end_matches('.')
    ));

    let mut start = from;
    if inputs.posted {
        let served = calendar.add(2, Unit::WorkingDays, from, DayOne::After)?;
        start = served.due;
        why.step(format!(
            "A notice sent by first-class post on {} is treated as given on the second working day after posting: {}.",
            long(from),
            long(start)
        ));
        why.skipped.extend(served.explanation.skipped);
    }
    if rule.start_rule == "next-school-day" {
        let (day, passed, assumed) = calendar.school_day_on_or_after(start)?;
        estimate |= assumed && !calendar.has_terms();
        if day != start {
            why.step(format!(
                "{} was not a school day, so the clock starts on the first school day after it: {}.",
                long(start),
                long(day)
            ));
            why.skipped.extend(passed.skipped);
            start = day;
        }
    }

    let day_one = if rule.day_one == "start" {
        DayOne::Start
    } else {
        DayOne::After
    };
    let computed = match (&rule.limit, rule.choose) {
        (Some(limit), _) => {
            let (count, unit) = match inputs.limit {
                Some(own) if rule.set_by == "school-policy" => {
                    why.step(format!(
                        "The school's own policy gives {}.",
                        own.1.amount(own.0)
                    ));
                    own
                }
                Some(_) => {
                    return refused(
                        Input::Limit,
                        "This limit is not set by a school's policy: a school's own figure is only for limits its policy sets.",
                    );
                }
                None => {
                    let unit = limit.unit()?;
                    if rule.set_by == "school-policy" {
                        estimate = true;
                        why.step(format!(
                            "The school's own policy sets this limit. casebook used {}, the figure such policies commonly give: enter your school's own figure for an exact date.",
                            unit.amount(limit.count)
                        ));
                    }
                    (limit.count, unit)
                }
            };
            calendar.add(count, unit, start, day_one)?
        }
        (None, Some(choose)) => {
            choose_between(rule, choose, &calendar, start, inputs, day_one, &mut why)?
        }
        (None, None) => return invalid(format!("{} has no time limit.", rule.id)),
    };
    estimate |= computed.estimate;
    let mut due = computed.due;
    why.extend(computed.explanation);

    // The tribunal's holidays first (r.12(3)), then the next working day (r.12(2)):
    // the other order would move a deadline that rolled into August out of it.
    if rule.adjust == Adjust::SendTribunalHolidays {
        let moved = match (due.month(), due.day()) {
            (8, _) => Some(("ends in August", jiff::civil::date(due.year(), 9, 1))),
            (12, 25..=31) => Some((
                "ends between 25 December and 1 January",
                jiff::civil::date(due.year() + 1, 1, 2),
            )),
            (1, 1) => Some((
                "ends between 25 December and 1 January",
                jiff::civil::date(due.year(), 1, 2),
            )),
            _ => None,
        };
        if let Some((when, from_day)) = moved {
            let (day, passed) = calendar.working_day_on_or_after(from_day)?;
            why.step(format!(
                "A tribunal deadline that {when} moves to the next working day after it: {}.",
                long(day)
            ));
            why.skipped.extend(passed.skipped);
            due = day;
        }
    }
    if rule.roll == "next-working-day" && !calendar.is_working_day(due) {
        let (day, passed) = calendar.working_day_on_or_after(due)?;
        why.step(format!(
            "{} is not a working day, so the deadline moves to the next working day: {}.",
            long(due),
            long(day)
        ));
        why.skipped.extend(passed.skipped);
        due = day;
    }
    if let Some(wording) = &rule.wording {
        why.step(format!("The law's words: \u{201c}{wording}\u{201d}."));
    }
    if rule.verify {
        why.step("This figure was not confirmed against the law's own words: check it with IPSEA or your local SENDIASS before relying on it.");
    }
    why.step(format!(
        "Source: {} ({}).",
        rule.source,
        rule.status.phrase()
    ));
    Ok(Deadline {
        rule: rule.id.clone(),
        procedure: rule.procedure.clone(),
        step: rule.step.clone(),
        actor: rule.actor.clone(),
        from,
        due,
        due_text: long(due),
        limit: rule.limit_text(),
        unit: rule.unit_slug().to_owned(),
        source: rule.source.clone(),
        source_url: rule.source_url.clone(),
        status: rule.status,
        verify: rule.verify,
        estimate,
        explanation: why.lines(),
        skipped: why.skipped,
        letter: rule.letter.clone(),
    })
}

/// Two ways of counting, and the later (or earlier) of the dates they give.
fn choose_between(
    rule: &Rule,
    choose: Choose,
    calendar: &Calendar,
    start: Date,
    inputs: &Inputs,
    day_one: DayOne,
    why: &mut Explanation,
) -> Result<Computed, RuleError> {
    let mut results: Vec<Computed> = Vec::new();
    for option in &rule.options {
        let from = match option.from.as_deref() {
            Some("certificate") => match inputs.certificate {
                Some(d) => d,
                None => {
                    why.step("No mediation certificate date was given, so only the other limit applies (give the certificate's date if you have one).");
                    continue;
                }
            },
            _ => start,
        };
        results.push(calendar.add(option.count, option.unit()?, from, day_one)?);
    }
    let pick = match choose {
        Choose::Later => results.iter().max_by_key(|c| c.due),
        Choose::Earlier => results.iter().min_by_key(|c| c.due),
    };
    let Some(chosen) = pick.cloned() else {
        return refused(Input::From, "This needs the date the clock starts.");
    };
    if results.len() > 1 {
        for r in &results {
            if let Some(first) = r.explanation.steps.first() {
                why.step(format!("One limit: {first}"));
            }
        }
        let which = if choose == Choose::Later {
            "later"
        } else {
            "earlier"
        };
        why.step(format!(
            "The {which} of the two applies: {}.",
            long(chosen.due)
        ));
    }
    let mut chosen = chosen;
    chosen.estimate = results.iter().any(|r| r.estimate);
    Ok(chosen)
}

fn long(d: Date) -> String {
    casebook_calendar::long_date(d)
}
