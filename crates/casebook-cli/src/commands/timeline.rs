use crate::output::say;
use anyhow::Result;
use casebook_app::{Filter, RequestState, TimelineItem, find_person};
use casebook_domain::{Category, Channel, EntryKind, Facts, Person, parse_date, uk_date};
use casebook_store::CaseStore;

use super::Context;
use crate::args::{SelectArgs, TimelineArgs};
use crate::output;

pub fn timeline(cx: &Context, args: &TimelineArgs) -> Result<()> {
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let filter = Filter {
        corrections: args.all,
        unreadable: true,
        ..filter(&args.select, &opened.store.people(file.case.id)?)?
    };
    let items = file.timeline(&filter)?;
    if cx.cli.json {
        return output::json(&items);
    }
    if items.is_empty() {
        say!("No entries match.");
    }
    for item in &items {
        say!("{}", line(item));
    }
    Ok(())
}

/// The entries the user chose by kind, dates, person and category.
pub fn filter(args: &SelectArgs, people: &[Person]) -> Result<Filter> {
    let mut filter = Filter {
        from: args.from.as_deref().map(parse_date).transpose()?,
        to: args.to.as_deref().map(parse_date).transpose()?,
        category: args.category.as_deref().map(Category::parse).transpose()?,
        ..Filter::default()
    };
    // A kind is a kind first ("meeting" is an entry of its own kind, though it names a
    // channel too); a channel's name that is no kind stands for --channel.
    for kind in &args.kinds {
        match EntryKind::parse(kind) {
            Ok(kind) => filter.kinds.push(kind),
            Err(not_a_kind) => match channel(kind) {
                Ok(channel) => filter.channels.push(channel),
                Err(_) => return Err(not_a_kind.into()),
            },
        }
    }
    for name in &args.channels {
        filter.channels.push(channel(name)?);
    }
    if let Some(person) = &args.person {
        filter.person = Some(find_person(people, person)?.id);
    }
    Ok(filter)
}

/// A channel by the name the command line gives it ("call" for a phone call).
fn channel(name: &str) -> Result<Channel> {
    match name {
        "call" => Ok(Channel::Phone),
        other => Ok(Channel::parse(other)?),
    }
}

/// `e3    3 March 2026 at 12:40     incident       Pushed over in the lunch queue [amended by e7]`
pub fn line(item: &TimelineItem) -> String {
    let kind = item.channel.map_or(item.kind.slug(), |c| {
        if c == Channel::Phone {
            "call"
        } else {
            c.slug()
        }
    });
    let summary = match (&item.summary, &item.unreadable) {
        (Some(summary), _) => summary.as_str(),
        (None, Some(_)) => "[cannot be read]",
        (None, None) => "[redacted]",
    };
    let mut notes = Vec::new();
    if let Some(why) = &item.unreadable {
        notes.push(format!(
            "cannot be read: {why}; correct it with `casebook amend {}` or remove it with `casebook redact {}`",
            item.id, item.id
        ));
    }
    if let Some(by) = item.redacted_by {
        notes.push(format!("redacted by {by}"));
    }
    if !item.amended_by.is_empty() {
        let ids: Vec<String> = item.amended_by.iter().map(ToString::to_string).collect();
        notes.push(format!("amended by {}", ids.join(", ")));
    }
    if matches!(&item.facts, Some(Facts::Meeting(m)) if m.requested_only) {
        notes.push("asked for, not yet held".into());
    }
    if item.unconfirmed {
        notes.push("not yet confirmed in writing".into());
    }
    match item.request {
        Some(RequestState::Open { due: Some(due) }) => {
            notes.push(format!("reply due {}", uk_date(due)))
        }
        Some(RequestState::Late { due, days_late }) => {
            notes.push(format!("late: due {}, {days_late} days ago", uk_date(due)))
        }
        Some(RequestState::Answered { by }) => notes.push(format!("answered by {by}")),
        Some(RequestState::Withdrawn { by }) => notes.push(format!("withdrawn by {by}")),
        _ => {}
    }
    if !item.attachments.is_empty() {
        notes.push(format!("{} attached", item.attachments.len()));
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" [{}]", notes.join("; "))
    };
    format!(
        "{:<6} {:<28} {:<13} {summary}{notes}",
        item.id.to_string(),
        item.occurred_text,
        kind
    )
}
