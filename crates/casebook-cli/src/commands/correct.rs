use crate::output::say;
use anyhow::{Result, bail};
use casebook_app::{EntryForm, NotWritten};
use casebook_domain::EntryId;
use serde_json::json;

use super::Context;
use super::log::refusal;
use crate::args::{AmendArgs, RedactArgs};
use crate::output;

/// A correction goes through the same form as a new entry, starting from the entry as
/// it reads now, so it is refused the way the web app refuses it.
pub fn amend(cx: &Context, args: &AmendArgs) -> Result<()> {
    let target: EntryId = args.id.parse()?;
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let mut asked = EntryForm::for_entry(&file, target)?;
    asked.summary = args.summary.clone();
    if let Some(details) = &args.details {
        asked.details = Some(details.clone());
    }
    if let Some(day) = &args.occurred {
        asked.when = day.clone();
    }
    asked.date_after_today_is_right = true;
    let record = match asked.correct(&file, target, &args.reason, &cx.cli.author) {
        Ok(written) => written.record,
        Err(NotWritten::Failed(e)) => return Err(e.into()),
        Err(NotWritten::Refused(problems)) => bail!("{}", refusal(&problems)),
    };
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
