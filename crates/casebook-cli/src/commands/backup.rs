//! `casebook backup` and `casebook restore`: a copy of every case in the store, taken
//! while casebook may be writing to it, that proves itself when it is restored.
//!
//! A backup is itself a casebook store: the file, and its attachments folder beside it
//! (`FILE.attachments`), encrypted with the store's own passphrase when the store is.
//! Each case is copied as `casebook migrate` copies it (the log exactly as it was sealed,
//! its people, settings, files and who may open it), from one read of its log, and
//! verified where it lands; restoring copies it back the same way into a new store and
//! verifies it there.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use casebook_app::{Moved, copy_accounts, migrate_case};
use casebook_blobs::LocalBlobs;
use casebook_store::CaseStore;

use super::Context;
use crate::args::{BackupArgs, RestoreArgs};
use crate::open::{Location, Opened, create_file, location, open_existing};
use crate::output::say;

pub fn backup(cx: &Context, args: &BackupArgs) -> Result<()> {
    let out = &args.out;
    refuse_existing(out, "name a new file, so no backup is written over")?;
    let mut from = cx.open()?;
    if from.store.cases()?.is_empty() {
        bail!("There is no case in this store to back up.");
    }
    // An organisation's database has no passphrase of its own, and its backup leaves
    // the server as a file: it is encrypted with one given for it.
    if let Location::Postgres(_) = location(cx.cli.store.as_deref())? {
        match std::env::var("CASEBOOK_PASSPHRASE") {
            Ok(secret) if secret.chars().count() >= 8 => from.secret = Some(secret),
            _ => bail!(
                "A backup of an organisation's database holds every case it keeps: set CASEBOOK_PASSPHRASE (8 characters or more) to encrypt it."
            ),
        }
    }
    // Written under a name of its own, then renamed into place: a backup cut short is
    // never taken for one.
    let partial = partial_name(out);
    let moved = match copy_all(cx, &from, &partial) {
        Ok(moved) => moved,
        Err(e) => {
            remove_store(&partial);
            return Err(e);
        }
    };
    put_in_place(&partial, out)?;
    say!(
        "Backed up {} to {}{}; each case verifies there. Keep it with its folder {}, and restore it with: casebook --store NEW.db restore {}",
        counted(&moved),
        out.display(),
        if from.secret.is_some() {
            ", encrypted with its passphrase"
        } else {
            ", not encrypted, as this store is not"
        },
        LocalBlobs::beside(out).display(),
        out.display()
    );
    Ok(())
}

pub fn restore(cx: &Context, args: &RestoreArgs) -> Result<()> {
    if !args.backup.is_file() {
        bail!("There is no backup at {}.", args.backup.display());
    }
    let target = location(cx.cli.store.as_deref())?;
    let from = open_existing(&Location::File(args.backup.clone()))?;
    if from.store.cases()?.is_empty() {
        bail!("{} holds no case to restore.", args.backup.display());
    }
    let moved = match &target {
        Location::File(path) => {
            refuse_existing(
                path,
                "restoring makes a new store, so name one that does not exist yet with --store",
            )?;
            let partial = partial_name(path);
            match copy_all(cx, &from, &partial) {
                Ok(moved) => {
                    put_in_place(&partial, path)?;
                    moved
                }
                Err(e) => {
                    remove_store(&partial);
                    return Err(e);
                }
            }
        }
        // A database: each case lands whole or not at all, and one already there is
        // refused before anything is written.
        Location::Postgres(_) => {
            let to = open_existing(&target)?;
            copy_cases(cx, &from, &to)?
        }
    };
    say!(
        "Restored {} into {target}: every case's log verifies there, with its attached files.",
        counted(&moved)
    );
    Ok(())
}

/// A new store at `path`, encrypted as `from` is, holding every case of `from`.
fn copy_all(cx: &Context, from: &Opened, path: &Path) -> Result<Vec<Moved>> {
    let to = create_file(path, from.secret.as_deref())?;
    copy_cases(cx, from, &to)
}

fn copy_cases(cx: &Context, from: &Opened, to: &Opened) -> Result<Vec<Moved>> {
    let there = to.store.cases()?;
    let cases = from.store.cases()?;
    if let Some(taken) = cases
        .iter()
        .find(|c| there.iter().any(|t| t.id == c.id || t.slug == c.slug))
    {
        bail!(
            "The store restored into already holds a case called \"{}\", so nothing was restored.",
            taken.slug
        );
    }
    let mut moved = Vec::new();
    for case in &cases {
        moved.push(migrate_case(
            (&from.store, &from.blobs),
            (&to.store, &to.blobs),
            &cx.clock,
            case,
        )?);
    }
    // Accounts with no case yet: those with one came with it.
    copy_accounts(&from.store, &to.store)?;
    Ok(moved)
}

fn refuse_existing(path: &Path, what_to_do: &str) -> Result<()> {
    if path.exists() || LocalBlobs::beside(path).exists() {
        bail!("{} already exists: {what_to_do}.", path.display());
    }
    Ok(())
}

/// The name a store has while it is written: beside the final one, naming the process.
fn partial_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "backup".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

/// Gives a finished store its name: its attachments folder (when it has files) first,
/// then the file, so the file is never there without its files.
fn put_in_place(partial: &Path, path: &Path) -> Result<()> {
    let files = LocalBlobs::beside(partial);
    if files.exists() {
        std::fs::rename(files, LocalBlobs::beside(path))?;
    }
    std::fs::rename(partial, path)?;
    Ok(())
}

/// A store that was being written and is not wanted: the file, its journal and its
/// attachments folder.
fn remove_store(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let _ = std::fs::remove_dir_all(LocalBlobs::beside(path));
}

fn counted(moved: &[Moved]) -> String {
    let entries: usize = moved.iter().map(|m| m.entries).sum();
    let files: usize = moved.iter().map(|m| m.files).sum();
    format!(
        "{} {} ({entries} entries, {files} attached files)",
        moved.len(),
        if moved.len() == 1 { "case" } else { "cases" }
    )
}
