//! The people in the case: who they are, how to reach them, and adding someone.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use casebook_app::{AppError, NewPerson, add_person};
use casebook_domain::{Need, Role};
use casebook_store::{AccountStore, BlobStore, CaseStore};
use serde::Deserialize;

use crate::forms::{Fields, Form};
use crate::home::shown_name;
use crate::visit::{Chrome, Page, Visit, page, see, shown_again};

pub struct Row {
    name: String,
    role: &'static str,
    contact: String,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    chrome: Chrome,
    added: bool,
    people: Vec<Row>,
    roles: Vec<(&'static str, &'static str)>,
    form: Fields,
    errors: Vec<(&'static str, String)>,
}

fn people_page<S, B>(
    p: &Page<'_, S, B>,
    form: Fields,
    errors: Vec<(&'static str, String)>,
    added: bool,
) -> PeoplePage {
    PeoplePage {
        chrome: p.chrome.clone(),
        added,
        people: p
            .people
            .iter()
            .map(|person| Row {
                name: shown_name(person),
                role: person.role.phrase(),
                contact: [&person.organisation, &person.email, &person.phone]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        roles: Role::ALL.iter().map(|r| (r.slug(), r.phrase())).collect(),
        form,
        errors,
    }
}

#[derive(Deserialize, Default)]
pub struct PeopleQuery {
    #[serde(default)]
    added: Option<String>,
}

pub async fn list<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Query(query): Query<PeopleQuery>,
) -> Response {
    visit
        .run(Need::Read, "viewed the people in the case", move |p| {
            page(&people_page(
                p,
                Fields::default(),
                vec![],
                query.added.is_some(),
            ))
        })
        .await
}

pub async fn add<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    form: Form,
) -> Response {
    visit
        .run(Need::Write, "added a person to the case", move |p| {
            let form = form.fields;
            let errors = match Role::parse(form.get("role")) {
                Err(e) => vec![("role", e.to_string())],
                Ok(role) => {
                    let new = NewPerson {
                        name: form.get("name").to_owned(),
                        role,
                        organisation: form.text("organisation"),
                        email: form.text("email"),
                        phone: form.text("phone"),
                    };
                    match add_person(p.file.store, &p.file.case, new) {
                        Ok(_) => return see(&p.link("/people?added=1")),
                        Err(AppError::Invalid(why)) => vec![("name", why)],
                        Err(other) => return Err(other),
                    }
                }
            };
            shown_again(&people_page(p, form, errors, false))
        })
        .await
}
