use anyhow::{Result, bail};
use casebook_app::{Clock, Filter, LetterRequest, find_person, minutes_recipient};
use casebook_domain::{EntryId, Facts, Relation};
use casebook_letters::{Match, Templates, minutes_text};
use casebook_store::CaseStore;
use serde_json::json;

use super::Context;
use crate::args::MinutesArgs;
use crate::output::{self, say};

pub fn check(cx: &Context, args: &MinutesArgs) -> Result<()> {
    let meeting: EntryId = args.meeting.parse()?;
    let bytes = std::fs::read(&args.minutes)
        .map_err(|e| anyhow::anyhow!("{} cannot be read: {e}.", args.minutes.display()))?;
    let text = minutes_text(&args.minutes.display().to_string(), &bytes)?;
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let items = file.timeline(&Filter::default())?;
    let Some(item) = items.iter().find(|i| i.id == meeting) else {
        bail!("There is no entry {meeting} in this case: see `casebook timeline --kind meeting`.");
    };
    let Some(Facts::Meeting(facts)) = &item.facts else {
        bail!("Entry {meeting} is not a meeting: see `casebook timeline --kind meeting`.");
    };
    if facts.points_raised.is_empty() {
        bail!(
            "Meeting {meeting} has no points recorded: log the points you raised with `casebook log meeting ... --point`, or amend it."
        );
    }
    let checks = file.check_minutes(&facts.points_raised, &text)?;
    let missing: Vec<String> = checks
        .iter()
        .filter(|c| c.result == Match::Missing)
        .map(|c| c.point.clone())
        .collect();
    let weak: Vec<String> = checks
        .iter()
        .filter(|c| c.result == Match::CheckWording)
        .map(|c| c.point.clone())
        .collect();

    // The request to correct them goes to someone who was there, unless the family
    // names someone else, who is then told they were not.
    let people = opened.store.people(file.case.id)?;
    let issued_by = items
        .iter()
        .filter(|i| {
            i.links
                .iter()
                .any(|l| l.rel == Relation::MinutesOf && l.target == meeting)
        })
        .find_map(|i| match &i.facts {
            Some(Facts::Document(d)) => d.issued_by.clone(),
            _ => None,
        });
    let mut absent = None;
    let to = match &args.to {
        Some(r) => {
            let chosen = find_person(&people, r)?;
            if !facts.attendees.iter().any(|a| a.person == chosen.id) {
                absent = Some(chosen.name.clone());
            }
            Some(chosen)
        }
        None => minutes_recipient(facts, &people, issued_by.as_deref()),
    };
    let draft = if missing.is_empty() && weak.is_empty() {
        None
    } else {
        let Some(to) = to else {
            bail!(
                "Nobody from the school or the council is recorded at meeting {meeting}: say who the request to correct the minutes goes to with --to NAME."
            );
        };
        let templates = Templates::load(None)?;
        let template = templates.get("amend-minutes")?;
        let about = [meeting];
        let request = LetterRequest {
            to: Some(to),
            about: &about,
            family: &cx.cli.author,
            missing: &missing,
            weak: &weak,
            wants_mediation: false,
            ..Default::default()
        };
        Some(file.draft(template, &request, cx.clock.today())?.letter)
    };
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
