use crate::output::say;
use anyhow::Result;
use casebook_app::Suggested;
use casebook_domain::EntryId;
use serde_json::json;

use super::Context;
use crate::args::{RecogniseAction, RecogniseArgs};
use crate::output;

/// Lists what was found in the whole log, or logs or dismisses one suggestion.
pub fn recognise(cx: &Context, args: &RecogniseArgs) -> Result<()> {
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let (accept, chosen) = match &args.action {
        None => {
            let found = file.suggestions(None)?;
            if cx.cli.json {
                return output::json(&found);
            }
            if found.is_empty() {
                say!(
                    "casebook found no decision waiting to be logged in this case's mail and letters."
                );
            }
            for s in &found {
                print_suggestion(s);
            }
            return Ok(());
        }
        Some(RecogniseAction::Accept(chosen)) => (true, chosen),
        Some(RecogniseAction::Dismiss(chosen)) => (false, chosen),
    };
    let message: EntryId = chosen.entry.parse()?;
    let kind = chosen.kind.as_deref().unwrap_or("");
    let record = if accept {
        file.accept_suggestion(message, kind, &cx.cli.author)?
    } else {
        file.dismiss_suggestion(message, kind, &cx.cli.author)?
    };
    if cx.cli.json {
        return output::json(&json!({ "id": record.id(), "about": message, "hash": record.hash }));
    }
    say!("{}", record.id());
    Ok(())
}

/// One suggestion as `casebook recognise` and `casebook next` show it.
pub fn print_suggestion(s: &Suggested) {
    say!(
        "  {:<5} {}: {}\n        \"{}\"\n        Found in {} of {} (\"{}\"); dated by {}.",
        s.message.to_string(),
        s.when,
        s.label,
        s.quote,
        s.found_in,
        s.received,
        s.message_summary,
        s.dated
    );
    for step in &s.starts {
        let by = step
            .due_text
            .as_ref()
            .map(|d| format!(" By {d}."))
            .unwrap_or_default();
        say!("        Then: {}{by}", step.what);
    }
    say!(
        "        Log it: casebook recognise accept {} {}",
        s.message,
        s.kind
    );
}
