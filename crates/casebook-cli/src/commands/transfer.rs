//! Export and import. Exports are written as a [`NewFile`], so a failure never leaves
//! half a file.

use crate::output::say;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};

use anyhow::{Result, bail};
use casebook_app::{
    Filter, check_signature, choose_case, import as import_case, read_jsonl, set_term_dates,
    signature_start, write_csv, write_ics, write_jsonl,
};
use casebook_store::CaseStore;
use serde_json::json;

use super::Context;
use super::new_file::write_atomically;
use crate::args::{ExportArgs, ExportFormat, ImportArgs};
use crate::open::{location, open_or_create};
use crate::output;

pub fn export(cx: &Context, args: &ExportArgs) -> Result<()> {
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let people = opened.store.people(file.case.id)?;
    let write = |out: &mut dyn Write| -> Result<()> {
        let mut out = BufWriter::new(out);
        match args.format {
            ExportFormat::Jsonl => {
                let report = file.verify()?;
                if let Some(failure) = report.failure {
                    bail!(
                        "The log fails verification, so it was not exported: {}",
                        failure.explain()
                    );
                }
                write_jsonl(
                    &mut out,
                    &file.case,
                    &people,
                    &file.entries()?,
                    file.blobs,
                    args.pseudonymise,
                    &file.signing_key()?,
                )?
            }
            ExportFormat::Csv => {
                let items = file.timeline(&Filter::default())?;
                write_csv(&mut out, &items, &people, args.real_names)?
            }
            ExportFormat::Ics => {
                let items = file.timeline(&Filter::default())?;
                write_ics(&mut out, &file.case, &items, file.clock.now())?
            }
        }
        Ok(out.flush()?)
    };
    match &args.out {
        None => write(&mut std::io::stdout().lock()),
        Some(path) => {
            write_atomically(path, write)?;
            if cx.cli.json {
                output::json(&json!({ "path": path, "case": file.case.slug }))
            } else {
                say!("Wrote {}.", path.display());
                Ok(())
            }
        }
    }
}

/// What one file to import turned out to hold.
enum Incoming {
    Case(Box<casebook_app::Export>),
    Terms(casebook_calendar::TermCalendar),
}

pub fn import(cx: &Context, args: &ImportArgs) -> Result<()> {
    if let Some(mailboxes) = super::mail::mailboxes(args)? {
        return super::mail::import(cx, args, mailboxes);
    }
    // Every file is read and checked before anything is written.
    let mut incoming = Vec::new();
    for path in &args.files {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        let kind = match (args.format.as_deref(), extension) {
            (Some(format), _) => format,
            (None, "ics") => "ics",
            (None, "jsonl") => "jsonl",
            _ => bail!(
                "casebook cannot tell what {} holds: it imports its own exports (.jsonl), term dates (.ics) and mail (mbox, Maildir, .eml); use --format to say which.",
                path.display()
            ),
        };
        let file = File::open(path)
            .map_err(|e| anyhow::anyhow!("{} cannot be opened: {e}.", path.display()))?;
        incoming.push(match kind {
            "jsonl" => {
                // The signature covers the whole file, so it is read whole; exports from
                // before signing carry none and are checked by their chain alone.
                let name = path.display().to_string();
                let mut bytes = Vec::new();
                BufReader::new(file)
                    .read_to_end(&mut bytes)
                    .map_err(|e| anyhow::anyhow!("{name} cannot be read: {e}."))?;
                let export = read_jsonl(&bytes[..], &name)?;
                if let Some(failure) = export.verify().failure {
                    bail!(
                        "{} fails verification, so nothing was imported: {}",
                        path.display(),
                        failure.explain()
                    );
                }
                // The chain explains most changes entry by entry; the signature also
                // covers what the chain does not, such as the case details.
                if signature_start(&bytes).is_some() {
                    check_signature(&bytes, &name)?;
                }
                Incoming::Case(Box::new(export))
            }
            _ => {
                let text = std::io::read_to_string(file)
                    .map_err(|_| anyhow::anyhow!("{} is not a text file.", path.display()))?;
                let terms = if kind == "ics" {
                    casebook_calendar::TermCalendar::from_ics(&text)
                } else {
                    casebook_calendar::TermCalendar::from_toml(&text)
                };
                Incoming::Terms(terms.map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?)
            }
        });
    }
    if args.slug.is_some()
        && incoming
            .iter()
            .filter(|i| matches!(i, Incoming::Case(_)))
            .count()
            > 1
    {
        bail!("--slug names one case: import the files one at a time.");
    }
    let wants_terms = incoming.iter().any(|i| matches!(i, Incoming::Terms(_)));
    let path = location(cx.cli.store.as_deref())?;
    let opened = if wants_terms {
        cx.open()?
    } else {
        open_or_create(&path)?
    };
    let case = if wants_terms {
        Some(choose_case(&opened.store, cx.cli.case_slug.as_deref())?)
    } else {
        None
    };
    let mut imported = Vec::new();
    for item in incoming {
        match item {
            Incoming::Case(export) => {
                let entries = export.entries.len();
                let case = import_case(&opened.store, &opened.blobs, *export, args.slug.clone())?;
                if !cx.cli.json {
                    say!(
                        "Imported case \"{}\" with {entries} entries; it verifies.",
                        case.slug
                    );
                }
                imported.push(json!({ "case": case.slug, "entries": entries }));
            }
            Incoming::Terms(terms) => {
                let Some(case) = &case else { continue };
                set_term_dates(&opened.store, case, &terms)?;
                let first = terms
                    .terms()
                    .first()
                    .map(|t| casebook_domain::uk_date(t.start))
                    .unwrap_or_default();
                let last = terms
                    .terms()
                    .last()
                    .map(|t| casebook_domain::uk_date(t.end))
                    .unwrap_or_default();
                if !cx.cli.json {
                    say!(
                        "Term dates for case \"{}\": {} terms and {} closures, {} to {}.",
                        case.slug,
                        terms.terms().len(),
                        terms.closures().len(),
                        first,
                        last
                    );
                }
                imported.push(json!({ "case": case.slug, "terms": terms.terms().len(), "closures": terms.closures().len() }));
            }
        }
    }
    if cx.cli.json {
        output::json(&imported)?;
    }
    Ok(())
}
