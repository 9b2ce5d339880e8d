//! The pages. Each handler opens the case through casebook-app, does one thing and
//! renders one template; every value reaches the page through askama, which escapes it.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use casebook_app::{
    AppError, CaseFile, Filter, Item, NewEntry, Step, TimelineItem, choose_case, find_person,
    person_name,
};
use casebook_domain::{
    Case, Category, EntryId, EntryKind, Facts, Occurred, Person, facts, uk_date,
};
use casebook_store::{BlobStore, CaseStore};
use serde::Deserialize;

use crate::Web;

type Shared<S, B> = State<Arc<Web<S, B>>>;

/// Opens the case and runs `work` on it.
pub(crate) fn with_case<S: CaseStore, B: BlobStore, T>(
    web: &Web<S, B>,
    work: impl FnOnce(&CaseFile<'_, S, B>, &[Person]) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let case: Case = choose_case(&web.store, web.case_slug.as_deref())?;
    let people = web.store.people(case.id)?;
    let file = CaseFile {
        store: &web.store,
        blobs: &web.blobs,
        clock: web.clock.as_ref(),
        case,
    };
    work(&file, &people)
}

/// The page, or a page that says in one sentence why not.
pub(crate) fn answer<T: Template>(result: Result<T, AppError>) -> Response {
    match result {
        Ok(template) => page(&template),
        Err(e) => refused(&e),
    }
}

/// A form shown again after it was refused, with the family's words and the reasons.
pub(crate) fn shown_again<T: Template>(result: Result<T, AppError>) -> Response {
    let mut response = answer(result);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

pub(crate) fn refused(e: &AppError) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Html(problem(&e.to_string())),
    )
        .into_response()
}

fn problem(sentence: &str) -> String {
    let page = Problem { sentence };
    page.render().unwrap_or_else(|_| sentence.to_owned())
}

#[derive(Template)]
#[template(
    source = "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>casebook</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body><main id=\"main\"><h1>Not done</h1><p>{{ sentence }}</p><p><a href=\"/\">Back to what to do now</a></p></main></body></html>",
    ext = "html"
)]
struct Problem<'a> {
    sentence: &'a str,
}

pub(crate) fn page(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Html(problem(&format!("The page could not be drawn: {e}."))),
        )
            .into_response(),
    }
}

pub async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("style.css"),
    )
        .into_response()
}

pub struct Section {
    pub title: &'static str,
    pub items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    child: String,
    setting: String,
    today: String,
    sections: Vec<Section>,
    steps: Vec<Step>,
    nothing: bool,
}

pub async fn home<S: CaseStore, B: BlobStore>(State(web): Shared<S, B>) -> Response {
    let result = with_case(&web, |file, _| {
        let next = file.what_to_do_now()?;
        let sections: Vec<Section> = [
            ("Late", next.late),
            ("Due soon", next.due),
            ("Confirm in writing", next.confirm),
            ("Asked for and still waiting", next.waiting),
        ]
        .into_iter()
        .filter(|(_, items)| !items.is_empty())
        .map(|(title, items)| Section { title, items })
        .collect();
        Ok(Home {
            child: file.case.child.name.clone(),
            setting: file.case.setting.name.clone(),
            today: uk_date(next.today),
            nothing: sections.is_empty() && next.steps.is_empty(),
            sections,
            steps: next.steps,
        })
    });
    answer(result)
}

pub struct Row {
    pub id: String,
    pub date: String,
    pub kind: String,
    pub summary: String,
    pub notes: String,
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct Timeline {
    child: String,
    setting: String,
    q: String,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    rows: Vec<Row>,
}

impl Timeline {
    fn selected(&self, slug: &str) -> bool {
        self.kind == slug
    }
}

#[derive(Deserialize, Default)]
pub struct TimelineQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
}

pub async fn timeline<S: CaseStore, B: BlobStore>(
    State(web): Shared<S, B>,
    Query(query): Query<TimelineQuery>,
) -> Response {
    let result = with_case(&web, |file, people| {
        let mut filter = Filter::default();
        if !query.kind.is_empty() {
            filter.kinds.push(EntryKind::parse(&query.kind)?);
        }
        let wanted = query.q.trim().to_lowercase();
        let rows = file
            .timeline(&filter)?
            .iter()
            .filter(|item| wanted.is_empty() || mentions(item, people, &wanted))
            .map(row)
            .collect();
        Ok(Timeline {
            child: file.case.child.name.clone(),
            setting: file.case.setting.name.clone(),
            kinds: EntryKind::ALL
                .iter()
                .filter(|k| !matches!(k, EntryKind::Amendment | EntryKind::Redaction))
                .map(|k| (k.slug(), k.phrase()))
                .collect(),
            q: query.q.clone(),
            kind: query.kind.clone(),
            rows,
        })
    });
    answer(result)
}

/// Whether an entry's words or people mention what was searched for.
fn mentions(item: &TimelineItem, people: &[Person], wanted: &str) -> bool {
    let text = [item.summary.as_deref(), item.details.as_deref()]
        .into_iter()
        .flatten()
        .any(|t| t.to_lowercase().contains(wanted));
    text || item.people.iter().any(|p| {
        person_name(people, *p, false)
            .to_lowercase()
            .contains(wanted)
    })
}

fn row(item: &TimelineItem) -> Row {
    let mut notes = Vec::new();
    if item.unconfirmed {
        notes.push("not yet confirmed in writing".to_owned());
    }
    if !item.amended_by.is_empty() {
        notes.push("corrected".to_owned());
    }
    if !item.attachments.is_empty() {
        notes.push(format!("{} attached", item.attachments.len()));
    }
    Row {
        id: item.id.to_string(),
        date: item.occurred_text.clone(),
        kind: item
            .channel
            .map_or(item.kind.phrase(), |c| c.phrase())
            .to_owned(),
        summary: item.summary.clone().unwrap_or_else(|| "[removed]".into()),
        notes: notes.join(", "),
    }
}

#[derive(Template)]
#[template(path = "entry.html")]
struct Entry {
    child: String,
    setting: String,
    saved: bool,
    id: String,
    summary: String,
    date: String,
    kind: String,
    people: String,
    notes: String,
    recorded: String,
    hash: String,
    details: Vec<String>,
    attachments: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct EntryQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub async fn entry<S: CaseStore, B: BlobStore>(
    State(web): Shared<S, B>,
    Path(id): Path<String>,
    Query(query): Query<EntryQuery>,
) -> Response {
    let result = with_case(&web, |file, people| {
        let id: EntryId = id.parse()?;
        let items = file.timeline(&Filter {
            corrections: true,
            ..Filter::default()
        })?;
        let item = items
            .iter()
            .find(|i| i.id == id)
            .ok_or_else(|| AppError::Invalid(format!("There is no entry {id} in this case.")))?;
        let row = row(item);
        Ok(Entry {
            child: file.case.child.name.clone(),
            setting: file.case.setting.name.clone(),
            saved: query.saved.is_some(),
            id: row.id,
            summary: row.summary,
            date: row.date,
            kind: row.kind,
            notes: row.notes,
            people: item
                .people
                .iter()
                .map(|p| person_name(people, *p, false))
                .collect::<Vec<_>>()
                .join(", "),
            recorded: casebook_domain::recorded_text(item.recorded),
            hash: item.hash.to_hex(),
            details: item
                .details
                .as_deref()
                .unwrap_or_default()
                .split("\n\n")
                .filter(|p| !p.trim().is_empty())
                .map(str::to_owned)
                .collect(),
            attachments: item
                .attachments
                .iter()
                .map(|a| {
                    format!(
                        "{} ({} bytes, SHA-256 {})",
                        a.name,
                        a.size,
                        a.sha256.short()
                    )
                })
                .collect(),
        })
    });
    answer(result)
}

/// What the incident form holds, as typed, so a refused form comes back intact.
#[derive(Default)]
pub struct IncidentForm {
    pub date: String,
    pub time: String,
    pub summary: String,
    pub details: String,
    pub child_words: String,
    pub place: String,
    pub witnesses: String,
    pub categories: Vec<String>,
}

impl IncidentForm {
    fn checked(&self, slug: &str) -> bool {
        self.categories.iter().any(|c| c == slug)
    }

    fn read(bytes: &[u8]) -> IncidentForm {
        let mut form = IncidentForm::default();
        for (name, value) in form_urlencoded::parse(bytes) {
            let value = value.into_owned();
            match name.as_ref() {
                "date" => form.date = value,
                "time" => form.time = value,
                "summary" => form.summary = value,
                "details" => form.details = value,
                "child_words" => form.child_words = value,
                "place" => form.place = value,
                "witnesses" => form.witnesses = value,
                "category" => form.categories.push(value),
                _ => {}
            }
        }
        form
    }
}

#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage<'a> {
    child: String,
    setting: String,
    token: &'a str,
    form: IncidentForm,
    /// (field id, what to do), linked from the error summary.
    errors: Vec<(&'static str, String)>,
    categories: Vec<(&'static str, &'static str)>,
}

fn incident_page<'a, S, B>(
    web: &'a Web<S, B>,
    case: &Case,
    form: IncidentForm,
    errors: Vec<(&'static str, String)>,
) -> IncidentPage<'a> {
    IncidentPage {
        child: case.child.name.clone(),
        setting: case.setting.name.clone(),
        token: &web.token,
        form,
        errors,
        categories: Category::ALL
            .iter()
            .map(|c| (c.slug(), c.phrase()))
            .collect(),
    }
}

pub async fn incident_form<S: CaseStore, B: BlobStore>(State(web): Shared<S, B>) -> Response {
    let today = web.clock.today().to_string();
    let result = with_case(&web, |file, _| {
        Ok(incident_page(
            &web,
            &file.case,
            IncidentForm {
                date: today,
                ..IncidentForm::default()
            },
            vec![],
        ))
    });
    answer(result)
}

pub async fn log_incident<S: CaseStore, B: BlobStore>(
    State(web): Shared<S, B>,
    RawForm(bytes): RawForm,
) -> Response {
    let form = IncidentForm::read(&bytes);
    let result = with_case(&web, |file, people| {
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let when = if form.time.trim().is_empty() {
            form.date.trim().to_owned()
        } else {
            format!("{}T{}", form.date.trim(), form.time.trim())
        };
        let occurred = Occurred::parse(&when)
            .map_err(|_| {
                errors.push((
                    "date",
                    "Enter the date it happened, for example 3 March 2026.".into(),
                ))
            })
            .ok();
        if form.summary.trim().is_empty() {
            errors.push(("summary", "Write a few words about what happened.".into()));
        }
        let mut witnesses = Vec::new();
        for name in form
            .witnesses
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            match find_person(people, name) {
                Ok(person) => witnesses.push(person.id),
                Err(e) => errors.push(("witnesses", e.to_string())),
            }
        }
        let mut categories = Vec::new();
        for slug in &form.categories {
            match Category::parse(slug) {
                Ok(c) => categories.push(c),
                Err(e) => errors.push(("category", e.to_string())),
            }
        }
        let (Some(occurred), true) = (occurred, errors.is_empty()) else {
            return Ok(Err(errors));
        };
        let text = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
        let logged = file.log(NewEntry {
            occurred,
            author: web.author.clone(),
            summary: form.summary.trim().to_owned(),
            details: text(&form.details),
            sources: vec!["written down in casebook".into()],
            facts: Facts::Incident(facts::Incident {
                place: text(&form.place),
                categories,
                witnesses,
                child_words: text(&form.child_words),
                ..facts::Incident::default()
            }),
            links: vec![],
            attachments: vec![],
        });
        match logged {
            Ok(record) => Ok(Ok(record.id())),
            Err(AppError::Invalid(why)) => Ok(Err(vec![("summary", why)])),
            Err(other) => Err(other),
        }
    });
    match result {
        Err(e) => refused(&e),
        Ok(Ok(id)) => Redirect::to(&format!("/entries/{id}?saved=1")).into_response(),
        Ok(Err(errors)) => shown_again(
            choose_case(&web.store, web.case_slug.as_deref())
                .map(|case| incident_page(&web, &case, form, errors)),
        ),
    }
}
