//! The EHC plan check: a plan's Sections A to K found and split into items
//! (`sections.rs`), each item checked against the plan checks in the rule pack
//! (`checks.rs` reads `rules/england/plan-checks.toml`; `findings.rs` applies them).
//! Every finding quotes the item, says why it matters and names its source.
//! `compare.rs` sets two versions of a plan side by side: what an amendment takes away.
//! Nothing leaves the family's machine.

mod checks;
mod compare;
mod findings;
mod sections;
mod working;

pub use checks::PlanChecks;
pub use compare::{Change, ItemChange};
pub use findings::{Finding, Kind};
pub use sections::Item;
pub use working::{Piece, Row, as_asked, working_rows};

use casebook_documents::read_document;
use serde::Serialize;
use thiserror::Error;

const TEXT_LIMIT: usize = 2 << 20;
const ITEM_LIMIT: usize = 2_000;

/// Why a plan could not be checked, in one sentence.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{0}")]
pub struct PlanError(pub String);

/// Whether the plan is a draft or the final plan: it changes what Section I should say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Draft,
    Final,
    /// As the plan's front page says ("draft" there makes it a draft).
    AsItSays,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    pub draft: bool,
    /// The sections found, in the plan's order.
    pub sections: Vec<char>,
    /// Sections A to K not found under any heading casebook knows.
    pub not_found: Vec<char>,
    pub items: Vec<Item>,
    pub findings: Vec<Finding>,
}

/// Reads the plan (PDF, Word or text) and checks it.
pub fn check_plan(
    name: &str,
    bytes: &[u8],
    stage: Stage,
    checks: &PlanChecks,
) -> Result<PlanReport, PlanError> {
    let plan = read_plan(name, bytes, checks)?;
    let draft = match stage {
        Stage::Draft => true,
        Stage::Final => false,
        Stage::AsItSays => casebook_documents::phrases::words(&plan.front)
            .iter()
            .any(|w| w == "draft"),
    };
    let findings = findings::check(&plan, checks, draft);
    let not_found = ('A'..='K').filter(|l| !plan.found.contains(l)).collect();
    Ok(PlanReport {
        draft,
        sections: plan.found,
        not_found,
        items: plan.items,
        findings,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanComparison {
    /// Every item removed, added or changed, section by section.
    pub changes: Vec<ItemChange>,
    /// How many items read the same in both.
    pub unchanged: usize,
}

/// What changed between two versions of a plan (each a PDF, Word or text file).
pub fn compare_plans(
    (old_name, old): (&str, &[u8]),
    (new_name, new): (&str, &[u8]),
    checks: &PlanChecks,
) -> Result<PlanComparison, PlanError> {
    let old = read_plan(old_name, old, checks)?;
    let new = read_plan(new_name, new, checks)?;
    let (changes, unchanged) = compare::compare(&old, &new, checks);
    Ok(PlanComparison { changes, unchanged })
}

fn read_plan(
    name: &str,
    bytes: &[u8],
    checks: &PlanChecks,
) -> Result<sections::ReadPlan, PlanError> {
    let document = read_document(name, bytes).map_err(|e| PlanError(e.0))?;
    // The checks compare items with items, so their work grows with the square of the
    // plan: bounded well above any real plan (60 pages are about 200 KB of text).
    if document.text().len() > TEXT_LIMIT {
        return Err(PlanError(format!(
            "{name} holds more text than any EHC plan (over 2 MB): is it the plan?"
        )));
    }
    let plan = sections::read_plan(&document, &checks.section);
    if plan.items.len() > ITEM_LIMIT {
        return Err(PlanError(format!(
            "{name} has more items than any EHC plan (over {ITEM_LIMIT}): is it the plan?"
        )));
    }
    if plan.found.is_empty() {
        return Err(PlanError(format!(
            "{name} has none of the headings of an EHC plan (such as \"Section F\" or \"Special educational provision\"): is it the plan?"
        )));
    }
    Ok(plan)
}
