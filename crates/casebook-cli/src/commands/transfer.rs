//! Export and import. Exports are written to a temporary file beside the target and
//! renamed into place, so a failure never leaves half a file.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;

use anyhow::{Result, bail};
use casebook_app::{Filter, import as import_case, read_jsonl, write_csv, write_jsonl};
use casebook_store::CaseStore;
use serde_json::json;

use super::Context;
use crate::args::{ExportArgs, ExportFormat, ImportArgs};
use crate::open::{open_or_create, store_path};
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
                )?
            }
            ExportFormat::Csv => {
                let items = file.timeline(&Filter::default())?;
                write_csv(&mut out, &items, &people, args.real_names)?
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
                println!("Wrote {}.", path.display());
                Ok(())
            }
        }
    }
}

fn write_atomically(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| anyhow::anyhow!("{} cannot be written: {e}.", path.display()))?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .map_err(|e| anyhow::anyhow!("{} cannot be written: {}.", path.display(), e.error))?;
    Ok(())
}

pub fn import(cx: &Context, args: &ImportArgs) -> Result<()> {
    // Every file is read and verified before anything is written.
    let mut exports = Vec::new();
    for path in &args.files {
        let is_jsonl = args.format.is_some() || path.extension().is_some_and(|e| e == "jsonl");
        if !is_jsonl {
            bail!(
                "{} is not a casebook JSON Lines export (.jsonl): this casebook imports only its own exports.",
                path.display()
            );
        }
        let file = File::open(path)
            .map_err(|e| anyhow::anyhow!("{} cannot be opened: {e}.", path.display()))?;
        let export = read_jsonl(BufReader::new(file), &path.display().to_string())?;
        if let Some(failure) = export.verify().failure {
            bail!(
                "{} fails verification, so nothing was imported: {}",
                path.display(),
                failure.explain()
            );
        }
        exports.push(export);
    }
    if args.slug.is_some() && exports.len() > 1 {
        bail!("--slug names one case: import the files one at a time.");
    }
    let opened = open_or_create(&store_path(cx.cli.store.as_deref())?)?;
    let mut imported = Vec::new();
    for export in exports {
        let entries = export.entries.len();
        let case = import_case(&opened.store, &opened.blobs, export, args.slug.clone())?;
        imported.push(json!({ "case": case.slug, "entries": entries }));
        if !cx.cli.json {
            println!(
                "Imported case \"{}\" with {entries} entries; it verifies.",
                case.slug
            );
        }
    }
    if cx.cli.json {
        output::json(&imported)?;
    }
    Ok(())
}
