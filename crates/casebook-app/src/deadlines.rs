//! A case's calendar (its nation's bank holidays and the setting's term dates) and the
//! deadlines the case's rule pack gives.

use casebook_calendar::{Calendar, TermCalendar};
use casebook_domain::Case;
use casebook_rules::{Pack, builtin_pack};
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
