//! Letters: choose one, see it drafted from the case with the tone check and its reply
//! date, and download it as text or for Word.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use casebook_app::{AppError, Draft, Filter, LetterRequest, SentLetter};
use casebook_domain::{Channel, EntryId, PersonId, Role, parse_date, uk_date};
use casebook_letters::{Finding, Templates, to_docx};
use casebook_store::{BlobStore, CaseStore};
use serde::Deserialize;

use crate::Web;
use crate::logging::Fields;
use crate::pages::{answer, refused, with_case};

fn templates() -> Result<Templates, AppError> {
    Templates::load(None).map_err(|e| AppError::Invalid(e.to_string()))
}

#[derive(Template)]
#[template(path = "letters.html")]
struct LettersPage {
    child: String,
    setting: String,
    templates: Vec<(String, String, String)>,
}

pub async fn list<S: CaseStore, B: BlobStore>(State(web): State<Arc<Web<S, B>>>) -> Response {
    answer(with_case(&web, |file, _| {
        Ok(LettersPage {
            child: file.case.child.name.clone(),
            setting: file.case.setting.name.clone(),
            templates: templates()?
                .list()
                .map(|t| (t.id.clone(), t.title.clone(), t.when.clone()))
                .collect(),
        })
    }))
}

#[derive(Deserialize, Default)]
pub struct Choice {
    #[serde(default)]
    to: String,
    #[serde(default)]
    about: String,
    #[serde(default)]
    format: String,
}

#[derive(Template)]
#[template(path = "letter.html")]
struct LetterPage<'a> {
    token: &'a str,
    today: String,
    child: String,
    setting: String,
    id: String,
    title: String,
    when: String,
    to: String,
    about: String,
    people: Vec<(String, String)>,
    entries: Vec<(String, String)>,
    problem: String,
    subject: String,
    body: Vec<String>,
    reply_by: String,
    findings: Vec<Finding>,
}

/// The draft for the chosen person and entry as of `date`, or why there is none yet.
fn draft<S: CaseStore, B: BlobStore>(
    web: &Web<S, B>,
    file: &casebook_app::CaseFile<'_, S, B>,
    people: &[casebook_domain::Person],
    id: &str,
    choice: &Choice,
    date: jiff::civil::Date,
) -> Result<Result<Draft, String>, AppError> {
    let templates = templates()?;
    let template = templates
        .get(id)
        .map_err(|e| AppError::Invalid(e.to_string()))?;
    let to = match choice.to.parse::<PersonId>() {
        Ok(id) => people.iter().find(|p| p.id == id),
        Err(_) => None,
    };
    let about: Vec<EntryId> = choice.about.parse().into_iter().collect();
    let request = LetterRequest {
        to,
        about: &about,
        family: &web.author,
        missing: &[],
        weak: &[],
        wants_mediation: false,
    };
    match file.draft(template, &request, date) {
        Ok(draft) => Ok(Ok(draft)),
        Err(AppError::Invalid(why)) => Ok(Err(why)),
        Err(other) => Err(other),
    }
}

pub async fn show<S: CaseStore, B: BlobStore>(
    State(web): State<Arc<Web<S, B>>>,
    Path(id): Path<String>,
    Query(choice): Query<Choice>,
) -> Response {
    answer(with_case(&web, |file, people| {
        let templates = templates()?;
        let template = templates
            .get(&id)
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        let drafted = draft(&web, file, people, &id, &choice, web.clock.today())?;
        let entries = file
            .timeline(&Filter::default())?
            .iter()
            .rev()
            .filter_map(|i| {
                Some((
                    i.id.to_string(),
                    format!("{} {}: {}", i.id, i.occurred_text, i.summary.as_deref()?),
                ))
            })
            .collect();
        let mut page = LetterPage {
            token: &web.token,
            today: web.clock.today().to_string(),
            child: file.case.child.name.clone(),
            setting: file.case.setting.name.clone(),
            id: template.id.clone(),
            title: template.title.clone(),
            when: template.when.clone(),
            to: choice.to.clone(),
            about: choice.about.clone(),
            people: people
                .iter()
                .filter(|p| !matches!(p.role, Role::Child | Role::OtherChild | Role::FamilyMember))
                .map(|p| (p.id.to_string(), p.name.clone()))
                .collect(),
            entries,
            problem: String::new(),
            subject: String::new(),
            body: vec![],
            reply_by: String::new(),
            findings: vec![],
        };
        match drafted {
            Ok(draft) => {
                page.subject = draft.letter.subject;
                page.body = draft.letter.body.split("\n\n").map(str::to_owned).collect();
                page.reply_by = draft.reply_by.map(uk_date).unwrap_or_default();
                page.findings = draft.findings;
            }
            Err(why) => page.problem = why,
        }
        Ok(page)
    }))
}

pub async fn download<S: CaseStore, B: BlobStore>(
    State(web): State<Arc<Web<S, B>>>,
    Path(id): Path<String>,
    Query(choice): Query<Choice>,
) -> Response {
    let result = with_case(&web, |file, people| {
        let draft = draft(&web, file, people, &id, &choice, web.clock.today())?
            .map_err(AppError::Invalid)?;
        let date = uk_date(web.clock.today());
        match choice.format.as_str() {
            "docx" => Ok((
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx",
                to_docx(&draft.letter, &date).map_err(|e| AppError::Invalid(e.to_string()))?,
            )),
            _ => Ok((
                "text/plain; charset=utf-8",
                "txt",
                format!(
                    "{date}\n\nSubject: {}\n\n{}",
                    draft.letter.subject, draft.letter.body
                )
                .into_bytes(),
            )),
        }
    });
    match result {
        Ok((kind, extension, bytes)) => (
            [
                (header::CONTENT_TYPE, kind.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{id}.{extension}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => refused(&e),
    }
}

/// Records the letter as sent on the date given, drafted as of that date.
pub async fn sent<S: CaseStore, B: BlobStore>(
    State(web): State<Arc<Web<S, B>>>,
    Path(id): Path<String>,
    RawForm(bytes): RawForm,
) -> Response {
    let form = Fields::read(&bytes);
    let choice = Choice {
        to: form.get("to").to_owned(),
        about: form.get("about").to_owned(),
        format: String::new(),
    };
    let result = with_case(&web, |file, people| {
        let date = parse_date(form.get("sent"))?;
        let drafted = draft(&web, file, people, &id, &choice, date)?.map_err(AppError::Invalid)?;
        let templates = templates()?;
        let template = templates
            .get(&id)
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        let to = choice
            .to
            .parse::<PersonId>()
            .ok()
            .and_then(|p| people.iter().find(|x| x.id == p));
        let about: Vec<EntryId> = choice.about.parse().into_iter().collect();
        file.record_letter_sent(&SentLetter {
            draft: &drafted,
            reply: template.reply.as_deref(),
            to,
            about: &about,
            date,
            channel: if form.is("channel", "letter") {
                Channel::Letter
            } else {
                Channel::Email
            },
            author: &web.author,
        })
    });
    match result {
        Ok(ids) => match ids.first() {
            Some(first) => Redirect::to(&format!("/entries/{first}?saved=1")).into_response(),
            None => Redirect::to("/").into_response(),
        },
        Err(e) => refused(&e),
    }
}
