//! `casebook plan check` and `casebook plan compare`: the EHC plan check and what an
//! amendment takes away, on files on this machine.

use std::path::Path;

use anyhow::{Result, bail};
use casebook_app::{DeadlineForm, SchoolLimits, calendar_for, rule_pack};
use casebook_letters::{Run, table_docx};
use casebook_plans::{
    Change, Kind, Piece, PlanChecks, Stage, check_plan, compare_plans, working_rows,
};
use serde_json::json;

use super::Context;
use crate::args::{PlanCheckArgs, PlanCompareArgs, PlanWorkingArgs};
use crate::output::{self, say};

/// No plan runs to more; a larger file is something else.
const PLAN_LIMIT: u64 = 50 << 20;

/// A plan's name and bytes, refused with a sentence if it cannot be read or is larger
/// than any plan.
fn read(path: &Path) -> Result<(String, Vec<u8>)> {
    let name = path.display().to_string();
    let size = std::fs::metadata(path)
        .map_err(|e| anyhow::anyhow!("{name} cannot be read: {e}."))?
        .len();
    if size > PLAN_LIMIT {
        bail!(
            "{name} is larger than any EHC plan ({} MB): is it the plan?",
            size >> 20
        );
    }
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("{name} cannot be read: {e}."))?;
    Ok((name, bytes))
}

pub fn check(cx: &Context, args: &PlanCheckArgs) -> Result<()> {
    let (name, bytes) = read(&args.file)?;
    let stage = match (args.draft, args.final_plan) {
        (true, _) => Stage::Draft,
        (_, true) => Stage::Final,
        _ => Stage::AsItSays,
    };
    let report = check_plan(&name, &bytes, stage, &PlanChecks::england()?)?;
    if let Some(path) = &args.html {
        let page = casebook_app::plan_report_html(&name, &report);
        super::new_file::write_atomically(path, |out| Ok(out.write_all(page.as_bytes())?))?;
    }
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
        say!("  {}", f.detail);
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

pub fn compare(cx: &Context, args: &PlanCompareArgs) -> Result<()> {
    let (old_name, old) = read(&args.old)?;
    let (new_name, new) = read(&args.new)?;
    // The clock is worked out first, so a mistyped date is refused before any output.
    let clock = match &args.served {
        Some(served) => {
            let pack = rule_pack("england")?;
            let asked = DeadlineForm {
                rule: "annual-review-amendment-comments".into(),
                from: served.clone(),
                ..DeadlineForm::default()
            };
            let worked = asked
                .work_out(&pack, &calendar_for(&pack, None), &SchoolLimits::default())
                .map_err(|refused| {
                    anyhow::anyhow!(
                        "{} (the date given with --served).",
                        refused.sentence.trim_end_matches('.')
                    )
                })?;
            Some(worked)
        }
        None => None,
    };
    let compared = compare_plans(
        (&old_name, &old),
        (&new_name, &new),
        &PlanChecks::england()?,
    )?;
    if cx.cli.json {
        return output::json(&json!({ "comparison": compared, "comments_due": clock }));
    }
    say!("{new_name} against {old_name}:");
    for change in Change::all() {
        let of_kind: Vec<_> = compared
            .changes
            .iter()
            .filter(|c| c.change == change)
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        say!("\n{} ({}):", change.name(), of_kind.len());
        for c in of_kind {
            let place = match (c.old_item, c.new_item) {
                (0, n) => format!("Section {}, new item {n}", c.section),
                (o, _) => format!("Section {}, item {o}", c.section),
            };
            say!("  {place}");
            match (&c.before, &c.after) {
                (Some(before), Some(after)) => {
                    say!("    was: \"{before}\"");
                    say!("    now: \"{after}\"");
                }
                (Some(only), None) | (None, Some(only)) => say!("    \"{only}\""),
                (None, None) => {}
            }
            for detail in &c.details {
                say!("    - {detail}");
            }
        }
    }
    say!("\nUnchanged: {} items.", compared.unchanged);
    if let Some(d) = clock {
        say!(
            "\nYour comments on the proposed amendments: by {} ({}: {}{}).",
            d.due_text,
            d.source,
            d.limit,
            if d.verify { " [verify]" } else { "" }
        );
    }
    Ok(())
}

/// A tribunal appeal is about the final plan, so Section I is read as a final plan's.
/// With a case file, each report the evidence names is given its exhibit number.
pub fn working_document(cx: &Context, args: &PlanWorkingArgs) -> Result<()> {
    let (name, bytes) = read(&args.file)?;
    let checks = PlanChecks::england()?;
    let report = check_plan(&name, &bytes, Stage::Final, &checks)?;
    let mut rows = working_rows(&report, &checks);
    if crate::open::location(cx.cli.store.as_deref())?.exists() {
        let opened = cx.open()?;
        let file = cx.case_file(&opened)?;
        for row in &mut rows {
            let mut evidence = Vec::new();
            for advice in row.evidence.split("; ").filter(|a| !a.is_empty()) {
                evidence.push(match file.exhibit_of_advice(advice)? {
                    Some(exhibit) => {
                        format!("{advice}: exhibit {exhibit} in a bundle of the whole case")
                    }
                    None => advice.to_owned(),
                });
            }
            row.evidence = evidence.join("; ");
        }
    }
    if rows.is_empty() {
        bail!(
            "The check found nothing to question in {name}, so there is no working document to draft."
        );
    }
    let plain = |text: &str| Run {
        text: text.to_owned(),
        bold: false,
        struck: false,
    };
    let cells: Vec<Vec<Vec<Run>>> = rows
        .iter()
        .map(|row| {
            let family = row
                .family
                .iter()
                .map(|piece| match piece {
                    Piece::Kept(text) => plain(text),
                    Piece::Deleted(text) => Run {
                        struck: true,
                        ..plain(text)
                    },
                    Piece::Added(text) => Run {
                        bold: true,
                        ..plain(text)
                    },
                })
                .collect();
            vec![
                vec![plain(&row.place)],
                vec![plain(&row.council)],
                family,
                vec![plain(&row.reason)],
                vec![plain(&row.evidence)],
            ]
        })
        .collect();
    let docx = table_docx(
        "Working document",
        &[
            format!("The plan: {name}."),
            "Your wording: words struck through are to be deleted, words in bold are to be added, and words in square brackets are for you to complete. Exhibit numbers are those of a bundle of the whole case: check them against the bundle you send, and add your other evidence.".to_owned(),
        ],
        &[
            "Section and item",
            "The council's wording",
            "Your wording",
            "Reason",
            "Evidence",
        ],
        &cells,
    )?;
    super::new_file::write_atomically(&args.out, |out| Ok(out.write_all(&docx)?))?;
    say!(
        "Wrote the working document for {} items to {}.",
        rows.len(),
        args.out.display()
    );
    Ok(())
}
