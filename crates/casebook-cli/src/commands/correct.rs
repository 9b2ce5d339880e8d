use crate::output::say;
use anyhow::Result;
use casebook_app::{Clock, Correction};
use casebook_domain::{EntryId, Occurred};
use serde_json::json;

use super::Context;
use crate::args::{AmendArgs, RedactArgs};
use crate::output;

pub fn amend(cx: &Context, args: &AmendArgs) -> Result<()> {
    let target: EntryId = args.id.parse()?;
    let occurred = args
        .occurred
        .as_deref()
        .map(|d| Occurred::parse_near(d, cx.clock.today()))
        .transpose()?;
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let record = file.amend(
        target,
        Correction {
            summary: args.summary.clone(),
            reason: args.reason.clone(),
            occurred,
            details: args.details.clone(),
            facts: None,
        },
        &cx.cli.author,
    )?;
    if cx.cli.json {
        return output::json(&json!({ "id": record.id(), "amends": target, "hash": record.hash }));
    }
    say!("{}", record.id());
    Ok(())
}

pub fn redact(cx: &Context, args: &RedactArgs) -> Result<()> {
    let target: EntryId = args.id.parse()?;
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let record = file.redact(target, args.reason.clone(), &cx.cli.author)?;
    if cx.cli.json {
        return output::json(&json!({ "id": record.id(), "redacts": target, "hash": record.hash }));
    }
    say!("{}", record.id());
    Ok(())
}
