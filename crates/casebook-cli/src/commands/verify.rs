use crate::output::say;
use std::fs::File;
use std::io::BufReader;

use anyhow::{Result, bail};
use casebook_app::read_jsonl;
use casebook_domain::VerifyReport;

use super::Context;
use crate::args::VerifyArgs;
use crate::output;

/// Exit 0 when intact; exit 1 with the first failure named when not.
pub fn verify(cx: &Context, args: &VerifyArgs) -> Result<()> {
    let (report, what) = match &args.file {
        Some(path) => {
            let file = File::open(path)
                .map_err(|e| anyhow::anyhow!("{} cannot be opened: {e}.", path.display()))?;
            let name = path.display().to_string();
            let export = read_jsonl(BufReader::new(file), &name)?;
            (export.verify(), format!("The export {name}"))
        }
        None => {
            let opened = cx.open()?;
            let file = cx.case_file(&opened)?;
            (
                file.verify()?,
                format!("The log of case \"{}\"", file.case.slug),
            )
        }
    };
    if cx.cli.json {
        output::json(&report)?;
    }
    say(&report, &what, cx.cli.json)
}

fn say(report: &VerifyReport, what: &str, quiet: bool) -> Result<()> {
    if let Some(failure) = &report.failure {
        bail!("{what} fails verification. {}", failure.explain());
    }
    if !quiet {
        let head = report.head.map_or_else(
            || "no entries yet".to_owned(),
            |h| format!("head {}", h.hash),
        );
        say!(
            "{what} is intact: {} entries checked, {head}.",
            report.entries
        );
    }
    Ok(())
}
