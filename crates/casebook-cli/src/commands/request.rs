use crate::output::say;
use anyhow::Result;
use casebook_app::{NewEntry, calendar_for, find_person, rule_pack, term_dates};
use casebook_domain::{Facts, Occurred, facts, parse_date};
use casebook_rules::{Inputs, compute};
use casebook_store::CaseStore;
use serde_json::json;

use super::Context;
use crate::args::RequestArgs;
use crate::output;

/// Logs the request with the due date the rule gives, and how it was counted.
pub fn request(cx: &Context, args: &RequestArgs) -> Result<()> {
    let sent = parse_date(&args.sent)?;
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let people = opened.store.people(file.case.id)?;
    let to = find_person(&people, &args.to)?;
    let pack = rule_pack(&file.case.jurisdiction)?;
    let calendar = calendar_for(&pack, term_dates(&opened.store, &file.case)?);
    let inputs = Inputs {
        from: Some(sent),
        posted: args.posted,
        limit: args
            .limit
            .as_deref()
            .map(super::deadline::parse_limit)
            .transpose()?,
        ..Inputs::default()
    };
    let deadline = compute(&pack, &calendar, &args.rule, &inputs)?;
    let summary = args
        .summary
        .clone()
        .unwrap_or_else(|| format!("{} sent to {}", deadline.procedure, to.name));
    let record = file.log(NewEntry {
        occurred: Occurred::Day(sent),
        author: cx.cli.author.clone(),
        summary,
        details: Some(deadline.explanation.join("\n")),
        sources: vec![],
        facts: Facts::Request(facts::Request {
            to: Some(to.id),
            rule: Some(deadline.rule.clone()),
            due: Some(deadline.due),
        }),
        links: vec![],
        attachments: vec![],
    })?;
    if cx.cli.json {
        return output::json(
            &json!({ "id": record.id(), "due": deadline.due, "rule": deadline.rule, "estimate": deadline.estimate }),
        );
    }
    say!(
        "{}: the reply is due on {}{}. Limit: {}. Source: {}.",
        record.id(),
        deadline.due_text,
        if deadline.estimate {
            " (an estimate)"
        } else {
            ""
        },
        deadline.limit,
        deadline.source
    );
    Ok(())
}
