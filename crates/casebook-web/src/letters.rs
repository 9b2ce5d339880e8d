//! Letters: choose one, see it drafted from the case with the tone check and its reply
//! date, and download it as text or for Word.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use casebook_app::{AppError, Draft, Filter, LetterRequest};
use casebook_domain::{EntryId, PersonId, Role, uk_date};
use casebook_letters::{Finding, Templates, to_docx};
use casebook_store::{BlobStore, CaseStore};
use serde::Deserialize;

use crate::Web;
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
struct LetterPage {
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

/// The draft for the chosen person and entry, or why there is none yet.
fn draft<S: CaseStore, B: BlobStore>(
    web: &Web<S, B>,
    file: &casebook_app::CaseFile<'_, S, B>,
    people: &[casebook_domain::Person],
    id: &str,
    choice: &Choice,
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
    match file.draft(template, &request, web.clock.today()) {
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
        let drafted = draft(&web, file, people, &id, &choice)?;
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
        let draft = draft(&web, file, people, &id, &choice)?.map_err(AppError::Invalid)?;
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
