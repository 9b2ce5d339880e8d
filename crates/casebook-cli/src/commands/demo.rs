use crate::output::say;
use anyhow::Result;
use casebook_app::{CaseFile, Filter, demonstration_case};

use super::Context;
use crate::args::DemoArgs;
use crate::open::{location, open_or_create};
use crate::output;

/// Writes the demonstration case and shows it, so a first run has something to look at.
pub fn demo(cx: &Context, args: &DemoArgs) -> Result<()> {
    let path = location(cx.cli.store.as_deref())?;
    let opened = open_or_create(&path)?;
    let case = demonstration_case(&opened.store, &opened.blobs, &cx.clock, &args.slug)?;
    let file = CaseFile {
        store: &opened.store,
        blobs: &opened.blobs,
        clock: &cx.clock,
        case,
    };
    if cx.cli.json {
        return output::json(&file.timeline(&Filter::default())?);
    }
    say!(
        "Added the demonstration case \"{}\" ({} at {}) to {}.\n",
        file.case.slug,
        file.case.child.name,
        file.case.setting.name,
        path
    );
    for item in file.timeline(&Filter::default())? {
        say!("{}", super::timeline::line(&item));
    }
    let report = file.verify()?;
    say!(
        "\nThe log verifies: {} entries, head {}.\nTry: casebook --store {} --case {} timeline --kind incident",
        report.entries,
        report.head.map(|h| h.hash.to_string()).unwrap_or_default(),
        path,
        file.case.slug
    );
    Ok(())
}
