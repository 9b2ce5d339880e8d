//! Recording a request the family sent, with its reply date worked out from the rules:
//! one use case for the command line and the web app.

use casebook_domain::{CaseDate, Facts, Occurred, PersonId, facts};
use casebook_rules::{Deadline, Inputs, compute};
use casebook_store::{BlobStore, CaseStore};
use jiff::civil::Date;

use crate::error::{AppError, AppResult};
use crate::record::{CaseFile, NewEntry};
use crate::{calendar_for, rule_pack, school_limits, term_dates};

/// A request as the family describes it.
#[derive(Debug, Clone)]
pub struct NewRequest {
    /// The rule pack's id for the deadline ("subject-access").
    pub rule: String,
    pub sent: Date,
    pub to: PersonId,
    /// Defaults to "<procedure> sent to <name>".
    pub summary: Option<String>,
    pub inputs: Inputs,
    pub author: String,
}

impl<S: CaseStore, B: BlobStore> CaseFile<'_, S, B> {
    /// Logs the request with its due date and how it was counted.
    pub fn record_request(
        &self,
        new: NewRequest,
    ) -> AppResult<(casebook_domain::Record, Deadline)> {
        let people = self.store.people(self.case.id)?;
        let to = people.iter().find(|p| p.id == new.to).ok_or_else(|| {
            AppError::Invalid(format!("There is no person {} in this case.", new.to))
        })?;
        let pack = rule_pack(&self.case.jurisdiction)?;
        let calendar = calendar_for(&pack, term_dates(self.store, &self.case)?);
        let inputs = school_limits(self.store, &self.case)?.apply(
            &new.rule,
            Inputs {
                from: Some(new.sent),
                ..new.inputs
            },
        );
        let deadline = compute(&pack, &calendar, &new.rule, &inputs)
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        let summary = new
            .summary
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| format!("{} sent to {}", deadline.procedure, to.name));
        let record = self.log(NewEntry {
            occurred: Occurred::on(new.sent)?,
            author: new.author,
            summary,
            details: Some(deadline.explanation.join("\n")),
            sources: vec![],
            facts: Facts::Request(facts::Request {
                to: Some(to.id),
                rule: Some(deadline.rule.clone()),
                due: Some(CaseDate::new(deadline.due)?),
            }),
            links: vec![],
            attachments: vec![],
        })?;
        Ok((record, deadline))
    }
}
