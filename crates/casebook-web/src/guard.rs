//! The checks every request passes, in one place: the Host header must name this
//! server (so a page on another site cannot reach it through DNS rebinding); in
//! organisation mode the session cookie says who is asking; a POST must come from
//! this site's own pages (Sec-Fetch-Site or Origin), stay under the size limit and
//! carry the form token; and every answer carries the security headers. The guard is
//! the only reader of request bodies: it hands the parsed form on to the page.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use casebook_app::{Actor, random_token, session_for};
use casebook_store::{AccountStore, BlobStore, CaseStore};

use crate::forms;
use crate::{Mode, Web};

/// The largest form without files: far more than any entry's text.
pub const FORM_LIMIT: usize = 4 * 1024 * 1024;
/// The largest form with files: one attachment at casebook's limit, and its form.
pub const UPLOAD_LIMIT: usize = casebook_app::ATTACHMENT_LIMIT + FORM_LIMIT;

pub const SESSION_COOKIE: &str = "casebook_session";
/// Local mode: the key from the printed address, kept by the browser that opened it.
pub const KEY_COOKIE: &str = "casebook_key";
/// Before signing in there is no session to hold a form token, so the sign-in form's
/// token is also kept in a cookie and the two must agree (a double-submit token).
pub const FORM_COOKIE: &str = "casebook_form";
/// Organisation mode: the mark a browser keeps once it has signed in to an account, so
/// that guesses at that account from elsewhere never lock it out (see casebook-app's
/// `UNKNOWN_BROWSER_SIGN_INS`).
pub const BROWSER_COOKIE: &str = "casebook_browser";
/// How long a browser stays known: as long as browsers keep a cookie (400 days).
pub const BROWSER_COOKIE_SECONDS: i64 = 400 * 24 * 3600;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Who is asking, and the token their forms carry. Put in every request by the guard.
#[derive(Clone)]
pub struct Visitor {
    /// `None`: nobody is signed in (organisation mode only).
    pub actor: Option<Actor>,
    pub token: String,
    /// The session cookie's secret, for signing out.
    pub session: Option<String>,
    /// The address the request came from, for counting failed sign-ins.
    pub client: String,
}

/// Pages anyone may open on an organisation's server; every other page needs a session.
fn public(path: &str) -> bool {
    path == "/login" || path == "/style.css" || path.starts_with("/invitations/")
}

pub async fn check<S, B>(
    State(web): State<Arc<Web<S, B>>>,
    request: Request,
    next: Next,
) -> Response
where
    S: CaseStore + AccountStore + 'static,
    B: BlobStore + 'static,
{
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if !web.hosts.iter().any(|h| h == host) {
        return with_headers(refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "This address is not casebook's: open casebook at the address it printed when it started.",
        ));
    }
    if let Mode::Local { key, .. } = &web.mode
        && let Some(response) = without_the_key(&request, key)
    {
        return with_headers(response);
    }
    if request.method() != Method::POST && fetched_by_another_site(request.headers()) {
        return with_headers(refuse(
            StatusCode::FORBIDDEN,
            "Another website asked for this, so casebook did not send it: open casebook at its own address.",
        ));
    }
    let client = client_address(&request, &web.proxies);
    let session = cookie(request.headers(), SESSION_COOKIE);
    let form_cookie = cookie(request.headers(), FORM_COOKIE).filter(|t| t.len() == 64);
    let (visitor, new_form_cookie) = match visitor(&web, client, session, form_cookie).await {
        Ok(found) => found,
        Err(response) => return with_headers(response),
    };
    let path = request.uri().path().to_owned();
    let signed_out = visitor.actor.is_none() && !public(&path);
    if signed_out && request.method() != Method::POST {
        let then = request
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let to = format!(
            "/login?then={}",
            form_urlencoded::byte_serialize(then.as_bytes()).collect::<String>()
        );
        return with_headers(Redirect::to(&to).into_response());
    }
    let mut request = request;
    let mut words = None;
    if request.method() == Method::POST {
        if !same_site(request.headers(), &web.hosts) {
            return with_headers(refuse(
                StatusCode::FORBIDDEN,
                "This form did not come from casebook's own pages, so nothing was saved.",
            ));
        }
        let (parts, body) = request.into_parts();
        // Nobody signed in may send files: a stranger's upload is refused at a form's
        // size rather than read up to an attachment's.
        let multipart = forms::is_multipart(&parts.headers);
        let limit = if multipart && !signed_out {
            UPLOAD_LIMIT
        } else {
            FORM_LIMIT
        };
        let bytes = match read_body(body, limit).await {
            Ok(bytes) => bytes,
            Err(Unread::TooLarge) => {
                return with_headers(refuse(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    &format!(
                        "This is more than casebook accepts at once ({} MB), so nothing was saved: attach large files one at a time.",
                        limit / (1024 * 1024)
                    ),
                ));
            }
            Err(Unread::Stalled) => {
                return with_headers(refuse(
                    StatusCode::REQUEST_TIMEOUT,
                    "The form stopped arriving part of the way, so nothing was saved: check the connection and send it again.",
                ));
            }
        };
        let form = match forms::parse(&parts.headers, bytes).await {
            Ok(form) => form,
            Err(why) => return with_headers(refuse(StatusCode::BAD_REQUEST, &why)),
        };
        // Every box is bounded, not only the whole form: the minutes check's work grows
        // with the text, and nothing casebook keeps in one box may be longer.
        if form.fields.longest() > casebook_domain::LONG_TEXT_LIMIT {
            return with_headers(refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                "One box holds more than casebook takes in a box (1 MB), so nothing was saved: attach long material, such as minutes, as a file.",
            ));
        }
        if signed_out {
            return with_headers(forms::kept(
                StatusCode::FORBIDDEN,
                "You are not signed in (or your session has ended), so nothing was saved. What you wrote is below: sign in to send it again.",
                &path,
                &form,
                forms::Resend::AfterSignIn {
                    token: &visitor.token,
                },
            ));
        }
        if form.fields.get("token") != visitor.token {
            let sentence = if web.is_organisation() {
                "This form came from a page opened before you last signed in, so nothing was saved. What you wrote is below: send it again from here."
            } else {
                "This form has expired (casebook was restarted since the page was opened), so nothing was saved. What you wrote is below: send it again from here."
            };
            return with_headers(forms::kept(
                StatusCode::FORBIDDEN,
                sentence,
                &path,
                &form,
                forms::Resend::Now {
                    token: &visitor.token,
                },
            ));
        }
        // The words, without the files' bytes, in case the store cannot take them now.
        words = Some(forms::Form {
            fields: form.fields.clone(),
            files: form
                .files
                .iter()
                .map(|(field, file)| {
                    let name = file.name.clone();
                    (
                        field.clone(),
                        casebook_app::NewAttachment {
                            name,
                            bytes: vec![],
                        },
                    )
                })
                .collect(),
        });
        request = Request::from_parts(parts, axum::body::Body::empty());
        request.extensions_mut().insert(form);
    }
    let token = visitor.token.clone();
    request.extensions_mut().insert(visitor);
    let mut response = next.run(request).await;
    // The store was busy (a long import holds it) or could not be reached: nothing was
    // saved, and the family's words come back with a way to send them again.
    if let Some(words) = words
        && response.status() == StatusCode::SERVICE_UNAVAILABLE
    {
        response = forms::kept(
            StatusCode::SERVICE_UNAVAILABLE,
            "casebook could not save this just now (the case file is busy, perhaps with an email import), so nothing was saved. What you wrote is below: send it again in a moment.",
            &path,
            &words,
            forms::Resend::Now { token: &token },
        );
    }
    if let Some(token) = new_form_cookie {
        set_cookie(&web, response.headers_mut(), FORM_COOKIE, &token, None);
    }
    with_headers(response)
}

/// Who is asking: the family in local mode; in organisation mode the account whose
/// session cookie came with the request, or nobody. Also the token their forms carry,
/// and a new form cookie to set when an anonymous visitor has none yet.
async fn visitor<S, B>(
    web: &Arc<Web<S, B>>,
    client: String,
    session: Option<String>,
    form_cookie: Option<String>,
) -> Result<(Visitor, Option<String>), Response>
where
    S: CaseStore + AccountStore + 'static,
    B: BlobStore + 'static,
{
    if let Mode::Local { token, .. } = &web.mode {
        return Ok((
            Visitor {
                actor: Some(Actor::Family),
                token: token.clone(),
                session: None,
                client,
            },
            None,
        ));
    }
    let shared = Arc::clone(web);
    let lookup = session.clone();
    let _slot = web
        .store_slots
        .acquire()
        .await
        .map_err(|_| refuse(StatusCode::SERVICE_UNAVAILABLE, "casebook is stopping."))?;
    let found = tokio::task::spawn_blocking(move || match lookup {
        Some(token) => session_for(&shared.store, shared.clock.as_ref(), &token),
        None => Ok(None),
    })
    .await
    .map_err(|_| {
        refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "casebook could not check who you are.",
        )
    })?
    .map_err(|e| refuse(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()))?;
    Ok(match found {
        Some((account, session_row)) => (
            Visitor {
                actor: Some(Actor::Account(account)),
                token: session_row.form_token,
                session,
                client,
            },
            None,
        ),
        None => {
            let (token, new) = match form_cookie {
                Some(token) => (token, None),
                None => {
                    let token = random_token()
                        .map_err(|e| refuse(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()))?;
                    (token.clone(), Some(token))
                }
            };
            (
                Visitor {
                    actor: None,
                    token,
                    session: None,
                    client,
                },
                new,
            )
        }
    })
}

/// How long a form's body may go without a byte arriving. A slow connection that keeps
/// sending is never cut off; one that has stopped does not hold the server.
pub const BODY_STALL: std::time::Duration = std::time::Duration::from_secs(30);

enum Unread {
    TooLarge,
    Stalled,
}

/// A request's body, up to `limit` bytes, while it keeps arriving.
async fn read_body(body: axum::body::Body, limit: usize) -> Result<bytes::Bytes, Unread> {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut read = Vec::new();
    loop {
        match tokio::time::timeout(BODY_STALL, stream.next()).await {
            Err(_) => return Err(Unread::Stalled),
            Ok(None) => return Ok(read.into()),
            // A client that broke off sent no whole form: as good as stalled.
            Ok(Some(Err(_))) => return Err(Unread::Stalled),
            Ok(Some(Ok(chunk))) => {
                if read.len() + chunk.len() > limit {
                    return Err(Unread::TooLarge);
                }
                read.extend_from_slice(&chunk);
            }
        }
    }
}

/// The peer's address; from a reverse proxy the operator named, the address the proxy
/// says it forwarded for. Anyone else's X-Forwarded-For is ignored: believed from any
/// peer, it would let one client pass for many and guess without limit.
fn client_address(request: &Request, proxies: &[std::net::IpAddr]) -> String {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded = request
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map(|v| v.trim().to_owned());
    match (peer, forwarded) {
        (Some(ip), Some(forwarded)) if proxies.contains(&ip) && !forwarded.is_empty() => forwarded,
        (Some(ip), _) => ip.to_string(),
        (None, _) => "unknown".into(),
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
}

/// HttpOnly, SameSite=Lax (a link from an email still arrives signed in; a form posted
/// from another site does not), Secure behind HTTPS. `max_age` None: until the browser
/// closes; Some(0): removed.
pub fn set_cookie<S, B>(
    web: &Web<S, B>,
    headers: &mut HeaderMap,
    name: &str,
    value: &str,
    max_age: Option<i64>,
) {
    let secure = matches!(
        web.mode,
        Mode::Organisation {
            secure_cookies: true
        }
    );
    let mut text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if secure {
        text.push_str("; Secure");
    }
    if let Some(seconds) = max_age {
        text.push_str(&format!("; Max-Age={seconds}"));
    }
    if let Ok(value) = HeaderValue::from_str(&text) {
        headers.append(header::SET_COOKIE, value);
    }
}

/// A browser says where a request came from in Sec-Fetch-Site; older ones in Origin.
fn same_site(headers: &HeaderMap, hosts: &[String]) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => hosts
            .iter()
            .any(|h| origin == format!("http://{h}") || origin == format!("https://{h}")),
        // Neither header: not a browser, so not a cross-site forgery.
        None => true,
    }
}

fn with_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // Another site may not embed anything of casebook's (a bundle or a file as a
    // script or an image, read without cookies from the local server).
    for name in ["cross-origin-opener-policy", "cross-origin-resource-policy"] {
        headers.insert(
            header::HeaderName::from_static(name),
            HeaderValue::from_static("same-origin"),
        );
    }
    response
}

/// Local mode: the request must carry the key from the address `casebook serve` printed,
/// in its cookie or, the first time, in the address itself (then it is put in a cookie
/// and the address shown without it). The stylesheet needs no key. `None`: it holds it.
fn without_the_key(request: &Request, key: &str) -> Option<Response> {
    if request.uri().path() == "/style.css"
        || cookie(request.headers(), KEY_COOKIE).is_some_and(|k| same_secret(&k, key))
    {
        return None;
    }
    let given = request.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(name, _)| name == "key")
            .map(|(_, value)| value.into_owned())
    });
    if given.is_some_and(|k| same_secret(&k, key)) {
        // The same address without the key, so the key is not left in the history.
        let rest = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                form_urlencoded::parse(request.uri().query().unwrap_or_default().as_bytes())
                    .filter(|(name, _)| name != "key"),
            )
            .finish();
        let to = match rest.as_str() {
            "" => request.uri().path().to_owned(),
            rest => format!("{}?{rest}", request.uri().path()),
        };
        let mut response = Redirect::to(&to).into_response();
        if let Ok(value) = HeaderValue::from_str(&format!(
            "{KEY_COOKIE}={key}; Path=/; HttpOnly; SameSite=Strict"
        )) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        return Some(response);
    }
    Some(refuse(
        StatusCode::FORBIDDEN,
        "casebook opens only for the person who started it: open it at the full address it printed when it started, which ends with its key.",
    ))
}

/// Compares two secrets in a time that does not depend on where they differ.
fn same_secret(given: &str, kept: &str) -> bool {
    given.len() == kept.len()
        && given
            .bytes()
            .zip(kept.bytes())
            .fold(0u8, |differ, (a, b)| differ | (a ^ b))
            == 0
}

/// Another site's page may link to casebook (the person then sees casebook's page), but
/// may not fetch, embed or frame anything from it.
fn fetched_by_another_site(headers: &HeaderMap) -> bool {
    let said = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    matches!(said("sec-fetch-site"), Some("cross-site" | "same-site"))
        && !(said("sec-fetch-mode") == Some("navigate")
            && said("sec-fetch-dest") == Some("document"))
}

pub fn refuse(status: StatusCode, sentence: &str) -> Response {
    (
        status,
        axum::response::Html(crate::visit::problem(sentence)),
    )
        .into_response()
}
