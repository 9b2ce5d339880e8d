//! A case's calendar (its nation's bank holidays and the setting's term dates) and the
//! deadlines the case's rule pack gives.

use std::collections::BTreeMap;

use casebook_calendar::{Calendar, TermCalendar, Unit};
use casebook_domain::{Case, parse_date};
use casebook_rules::{Deadline, Input, Inputs, Pack, RuleError, builtin_pack, compute};
use casebook_store::CaseStore;

use crate::error::{AppError, AppResult};

const TERMS: &str = "terms";

/// The rule pack for a jurisdiction.
pub fn rule_pack(jurisdiction: &str) -> AppResult<Pack> {
    builtin_pack(jurisdiction).map_err(|e| AppError::Invalid(e.to_string()))
}

/// The setting's term dates, when the family has given them.
pub fn term_dates(store: &impl CaseStore, case: &Case) -> AppResult<Option<TermCalendar>> {
    match store.case_setting(case.id, TERMS)? {
        Some(text) => TermCalendar::from_toml(&text).map(Some).map_err(|e| {
            AppError::Invalid(format!(
                "The term dates kept for this case cannot be read: {e}"
            ))
        }),
        None => Ok(None),
    }
}

/// Replaces the setting's term dates.
pub fn set_term_dates(store: &impl CaseStore, case: &Case, terms: &TermCalendar) -> AppResult<()> {
    Ok(store.set_case_setting(case.id, TERMS, &terms.to_toml())?)
}

/// The calendar deadlines are counted in: the pack's bank holidays and, when known,
/// the setting's term dates.
pub fn calendar_for(pack: &Pack, terms: Option<TermCalendar>) -> Calendar {
    Calendar::new(pack.holidays, terms)
}

/// A deadline asked for, as typed on the command line or the deadlines page: a rule of
/// the pack, the date its clock starts, and what else it may count from.
#[derive(Debug, Clone, Default)]
pub struct DeadlineForm {
    pub rule: String,
    /// The date the clock starts; "" when not given.
    pub from: String,
    /// A mediation certificate's date; "" when not given.
    pub certificate: String,
    /// The notice was posted, so deemed served later.
    pub posted: bool,
    /// The school's own figure, such as "15 school-days"; "" when not given.
    pub limit: String,
}

/// Why a deadline cannot be worked out: which thing asked, and one plain sentence that
/// names no flag or field (the command line and the page each show where to change it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineRefused {
    pub input: Input,
    pub sentence: String,
}

impl DeadlineForm {
    /// The date, counted in `calendar` with the school's own limits where the family
    /// entered them and nothing more particular was asked.
    pub fn work_out(
        &self,
        pack: &Pack,
        calendar: &Calendar,
        limits: &SchoolLimits,
    ) -> Result<Deadline, DeadlineRefused> {
        let at = |input: Input| {
            move |e: AppError| DeadlineRefused {
                input,
                sentence: e.to_string(),
            }
        };
        let date = |text: &str, input: Input| match text.trim() {
            "" => Ok(None),
            day => parse_date(day)
                .map(Some)
                .map_err(|e| at(input)(AppError::from(e))),
        };
        let rule = self.rule.trim();
        let inputs = Inputs {
            from: date(&self.from, Input::From)?,
            certificate: date(&self.certificate, Input::Certificate)?,
            posted: self.posted,
            limit: match self.limit.trim() {
                "" => None,
                given => Some(parse_limit(given).map_err(at(Input::Limit))?),
            },
        };
        compute(pack, calendar, rule, &limits.apply(rule, inputs)).map_err(|e| match e {
            RuleError::Input { input, message } => DeadlineRefused {
                input,
                sentence: message,
            },
            RuleError::Invalid(message) => DeadlineRefused {
                input: Input::Rule,
                sentence: message,
            },
        })
    }
}

const SCHOOL_LIMITS: &str = "school-limits";

/// The school's own time limits, where its policy sets them: rule id to its figure.
/// Kept with the case, used wherever that rule's date is worked out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchoolLimits(pub BTreeMap<String, (i64, Unit)>);

impl SchoolLimits {
    /// The inputs for `rule`, with the school's own figure when the family entered one
    /// and nothing more particular was given.
    pub fn apply(&self, rule: &str, inputs: Inputs) -> Inputs {
        Inputs {
            limit: inputs.limit.or_else(|| self.0.get(rule).copied()),
            ..inputs
        }
    }
}

/// "15 school-days" or "15 school days".
pub fn parse_limit(text: &str) -> AppResult<(i64, Unit)> {
    let (count, unit) = text.trim().split_once(' ').unwrap_or((text, ""));
    let Some(count) = count.parse::<i64>().ok().filter(|n| (1..=1000).contains(n)) else {
        return Err(AppError::Invalid(format!(
            "\"{}\" is not a time limit: give a number and a unit, such as \"15 school-days\".",
            text.trim()
        )));
    };
    Unit::parse(&unit.trim().replace(' ', "-"))
        .map(|unit| (count, unit))
        .map_err(|e| AppError::Invalid(e.to_string()))
}

pub fn school_limits(store: &impl CaseStore, case: &Case) -> AppResult<SchoolLimits> {
    let Some(text) = store.case_setting(case.id, SCHOOL_LIMITS)? else {
        return Ok(SchoolLimits::default());
    };
    let mut limits = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (rule, limit) = line.split_once('=').ok_or_else(|| {
            AppError::Invalid("The school's time limits kept for this case cannot be read.".into())
        })?;
        limits.insert(rule.trim().to_owned(), parse_limit(limit)?);
    }
    Ok(SchoolLimits(limits))
}

/// Sets (or with `None`, clears) the school's own figure for a rule its policy sets.
pub fn set_school_limit(
    store: &impl CaseStore,
    case: &Case,
    rule: &str,
    limit: Option<(i64, Unit)>,
) -> AppResult<()> {
    let pack = rule_pack(&case.jurisdiction)?;
    let found = pack
        .rule(rule)
        .map_err(|e| AppError::Invalid(e.to_string()))?;
    if found.set_by != "school-policy" {
        return Err(AppError::Invalid(format!(
            "{} is not set by the school's policy: its time limit cannot be changed here.",
            found.id
        )));
    }
    let mut limits = school_limits(store, case)?;
    match limit {
        Some(limit) => limits.0.insert(rule.to_owned(), limit),
        None => limits.0.remove(rule),
    };
    let text: String = limits
        .0
        .iter()
        .map(|(rule, (count, unit))| format!("{rule} = {count} {}\n", unit.slug()))
        .collect();
    Ok(store.set_case_setting(case.id, SCHOOL_LIMITS, &text)?)
}
