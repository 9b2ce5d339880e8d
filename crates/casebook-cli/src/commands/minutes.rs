use anyhow::{Result, bail};
use casebook_app::{MinutesField, MinutesForm, MinutesRefused};
use casebook_letters::{Match, Templates, minutes_text};
use serde_json::json;

use super::Context;
use crate::args::MinutesArgs;
use crate::output::{self, say};

pub fn check(cx: &Context, args: &MinutesArgs) -> Result<()> {
    let bytes = std::fs::read(&args.minutes)
        .map_err(|e| anyhow::anyhow!("{} cannot be read: {e}.", args.minutes.display()))?;
    let text = minutes_text(&args.minutes.display().to_string(), &bytes)?;
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let asked = MinutesForm {
        meeting: args.meeting.clone(),
        minutes: text,
        to: args.to.clone(),
    };
    let checked = match file.minutes_check(&asked, &Templates::load(None)?, &cx.cli.author) {
        Ok(checked) => checked,
        Err(MinutesRefused::Failed(e)) => return Err(e.into()),
        Err(MinutesRefused::At(field, sentence)) => {
            let hint = match field {
                MinutesField::Meeting => "see `casebook timeline --kind meeting`",
                MinutesField::Minutes => "the file given",
                MinutesField::To => "say who with --to NAME",
            };
            bail!("{} ({hint}).", sentence.trim_end_matches('.'))
        }
    };
    let (item, checks, draft, absent) = (
        checked.meeting,
        checked.checks,
        checked.request,
        checked.absent,
    );
    let meeting = item.id;
    if let (Some(path), Some(letter)) = (&args.out, &draft) {
        let text = format!("Subject: {}\n\n{}", letter.subject, letter.body);
        super::new_file::write_atomically(path, |out| Ok(out.write_all(text.as_bytes())?))?;
    }
    if cx.cli.json {
        return output::json(&json!({ "meeting": meeting, "points": checks, "draft": draft }));
    }
    say!(
        "Minutes check for {} ({}):",
        item.summary.as_deref().unwrap_or_default(),
        item.occurred_text
    );
    for c in &checks {
        match c.result {
            Match::Found => say!("  found          {}", c.point),
            Match::CheckWording => say!(
                "  check wording  {}\n                 the minutes say: \"{}\"",
                c.point,
                c.sentence.as_deref().unwrap_or_default()
            ),
            Match::Missing => say!("  missing        {}", c.point),
        }
    }
    if let (Some(name), Some(_)) = (&absent, &draft) {
        say!("\n{name} was not at this meeting: the request is addressed to them, as you asked.");
    }
    match (&draft, &args.out) {
        (None, _) => say!("\nEvery point you raised is in the minutes."),
        (Some(_), Some(path)) => say!(
            "\nThe request to correct the minutes is in {}.",
            path.display()
        ),
        (Some(letter), None) => say!(
            "\nA request to correct the minutes:\n\nSubject: {}\n\n{}",
            letter.subject,
            letter.body
        ),
    }
    Ok(())
}
