//! The minutes check: the points the family raised at a meeting against the minutes
//! the school sent (pasted, or a text, Word or PDF file), which are missing or worded
//! differently, and the request to correct them drafted from the result.

use askama::Template;
use axum::response::Response;
use casebook_app::{AppError, Filter, MinutesField, MinutesForm, MinutesRefused, NewEntry};
use casebook_domain::{
    DocumentType, EntryKind, Facts, Link, Need, Occurred, Relation, facts, uk_date,
};
use casebook_letters::{Match, PointCheck, minutes_text};
use casebook_store::{AccountStore, BlobStore, CaseStore};

use crate::forms::{Fields, Form};
use crate::home::entry_choice;
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
        .filter_map(|i| entry_choice(&i))
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
            let file = form.files("minutes_file").into_iter().next();
            let text = match &file {
                Some(file) => match minutes_text(&file.name, &file.bytes) {
                    Ok(text) => text,
                    Err(e) => return refuse("minutes_file", e.to_string()),
                },
                None => fields.get("minutes_text").to_owned(),
            };
            let asked = MinutesForm {
                meeting: fields.get("meeting").to_owned(),
                minutes: text.clone(),
                to: None,
            };
            let checked = match p.file.minutes_check(&asked, &templates()?, &p.author) {
                Ok(checked) => checked,
                Err(MinutesRefused::Failed(e)) => return Err(e),
                Err(MinutesRefused::At(field, sentence)) => {
                    return match field {
                        MinutesField::Meeting => refuse("meeting", sentence),
                        MinutesField::Minutes => refuse("minutes_text", sentence),
                        MinutesField::To => refuse(
                            "minutes_text",
                            format!("{sentence} Correct the meeting to add who was there, then check the minutes again."),
                        ),
                    };
                }
            };
            let meeting = checked.meeting.id;
            let mut shown = minutes_page(p, fields.clone(), vec![])?;
            shown.checked = true;
            if let Some(letter) = checked.request {
                shown.subject = letter.subject;
                shown.draft = letter.body;
            }
            if fields.is("keep", "yes") {
                let attachment = file.unwrap_or_else(|| casebook_app::NewAttachment {
                    name: "minutes.txt".into(),
                    bytes: text.into_bytes(),
                });
                let record = p.file.log(NewEntry {
                    occurred: Occurred::on(p.file.clock.today())?,
                    author: p.author.clone(),
                    summary: format!(
                        "Minutes of the meeting of {}, as the school sent them",
                        uk_date(checked.meeting.occurred.earliest())
                    ),
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
            shown.checks = checked.checks;
            page(&shown)
        })
        .await
}
