//! Requests the family sent and where each stands, recording a new one with its reply
//! date from the rules, and working out any deadline of the rule pack with how it was
//! counted and its source.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use casebook_app::{
    AppError, DeadlineForm, DeadlineInputs, Filter, NewRequest, RequestState, calendar_for,
    rule_pack, school_limits, term_dates,
};
use casebook_domain::{EntryKind, Need, PersonId, Role, parse_date, uk_date};
use casebook_rules::{Deadline, Input, RuleKind};
use casebook_store::{AccountStore, BlobStore, CaseStore};
use serde::Deserialize;

use crate::forms::{Fields, Form};
use crate::visit::{Chrome, Page, Visit, page, see, shown_again};

pub struct Row {
    id: String,
    date: String,
    summary: String,
    state: String,
}

#[derive(Template)]
#[template(path = "requests.html")]
struct RequestsPage {
    chrome: Chrome,
    rows: Vec<Row>,
    rules: Vec<(String, String)>,
    people: Vec<(String, String)>,
    form: Fields,
    errors: Vec<(&'static str, String)>,
}

/// The rules a request can be recorded under: those with a time limit.
fn request_rules(jurisdiction: &str) -> Result<Vec<(String, String)>, AppError> {
    Ok(rule_pack(jurisdiction)?
        .rules
        .iter()
        .filter(|r| r.kind != RuleKind::Step)
        .map(|r| (r.id.clone(), format!("{}: {}", r.procedure, r.step)))
        .collect())
}

/// The people a letter or request can go to: not the children, not the family.
pub fn recipients(people: &[casebook_domain::Person]) -> Vec<(String, String)> {
    people
        .iter()
        .filter(|p| !matches!(p.role, Role::Child | Role::OtherChild | Role::FamilyMember))
        .map(|p| (p.id.to_string(), p.name.clone()))
        .collect()
}

fn requests_page<S: CaseStore, B: BlobStore>(
    p: &Page<'_, S, B>,
    form: Fields,
    errors: Vec<(&'static str, String)>,
) -> Result<RequestsPage, AppError> {
    let rows = p
        .file
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
        chrome: p.chrome.clone(),
        rows,
        rules: request_rules(&p.file.case.jurisdiction)?,
        people: recipients(&p.people),
        form,
        errors,
    })
}

pub async fn list<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
) -> Response {
    visit
        .run(Need::Read, "viewed the requests", |p| {
            let today = p.file.clock.today().to_string();
            page(&requests_page(p, Fields::with("sent", &today), vec![])?)
        })
        .await
}

pub async fn record<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    form: Form,
) -> Response {
    visit
        .run(Need::Write, "recorded a request", move |p| {
            let form = form.fields;
            let mut errors = Vec::new();
            let sent = parse_date(form.get("sent"))
                .map_err(|_| {
                    errors.push((
                        "sent",
                        "Enter the date you sent it, for example 3 March 2026.".to_owned(),
                    ))
                })
                .ok();
            let to = form
                .get("to")
                .parse::<PersonId>()
                .map_err(|_| errors.push(("to", "Choose who you sent it to.".to_owned())))
                .ok();
            if let (Some(sent), Some(to)) = (sent, to) {
                let recorded = p.file.record_request(NewRequest {
                    rule: form.get("rule").to_owned(),
                    sent,
                    to,
                    summary: form.text("summary"),
                    inputs: DeadlineInputs::default(),
                    author: p.author.clone(),
                });
                match recorded {
                    Ok((record, _)) => {
                        return see(&p.link(&format!("/entries/{}?saved=1", record.id())));
                    }
                    Err(AppError::Invalid(why)) => errors.push(("rule", why)),
                    Err(other) => return Err(other),
                }
            }
            shown_again(&requests_page(p, form, errors)?)
        })
        .await
}

#[derive(Template)]
#[template(path = "deadlines.html")]
struct DeadlinePage {
    chrome: Chrome,
    rules: Vec<(String, String)>,
    query: DeadlineQuery,
    problem: String,
    /// The field the problem is at.
    problem_at: &'static str,
    deadline: Option<Deadline>,
    due: String,
    terms_known: bool,
}

#[derive(Deserialize, Default, Clone)]
pub struct DeadlineQuery {
    #[serde(default)]
    rule: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    certificate: String,
}

/// Any deadline of the pack from a date, counted in the case's calendar, with every
/// day it skipped and why, and its source.
pub async fn deadline<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Query(query): Query<DeadlineQuery>,
) -> Response {
    visit
        .run(Need::Read, "worked out a deadline", move |p| {
            let case = &p.file.case;
            let pack = rule_pack(&case.jurisdiction)?;
            let terms = term_dates(p.file.store, case)?;
            let terms_known = terms.is_some();
            let calendar = calendar_for(&pack, terms);
            let mut shown = DeadlinePage {
                chrome: p.chrome.clone(),
                rules: request_rules(&case.jurisdiction)?,
                query: query.clone(),
                problem: String::new(),
                problem_at: "from",
                deadline: None,
                due: String::new(),
                terms_known,
            };
            if query.rule.is_empty() {
                return page(&shown);
            }
            let asked = DeadlineForm {
                rule: query.rule.clone(),
                from: query.from.clone(),
                certificate: query.certificate.clone(),
                ..DeadlineForm::default()
            };
            let limits = school_limits(p.file.store, case)?;
            match asked.work_out(&pack, &calendar, &limits) {
                Ok(d) => {
                    shown.due = uk_date(d.due);
                    shown.deadline = Some(d);
                    page(&shown)
                }
                Err(refused) => {
                    shown.problem_at = match refused.input {
                        Input::Certificate => "certificate",
                        Input::Rule => "rule",
                        _ => "from",
                    };
                    shown.problem = refused.sentence;
                    shown_again(&shown)
                }
            }
        })
        .await
}
