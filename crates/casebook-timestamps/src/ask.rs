//! Asking an authority over HTTP (RFC 3161 s.3.4). Plain HTTP is what most authorities
//! offer and is safe here: the answer is signed, and checked before it is kept.

use std::time::Duration;

use crate::error::Refused;
use crate::request::{Request, token_from_response};
use crate::{REQUEST_MEDIA_TYPE, RESPONSE_MEDIA_TYPE};

/// An authority's answer is a few kilobytes; anything much larger is not one.
const LARGEST_ANSWER: u64 = 1024 * 1024;

/// Sends the request to the authority at `url` and returns the token from its answer,
/// not yet checked.
pub fn ask(url: &str, request: &Request) -> Result<Vec<u8>, Refused> {
    check_address(url)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .http_status_as_error(false)
        .build()
        .into();
    let unreachable = |e: ureq::Error| {
        Refused::new(format!(
            "The time-stamping authority at {url} could not be reached ({e}). Nothing was added to the case."
        ))
    };
    let mut response = agent
        .post(url)
        .header("Content-Type", REQUEST_MEDIA_TYPE)
        .header("Accept", RESPONSE_MEDIA_TYPE)
        .send(&request.der[..])
        .map_err(unreachable)?;
    let status = response.status();
    if !status.is_success() {
        return Err(Refused::new(format!(
            "The time-stamping authority at {url} answered with an error ({status}). Nothing was added to the case."
        )));
    }
    let answer = response
        .body_mut()
        .with_config()
        .limit(LARGEST_ANSWER)
        .read_to_vec()
        .map_err(unreachable)?;
    token_from_response(&answer)
}

/// An authority's address casebook can ask: plain http, which is what authorities
/// publish for RFC 3161 and is enough because the answer is signed.
pub fn check_address(url: &str) -> Result<(), Refused> {
    let host = url
        .strip_prefix("http://")
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    match host {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => Ok(()),
        _ => Err(Refused::new(format!(
            "\"{url}\" is not an address casebook can ask: it asks time-stamping authorities over plain http (http://...), which is safe because the answer is signed. Most authorities publish such an address; otherwise write the request to a file and send it another way."
        ))),
    }
}
