//! Opening a case for a page. Every case page goes through [`Visit::run`]: it takes who
//! is asking from the guard and the case from the address, and opens the case through
//! casebook-app's `open_case`, which checks the role and writes the access log. The
//! work runs on the blocking pool, since the store is synchronous.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use casebook_app::{Actor, AppError, CaseFile, open_case, record_access};
use casebook_domain::{EntryId, Need, Person};
use casebook_store::{AccountStore, BlobStore, CaseStore, StoreError};

use crate::Web;
use crate::guard::{Visitor, refuse};

/// What the frame of every case page shows: whose case, the menu, who is signed in.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub child: String,
    pub setting: String,
    /// "/cases/<slug>": every link on a case page starts with it.
    pub base: String,
    pub can_write: bool,
    pub can_share: bool,
    /// The signed-in account's name, in organisation mode.
    pub signed_in: String,
    pub token: String,
}

/// A case opened for one page.
pub struct Page<'a, S, B> {
    pub file: CaseFile<'a, S, B>,
    pub people: Vec<Person>,
    pub actor: &'a Actor,
    pub chrome: Chrome,
    /// Who entries made on this page are recorded as.
    pub author: String,
    pub web: &'a Web<S, B>,
}

impl<S, B> Page<'_, S, B> {
    /// A page of this case ("/timeline" becomes "/cases/<slug>/timeline").
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.chrome.base)
    }
}

/// A request for a page of one case.
pub struct Visit<S, B> {
    pub web: Arc<Web<S, B>>,
    pub visitor: Visitor,
    pub slug: String,
}

impl<S, B> FromRequestParts<Arc<Web<S, B>>> for Visit<S, B>
where
    S: Send + Sync + 'static,
    B: Send + Sync + 'static,
{
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        web: &Arc<Web<S, B>>,
    ) -> Result<Self, Self::Rejection> {
        let visitor =
            parts.extensions.get::<Visitor>().cloned().ok_or_else(|| {
                refuse(StatusCode::INTERNAL_SERVER_ERROR, "No visitor was found.")
            })?;
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, web)
            .await
            .map_err(|_| refuse(StatusCode::NOT_FOUND, "There is no such page."))?;
        let slug = params
            .get("case")
            .cloned()
            .ok_or_else(|| refuse(StatusCode::NOT_FOUND, "There is no such page."))?;
        Ok(Visit {
            web: Arc::clone(web),
            visitor,
            slug,
        })
    }
}

impl<S, B> Visit<S, B>
where
    S: CaseStore + AccountStore + 'static,
    B: BlobStore + 'static,
{
    /// Opens the case for `need`, noting `what` in the access log, and runs `work`
    /// on it. An error becomes a page that says in one sentence why not.
    pub async fn run(
        self,
        need: Need,
        what: impl Into<String>,
        work: impl FnOnce(&Page<'_, S, B>) -> Result<Response, AppError> + Send + 'static,
    ) -> Response {
        let what = what.into();
        let Visit { web, visitor, slug } = self;
        let Ok(_slot) = web.store_slots.acquire().await else {
            return refuse(StatusCode::SERVICE_UNAVAILABLE, "casebook is stopping.");
        };
        let shared = Arc::clone(&web);
        let done = tokio::task::spawn_blocking(move || {
            let web = shared;
            let Some(actor) = &visitor.actor else {
                return Err(AppError::NotAllowed("Sign in first.".into()));
            };
            let (file, role) = open_case(
                &web.store,
                &web.blobs,
                web.clock.as_ref(),
                actor,
                Some(&slug),
                need,
            )?;
            let people = web.store.people(file.case.id)?;
            let chrome = Chrome {
                child: file.case.child.name.clone(),
                setting: file.case.setting.name.clone(),
                base: format!("/cases/{}", file.case.slug),
                can_write: role.allows(Need::Write),
                can_share: role.allows(Need::Share) && web.is_organisation(),
                signed_in: actor.name().unwrap_or_default().to_owned(),
                token: visitor.token.clone(),
            };
            let page = Page {
                file,
                people,
                actor,
                chrome,
                author: actor
                    .name()
                    .map_or_else(|| web.author.clone(), str::to_owned),
                web: &web,
            };
            let response = work(&page)?;
            // Written down once done: a refused form was not "logged".
            if response.status().as_u16() < 400 {
                record_access(
                    &web.store,
                    web.clock.as_ref(),
                    actor,
                    &page.file.case,
                    &what,
                )?;
            }
            Ok(response)
        })
        .await;
        match done {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => refused(&e),
            Err(_) => refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong while drawing this page, and nothing was saved.",
            ),
        }
    }
}

/// Runs store work that needs no case on the blocking pool.
pub async fn blocking<S, B>(
    web: &Arc<Web<S, B>>,
    work: impl FnOnce(&Web<S, B>) -> Result<Response, AppError> + Send + 'static,
) -> Response
where
    S: Send + Sync + 'static,
    B: Send + Sync + 'static,
{
    let Ok(_slot) = web.store_slots.acquire().await else {
        return refuse(StatusCode::SERVICE_UNAVAILABLE, "casebook is stopping.");
    };
    let web = Arc::clone(web);
    match tokio::task::spawn_blocking(move || work(&web)).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => refused(&e),
        Err(_) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong while drawing this page, and nothing was saved.",
        ),
    }
}

/// An entry named in the address: a mistyped one is simply not there (the domain's
/// own sentence would send a visitor to a command).
pub fn entry_in_address(id: &str) -> Result<EntryId, AppError> {
    id.parse().map_err(|_| {
        AppError::Invalid(
            "There is no such entry in this case: the address may have been mistyped.".into(),
        )
    })
}

/// The access log names what was opened by ids casebook makes, never by the text a
/// visitor put in the address: a viewer must not be able to write into the owner's log.
pub fn entry_named(id: &str) -> String {
    id.parse::<EntryId>()
        .map_or_else(|_| "an entry that does not exist".into(), |e| e.to_string())
}

/// A letter's name as the access log gives it: a template's id, or not at all.
pub fn letter_named(id: &str) -> String {
    let is_id = (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if is_id {
        id.to_owned()
    } else {
        "a letter that does not exist".into()
    }
}

/// A download's format as the access log gives it.
pub fn format_named(format: &str) -> &'static str {
    match format {
        "" | "txt" => "text",
        "eml" => "email",
        "docx" => "Word",
        "pdf" => "PDF",
        _ => "a format casebook does not make",
    }
}

/// The page, drawn.
pub fn page(template: &impl Template) -> Result<Response, AppError> {
    template
        .render()
        .map(|html| Html(html).into_response())
        .map_err(|e| AppError::Invalid(format!("The page could not be drawn: {e}.")))
}

/// A form shown again after it was refused, with the family's words and the reasons.
pub fn shown_again(template: &impl Template) -> Result<Response, AppError> {
    let mut response = page(template)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// After a form is saved, the page that shows what was saved.
pub fn see(to: &str) -> Result<Response, AppError> {
    Ok(Redirect::to(to).into_response())
}

/// A file to download.
pub fn download(kind: &str, name: &str, bytes: Vec<u8>) -> Result<Response, AppError> {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub fn refused(e: &AppError) -> Response {
    let status = match e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::NotAllowed(_) => StatusCode::FORBIDDEN,
        AppError::Store(StoreError::Conflict) => StatusCode::CONFLICT,
        AppError::Store(StoreError::Refused(_)) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
    };
    refuse(status, &e.to_string())
}

#[derive(Template)]
#[template(path = "problem.html")]
struct Problem<'a> {
    sentence: &'a str,
}

/// A page that says in one sentence what went wrong.
pub fn problem(sentence: &str) -> String {
    Problem { sentence }
        .render()
        .unwrap_or_else(|_| sentence.to_owned())
}

/// The copy button's script: the one script on the site, and nothing needs it.
pub async fn copy_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("copy.js"),
    )
        .into_response()
}

pub async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("style.css"),
    )
        .into_response()
}
