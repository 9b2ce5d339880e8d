//! The pages outside any one case: the list of cases, signing in and out, and opening
//! an invitation (signing in or opening an account on the way).

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use casebook_app::{
    Actor, AppError, NewAccount, SESSION_HOURS, SignedIn, accept_invitation, cases_for,
    create_account, open_invitation, sign_in, sign_out,
};
use casebook_store::{AccountStore, BlobStore, CaseStore};
use serde::Deserialize;

use crate::forms::{self, Fields, Form, Resend};
use crate::guard::{
    BROWSER_COOKIE, BROWSER_COOKIE_SECONDS, SESSION_COOKIE, Visitor, cookie, set_cookie,
};
use crate::visit::{blocking, page, shown_again};
use crate::{Mode, Web};

type Shared<S, B> = State<Arc<Web<S, B>>>;

pub struct Listed {
    slug: String,
    child: String,
    setting: String,
    role: &'static str,
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    cases: Vec<Listed>,
    signed_in: String,
    token: String,
}

/// The start: in local mode the family's case (or their cases, if several); on an
/// organisation's server the cases shared with whoever is signed in.
pub async fn cases<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    State(web): Shared<S, B>,
    Extension(visitor): Extension<Visitor>,
) -> Response {
    blocking(&web, move |web| {
        let Some(actor) = &visitor.actor else {
            return Ok(Redirect::to("/login").into_response());
        };
        let cases = cases_for(&web.store, actor)?;
        let only = match (&web.mode, &web.case_slug) {
            (Mode::Local { .. }, Some(slug)) => Some(slug.clone()),
            (Mode::Local { .. }, None) if cases.len() == 1 => Some(cases[0].0.slug.clone()),
            _ => None,
        };
        if let Some(slug) = only {
            return Ok(Redirect::to(&format!("/cases/{slug}/")).into_response());
        }
        page(&CasesPage {
            cases: cases
                .into_iter()
                .map(|(case, role)| Listed {
                    slug: case.slug,
                    child: case.child.name,
                    setting: case.setting.name,
                    role: role.slug(),
                })
                .collect(),
            signed_in: actor.name().unwrap_or_default().to_owned(),
            token: visitor.token.clone(),
        })
    })
    .await
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    token: String,
    then: String,
    kept: String,
    email: String,
    errors: Vec<(&'static str, String)>,
}

#[derive(Deserialize, Default)]
pub struct Then {
    #[serde(default)]
    then: String,
}

/// Only a path on this server: never another site (an open redirect). Browsers drop
/// tabs and line breaks from an address and read a backslash as a slash, so
/// "/\t/evil.example" would leave the site: a path of printable ASCII only, with no
/// backslash and not starting "//", is the only kind kept.
fn safe_then(then: &str) -> String {
    let printable = then.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if printable && then.starts_with('/') && !then.starts_with("//") {
        then.to_owned()
    } else {
        "/".to_owned()
    }
}

pub async fn login_form<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    State(web): Shared<S, B>,
    Extension(visitor): Extension<Visitor>,
    Query(then): Query<Then>,
) -> Response {
    if !web.is_organisation() || visitor.actor.is_some() {
        return Redirect::to(&safe_then(&then.then)).into_response();
    }
    page(&LoginPage {
        token: visitor.token,
        then: safe_then(&then.then),
        kept: String::new(),
        email: String::new(),
        errors: vec![],
    })
    .unwrap_or_else(|e| crate::visit::refused(&e))
}

/// The answer to a sign-in that worked: the session cookie, and the page asked for, or
/// the form that was waiting to be sent.
fn signed_in<S, B>(web: &Web<S, B>, signed: &SignedIn, then: &str, kept: &str) -> Response {
    let mut response = if kept.is_empty() {
        Redirect::to(then).into_response()
    } else {
        let form = Form {
            fields: Fields::read(kept.as_bytes()),
            files: vec![],
        };
        forms::kept(
            StatusCode::OK,
            "You are signed in again. Nothing has been saved yet: send what you wrote from here.",
            then,
            &form,
            Resend::Now {
                token: &signed.session.form_token,
            },
        )
    };
    set_cookie(
        web,
        response.headers_mut(),
        SESSION_COOKIE,
        &signed.token,
        Some(SESSION_HOURS * 3600),
    );
    set_cookie(
        web,
        response.headers_mut(),
        BROWSER_COOKIE,
        &signed.browser,
        Some(BROWSER_COOKIE_SECONDS),
    );
    response
}

pub async fn login<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    State(web): Shared<S, B>,
    Extension(visitor): Extension<Visitor>,
    headers: HeaderMap,
    form: Form,
) -> Response {
    let browser = cookie(&headers, BROWSER_COOKIE);
    blocking(&web, move |web| {
        let form = form.fields;
        let then = safe_then(form.get("then"));
        match sign_in(
            &web.store,
            web.clock.as_ref(),
            form.get("email"),
            form.get("password"),
            &visitor.client,
            browser.as_deref(),
        ) {
            Ok(signed) => Ok(signed_in(web, &signed, &then, form.get("kept"))),
            Err(AppError::Invalid(why) | AppError::NotAllowed(why)) => shown_again(&LoginPage {
                token: visitor.token.clone(),
                then,
                kept: form.get("kept").to_owned(),
                email: form.get("email").to_owned(),
                errors: vec![("email", why)],
            }),
            Err(other) => Err(other),
        }
    })
    .await
}

pub async fn logout<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    State(web): Shared<S, B>,
    Extension(visitor): Extension<Visitor>,
) -> Response {
    blocking(&web, move |web| {
        if let Some(token) = &visitor.session {
            sign_out(&web.store, token)?;
        }
        let mut response = Redirect::to("/login").into_response();
        set_cookie(web, response.headers_mut(), SESSION_COOKIE, "", Some(0));
        Ok(response)
    })
    .await
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    token: String,
    link: String,
    child: String,
    role: &'static str,
    phrase: &'static str,
    signed_in: String,
    form: Fields,
    errors: Vec<(&'static str, String)>,
}

#[derive(Deserialize)]
pub struct InvitationPath {
    token: String,
}

fn invitation_page<S: CaseStore + AccountStore, B>(
    web: &Web<S, B>,
    visitor: &Visitor,
    link: &str,
    form: Fields,
    errors: Vec<(&'static str, String)>,
) -> Result<InvitationPage, AppError> {
    let invitation = open_invitation(&web.store, web.clock.as_ref(), link)?;
    let case = web
        .store
        .cases()?
        .into_iter()
        .find(|c| c.id == invitation.case)
        .ok_or_else(|| AppError::NotFound("This invitation's case is no longer here.".into()))?;
    Ok(InvitationPage {
        token: visitor.token.clone(),
        link: link.to_owned(),
        child: case.child.name,
        role: invitation.role.slug(),
        phrase: invitation.role.phrase(),
        signed_in: visitor
            .actor
            .as_ref()
            .and_then(Actor::name)
            .unwrap_or_default()
            .to_owned(),
        form,
        errors,
    })
}

pub async fn invitation<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    State(web): Shared<S, B>,
    Extension(visitor): Extension<Visitor>,
    Path(path): Path<InvitationPath>,
) -> Response {
    blocking(&web, move |web| {
        page(&invitation_page(
            web,
            &visitor,
            &path.token,
            Fields::default(),
            vec![],
        )?)
    })
    .await
}

/// Accepts an invitation: at once for someone signed in; otherwise after signing in
/// or opening an account, all from the one page.
pub async fn accept<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    State(web): Shared<S, B>,
    Extension(visitor): Extension<Visitor>,
    Path(path): Path<InvitationPath>,
    headers: HeaderMap,
    form: Form,
) -> Response {
    let browser = cookie(&headers, BROWSER_COOKIE);
    blocking(&web, move |web| {
        let form = form.fields;
        let clock = web.clock.as_ref();
        // The invitation must still be open before anyone is signed in or created.
        open_invitation(&web.store, clock, &path.token)?;
        let (account, signed) = match &visitor.actor {
            Some(Actor::Account(account)) => (account.clone(), None),
            Some(Actor::Family) => {
                return Err(AppError::Invalid(
                    "Invitations are for an organisation's server.".into(),
                ));
            }
            None => {
                let creating = form.is("action", "create");
                let created = match creating {
                    true => create_account(
                        &web.store,
                        clock,
                        NewAccount {
                            email: form.get("email").to_owned(),
                            name: form.get("name").to_owned(),
                            password: form.get("password").to_owned(),
                        },
                    )
                    .map(|_| ()),
                    false => Ok(()),
                };
                let attempt = created.and_then(|()| {
                    sign_in(
                        &web.store,
                        clock,
                        form.get("email"),
                        form.get("password"),
                        &visitor.client,
                        browser.as_deref(),
                    )
                });
                match attempt {
                    Ok(signed) => (signed.account.clone(), Some(signed)),
                    Err(AppError::Invalid(why) | AppError::NotAllowed(why)) => {
                        let field = if form.is("action", "create") {
                            "new-email"
                        } else {
                            "email"
                        };
                        return shown_again(&invitation_page(
                            web,
                            &visitor,
                            &path.token,
                            form,
                            vec![(field, why)],
                        )?);
                    }
                    Err(other) => return Err(other),
                }
            }
        };
        let case = accept_invitation(&web.store, clock, &path.token, &account)?;
        let then = format!("/cases/{}/", case.slug);
        Ok(match signed {
            Some(signed) => signed_in(web, &signed, &then, ""),
            None => Redirect::to(&then).into_response(),
        })
    })
    .await
}
