//! One app per test over a new store with the demonstration case, and requests sent
//! through the router as a browser would send them.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use casebook_app::{FixedClock, demonstration_case};
use casebook_blobs::LocalBlobs;
use casebook_store_sqlite::SqliteStore;
use casebook_web::{Mode, Web, router};
use tower::ServiceExt;

pub const PORT: u16 = 7878;
pub const HOST: &str = "127.0.0.1:7878";

pub struct App {
    _dir: tempfile::TempDir,
    pub router: Router,
    pub web: Arc<Web<SqliteStore, LocalBlobs>>,
    /// The form token of a local app.
    pub token: String,
    pub store: PathBuf,
}

/// 20 November 2026, mid-morning: the demonstration case has late requests by then.
pub fn clock() -> FixedClock {
    FixedClock(jiff::Timestamp::from_second(1_795_170_000).expect("instant"))
}

/// A new store holding the demonstration case under each of `slugs`.
pub fn store(slugs: &[&str]) -> (tempfile::TempDir, PathBuf, SqliteStore, LocalBlobs) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("case.db");
    let store = SqliteStore::create(&path, None).expect("store");
    let blobs = LocalBlobs::new(LocalBlobs::beside(&path), None).expect("blobs");
    for slug in slugs {
        demonstration_case(&store, &blobs, &clock(), slug).expect("demo case");
    }
    (dir, path, store, blobs)
}

/// The family's own app on the demonstration case.
pub fn app() -> App {
    let (dir, path, store, blobs) = store(&["demo"]);
    let web = Web::local(store, blobs, Box::new(clock()), PORT, "Jo Morgan".into()).expect("web");
    wrap(dir, path, web)
}

pub fn wrap(dir: tempfile::TempDir, path: PathBuf, web: Web<SqliteStore, LocalBlobs>) -> App {
    let token = match &web.mode {
        Mode::Local { token } => token.clone(),
        Mode::Organisation { .. } => String::new(),
    };
    let web = Arc::new(web);
    App {
        _dir: dir,
        router: router(Arc::clone(&web)),
        web,
        token,
        store: path,
    }
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Answer {
    /// The value a Set-Cookie header gives the cookie, with its attributes.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }

    /// "name=value" of a cookie set by this answer, to send back.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookie(name)
            .and_then(|v| v.split(';').next().map(str::to_owned))
    }

    /// The value of a hidden or filled-in field, as the page wrote it.
    pub fn field(&self, name: &str) -> Option<String> {
        let at = self.body.find(&format!("name=\"{name}\" value=\""))?;
        let rest = &self.body[at + name.len() + 15..];
        rest.split('"').next().map(str::to_owned)
    }
}

impl App {
    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("an answer");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body")
            .to_vec();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.get_as(path, "").await
    }

    pub async fn get_as(&self, path: &str, cookie: &str) -> Answer {
        let mut request = Request::get(path).header(header::HOST, HOST);
        if !cookie.is_empty() {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)], site: &str) -> Answer {
        self.post_as(path, form, site, "").await
    }

    pub async fn post_as(
        &self,
        path: &str,
        form: &[(&str, &str)],
        site: &str,
        cookie: &str,
    ) -> Answer {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let mut request = Request::post(path)
            .header(header::HOST, HOST)
            .header("sec-fetch-site", site)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if !cookie.is_empty() {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(body)).expect("request"))
            .await
    }

    /// A form with files, as a browser sends one: (field, file name, bytes) per file.
    pub async fn post_files(
        &self,
        path: &str,
        form: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Answer {
        const BOUNDARY: &str = "casebook-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in form {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        for (name, file, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(header::HOST, HOST)
            .header("sec-fetch-site", "same-origin")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    pub fn store_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.store).expect("store file")
    }
}

pub const PASSWORD: &str = "a long enough password";

/// Accounts with this password, each made owner of the case named beside it.
pub fn accounts(store: &SqliteStore, accounts: &[(&str, &str, Option<&str>)]) {
    use casebook_store::{AccountStore, CaseStore};
    for (email, name, case) in accounts {
        let account = casebook_app::create_account(
            store,
            &clock(),
            casebook_app::NewAccount {
                email: (*email).into(),
                name: (*name).into(),
                password: PASSWORD.into(),
            },
        )
        .expect("account");
        if let Some(slug) = case {
            let case = store.case_by_slug(slug).expect("lookup").expect("case");
            store
                .set_role(case.id, account.id, casebook_domain::CaseRole::Owner)
                .expect("owner");
        }
    }
}
