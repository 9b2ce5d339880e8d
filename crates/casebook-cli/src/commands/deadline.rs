use crate::output::say;
use std::path::Path;

use anyhow::{Result, bail};
use casebook_app::{
    DeadlineForm, DeadlineRefused, SchoolLimits, calendar_for, choose_case, rule_pack,
    school_limits, term_dates,
};
use casebook_calendar::TermCalendar;
use casebook_domain::Case;
use casebook_rules::{Deadline, Input, Pack, RuleKind};

use super::Context;
use crate::args::DeadlineArgs;
use crate::open::location;
use crate::output;

pub fn deadline(cx: &Context, args: &DeadlineArgs) -> Result<()> {
    let given_terms = args.terms.as_deref().map(read_terms).transpose()?;
    // A case gives the jurisdiction and the term dates; none is needed to ask.
    let case = open_case(cx)?;
    let jurisdiction = args
        .jurisdiction
        .clone()
        .or_else(|| case.as_ref().map(|(c, _, _)| c.jurisdiction.clone()))
        .unwrap_or_else(|| "england".into());
    let pack = rule_pack(&jurisdiction)?;
    if args.list {
        return list(cx, &pack);
    }
    let Some(rule) = &args.rule else {
        bail!(
            "Name a rule (see `casebook deadline --list`), for example: casebook deadline subject-access --from 2026-03-02"
        );
    };
    let (terms, limits) = match case {
        Some((_, terms, limits)) => (given_terms.or(terms), limits),
        None => (given_terms, SchoolLimits::default()),
    };
    let asked = DeadlineForm {
        rule: rule.clone(),
        from: args.from.clone().unwrap_or_default(),
        certificate: args.certificate.clone().unwrap_or_default(),
        posted: args.posted,
        limit: args.limit.clone().unwrap_or_default(),
    };
    let deadline = match asked.work_out(&pack, &calendar_for(&pack, terms), &limits) {
        Ok(deadline) => deadline,
        Err(refused) => bail!("{}", with_flag(&refused)),
    };
    if cx.cli.json {
        return output::json(&deadline);
    }
    print(&deadline);
    Ok(())
}

/// The shared sentence, and the flag that changes it.
fn with_flag(refused: &DeadlineRefused) -> String {
    let hint = match refused.input {
        Input::Rule => "see `casebook deadline --list`",
        Input::From => "give it with --from DATE",
        Input::Certificate => "given with --certificate",
        Input::Posted => "given with --posted",
        Input::Limit => "given with --limit",
    };
    let sentence = refused.sentence.trim_end_matches('.');
    format!("{sentence} ({hint}).")
}

/// The case's term dates and the school's own time limits, when there is a case.
fn open_case(cx: &Context) -> Result<Option<(Case, Option<TermCalendar>, SchoolLimits)>> {
    let path = location(cx.cli.store.as_deref())?;
    if !path.exists() {
        return Ok(None);
    }
    let opened = cx.open()?;
    let case = match choose_case(&opened.store, cx.cli.case_slug.as_deref()) {
        Ok(case) => case,
        // Several cases and none named, or none yet: count without one.
        Err(_) if cx.cli.case_slug.is_none() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let terms = term_dates(&opened.store, &case)?;
    let limits = school_limits(&opened.store, &case)?;
    Ok(Some((case, terms, limits)))
}

fn read_terms(path: &Path) -> Result<TermCalendar> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("{} cannot be read: {e}.", path.display()))?;
    let parsed = if text.contains("BEGIN:VCALENDAR") || path.extension().is_some_and(|e| e == "ics")
    {
        TermCalendar::from_ics(&text)
    } else {
        TermCalendar::from_toml(&text)
    };
    parsed.map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

fn list(cx: &Context, pack: &Pack) -> Result<()> {
    if cx.cli.json {
        return output::json(&pack.rules);
    }
    say!(
        "The {} rule pack. Each limit with its source; [verify] marks a figure not yet confirmed against the primary text.\n",
        pack.name
    );
    let mut procedure = "";
    for rule in &pack.rules {
        if rule.procedure != procedure {
            procedure = &rule.procedure;
            say!("{procedure}");
        }
        let limit = if rule.kind == RuleKind::Step {
            "next step".to_owned()
        } else {
            rule.limit_text()
        };
        let verify = if rule.verify { " [verify]" } else { "" };
        say!("  {:<38} {limit}: {}{verify}", rule.id, rule.source);
    }
    Ok(())
}

fn print(d: &Deadline) {
    say!(
        "{}: {}{}",
        d.rule,
        d.due_text,
        if d.estimate { " (estimate)" } else { "" }
    );
    say!("{} ({}): {}", d.procedure, d.actor, d.step);
    say!("Limit: {}.", d.limit);
    say!("How it was counted:");
    for line in &d.explanation {
        say!("  - {line}");
    }
    if let Some(url) = &d.source_url {
        say!("Read the source: {url}");
    }
    if let Some(letter) = &d.letter {
        say!("Letter: {letter}");
    }
}
