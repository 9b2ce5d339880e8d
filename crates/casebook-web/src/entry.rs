//! One entry: what it says, who was there, its corrections and its attached files, and
//! correcting it (a new entry beside it, never an edit).

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use casebook_app::{AppError, Fact, Filter, TimelineItem, person_name};
use casebook_domain::{EntryId, Facts, Need, Occurred, PersonId, recorded_text, uk_date};
use casebook_store::{AccountStore, BlobStore, CaseStore};
use serde::Deserialize;

use crate::forms::{Fields, Form};
use crate::home::row;
use crate::visit::{Chrome, Page, Visit, download, entry_named, page, see, shown_again};

pub struct Correction {
    pub id: String,
    pub date: String,
    pub summary: String,
    pub reason: String,
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
    form: Fields,
    errors: Vec<(&'static str, String)>,
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
    let corrections = item
        .amended_by
        .iter()
        .filter_map(|a| items.iter().find(|i| i.id == *a))
        .map(|a| Correction {
            id: a.id.to_string(),
            date: uk_date(a.occurred.span().0),
            summary: a.summary.clone().unwrap_or_default(),
            reason: match &a.facts {
                Some(Facts::Amendment(f)) => f.reason.clone(),
                _ => String::new(),
            },
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
        can_correct: p.chrome.can_write
            && item.summary.is_some()
            && !matches!(item.facts, Some(Facts::Amendment(_) | Facts::Redaction(_))),
        form,
        errors,
    })
}

pub async fn show<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Path(path): Path<EntryPath>,
    Query(query): Query<EntryQuery>,
) -> Response {
    let what = format!("viewed entry {}", entry_named(&path.id));
    visit
        .run(Need::Read, what, move |p| {
            let id: EntryId = path.id.parse()?;
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

pub async fn amend<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Path(path): Path<EntryPath>,
    form: Form,
) -> Response {
    let what = format!("corrected entry {}", entry_named(&path.id));
    visit
        .run(Need::Write, what, move |p| {
            let id: EntryId = path.id.parse()?;
            let fields = form.fields;
            let mut errors = Vec::new();
            if fields.get("summary").is_empty() {
                errors.push(("summary", "Write what the entry should say.".to_owned()));
            }
            if fields.get("reason").is_empty() {
                errors.push((
                    "reason",
                    "Say why it is corrected, for example \"Alex told me more\".".to_owned(),
                ));
            }
            let occurred = match fields.get("occurred").trim() {
                "" => None,
                day => Occurred::parse_near(day, p.file.clock.today())
                    .map_err(|e| errors.push(("occurred", e.to_string())))
                    .ok(),
            };
            if errors.is_empty() {
                match p.file.amend(
                    id,
                    fields.get("summary").to_owned(),
                    fields.get("reason").to_owned(),
                    occurred,
                    &p.author,
                ) {
                    Ok(_) => return see(&p.link(&format!("/entries/{id}?saved=1"))),
                    Err(AppError::Invalid(why)) => errors.push(("summary", why)),
                    Err(other) => return Err(other),
                }
            }
            shown_again(&entry_page(p, id, fields, errors, false)?)
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
            let id: EntryId = path.id.parse()?;
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
