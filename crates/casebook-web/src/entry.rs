//! One entry: what it says, who was there, its corrections and its attached files, and
//! correcting it (a new entry beside it, never an edit).

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use casebook_app::{
    AppError, Changed, EntryForm, Fact, Filter, NotWritten, TimelineItem, person_name,
};
use casebook_domain::{
    AbsenceReason, DocumentType, EntryId, Facts, Need, PersonId, recorded_text, uk_date,
};
use casebook_store::{AccountStore, BlobStore, CaseStore};
use serde::Deserialize;

use crate::forms::{Fields, Form};
use crate::home::row;
use crate::logging::{correction_page, fields_of, filled, form_kind, shown};
use crate::visit::{
    Chrome, Page, Visit, download, entry_in_address, entry_named, page, see, shown_again,
};

pub struct Correction {
    pub date: String,
    pub reason: String,
    /// Each field it changed, with what it said before and after.
    pub changed: Vec<Changed>,
}

pub struct File {
    pub number: usize,
    pub name: String,
    pub about: String,
}

#[derive(Template)]
#[template(path = "entry.html")]
struct EntryPage {
    chrome: Chrome,
    saved: bool,
    /// People added to the case when the entry was saved, as they are shown.
    added: Vec<String>,
    id: String,
    summary: String,
    date: String,
    kind: String,
    people: String,
    notes: String,
    /// Every fact the entry records, as the bundle gives them; the child's own words
    /// are shown on their own.
    facts: Vec<Fact>,
    /// When it was written down, as a reader says it: "2 December 2026 at 16:32 UTC".
    written: String,
    recorded: String,
    author: String,
    hash: String,
    unreadable: Option<String>,
    details: Vec<String>,
    words: String,
    files: Vec<File>,
    corrections: Vec<Correction>,
    can_correct: bool,
    /// The letter that usually follows an entry of this kind, and the button's words.
    letter: Option<(&'static str, &'static str)>,
    /// The entry's kind has a form on this site, so every field can be corrected there.
    whole_form: bool,
    form: Fields,
    errors: Vec<(&'static str, String)>,
    /// What the EHC plan check found, when one of the entry's files is a plan.
    plan: Option<PlanShown>,
}

/// A plan's findings, section by section, as the entry's page shows them.
struct PlanShown {
    draft: bool,
    sections: String,
    not_found: String,
    parts: Vec<(String, Vec<PlanFinding>)>,
}

struct PlanFinding {
    what: String,
    quote: String,
    detail: String,
    why: String,
    source: String,
    verify: bool,
}

fn plan_shown(report: casebook_plans::PlanReport) -> PlanShown {
    let letters = |list: &[char]| {
        list.iter()
            .map(char::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts: Vec<(String, Vec<PlanFinding>)> = Vec::new();
    for f in report.findings {
        let section = format!("Section {}", f.section);
        let what = match f.item {
            0 => format!("The section as a whole: {}", f.kind.name()),
            n => format!("Item {n}: {}", f.kind.name()),
        };
        let finding = PlanFinding {
            what,
            quote: f.quote,
            detail: f.detail,
            why: f.why,
            source: f.source,
            verify: f.verify,
        };
        match parts.last_mut() {
            Some((last, found)) if *last == section => found.push(finding),
            _ => parts.push((section, vec![finding])),
        }
    }
    PlanShown {
        draft: report.draft,
        sections: letters(&report.sections),
        not_found: letters(&report.not_found),
        parts,
    }
}

#[derive(Deserialize)]
pub struct EntryPath {
    id: String,
}

#[derive(Deserialize, Default)]
pub struct EntryQuery {
    #[serde(default)]
    saved: Option<String>,
    /// The people the form that saved the entry added to the case, by id.
    #[serde(default)]
    added: Option<String>,
}

fn find(items: &[TimelineItem], id: EntryId) -> Result<&TimelineItem, AppError> {
    items
        .iter()
        .find(|i| i.id == id)
        .ok_or_else(|| AppError::NotFound(format!("There is no entry {id} in this case.")))
}

fn entry_page<S: CaseStore, B: BlobStore>(
    p: &Page<'_, S, B>,
    id: EntryId,
    form: Fields,
    errors: Vec<(&'static str, String)>,
    saved: bool,
) -> Result<EntryPage, AppError> {
    let items = p.file.timeline(&Filter {
        corrections: true,
        unreadable: true,
        ..Filter::default()
    })?;
    let item = find(&items, id)?;
    let shown = row(item);
    let corrections = p
        .file
        .entry_changes(id)?
        .into_iter()
        .map(|c| Correction {
            date: uk_date(c.day),
            reason: c.reason,
            changed: c.changed,
        })
        .collect();
    let words = match &item.facts {
        Some(Facts::Incident(f)) => f.child_words.clone(),
        Some(Facts::Observation(f)) => f.child_words.clone(),
        _ => None,
    };
    Ok(EntryPage {
        chrome: p.chrome.clone(),
        saved,
        added: vec![],
        id: shown.id,
        summary: shown.summary,
        date: shown.date,
        kind: shown.kind,
        notes: shown.notes,
        facts: p
            .file
            .entry_facts(id)?
            .into_iter()
            .filter(|f| f.label != "In the child's own words")
            .collect(),
        people: item
            .people
            .iter()
            .map(|person| person_name(&p.people, *person, false))
            .collect::<Vec<_>>()
            .join(", "),
        written: {
            let at = item.recorded.to_zoned(jiff::tz::TimeZone::UTC).datetime();
            format!(
                "{} at {:02}:{:02} UTC",
                uk_date(at.date()),
                at.hour(),
                at.minute()
            )
        },
        recorded: recorded_text(item.recorded),
        author: item.author.clone(),
        hash: item.hash.to_hex(),
        unreadable: item.unreadable.clone(),
        details: item
            .details
            .as_deref()
            .unwrap_or_default()
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(str::to_owned)
            .collect(),
        words: words.unwrap_or_default(),
        files: item
            .attachments
            .iter()
            .enumerate()
            .map(|(n, a)| File {
                number: n + 1,
                name: a.name.clone(),
                about: format!(
                    "{}, {} bytes, SHA-256 {}",
                    a.media_type,
                    a.size,
                    a.sha256.short()
                ),
            })
            .collect(),
        corrections,
        letter: letter_after(item.facts.as_ref()),
        whole_form: item.facts.is_some() && form_kind(&EntryForm::of(item, &p.people)).is_some(),
        can_correct: p.chrome.can_write
            && item.summary.is_some()
            && !matches!(
                item.facts,
                Some(Facts::Amendment(_) | Facts::Redaction(_) | Facts::Timestamp(_))
            ),
        form,
        errors,
        plan: p.file.plan_check_of(item).map(plan_shown),
    })
}

/// The letter a family usually writes next: an incident reported, a call or meeting
/// confirmed in writing, an absence explained.
fn letter_after(facts: Option<&Facts>) -> Option<(&'static str, &'static str)> {
    match facts? {
        Facts::Incident(_) => Some(("report-bullying", "Write to the school about it")),
        Facts::Communication(c) if c.channel.needs_written_confirmation() => {
            Some(("confirm-in-writing", "Confirm it in writing"))
        }
        Facts::Meeting(m) if !m.requested_only => {
            Some(("confirm-in-writing", "Confirm it in writing"))
        }
        // Kept out by the school: ask whether it was an exclusion, or for the timetable's
        // review; any other absence is explained to the school.
        Facts::Absence(a) if a.informal_exclusion() => {
            Some(("informal-exclusion", "Ask whether it was an exclusion"))
        }
        Facts::Absence(a) if a.reason == AbsenceReason::PartTimeTimetable => {
            Some(("reduced-timetable", "Ask for the timetable to be reviewed"))
        }
        Facts::Absence(_) => Some((
            "notify-illness-absence",
            "Tell the school about the absence",
        )),
        Facts::Document(d) if d.document_type == DocumentType::EhcPlanDraft => {
            Some(("comment-draft-ehc-plan", "Comment on the draft plan"))
        }
        _ => None,
    }
}

pub async fn show<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Path(path): Path<EntryPath>,
    Query(query): Query<EntryQuery>,
) -> Response {
    let what = format!("viewed entry {}", entry_named(&path.id));
    visit
        .run(Need::Read, what, move |p| {
            let id = entry_in_address(&path.id)?;
            let mut shown = entry_page(p, id, Fields::default(), vec![], query.saved.is_some())?;
            shown.added = query
                .added
                .iter()
                .flat_map(|ids| ids.split(','))
                .filter_map(|id| id.parse::<PersonId>().ok())
                .filter_map(|id| p.people.iter().find(|person| person.id == id))
                .map(|person| match &person.pseudonym {
                    Some(pseudonym) => format!(
                        "{} ({}, shown as {pseudonym} in everything you send)",
                        person.name,
                        person.role.phrase()
                    ),
                    None => format!("{} ({})", person.name, person.role.phrase()),
                })
                .collect();
            page(&shown)
        })
        .await
}

/// The words that write an entry as it reads now, and its kind's form on this site
/// (None: it is corrected on its own page, in words, details and date).
fn as_it_reads<S: CaseStore, B: BlobStore>(
    p: &Page<'_, S, B>,
    id: EntryId,
) -> Result<(EntryForm, Option<&'static str>), AppError> {
    let asked = EntryForm::for_entry(&p.file, id)?;
    let slug = form_kind(&asked);
    Ok((asked, slug))
}

/// The form of the entry's kind, filled in as the entry reads now, to correct any of it.
pub async fn correction<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Path(path): Path<EntryPath>,
) -> Response {
    let what = format!("opened the correction of entry {}", entry_named(&path.id));
    visit
        .run(Need::Write, what, move |p| {
            let id = entry_in_address(&path.id)?;
            let (asked, slug) = as_it_reads(p, id)?;
            match slug {
                Some(slug) => page(&correction_page(
                    p,
                    slug,
                    fields_of(&asked, &p.people),
                    vec![],
                    id,
                )?),
                None => see(&p.link(&format!("/entries/{id}#correct"))),
            }
        })
        .await
}

pub async fn amend<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Path(path): Path<EntryPath>,
    form: Form,
) -> Response {
    let what = format!("corrected entry {}", entry_named(&path.id));
    visit
        .run(Need::Write, what, move |p| {
            let id = entry_in_address(&path.id)?;
            let fields = form.fields;
            // The whole form of the entry's kind, or, for what this site has no form
            // for (an email, a decision, an entry that cannot be read), its words and date.
            let (asked, slug) = as_it_reads(p, id)?;
            let (asked, why) = match slug {
                Some(slug) => (filled(asked, slug, &fields), fields.get("why")),
                None => {
                    let mut asked = asked;
                    asked.summary = fields.get("summary").to_owned();
                    asked.details = fields.text("details");
                    if let Some(day) = fields.text("occurred") {
                        asked.when = day;
                    }
                    (asked, fields.get("reason"))
                }
            };
            let problems = match asked.correct(&p.file, id, why, &p.author) {
                Ok(written) => {
                    let added = written
                        .added
                        .iter()
                        .map(|person| person.id.to_string())
                        .collect::<Vec<_>>()
                        .join(",");
                    return see(&p.link(&format!("/entries/{id}?saved=1&added={added}")));
                }
                Err(NotWritten::Failed(e)) => return Err(e),
                Err(NotWritten::Refused(problems)) => problems,
            };
            let errors = problems.into_iter().map(shown);
            match slug {
                Some(slug) => shown_again(&correction_page(p, slug, fields, errors.collect(), id)?),
                None => {
                    let errors = errors
                        .map(|(field, sentence)| match field {
                            "why" => ("reason", sentence),
                            "date" | "future" => ("occurred", sentence),
                            "details" => ("details", sentence),
                            _ => ("summary", sentence),
                        })
                        .collect();
                    shown_again(&entry_page(p, id, fields, errors, false)?)
                }
            }
        })
        .await
}

#[derive(Deserialize)]
pub struct FilePath {
    id: String,
    n: usize,
}

pub async fn file<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Path(path): Path<FilePath>,
) -> Response {
    let what = format!(
        "downloaded file {} of entry {}",
        path.n,
        entry_named(&path.id)
    );
    visit
        .run(Need::Read, what, move |p| {
            let id = entry_in_address(&path.id)?;
            let items = p.file.timeline(&Filter::default())?;
            let item = find(&items, id)?;
            let attachment = path
                .n
                .checked_sub(1)
                .and_then(|n| item.attachments.get(n))
                .ok_or_else(|| AppError::NotFound(format!("Entry {id} has no file {}.", path.n)))?;
            let bytes = p.file.blobs.get(&attachment.sha256)?.ok_or_else(|| {
                AppError::NotFound(format!(
                    "The file {} is missing from the store: `casebook verify` says more.",
                    attachment.name
                ))
            })?;
            download(&attachment.media_type, &attachment.name, bytes)
        })
        .await
}
