use crate::output::say;
use anyhow::Result;
use casebook_app::Clock;
use casebook_app::{Item, rule_pack};
use casebook_domain::uk_date;

use super::Context;
use crate::output;

pub fn next(cx: &Context) -> Result<()> {
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let today = cx.clock.today();
    let next = file.what_to_do_now()?;
    let pack = rule_pack(&file.case.jurisdiction)?;
    if cx.cli.json {
        return output::json(&next);
    }
    say!(
        "What to do now for {} at {} ({}):",
        file.case.child.name,
        file.case.setting.name,
        uk_date(today)
    );
    let section = |title: &str, items: &[Item]| {
        if items.is_empty() {
            return;
        }
        say!("\n{title}");
        for item in items {
            let letter = item
                .letter
                .as_deref()
                .map(|l| format!(" Letter: {l}."))
                .unwrap_or_default();
            say!(
                "  {:<5} {}\n        {}{letter}",
                item.entry.to_string(),
                item.summary,
                item.what
            );
        }
    };
    if !next.suggestions.is_empty() {
        say!("\nFound in your mail and letters (nothing is logged until you accept it)");
        for s in &next.suggestions {
            super::recognise::print_suggestion(s);
        }
    }
    section("Late", &next.late);
    section("Due soon", &next.due);
    section("Confirm in writing", &next.confirm);
    section("Asked for and still waiting", &next.waiting);
    if !next.steps.is_empty() {
        say!("\nSteps open now");
        for step in &next.steps {
            let verify = if step.verify { " [verify]" } else { "" };
            let letter = step
                .letter
                .as_deref()
                .map(|l| format!(" Letter: {l}."))
                .unwrap_or_default();
            let by = step
                .due_text
                .as_ref()
                .map(|due| format!("\n    By: {due}"))
                .unwrap_or_default();
            let entry = step.entry.map(|e| format!(" ({e})")).unwrap_or_default();
            say!(
                "  - {} ({}){by}\n    Why: {}{entry}\n    Source: {}{verify}.{letter}",
                step.what,
                step.rule,
                step.why,
                step.source
            );
            for line in &step.counted {
                say!("      {line}");
            }
        }
    }
    if next.suggestions.is_empty()
        && next.late.is_empty()
        && next.due.is_empty()
        && next.confirm.is_empty()
        && next.waiting.is_empty()
        && next.steps.is_empty()
    {
        say!("\nNothing is due or late.");
    }
    if !pack.advice.is_empty() {
        say!("\nFree independent advice (casebook gives information, not legal advice):");
        for advice in &pack.advice {
            say!("  {}: {}", advice.name, advice.what);
        }
    }
    Ok(())
}
