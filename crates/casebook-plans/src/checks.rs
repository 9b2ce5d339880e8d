//! The plan checks as the rule pack writes them (`rules/england/plan-checks.toml`).

use serde::Deserialize;

use crate::PlanError;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanChecks {
    pub section: Vec<SectionTitles>,
    pub hedges: Hedges,
    pub quantities: Quantities,
    pub needs: Needs,
    pub outcomes: Outcomes,
    pub advice: Advice,
    pub misplaced: Misplaced,
    pub placement: Placement,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionTitles {
    pub letter: char,
    pub titles: Vec<String>,
}

/// Why a kind of finding matters, and where that is written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hedges {
    pub why: String,
    pub source: String,
    #[serde(default)]
    pub verify: bool,
    pub phrase: Vec<Hedge>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hedge {
    pub words: String,
    #[serde(default)]
    pub unless_before: Vec<String>,
    #[serde(default)]
    pub unless_after: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quantities {
    pub why: String,
    pub source: String,
    #[serde(default)]
    pub verify: bool,
    pub provision: Vec<String>,
    pub needed: Vec<Quantity>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quantity {
    pub name: String,
    pub cues: Vec<String>,
    /// In `plan compare`, each of these words an item loses is named.
    #[serde(default)]
    pub compare_each: bool,
    #[serde(default)]
    pub only_for: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Needs {
    pub why: String,
    pub source: String,
    #[serde(default)]
    pub verify: bool,
    pub covered: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcomes {
    pub why: String,
    pub source: String,
    #[serde(default)]
    pub verify: bool,
    pub measures: Vec<String>,
    pub timescales: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advice {
    pub why: String,
    pub source: String,
    #[serde(default)]
    pub verify: bool,
    pub recommends: Vec<String>,
    pub found: f64,
    pub ignore: Vec<String>,
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Misplaced {
    pub why: String,
    pub source: String,
    #[serde(default)]
    pub verify: bool,
    pub educational: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    pub why_draft: String,
    pub source_draft: String,
    #[serde(default)]
    pub verify_draft: bool,
    pub why_final: String,
    pub source_final: String,
    #[serde(default)]
    pub verify_final: bool,
    pub blank: Vec<String>,
}

impl PlanChecks {
    /// England's checks, built into casebook.
    pub fn england() -> Result<PlanChecks, PlanError> {
        Self::from_toml(include_str!("../../../rules/england/plan-checks.toml"))
    }

    /// Checks from the text of a plan-checks file.
    fn from_toml(text: &str) -> Result<PlanChecks, PlanError> {
        toml::from_str(text).map_err(|e| {
            PlanError(format!(
                "The plan checks cannot be read: {}",
                e.message().trim_end_matches('.')
            ))
        })
    }
}
