//! The evidence bundle from the web: HTML always, PDF when the binary provides the
//! typst renderer (this crate never compiles typst).

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use casebook_app::{AppError, BundleRequest, Filter, SignedFormat, bundle_html, sign};
use casebook_domain::parse_date;
use casebook_store::{BlobStore, CaseStore};
use serde::Deserialize;

use crate::Web;
use crate::pages::{answer, refused, with_case};

/// Lays out a bundle as PDF: its layout JSON and files in, the PDF out.
pub type PdfRenderer =
    Box<dyn Fn(Vec<u8>, Vec<(String, Vec<u8>)>) -> Result<Vec<u8>, String> + Send + Sync>;

#[derive(Template)]
#[template(path = "bundle.html")]
struct BundlePage {
    child: String,
    setting: String,
    pdf: bool,
}

pub async fn form<S: CaseStore, B: BlobStore>(State(web): State<Arc<Web<S, B>>>) -> Response {
    answer(with_case(&web, |file, _| {
        Ok(BundlePage {
            child: file.case.child.name.clone(),
            setting: file.case.setting.name.clone(),
            pdf: web.pdf.is_some(),
        })
    }))
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

pub async fn download<S: CaseStore, B: BlobStore>(
    State(web): State<Arc<Web<S, B>>>,
    Query(choice): Query<Choice>,
) -> Response {
    let date = |text: &str| match text.trim() {
        "" => Ok(None),
        day => parse_date(day).map(Some).map_err(AppError::from),
    };
    let result = with_case(&web, |file, _| {
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
        let bundle = file.bundle(&request)?;
        let (mut bytes, format, kind, extension) = match (&web.pdf, choice.format.as_str()) {
            (Some(render), "pdf") => (
                render(bundle.layout_json()?, bundle.files()?).map_err(AppError::Invalid)?,
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
        sign(&mut bytes, &file.signing_key()?, format);
        Ok((
            bytes,
            kind,
            format!("{}-bundle.{extension}", file.case.slug),
        ))
    });
    match result {
        Ok((bytes, kind, name)) => (
            [
                (header::CONTENT_TYPE, kind.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => refused(&e),
    }
}
