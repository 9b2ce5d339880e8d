//! The checks every request passes, in one place: the Host header must name this
//! server (so a web page on another site cannot reach it through DNS rebinding), a
//! POST must come from this site's own pages (Sec-Fetch-Site or Origin) and carry the
//! form token, and every answer carries the security headers.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::Web;

/// The largest form accepted: far more than any entry's text.
pub const FORM_LIMIT: usize = 4 * 1024 * 1024;

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub async fn check<S, B>(
    State(web): State<Arc<Web<S, B>>>,
    request: Request,
    next: Next,
) -> Response
where
    S: Send + Sync + 'static,
    B: Send + Sync + 'static,
{
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if !web.hosts.iter().any(|h| h == host) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "This address is not casebook's: open casebook at the address it printed when it started.",
        );
    }
    let request = if request.method() == Method::POST {
        match same_site(&request, &web.hosts) {
            false => {
                return refuse(
                    StatusCode::FORBIDDEN,
                    "This form did not come from casebook's own pages, so nothing was saved.",
                );
            }
            true => match with_token(request, &web.token).await {
                Ok(request) => request,
                Err(response) => return response,
            },
        }
    } else {
        request
    };
    let mut response = next.run(request).await;
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
    response
}

/// A browser says where a request came from in Sec-Fetch-Site; older ones in Origin.
fn same_site(request: &Request, hosts: &[String]) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => hosts.iter().any(|h| origin == format!("http://{h}")),
        // Neither header: not a browser, so not a cross-site forgery.
        None => true,
    }
}

/// Reads the form (up to the limit) and checks its token; hands the request on whole.
async fn with_token(request: Request, token: &str) -> Result<Request, Response> {
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, FORM_LIMIT).await.map_err(|_| {
        refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The form is larger than casebook accepts (4 MB): attach long material as a file.",
        )
    })?;
    let sent = form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == "token")
        .map(|(_, value)| value.into_owned());
    if sent.as_deref() != Some(token) {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "This form has expired (casebook was restarted since the page was opened), so nothing was saved: go back, copy your text, reload the page and send it again.",
        ));
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn refuse(status: StatusCode, sentence: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>casebook</title></head><body><main><h1>Not done</h1><p>{sentence}</p></main></body></html>"
    );
    let mut response = (status, page).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}
