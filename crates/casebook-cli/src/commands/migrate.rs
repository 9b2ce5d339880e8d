//! `casebook migrate`: a case, or every case, to another store, checked where it lands.

use anyhow::{Result, bail};
use casebook_app::{choose_case, migrate_case};
use casebook_store::CaseStore;

use super::Context;
use crate::args::MigrateArgs;
use crate::open::{location, open_or_create};
use crate::output::say;

pub fn migrate(cx: &Context, args: &MigrateArgs) -> Result<()> {
    let from = cx.open()?;
    let cases = if args.all {
        from.store.cases()?
    } else {
        vec![choose_case(&from.store, cx.cli.case_slug.as_deref())?]
    };
    if cases.is_empty() {
        bail!("There is no case in this store to move.");
    }
    let target = location(Some(&args.to))?;
    let source = location(cx.cli.store.as_deref())?;
    if target.to_string() == source.to_string() {
        bail!("The store to move to is the store the case is in: name another with --to.");
    }
    // Refused before anything is written when any case is already there.
    let to = open_or_create(&target)?;
    let there = to.store.cases()?;
    if let Some(taken) = cases
        .iter()
        .find(|c| there.iter().any(|t| t.id == c.id || t.slug == c.slug))
    {
        bail!(
            "{target} already holds a case called \"{}\", so nothing was moved.",
            taken.slug
        );
    }
    for case in &cases {
        let moved = migrate_case(
            (&from.store, &from.blobs),
            (&to.store, &to.blobs),
            &cx.clock,
            case,
        )?;
        let head = moved
            .head
            .map_or_else(|| "empty".to_owned(), |h| h.hash.to_hex());
        say!(
            "Moved case \"{}\" to {target}: {} entries, {} attached files, {} people with access. It verifies there (head {head}) and its timeline is the same as here.",
            moved.slug,
            moved.entries,
            moved.files,
            moved.members
        );
    }
    Ok(())
}
