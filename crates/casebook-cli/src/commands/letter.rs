use std::io::Read;

use anyhow::{Result, bail};
use casebook_app::{LetterField, LetterForm, LetterNotDrafted, SentLetter};
use casebook_domain::{Channel, Role};
use casebook_letters::{Envelope, Finding, Templates, to_docx, to_eml, tone_check};
use casebook_store::CaseStore;
use serde_json::json;

use super::Context;
use crate::args::{LetterArgs, LetterFormat, ToneArgs};
use crate::output::{self, say};

pub fn letter(cx: &Context, args: &LetterArgs) -> Result<()> {
    let templates = Templates::load(args.templates.as_deref())?;
    if args.list {
        if cx.cli.json {
            return output::json(&templates.list().collect::<Vec<_>>());
        }
        for t in templates.list() {
            say!("{:<30} {}\n{:<30} {}", t.id, t.title, "", t.when);
        }
        return Ok(());
    }
    let Some(id) = &args.template else {
        bail!(
            "Name a letter (see `casebook letter --list`), for example: casebook letter request-policies --to \"Mrs Carter\""
        );
    };
    if args.format == LetterFormat::Eml && args.from_email.is_none() {
        bail!("An email letter needs your address: give --from-email (or set CASEBOOK_EMAIL).");
    }
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let asked = LetterForm {
        template: id.clone(),
        to: args.to.clone(),
        cc: args.cc.clone(),
        about: args.about.clone(),
        enclose: args.enclose.clone(),
        propose: args.propose.clone(),
        before: args.before.clone(),
        before_what: args.before_what.clone(),
        mediation: args.mediation,
        dated: args.sent.clone(),
    };
    let drafted = match file.draft_letter(&asked, &templates, &cx.cli.author) {
        Ok(drafted) => drafted,
        Err(LetterNotDrafted::Failed(e)) => return Err(e.into()),
        Err(LetterNotDrafted::At(field, sentence)) => {
            let hint = match field {
                LetterField::Template => "see `casebook letter --list`",
                LetterField::To => "give --to NAME; see `casebook person list`",
                LetterField::Cc => "given with --cc",
                LetterField::About => "give --about ID; see `casebook timeline`",
                LetterField::Enclose => "given with --enclose",
                LetterField::Propose => "given with --propose",
                LetterField::Before => "given with --before",
                LetterField::Dated => "given with --sent",
            };
            bail!("{} ({hint}).", sentence.trim_end_matches('.'))
        }
    };
    let (draft, recipients, about, today) = (
        drafted.draft,
        drafted.recipients,
        drafted.about,
        drafted.dated,
    );
    let to = recipients.first();
    let sent = args.sent.as_ref().map(|_| today);
    let (letter, findings, due) = (&draft.letter, &draft.findings, draft.reply_by);
    let bytes: Vec<u8> = match args.format {
        LetterFormat::Docx | LetterFormat::Pdf if args.out.is_none() => {
            bail!("A Word or PDF letter needs --out FILE.");
        }
        LetterFormat::Docx => to_docx(letter, &casebook_domain::uk_date(today))?,
        LetterFormat::Pdf => casebook_bundle::letter_pdf(&casebook_bundle::LetterPage {
            date: &casebook_domain::uk_date(today),
            subject: &letter.subject,
            body: &letter.body,
        })?,
        LetterFormat::Txt => format!("Subject: {}\n\n{}", letter.subject, letter.body).into_bytes(),
        LetterFormat::Eml => {
            if recipients.is_empty() {
                bail!("An email letter needs --to.");
            }
            let address = |p: &casebook_domain::Person| -> Result<(String, String)> {
                match p.email.as_deref() {
                    Some(address) => Ok((p.name.clone(), address.to_owned())),
                    None => bail!(
                        "{} has no email address in the case: add one, or draft the letter as text.",
                        p.name
                    ),
                }
            };
            let date = jiff::civil::Date::to_zoned(today, jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp().as_second())
                .unwrap_or(0);
            to_eml(
                letter,
                &Envelope {
                    from: (
                        cx.cli.author.clone(),
                        args.from_email.clone().unwrap_or_default(),
                    ),
                    to: recipients.iter().map(address).collect::<Result<_>>()?,
                    cc: draft.cc.iter().map(address).collect::<Result<_>>()?,
                    date,
                    attachments: file.enclosure_files(&draft)?,
                },
            )?
            .into_bytes()
        }
    };
    match &args.out {
        Some(path) => super::new_file::write_atomically(path, |out| Ok(out.write_all(&bytes)?))?,
        None if !cx.cli.json => say!("{}", String::from_utf8_lossy(&bytes)),
        None => {}
    }
    report_tone(findings);
    let recorded = match sent {
        Some(date) => Some(file.record_letter_sent(&SentLetter {
            draft: &draft,
            to,
            about: &about,
            date,
            channel: if args.format == LetterFormat::Eml {
                Channel::Email
            } else {
                Channel::Letter
            },
            author: &cx.cli.author,
        })?),
        None => None,
    };
    if cx.cli.json {
        return output::json(&json!({
            "template": id,
            "subject": letter.subject,
            "body": letter.body,
            "reply_by": due,
            "tone": findings,
            "recorded": recorded,
        }));
    }
    if let Some(ids) = recorded {
        eprintln!(
            "Recorded as sent: {}.",
            ids.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
}

fn report_tone(findings: &[Finding]) {
    if findings.is_empty() {
        return;
    }
    eprintln!(
        "Tone check ({} to look at; nothing was changed):",
        findings.len()
    );
    for f in findings {
        eprintln!(
            "  line {}: \"{}\". {} {}",
            f.line, f.found, f.why, f.suggestion
        );
    }
}

/// Checks a text the family wrote. Other children's names come from the case when
/// there is one.
pub fn tone(cx: &Context, args: &ToneArgs) -> Result<()> {
    let text = match &args.file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{} cannot be read as text: {e}.", path.display()))?,
        None => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|_| anyhow::anyhow!("The text is not UTF-8."))?;
            text
        }
    };
    let path = crate::open::location(cx.cli.store.as_deref())?;
    let other_children: Vec<(String, String)> = if path.exists() {
        let opened = cx.open()?;
        match casebook_app::choose_case(&opened.store, cx.cli.case_slug.as_deref()) {
            Ok(case) => opened
                .store
                .people(case.id)?
                .into_iter()
                .filter(|p| p.role == Role::OtherChild)
                .map(|p| (p.name.clone(), p.public_name().to_owned()))
                .collect(),
            Err(_) => vec![],
        }
    } else {
        vec![]
    };
    let findings = tone_check(&text, &other_children);
    if cx.cli.json {
        return output::json(&findings);
    }
    if findings.is_empty() {
        say!("The tone check found nothing to change.");
    }
    for f in &findings {
        say!(
            "line {}: \"{}\". {} {}",
            f.line,
            f.found,
            f.why,
            f.suggestion
        );
    }
    Ok(())
}
