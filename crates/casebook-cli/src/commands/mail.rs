//! `casebook import` for mail: a progress bar on a terminal (bytes, messages, time
//! left), quiet otherwise; Ctrl-C stops the import and nothing is stored.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;
use casebook_app::{ImportReport, MailImport};
use casebook_domain::{Direction, parse_date};
use casebook_mail::Mailbox;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Context;
use crate::args::ImportArgs;
use crate::output::{self, say};

/// The mailboxes among the files, if they are all mail; `None` if none is.
pub fn mailboxes(args: &ImportArgs) -> Result<Option<Vec<Mailbox>>> {
    let mail_format = args
        .format
        .as_deref()
        .filter(|f| matches!(*f, "mbox" | "maildir" | "eml"));
    let is_mail = |path: &PathBuf| {
        mail_format.is_some()
            || path.is_dir()
            || matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("mbox" | "mbx" | "eml")
            )
            || starts_like_an_mbox(path)
    };
    let mail = args.files.iter().filter(|p| is_mail(p)).count();
    if mail == 0 {
        return Ok(None);
    }
    if mail < args.files.len() {
        anyhow::bail!(
            "Import mail on its own: casebook exports and term dates go in a separate `casebook import`."
        );
    }
    args.files
        .iter()
        .map(|path| Ok(Mailbox::detect(path, mail_format)?))
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// Thunderbird's mbox files have no extension: their first line tells.
fn starts_like_an_mbox(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut start = [0u8; 5];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut start))
        .is_ok_and(|()| &start == b"From ")
}

pub fn import(cx: &Context, args: &ImportArgs, mailboxes: Vec<Mailbox>) -> Result<()> {
    let request = MailImport {
        family: args.me.clone(),
        domains: args.domains.clone(),
        all: args.all,
        from: args.from.as_deref().map(parse_date).transpose()?,
        to: args.to.as_deref().map(parse_date).transpose()?,
        dry_run: args.dry_run,
        message_limit: match args.message_limit.as_deref() {
            None => casebook_mail::MESSAGE_LIMIT,
            // Up to the largest file a case keeps: the original message is kept whole.
            Some(mb) => match mb.trim().parse::<usize>() {
                Ok(n) if (1..=casebook_app::ATTACHMENT_LIMIT >> 20).contains(&n) => n << 20,
                _ => anyhow::bail!(
                    "The message limit is a number of megabytes from 1 to {}, such as 50: \"{mb}\" is not.",
                    casebook_app::ATTACHMENT_LIMIT >> 20
                ),
            },
        },
        mailboxes,
    };
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let total: u64 = request.mailboxes.iter().map(Mailbox::size).sum();
    let bar = if std::io::stderr().is_terminal() && !cx.cli.json {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes}  {msg}  {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // The signal handler itself sets the flag, so the next message already sees it.
    let stop = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&stop))
        .map_err(|e| anyhow::anyhow!("Ctrl-C cannot be caught: {e}."))?;
    let report = file.import_mail(&request, &cx.cli.author, &mut |bytes, messages| {
        bar.set_position(bytes);
        bar.set_message(format!("{messages} messages"));
        !stop.load(Ordering::SeqCst)
    });
    bar.finish_and_clear();
    let report = report?;
    // What the import brought in was read for decisions as it came: a refusal must not
    // wait for the family to think of looking.
    let found = file.suggestions_found(&report.found)?;
    if cx.cli.json {
        let mut value = serde_json::to_value(&report)?;
        if let Some(fields) = value.as_object_mut() {
            fields.insert("found".into(), serde_json::to_value(&found)?);
        }
        return output::json(&value);
    }
    summary(&report, args.dry_run);
    if !found.is_empty() {
        say!(
            "\ncasebook found {} in this mail; nothing is logged until you accept it:",
            match found.len() {
                1 => "a decision or an invitation".to_owned(),
                n => format!("{n} decisions or invitations"),
            }
        );
        for s in &found {
            super::recognise::print_suggestion(s);
        }
    }
    Ok(())
}

fn summary(report: &ImportReport, dry_run: bool) {
    let sent = report
        .imported
        .iter()
        .filter(|i| i.direction == Direction::Sent)
        .count();
    let verb = if dry_run { "Would import" } else { "Imported" };
    say!(
        "{verb} {} emails ({sent} sent, {} received) of {} messages read.",
        report.imported.len(),
        report.imported.len() - sent,
        report.messages
    );
    for item in &report.imported {
        let arrow = match item.direction {
            Direction::Sent => "to",
            Direction::Received => "from",
        };
        let files = match item.attachments {
            0 => String::new(),
            1 => ", 1 attachment".into(),
            n => format!(", {n} attachments"),
        };
        let id = if dry_run {
            String::new()
        } else {
            format!("{}  ", item.id)
        };
        say!(
            "  {id}{}  {arrow} {}: {}{files}",
            item.date,
            item.correspondent,
            item.subject
        );
    }
    for (count, what) in [
        (
            report.not_about_the_case,
            "not about the case (no one in the case among the addresses)",
        ),
        (report.outside_the_dates, "outside the dates given"),
        (report.already_in_the_log, "already in the log"),
        (
            report.split_apart,
            "run together with the message before them in the mbox, and split apart",
        ),
    ] {
        if count > 0 {
            say!("{count} {what}.");
        }
    }
    if report.abandoned.files > 0 {
        say!(
            "Removed {} attached files ({} KB) left by an import that was stopped before it finished; they belonged to no entry.",
            report.abandoned.files,
            report.abandoned.bytes.div_ceil(1024)
        );
    }
    if !report.skipped.is_empty() {
        say!("{} skipped:", report.skipped.len());
        for line in &report.skipped {
            say!("  {line}");
        }
    }
    if !report.warnings.is_empty() {
        say!("Imported, with something to know:");
        for line in &report.warnings {
            say!("  {line}");
        }
    }
}
