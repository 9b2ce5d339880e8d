//! The family's name and address, as their letters are signed: a setting of the case,
//! not evidence, so it can be changed at any time.

use casebook_domain::{Case, check_short_text};
use casebook_store::CaseStore;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};

const FAMILY: &str = "family";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Family {
    pub name: String,
    /// One line a line of the address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// The family's details, when they have given them.
pub fn family(store: &impl CaseStore, case: &Case) -> AppResult<Option<Family>> {
    match store.case_setting(case.id, FAMILY)? {
        Some(json) => serde_json::from_str(&json).map(Some).map_err(|_| {
            AppError::Invalid(
                "The family's name and address in this case cannot be read: set them again.".into(),
            )
        }),
        None => Ok(None),
    }
}

/// Sets the family's details: a name, and an address whose lines may be given with
/// commas or line breaks.
pub fn set_family(
    store: &impl CaseStore,
    case: &Case,
    name: &str,
    address: &str,
) -> AppResult<Family> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::Invalid(
            "Give the name your letters are signed with.".into(),
        ));
    }
    check_short_text("name", name)?;
    let lines: Vec<&str> = address
        .split([',', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    for line in &lines {
        check_short_text("address", line)?;
    }
    let family = Family {
        name: name.to_owned(),
        address: (!lines.is_empty()).then(|| lines.join("\n")),
    };
    let json = serde_json::to_string(&family)
        .map_err(|e| AppError::Invalid(format!("The details cannot be saved: {e}.")))?;
    store.set_case_setting(case.id, FAMILY, &json)?;
    Ok(family)
}
