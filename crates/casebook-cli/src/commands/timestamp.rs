//! `casebook timestamp`: a trusted timestamp of the log from the authority the case
//! names, or a request written to a file and its answer brought back.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use casebook_app::{Stamped, TimestampSettings};

use super::Context;
use super::verify::trust_hint;
use crate::args::{TimestampArgs, TimestampCommand};
use crate::output::say;

pub fn timestamp(cx: &Context, args: &TimestampArgs) -> Result<()> {
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let mut settings = TimestampSettings::read(file.store, &file.case)?;
    if let Some(TimestampCommand::Add {
        file: answer,
        trust,
    }) = &args.command
    {
        let given = read_optional(trust.as_deref())?;
        let trust = settings.trusted(given.as_deref())?;
        let stamped = file
            .add_timestamp(&read(answer)?, &trust, &cx.cli.author)
            .map_err(|e| anyhow!("{e}{}", trust_hint(&e)))?;
        if let Some(pem) = given {
            settings.trust = Some(pem_text(pem)?);
            settings.save(file.store, &file.case)?;
        }
        return kept(&stamped);
    }

    // What is given is checked first, and remembered for the case once it has worked.
    if let Some(pem) = read_optional(args.trust.as_deref())? {
        settings.trusted(Some(&pem))?;
        settings.trust = Some(pem_text(pem)?);
    }
    if let Some(url) = &args.authority {
        casebook_timestamps::check_address(url)?;
        settings.authority = Some(url.clone());
    }
    if let Some(daily) = &args.daily {
        settings.daily = daily == "on";
        if settings.daily && settings.authority.is_none() {
            bail!(
                "A daily timestamp needs an authority to ask: give its address with --authority URL."
            );
        }
    }
    let daily = |settings: &TimestampSettings| {
        if args.daily.is_some() {
            say!(
                "casebook serve {} timestamp this case once a day when something new has been written.",
                if settings.daily { "will" } else { "will not" }
            );
        }
    };

    if let Some(out) = &args.request_out {
        if out.exists() {
            bail!(
                "{} already exists: name a new file for the request.",
                out.display()
            );
        }
        let (head, request) = file.timestamp_request()?;
        std::fs::write(out, &request.der)
            .map_err(|e| anyhow!("{} cannot be written: {e}.", out.display()))?;
        say!(
            "Wrote a request for a timestamp of the log up to {head} to {}. Send it to the authority, for example with\n  curl -H 'Content-Type: application/timestamp-query' --data-binary @{} URL -o answer.tsr\nthen keep the answer with `casebook timestamp add answer.tsr`.",
            out.display(),
            out.display()
        );
        settings.save(file.store, &file.case)?;
        daily(&settings);
        return Ok(());
    }
    if args.daily.is_some() && args.authority.is_none() && args.trust.is_none() {
        settings.save(file.store, &file.case)?;
        daily(&settings);
        return Ok(());
    }
    let Some(url) = settings.authority.clone() else {
        bail!(
            "No time-stamping authority is set for this case: give its address once with --authority URL (for example http://timestamp.digicert.com), and casebook remembers it."
        );
    };
    let trust = settings.trusted(None)?;
    let stamped = file
        .timestamp(&url, &trust, &cx.cli.author)
        .map_err(|e| anyhow!("{e}{}", trust_hint(&e)))?;
    settings.save(file.store, &file.case)?;
    kept(&stamped)?;
    daily(&settings);
    Ok(())
}

fn kept(stamped: &Stamped) -> Result<()> {
    say!(
        "Kept the timestamp as {}: {}.",
        stamped.entry,
        stamped.proves()
    );
    Ok(())
}

fn pem_text(pem: Vec<u8>) -> Result<String> {
    String::from_utf8(pem)
        .map_err(|_| anyhow!("The list of trusted authorities is not a PEM text file."))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| anyhow!("{} cannot be opened: {e}.", path.display()))
}

fn read_optional(path: Option<&Path>) -> Result<Option<Vec<u8>>> {
    path.map(read).transpose()
}
