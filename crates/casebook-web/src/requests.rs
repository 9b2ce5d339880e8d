//! Requests the family sent and where each stands, and recording a new one with its
//! reply date from the rules.

use std::sync::Arc;

use askama::Template;
use axum::extract::{RawForm, State};
use axum::response::{IntoResponse, Redirect, Response};
use casebook_app::{AppError, DeadlineInputs, Filter, NewRequest, RequestState, rule_pack};
use casebook_domain::{EntryKind, Person, PersonId, Role, parse_date, uk_date};
use casebook_store::{BlobStore, CaseStore};

use crate::Web;
use crate::logging::Fields;
use crate::pages::{answer, refused, shown_again, with_case};

pub struct Row {
    id: String,
    date: String,
    summary: String,
    state: String,
}

#[derive(Template)]
#[template(path = "requests.html")]
struct RequestsPage<'a> {
    child: String,
    setting: String,
    token: &'a str,
    rows: Vec<Row>,
    rules: Vec<(String, String)>,
    people: Vec<(String, String)>,
    form: Fields,
    errors: Vec<(&'static str, String)>,
}

fn requests_page<'a, S: CaseStore, B: BlobStore>(
    web: &'a Web<S, B>,
    file: &casebook_app::CaseFile<'_, S, B>,
    people: &[Person],
    form: Fields,
    errors: Vec<(&'static str, String)>,
) -> Result<RequestsPage<'a>, AppError> {
    let pack = rule_pack(&file.case.jurisdiction)?;
    let rows = file
        .timeline(&Filter {
            kinds: vec![EntryKind::Request],
            ..Filter::default()
        })?
        .into_iter()
        .map(|item| Row {
            id: item.id.to_string(),
            date: uk_date(item.occurred.span().0),
            summary: item.summary.clone().unwrap_or_else(|| "[removed]".into()),
            state: match item.request {
                Some(RequestState::Open { due: Some(due) }) => {
                    format!("Waiting: due {}", uk_date(due))
                }
                Some(RequestState::Open { due: None }) => "Waiting".into(),
                Some(RequestState::Late { due, days_late }) => {
                    format!("Late: due {}, {days_late} days ago", uk_date(due))
                }
                Some(RequestState::Answered { by }) => format!("Answered ({by})"),
                Some(RequestState::Withdrawn { by }) => format!("Withdrawn ({by})"),
                None => String::new(),
            },
        })
        .collect();
    Ok(RequestsPage {
        child: file.case.child.name.clone(),
        setting: file.case.setting.name.clone(),
        token: &web.token,
        rows,
        rules: pack
            .rules
            .iter()
            .filter(|r| r.limit.is_some() || !r.options.is_empty())
            .map(|r| (r.id.clone(), format!("{}: {}", r.procedure, r.step)))
            .collect(),
        people: people
            .iter()
            .filter(|p| !matches!(p.role, Role::Child | Role::OtherChild | Role::FamilyMember))
            .map(|p| (p.id.to_string(), p.name.clone()))
            .collect(),
        form,
        errors,
    })
}

pub async fn list<S: CaseStore, B: BlobStore>(State(web): State<Arc<Web<S, B>>>) -> Response {
    let today = web.clock.today().to_string();
    answer(with_case(&web, |file, people| {
        requests_page(&web, file, people, Fields::with("sent", &today), vec![])
    }))
}

pub async fn record<S: CaseStore, B: BlobStore>(
    State(web): State<Arc<Web<S, B>>>,
    RawForm(bytes): RawForm,
) -> Response {
    let form = Fields::read(&bytes);
    let result = with_case(&web, |file, _| {
        let Ok(sent) = parse_date(form.get("sent")) else {
            return Ok(Err(vec![(
                "sent",
                "Enter the date you sent it, for example 3 March 2026.".to_owned(),
            )]));
        };
        let Ok(to) = form.get("to").parse::<PersonId>() else {
            return Ok(Err(vec![("to", "Choose who you sent it to.".to_owned())]));
        };
        let recorded = file.record_request(NewRequest {
            rule: form.get("rule").to_owned(),
            sent,
            to,
            summary: Some(form.get("summary").to_owned()),
            inputs: DeadlineInputs::default(),
            author: web.author.clone(),
        });
        match recorded {
            Ok((record, _)) => Ok(Ok(record.id())),
            Err(AppError::Invalid(why)) => Ok(Err(vec![("rule", why)])),
            Err(other) => Err(other),
        }
    });
    match result {
        Err(e) => refused(&e),
        Ok(Ok(id)) => Redirect::to(&format!("/entries/{id}?saved=1")).into_response(),
        Ok(Err(errors)) => shown_again(with_case(&web, |file, people| {
            requests_page(&web, file, people, form, errors)
        })),
    }
}
