//! Sharing a case (organisation mode, the case's owner only): who has access and with
//! which role, invitations by link, withdrawing access, and the access log.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use casebook_app::{AppError, InvitationLink};
use casebook_domain::{AccountId, CaseRole, Digest, Need, recorded_text, uk_date};
use casebook_store::{AccountStore, BlobStore, CaseStore};
use serde::Deserialize;

use crate::forms::{Fields, Form};
use crate::visit::{Chrome, Page, Visit, page, see, shown_again};
use crate::{Mode, Web};

pub struct Member {
    id: String,
    name: String,
    role: &'static str,
}

pub struct Open {
    hash: String,
    for_whom: String,
    role: &'static str,
    expires: String,
}

pub struct Event {
    at: String,
    who: String,
    what: String,
}

#[derive(Template)]
#[template(path = "sharing.html")]
struct SharingPage {
    chrome: Chrome,
    members: Vec<Member>,
    invitations: Vec<Open>,
    log: Vec<Event>,
    /// Where this page of the log starts and ends (from 1, newest first), of how many.
    log_from: usize,
    log_to: usize,
    log_of: usize,
    /// The page numbers of the newer and older pages, when there are such.
    newer: Option<usize>,
    older: Option<usize>,
    roles: Vec<(&'static str, &'static str)>,
    link: String,
    form: Fields,
    errors: Vec<(&'static str, String)>,
}

/// The address an invitation link starts with: this server as its users reach it.
fn origin<S, B>(web: &Web<S, B>) -> String {
    let scheme = match web.mode {
        Mode::Organisation {
            secure_cookies: true,
        } => "https",
        _ => "http",
    };
    format!(
        "{scheme}://{}",
        web.hosts.first().map_or("", String::as_str)
    )
}

/// How many events of the access log one page shows.
const LOG_PAGE: usize = 100;

#[derive(Deserialize, Default)]
pub struct LogQuery {
    #[serde(default)]
    page: usize,
}

fn sharing_page<S: CaseStore + AccountStore, B: BlobStore>(
    p: &Page<'_, S, B>,
    link: Option<InvitationLink>,
    form: Fields,
    errors: Vec<(&'static str, String)>,
    log_page: usize,
) -> Result<SharingPage, AppError> {
    let sharing = p.file.sharing(p.actor)?;
    let mut log: Vec<Event> = p
        .file
        .access_log(p.actor)?
        .into_iter()
        .map(|(event, who)| Event {
            at: recorded_text(event.at),
            who,
            what: event.what,
        })
        .collect();
    log.reverse();
    let log_of = log.len();
    let pages = log_of.div_ceil(LOG_PAGE).max(1);
    let log_page = log_page.min(pages - 1);
    let log: Vec<Event> = log
        .into_iter()
        .skip(log_page * LOG_PAGE)
        .take(LOG_PAGE)
        .collect();
    Ok(SharingPage {
        log_from: if log.is_empty() {
            0
        } else {
            log_page * LOG_PAGE + 1
        },
        log_to: log_page * LOG_PAGE + log.len(),
        log_of,
        newer: log_page.checked_sub(1),
        older: (log_page + 1 < pages).then_some(log_page + 1),
        chrome: p.chrome.clone(),
        members: sharing
            .members
            .into_iter()
            .map(|(account, role)| Member {
                id: account.id.to_string(),
                name: format!("{} ({})", account.name, account.email),
                role: role.slug(),
            })
            .collect(),
        invitations: sharing
            .open_invitations
            .into_iter()
            .map(|i| Open {
                hash: i.token_hash.to_hex(),
                for_whom: i.for_whom,
                role: i.role.slug(),
                expires: uk_date(i.expires.to_zoned(jiff::tz::TimeZone::UTC).date()),
            })
            .collect(),
        log,
        roles: CaseRole::ALL
            .iter()
            .map(|r| (r.slug(), r.phrase()))
            .collect(),
        link: link
            .map(|l| format!("{}/invitations/{}", origin(p.web), l.token))
            .unwrap_or_default(),
        form,
        errors,
    })
}

pub async fn show<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Query(query): Query<LogQuery>,
) -> Response {
    visit
        .run(Need::Share, "viewed who has access", move |p| {
            page(&sharing_page(
                p,
                None,
                Fields::default(),
                vec![],
                query.page,
            )?)
        })
        .await
}

pub async fn invite<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    form: Form,
) -> Response {
    visit
        .run(Need::Share, "invited someone to the case", move |p| {
            let form = form.fields;
            let role = match CaseRole::parse(form.get("role")) {
                Ok(role) => role,
                Err(e) => {
                    return shown_again(&sharing_page(
                        p,
                        None,
                        form,
                        vec![("role", e.to_string())],
                        0,
                    )?);
                }
            };
            match p.file.invite(p.actor, role, form.get("for_whom")) {
                Ok(link) => page(&sharing_page(p, Some(link), Fields::default(), vec![], 0)?),
                Err(AppError::Invalid(why)) => {
                    shown_again(&sharing_page(p, None, form, vec![("for_whom", why)], 0)?)
                }
                Err(other) => Err(other),
            }
        })
        .await
}

pub async fn revoke<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    form: Form,
) -> Response {
    visit
        .run(Need::Share, "withdrew someone's access", move |p| {
            let account: AccountId = form.fields.get("account").parse()?;
            match p.file.revoke(p.actor, account) {
                Ok(()) => see(&p.link("/sharing")),
                Err(AppError::Invalid(why)) => shown_again(&sharing_page(
                    p,
                    None,
                    Fields::default(),
                    vec![("members", why)],
                    0,
                )?),
                Err(other) => Err(other),
            }
        })
        .await
}

pub async fn withdraw<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    form: Form,
) -> Response {
    visit
        .run(Need::Share, "withdrew an invitation", move |p| {
            let hash = Digest::from_hex(form.fields.get("invitation"))
                .ok_or_else(|| AppError::Invalid("There is no such invitation.".into()))?;
            p.file.withdraw_invitation(p.actor, &hash)?;
            see(&p.link("/sharing"))
        })
        .await
}
