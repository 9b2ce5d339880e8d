//! The people in the case: who they are, how to reach them, and adding someone.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, RawForm, State};
use axum::response::{IntoResponse, Redirect, Response};
use casebook_app::{AppError, NewPerson, add_person};
use casebook_domain::{Person, Role};
use casebook_store::{BlobStore, CaseStore};
use serde::Deserialize;

use crate::Web;
use crate::logging::Fields;
use crate::pages::{answer, refused, shown_again, with_case};

pub struct Row {
    name: String,
    role: &'static str,
    contact: String,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage<'a> {
    child: String,
    setting: String,
    token: &'a str,
    added: bool,
    people: Vec<Row>,
    roles: Vec<(&'static str, &'static str)>,
    form: Fields,
    errors: Vec<(&'static str, String)>,
}

fn people_page<'a, S, B>(
    web: &'a Web<S, B>,
    case: &casebook_domain::Case,
    people: &[Person],
    form: Fields,
    errors: Vec<(&'static str, String)>,
    added: bool,
) -> PeoplePage<'a> {
    PeoplePage {
        child: case.child.name.clone(),
        setting: case.setting.name.clone(),
        token: &web.token,
        added,
        people: people
            .iter()
            .map(|p| Row {
                name: match &p.pseudonym {
                    Some(pseudonym) => format!("{pseudonym} ({})", p.name),
                    None => p.name.clone(),
                },
                role: p.role.phrase(),
                contact: [&p.organisation, &p.email, &p.phone]
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

pub async fn list<S: CaseStore, B: BlobStore>(
    State(web): State<Arc<Web<S, B>>>,
    Query(query): Query<PeopleQuery>,
) -> Response {
    answer(with_case(&web, |file, people| {
        Ok(people_page(
            &web,
            &file.case,
            people,
            Fields::default(),
            vec![],
            query.added.is_some(),
        ))
    }))
}

pub async fn add<S: CaseStore, B: BlobStore>(
    State(web): State<Arc<Web<S, B>>>,
    RawForm(bytes): RawForm,
) -> Response {
    let form = Fields::read(&bytes);
    let text = |name: &str| Some(form.get(name).to_owned()).filter(|t| !t.is_empty());
    let result = with_case(&web, |file, _| {
        let role = match Role::parse(form.get("role")) {
            Ok(role) => role,
            Err(e) => return Ok(Err(vec![("role", e.to_string())])),
        };
        let new = NewPerson {
            name: form.get("name").to_owned(),
            role,
            organisation: text("organisation"),
            email: text("email"),
            phone: text("phone"),
        };
        match add_person(&web.store, &file.case, new) {
            Ok(_) => Ok(Ok(())),
            Err(AppError::Invalid(why)) => Ok(Err(vec![("name", why)])),
            Err(other) => Err(other),
        }
    });
    match result {
        Err(e) => refused(&e),
        Ok(Ok(())) => Redirect::to("/people?added=1").into_response(),
        Ok(Err(errors)) => shown_again(with_case(&web, |file, people| {
            Ok(people_page(&web, &file.case, people, form, errors, false))
        })),
    }
}
