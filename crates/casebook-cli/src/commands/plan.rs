//! `casebook plan check`: the EHC plan check on a file, on this machine.

use anyhow::{Result, bail};
use casebook_plans::{Kind, PlanChecks, Stage, check_plan};

use super::Context;
use crate::args::PlanCheckArgs;
use crate::output::{self, say};

/// No plan runs to more; a larger file is something else.
const PLAN_LIMIT: u64 = 50 << 20;

pub fn check(cx: &Context, args: &PlanCheckArgs) -> Result<()> {
    let name = args.file.display().to_string();
    let size = std::fs::metadata(&args.file)
        .map_err(|e| anyhow::anyhow!("{name} cannot be read: {e}."))?
        .len();
    if size > PLAN_LIMIT {
        bail!(
            "{name} is larger than any EHC plan ({} MB): is it the plan?",
            size >> 20
        );
    }
    let bytes =
        std::fs::read(&args.file).map_err(|e| anyhow::anyhow!("{name} cannot be read: {e}."))?;
    let stage = match (args.draft, args.final_plan) {
        (true, _) => Stage::Draft,
        (_, true) => Stage::Final,
        _ => Stage::AsItSays,
    };
    let report = check_plan(&name, &bytes, stage, &PlanChecks::england()?)?;
    if cx.cli.json {
        return output::json(&report);
    }
    let list = |letters: &[char]| {
        letters
            .iter()
            .map(char::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    say!(
        "EHC plan check of {name} ({}).",
        if report.draft {
            "a draft plan"
        } else {
            "the final plan"
        }
    );
    say!("Sections found: {}.", list(&report.sections));
    if !report.not_found.is_empty() {
        say!(
            "Not found under a heading casebook knows: {}. Findings about them may be missing.",
            list(&report.not_found)
        );
    }
    for f in &report.findings {
        let place = match f.item {
            0 => format!("Section {}", f.section),
            n => format!("Section {}, item {n}", f.section),
        };
        say!("\n{place}: {}", f.kind.name());
        if !f.quote.is_empty() {
            say!("  \"{}\"", f.quote);
        }
        say!("  {}", capitalised(&f.detail));
        say!("  Why: {}", f.why);
        say!(
            "  Source: {}{}",
            f.source,
            if f.verify { " [verify]" } else { "" }
        );
    }
    if report.findings.is_empty() {
        say!("\nNothing found to question.");
    } else {
        let counts: Vec<String> = Kind::all()
            .into_iter()
            .filter_map(|kind| {
                let n = report.findings.iter().filter(|f| f.kind == kind).count();
                (n > 0).then(|| format!("{n} {}", kind.name()))
            })
            .collect();
        say!(
            "\n{} findings: {}.",
            report.findings.len(),
            counts.join(", ")
        );
        say!(
            "[verify] marks a source not yet checked against the published text. These are checks an adviser would make, not legal advice."
        );
    }
    Ok(())
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
