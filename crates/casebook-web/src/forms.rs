//! Forms as the family typed them: read once by the guard (plain or with files), kept
//! whole so a refused form comes back with every word, and shown again with a fresh
//! token when the session or the token had gone stale.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use bytes::Bytes;
use casebook_app::NewAttachment;

/// The fields of a form, repeated ones included, in order.
#[derive(Debug, Clone, Default)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// A new form with one field filled in, such as today's date.
    pub fn with(name: &str, value: &str) -> Fields {
        Fields(vec![(name.to_owned(), value.to_owned())])
    }

    pub fn read(bytes: &[u8]) -> Fields {
        Fields(
            form_urlencoded::parse(bytes)
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The length in bytes of the longest value.
    pub fn longest(&self) -> usize {
        self.0.iter().map(|(_, v)| v.len()).max().unwrap_or(0)
    }

    pub fn push(&mut self, name: &str, value: &str) {
        self.0.push((name.to_owned(), value.to_owned()));
    }

    /// The first value of a field, trimmed; "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.trim())
    }

    pub fn is(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(n, v)| n == name && v == value)
    }

    pub fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The field's value, or None when it was left empty.
    pub fn text(&self, name: &str) -> Option<String> {
        Some(self.get(name).to_owned()).filter(|t| !t.is_empty())
    }

    /// Everything the family typed, without the token.
    pub fn typed(&self) -> impl Iterator<Item = &(String, String)> {
        self.0.iter().filter(|(n, _)| n != "token")
    }

    pub fn encoded(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.typed().map(|(n, v)| (n.as_str(), v.as_str())))
            .finish()
    }
}

/// A posted form: its fields and any files chosen in it.
#[derive(Debug, Clone, Default)]
pub struct Form {
    pub fields: Fields,
    /// (field name, file) for each file chosen; empty file inputs are left out.
    pub files: Vec<(String, NewAttachment)>,
}

impl Form {
    pub fn files(&self, field: &str) -> Vec<NewAttachment> {
        self.files
            .iter()
            .filter(|(n, _)| n == field)
            .map(|(_, f)| f.clone())
            .collect()
    }
}

/// Pages take the form the guard read; a POST without one never reaches them.
impl<S: Send + Sync> FromRequestParts<S> for Form {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .remove::<Form>()
            .ok_or_else(|| crate::guard::refuse(StatusCode::BAD_REQUEST, "This page needs a form."))
    }
}

pub fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// Reads a form, with files when it was sent as multipart.
pub async fn parse(headers: &HeaderMap, bytes: Bytes) -> Result<Form, String> {
    if !is_multipart(headers) {
        return Ok(Form {
            fields: Fields::read(&bytes),
            files: vec![],
        });
    }
    let unreadable =
        |e: multer::Error| format!("The form could not be read ({e}), so nothing was saved.");
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or("The form has no content type.")
        .and_then(|v| multer::parse_boundary(v).map_err(|_| "The form has no boundary."))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut form = Form::default();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            Some(file_name) => {
                let content = field.bytes().await.map_err(unreadable)?;
                if !file_name.is_empty() || !content.is_empty() {
                    form.files.push((
                        name,
                        NewAttachment {
                            name: file_name,
                            bytes: content.to_vec(),
                        },
                    ));
                }
            }
            None => {
                let value = field.text().await.map_err(unreadable)?;
                form.fields.push(&name, &value);
            }
        }
    }
    Ok(form)
}

/// How a refused form can be sent again.
pub enum Resend<'a> {
    /// With this fresh token, from the page itself.
    Now { token: &'a str },
    /// Through the sign-in form, which then offers to send it.
    AfterSignIn { token: &'a str },
}

#[derive(Template)]
#[template(path = "kept.html")]
struct Kept<'a> {
    sentence: &'a str,
    action: &'a str,
    token: &'a str,
    sign_in: bool,
    fields: Vec<(String, String)>,
    encoded: String,
    files: usize,
}

/// The page for a form that could not be saved: the reason, every word the family
/// typed, and a button that sends it again with a token that works.
pub fn kept(
    status: StatusCode,
    sentence: &str,
    action: &str,
    form: &Form,
    resend: Resend<'_>,
) -> Response {
    let (token, sign_in) = match resend {
        Resend::Now { token } => (token, false),
        Resend::AfterSignIn { token } => (token, true),
    };
    let page = Kept {
        sentence,
        action,
        token,
        sign_in,
        fields: form.fields.typed().cloned().collect(),
        encoded: form.fields.encoded(),
        files: form.files.len(),
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => crate::guard::refuse(status, sentence),
    }
}
