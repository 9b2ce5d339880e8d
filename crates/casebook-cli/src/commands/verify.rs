use crate::output::say;

use anyhow::{Result, bail};
use casebook_app::{
    Manifest, Stamped, TimestampSettings, check_signature, fingerprint, read_jsonl, signature_start,
};
use casebook_domain::VerifyReport;
use serde_json::json;

use super::Context;
use crate::args::VerifyArgs;
use crate::output;

/// Exit 0 when intact; exit 1 with the first failure named when not.
pub fn verify(cx: &Context, args: &VerifyArgs) -> Result<()> {
    let Some(path) = &args.file else {
        let opened = cx.open()?;
        let file = cx.case_file(&opened)?;
        let report = file.verify()?;
        let what = format!("The log of case \"{}\"", file.case.slug);
        if !report.is_intact() || report.timestamps.is_empty() {
            if cx.cli.json {
                output::json(&report)?;
            }
            return say(&report, &what, cx.cli.json);
        }
        let trust = TimestampSettings::read(file.store, &file.case)?
            .trusted(given_trust(args)?.as_deref())?;
        let stamped = file.check_timestamps(&report.timestamps, &trust);
        return timestamped(cx, &report, stamped, &what);
    };
    let bytes = std::fs::read(path)
        .map_err(|e| anyhow::anyhow!("{} cannot be opened: {e}.", path.display()))?;
    let name = path.display().to_string();
    if bytes.starts_with(b"%PDF") || bytes.starts_with(b"<!DOCTYPE html") {
        return bundle(cx, args, &bytes, &name);
    }
    // A JSON Lines export: the chain inside it, then its signature when it has one
    // (exports from before signing have none, and their chain still checks).
    let export = read_jsonl(&bytes[..], &name)?;
    let report = export.verify();
    let what = format!("The export {name}");
    if !report.is_intact() || report.timestamps.is_empty() {
        if cx.cli.json {
            output::json(&report)?;
        }
        say(&report, &what, cx.cli.json)?;
    } else {
        // An export carries no list of its own: the one given, else the system's.
        let trust = TimestampSettings::default().trusted(given_trust(args)?.as_deref())?;
        let stamped = export.check_timestamps(&report.timestamps, &trust);
        timestamped(cx, &report, stamped, &what)?;
    }
    if signature_start(&bytes).is_some() {
        let signed = check_signature(&bytes, &name)?;
        if !cx.cli.json {
            say!(
                "It is signed with the case's key {}, and unaltered since.",
                signed.fingerprint()
            );
        }
    }
    Ok(())
}

/// A bundle: its signature over every byte, then the manifest inside it, which must
/// name the key that signed it.
fn bundle(cx: &Context, args: &VerifyArgs, bytes: &[u8], name: &str) -> Result<()> {
    let signed = check_signature(bytes, name)?;
    let Some(manifest) = Manifest::read(&bytes[..signed.signed_len]) else {
        bail!("{name} is signed but carries no casebook manifest: it is not a casebook bundle.");
    };
    let key: String = signed.key.iter().map(|b| format!("{b:02x}")).collect();
    if manifest.key != key {
        bail!(
            "{name} was signed with a key other than the one its manifest names: it was altered and signed again by someone else."
        );
    }
    let timestamps = if manifest.timestamps.is_empty() {
        Vec::new()
    } else {
        let trust = TimestampSettings::default().trusted(given_trust(args)?.as_deref())?;
        manifest
            .check_timestamps(&trust)
            .map_err(|e| anyhow::anyhow!("{name} fails verification. {e}{}", trust_hint(&e)))?
    };
    if cx.cli.json {
        return output::json(&json!({
            "file": name,
            "intact": true,
            "timestamps": timestamps,
            "key": fingerprint(&signed.key),
            "head": manifest.head,
            "entries": manifest.entries.len(),
            "exhibits": manifest.exhibits.len(),
        }));
    }
    say!(
        "The bundle {name} is intact: exactly as casebook produced it on {}, signed with the case's key {}. It holds {} entries and {} exhibits; the log's head was {} ({}).",
        casebook_domain::parse_date(&manifest.produced)
            .map(casebook_domain::uk_date)
            .unwrap_or(manifest.produced.clone()),
        fingerprint(&signed.key),
        manifest.entries.len(),
        manifest.exhibits.len(),
        manifest.head.id,
        manifest.head.sha256
    );
    for sentence in timestamps {
        say!("{sentence}");
    }
    Ok(())
}

/// A token refused only because its authority is not on the list used: how to give it.
pub(super) fn trust_hint(e: &impl std::fmt::Display) -> &'static str {
    if e.to_string()
        .ends_with("neither is an authority trusted here.")
    {
        " If you trust that authority, give its root certificate with --trust FILE."
    } else {
        ""
    }
}

fn given_trust(args: &VerifyArgs) -> Result<Option<Vec<u8>>> {
    args.trust
        .as_deref()
        .map(|path| {
            std::fs::read(path)
                .map_err(|e| anyhow::anyhow!("{} cannot be opened: {e}.", path.display()))
        })
        .transpose()
}

/// A chain that checks, then its tokens: each must cover an entry of this chain as it
/// is now and be signed by an authority trusted here.
fn timestamped(
    cx: &Context,
    report: &VerifyReport,
    stamped: casebook_app::AppResult<Vec<Stamped>>,
    what: &str,
) -> Result<()> {
    let stamped =
        stamped.map_err(|e| anyhow::anyhow!("{what} fails verification. {e}{}", trust_hint(&e)))?;
    if cx.cli.json {
        let mut value = serde_json::to_value(report)?;
        value["timestamps"] = stamped
            .iter()
            .map(|s| {
                json!({
                    "entry": s.entry.to_string(),
                    "covers": s.covers.to_string(),
                    "time": s.stamp.time.to_string(),
                    "authority": s.stamp.authority,
                    "trusted": s.stamp.trusted,
                })
            })
            .collect();
        return output::json(&value);
    }
    say(report, what, false)?;
    for s in &stamped {
        say!("Token {}: {}.", s.entry, s.proves());
    }
    Ok(())
}

fn say(report: &VerifyReport, what: &str, quiet: bool) -> Result<()> {
    if let Some(failure) = &report.failure {
        bail!("{what} fails verification. {}", failure.explain());
    }
    if let Some(first) = report.damage.first() {
        bail!(
            "{what} verifies, but the file it is kept in is damaged (the database's own check says: {first}): copy it somewhere safe, then restore the store from a backup or move the case to a new store with `casebook export` and `casebook import`."
        );
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
        let (files, bytes) = report.removed_files;
        if files > 0 {
            say!(
                "Removed {files} attached files ({} KB) left by an import that was stopped before it finished; they belonged to no entry.",
                bytes.div_ceil(1024)
            );
        }
        for (id, why) in &report.unreadable {
            say!(
                "Entry {id} cannot be read: {why}. Its hash checks, so it was not altered; correct its date with `casebook amend {id} --occurred DATE` or remove it with `casebook redact {id}`."
            );
        }
    }
    Ok(())
}
