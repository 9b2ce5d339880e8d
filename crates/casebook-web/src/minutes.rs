//! The minutes check: the points the family raised at a meeting against the minutes
//! the school sent (pasted, or a text, Word or PDF file), which are missing or worded
//! differently, and the request to correct them drafted from the result.

use askama::Template;
use axum::response::Response;
use casebook_app::{AppError, Filter, LetterRequest, NewEntry, minutes_recipient};
use casebook_domain::{
    DocumentType, EntryId, EntryKind, Facts, Link, Need, Occurred, Relation, facts,
};
use casebook_letters::{Match, PointCheck, minutes_text};
use casebook_store::{AccountStore, BlobStore, CaseStore};

use crate::forms::{Fields, Form};
use crate::letters::templates;
use crate::visit::{Chrome, Page, Visit, page, shown_again};

#[derive(Template)]
#[template(path = "minutes.html")]
struct MinutesPage {
    chrome: Chrome,
    meetings: Vec<(String, String)>,
    form: Fields,
    errors: Vec<(&'static str, String)>,
    checks: Vec<PointCheck>,
    checked: bool,
    subject: String,
    draft: String,
    kept: String,
}

impl MinutesPage {
    fn said(&self, check: &PointCheck) -> &'static str {
        match check.result {
            Match::Found => "In the minutes",
            Match::CheckWording => "Check the wording",
            Match::Missing => "Missing from the minutes",
        }
    }
}

fn minutes_page<S: CaseStore, B: BlobStore>(
    p: &Page<'_, S, B>,
    form: Fields,
    errors: Vec<(&'static str, String)>,
) -> Result<MinutesPage, AppError> {
    let meetings = p
        .file
        .timeline(&Filter {
            kinds: vec![EntryKind::Meeting],
            ..Filter::default()
        })?
        .into_iter()
        .filter(|i| matches!(&i.facts, Some(Facts::Meeting(m)) if !m.points_raised.is_empty()))
        .map(|i| {
            (
                i.id.to_string(),
                format!(
                    "{} {}: {}",
                    i.id,
                    i.occurred_text,
                    i.summary.unwrap_or_default()
                ),
            )
        })
        .collect();
    Ok(MinutesPage {
        chrome: p.chrome.clone(),
        meetings,
        form,
        errors,
        checks: vec![],
        checked: false,
        subject: String::new(),
        draft: String::new(),
        kept: String::new(),
    })
}

pub async fn form<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
) -> Response {
    visit
        .run(Need::Read, "opened the minutes check", |p| {
            page(&minutes_page(p, Fields::default(), vec![])?)
        })
        .await
}

pub async fn check<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    form: Form,
) -> Response {
    // Keeping the minutes in the log writes to the case; only checking them reads it.
    let (need, what) = match form.fields.is("keep", "yes") {
        true => (Need::Write, "checked and kept the minutes of a meeting"),
        false => (Need::Read, "checked the minutes of a meeting"),
    };
    visit
        .run(need, what, move |p| {
            let fields = form.fields.clone();
            let refuse = |field: &'static str, why: String| {
                shown_again(&minutes_page(p, fields.clone(), vec![(field, why)])?)
            };
            let Ok(meeting) = fields.get("meeting").parse::<EntryId>() else {
                return refuse("meeting", "Choose the meeting the minutes are of.".into());
            };
            let items = p.file.timeline(&Filter::default())?;
            let Some(Facts::Meeting(facts)) = items
                .iter()
                .find(|i| i.id == meeting)
                .and_then(|i| i.facts.clone())
            else {
                return refuse("meeting", format!("Entry {meeting} is not a meeting."));
            };
            let file = form.files("minutes_file").into_iter().next();
            let text = match (&file, fields.get("minutes_text")) {
                (Some(file), _) => match minutes_text(&file.name, &file.bytes) {
                    Ok(text) => text,
                    Err(e) => return refuse("minutes_file", e.to_string()),
                },
                (None, "") => {
                    return refuse(
                        "minutes_text",
                        "Paste the minutes, or choose the file they came in.".into(),
                    );
                }
                (None, pasted) => pasted.to_owned(),
            };
            let checks = p.file.check_minutes(&facts.points_raised, &text)?;
            let of = |wanted: Match| -> Vec<String> {
                checks
                    .iter()
                    .filter(|c| c.result == wanted)
                    .map(|c| c.point.clone())
                    .collect()
            };
            let (missing, weak) = (of(Match::Missing), of(Match::CheckWording));
            let mut shown = minutes_page(p, fields.clone(), vec![])?;
            shown.checked = true;
            if !missing.is_empty() || !weak.is_empty() {
                // The request to correct them goes to someone who was there.
                let Some(to) = minutes_recipient(&facts, &p.people, None) else {
                    return refuse(
                        "minutes_text",
                        "Nobody from the school or the council is recorded at this meeting: add who was there to the meeting, then check the minutes again.".into(),
                    );
                };
                let to = Some(to);
                let templates = templates()?;
                let template = templates
                    .get("amend-minutes")
                    .map_err(|e| AppError::Invalid(e.to_string()))?;
                let about = [meeting];
                let request = LetterRequest {
                    to,
                    about: &about,
                    family: &p.author,
                    missing: &missing,
                    weak: &weak,
                    wants_mediation: false,
                    ..Default::default()
                };
                let draft = p.file.draft(template, &request, p.file.clock.today())?;
                shown.subject = draft.letter.subject;
                shown.draft = draft.letter.body;
            }
            if fields.is("keep", "yes") {
                let attachment = file.unwrap_or_else(|| casebook_app::NewAttachment {
                    name: "minutes.txt".into(),
                    bytes: text.into_bytes(),
                });
                let record = p.file.log(NewEntry {
                    occurred: Occurred::on(p.file.clock.today())?,
                    author: p.author.clone(),
                    summary: format!("Minutes of the meeting {meeting}, as the school sent them"),
                    details: None,
                    sources: vec!["the school's minutes".into()],
                    facts: Facts::Document(facts::Document {
                        document_type: DocumentType::Minutes,
                        title: None,
                        issued_by: None,
                    }),
                    links: vec![Link {
                        rel: Relation::MinutesOf,
                        target: meeting,
                    }],
                    attachments: vec![attachment],
                })?;
                shown.kept = record.id().to_string();
            }
            shown.checks = checks;
            page(&shown)
        })
        .await
}
