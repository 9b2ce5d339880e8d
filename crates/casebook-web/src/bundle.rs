//! The evidence bundle from the web: HTML always, PDF when the binary provides the
//! typesetter (this crate never compiles typst). Signed with the case's key.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use casebook_app::{AppError, BundleRequest, Filter, SignedFormat, bundle_html, sign};
use casebook_domain::{Need, parse_date};
use casebook_store::{AccountStore, BlobStore, CaseStore};
use serde::Deserialize;

use crate::visit::{Chrome, Visit, download as file, page};

#[derive(Template)]
#[template(path = "bundle.html")]
struct BundlePage {
    chrome: Chrome,
    pdf: bool,
}

pub async fn form<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
) -> Response {
    visit
        .run(Need::Read, "opened the evidence bundle", |p| {
            page(&BundlePage {
                chrome: p.chrome.clone(),
                pdf: p.web.typesetter.is_some(),
            })
        })
        .await
}

#[derive(Deserialize, Default)]
pub struct Choice {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    format: String,
}

pub async fn download<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Query(choice): Query<Choice>,
) -> Response {
    let pdf = choice.format == "pdf";
    let what = format!(
        "exported the evidence bundle as {}",
        if pdf { "PDF" } else { "HTML" }
    );
    visit
        .run(Need::Read, what, move |p| {
            let date = |text: &str| match text.trim() {
                "" => Ok(None),
                day => parse_date(day).map(Some).map_err(AppError::from),
            };
            let request = BundleRequest {
                filter: Filter {
                    from: date(&choice.from)?,
                    to: date(&choice.to)?,
                    ..Filter::default()
                },
                purpose: Some(choice.purpose.trim().to_owned()).filter(|p| !p.is_empty()),
                // An unreadable attachment is listed rather than stopping a parent's bundle.
                skip_unreadable: true,
                ..BundleRequest::default()
            };
            let bundle = p.file.bundle(&request)?;
            let (mut bytes, format, kind, extension) = match (&p.web.typesetter, pdf) {
                (Some(typesetter), true) => (
                    (typesetter.bundle)(bundle.layout_json()?, bundle.files()?)
                        .map_err(AppError::Invalid)?,
                    SignedFormat::Pdf,
                    "application/pdf",
                    "pdf",
                ),
                _ => (
                    bundle_html(&bundle)?,
                    SignedFormat::Html,
                    "text/html; charset=utf-8",
                    "html",
                ),
            };
            sign(&mut bytes, &p.file.signing_key()?, format);
            file(
                kind,
                &format!("{}-bundle.{extension}", p.file.case.slug),
                bytes,
            )
        })
        .await
}
