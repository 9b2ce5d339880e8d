//! `casebook log KIND`: turns flags into the form every interface fills in
//! (`casebook_app::EntryForm`), and a refusal into its sentence and the flag to fix.

use crate::output::say;
use std::path::Path;

use anyhow::{Result, bail};
use casebook_app::{ATTACHMENT_LIMIT, Clock, EntryForm, Field, NewAttachment, NotWritten, Problem};
use casebook_domain::{Relation, uk_date};
use serde_json::json;

use super::Context;
use crate::args::LogArgs;
use crate::output;

pub fn log(cx: &Context, args: &LogArgs) -> Result<()> {
    let details = match &args.details_file {
        Some(path) => Some(read_text(path)?),
        None => args.details.clone(),
    };
    let attachments = args
        .attach
        .iter()
        .map(|p| read_attachment(p))
        .collect::<Result<Vec<_>>>()?;
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let mut links = Vec::new();
    for (rel, ids) in [
        (Relation::Confirms, args.confirms.as_slice()),
        (Relation::Answers, args.answers.as_slice()),
        (Relation::RepliesTo, args.replies_to.as_slice()),
        (Relation::MinutesOf, args.minutes_of.as_slice()),
        (Relation::About, args.about.as_slice()),
    ] {
        links.extend(ids.iter().map(|id| (rel, id.clone())));
    }
    let form = EntryForm {
        kind: args.kind.clone(),
        when: args.occurred.clone(),
        summary: args.summary.clone(),
        details,
        sources: args.sources.clone(),
        place: args.place.clone(),
        categories: args.categories.clone(),
        prejudice: args.prejudice.clone(),
        involved: args.involved.clone(),
        witnesses: args.witnesses.clone(),
        harm: args.harm.clone(),
        child_words: args.child_words.clone(),
        reported_to: args.reported_to.clone(),
        reported_on: args.reported_on.clone(),
        school_response: args.school_response.clone(),
        school_word: args.school_word.clone(),
        direction: args.direction.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
        cc: args.cc.clone(),
        subject: args.subject.clone(),
        links,
        attendees: args.attendees.clone(),
        purpose: args.purpose.clone(),
        points: args.points.clone(),
        actions: args.actions.clone(),
        requested: args.requested,
        reason: args.reason.clone(),
        until: args.until.clone(),
        ongoing: args.ongoing,
        sessions: args.sessions.clone(),
        authorised: args.authorised.clone(),
        evidence: args.evidence.clone(),
        collected: args.collected.clone(),
        asked_by: args.asked_by.clone(),
        reason_given: args.reason_given.clone(),
        formal_letter: args.formal_letter.clone(),
        review: args.review.clone(),
        signs: args.signs.clone(),
        document_type: args.document_type.clone(),
        title: args.title.clone(),
        issued_by: args.issued_by.clone(),
        rule: args.rule.clone(),
        due: args.due.clone(),
        by: args.by.clone(),
        outcome: args.outcome.clone(),
        // Typed on purpose, one flag at a time: a date after today is said, not asked.
        date_after_today_is_right: true,
        new_names_join: false,
    };
    let record = match form.write(&file, attachments, &cx.cli.author) {
        Ok(written) => written.record,
        Err(NotWritten::Failed(e)) => return Err(e.into()),
        Err(NotWritten::Refused(problems)) => bail!("{}", refusal(&problems)),
    };
    if record.occurred.earliest() > cx.clock.today() {
        eprintln!(
            "The date is after today, {}: if it is wrong, correct it with `casebook amend {} --occurred DATE`.",
            uk_date(cx.clock.today()),
            record.id()
        );
    }
    if cx.cli.json {
        return output::json(
            &json!({ "id": record.id(), "kind": record.kind, "hash": record.hash }),
        );
    }
    say!("{}", record.id());
    Ok(())
}

/// The first problem, in the words every interface uses, and the flag that fixes it.
pub(crate) fn refusal(problems: &[Problem]) -> String {
    let Some(first) = problems.first() else {
        return "Nothing was written down.".into();
    };
    let hint = if first.unknown_person {
        format!(
            " (given with {}; add them first with `casebook person add`, or see `casebook person list`)",
            flag(first.field)
        )
    } else {
        format!(" (given with {})", flag(first.field))
    };
    match first.sentence.strip_suffix('.') {
        Some(sentence) => format!("{sentence}{hint}."),
        None => format!("{}{hint}", first.sentence),
    }
}

/// The flag the command line gives each field by.
fn flag(field: Field) -> &'static str {
    match field {
        Field::When | Field::Future => "--occurred",
        Field::Summary => "--summary",
        Field::Details => "--details",
        Field::Files => "--attach",
        Field::Place => "--place",
        Field::Category => "--category",
        Field::Prejudice => "--prejudice",
        Field::Involved => "--involved",
        Field::Witnesses => "--witness",
        Field::Harm => "--harm",
        Field::ChildWords => "--child-words",
        Field::ReportedTo => "--reported-to",
        Field::ReportedOn => "--reported-on",
        Field::SchoolResponse => "--school-response",
        Field::SchoolWord => "--school-word",
        Field::Direction => "--direction",
        Field::From => "--from",
        Field::To => "--to",
        Field::Cc => "--cc",
        Field::Subject => "--subject",
        Field::Link(Relation::Confirms) => "--confirms",
        Field::Link(Relation::Answers) => "--answers",
        Field::Link(Relation::RepliesTo) => "--replies-to",
        Field::Link(Relation::MinutesOf) => "--minutes-of",
        Field::Link(_) => "--about",
        Field::Attendees => "--attendee",
        Field::Purpose => "--purpose",
        Field::Points => "--point",
        Field::Actions => "--action",
        Field::Requested => "--requested",
        Field::Reason => "--reason",
        Field::Until => "--until",
        Field::Ongoing => "--ongoing",
        Field::Sessions => "--sessions",
        Field::Authorised => "--authorised",
        Field::Evidence => "--evidence",
        Field::Collected => "--collected",
        Field::AskedBy => "--asked-by",
        Field::ReasonGiven => "--reason-given",
        Field::FormalLetter => "--formal-letter",
        Field::Review => "--review",
        Field::Signs => "--sign",
        Field::DocumentType => "--document-type",
        Field::Title => "--title",
        Field::IssuedBy => "--issued-by",
        Field::Rule => "--rule",
        Field::Due => "--due",
        Field::By => "--by",
        Field::Outcome => "--outcome",
        Field::WhyCorrected => "--reason",
    }
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| anyhow::anyhow!("{} cannot be read: {e}.", path.display()))?;
    String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} is not a text file (UTF-8).", path.display()))
}

fn read_attachment(path: &Path) -> Result<NewAttachment> {
    let meta = std::fs::metadata(path).map_err(|_| {
        anyhow::anyhow!(
            "The file {} does not exist or cannot be opened: nothing was logged.",
            path.display()
        )
    })?;
    if !meta.is_file() {
        bail!("{} is not a file: attach files one by one.", path.display());
    }
    if meta.len() > ATTACHMENT_LIMIT as u64 {
        bail!(
            "{} is {} MB; the limit for one attachment is {} MB.",
            path.display(),
            meta.len() / (1024 * 1024),
            ATTACHMENT_LIMIT / (1024 * 1024)
        );
    }
    let bytes = std::fs::read(path)
        .map_err(|e| anyhow::anyhow!("{} cannot be read: {e}.", path.display()))?;
    let name = path
        .file_name()
        .map_or_else(|| "attachment".into(), |n| n.to_string_lossy().into_owned());
    Ok(NewAttachment { name, bytes })
}
