use crate::output::say;
use anyhow::Result;
use casebook_app::{NewRequest, find_person};
use casebook_domain::parse_date;
use casebook_rules::Inputs;
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
    let (record, deadline) = file.record_request(NewRequest {
        rule: args.rule.clone(),
        sent,
        to: to.id,
        summary: args.summary.clone(),
        inputs: Inputs {
            posted: args.posted,
            limit: args
                .limit
                .as_deref()
                .map(casebook_app::parse_limit)
                .transpose()?,
            ..Inputs::default()
        },
        author: cx.cli.author.clone(),
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
