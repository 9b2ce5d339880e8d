//! One app per test over a new store with the demonstration case, and requests sent
//! through the router as a browser would send them. The store is SQLite, or with
//! CASEBOOK_TEST_BACKEND=postgres a new PostgreSQL database on the server
//! CASEBOOK_TEST_POSTGRES names: every test runs on both (scripts/test.sh runs both).

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use casebook_app::{FixedClock, demonstration_case};
use casebook_backends::AnyStore;
use casebook_blobs::LocalBlobs;
use casebook_store::{AccountStore, CaseStore};
use casebook_store_postgres::PgStore;
use casebook_store_sqlite::SqliteStore;
use casebook_web::{Mode, Web, router};
use tower::ServiceExt;

pub const PORT: u16 = 7878;
pub const HOST: &str = "127.0.0.1:7878";

pub type TestWeb = Web<AnyStore, LocalBlobs>;

pub struct App {
    _dir: tempfile::TempDir,
    pub router: Router,
    pub web: Arc<TestWeb>,
    /// The form token of a local app.
    pub token: String,
    /// A local app's key cookie, sent with every request as the family's browser does.
    pub key: Option<String>,
    /// Where the store is, to open it again as a second server would.
    pub place: Place,
}

/// A store's place: an SQLite file, or a PostgreSQL database's address.
#[derive(Clone)]
pub enum Place {
    File(PathBuf),
    Database(String),
}

impl Place {
    /// The store opened again, as a second server over the same store would open it.
    pub fn open(&self) -> AnyStore {
        blocking(|| match self {
            Place::File(path) => AnyStore::Sqlite(Box::new(
                SqliteStore::open(path, None).expect("the file opens"),
            )),
            Place::Database(url) => {
                AnyStore::Postgres(PgStore::connect(url, None).expect("the database opens"))
            }
        })
    }
}

/// 20 November 2026, mid-morning: the demonstration case has late requests by then.
pub fn clock() -> FixedClock {
    FixedClock(jiff::Timestamp::from_second(1_795_170_000).expect("instant"))
}

/// Runs store work on a thread of its own. The tests are async, and the PostgreSQL
/// store, like any blocking call, must not run on an async thread (the web app calls
/// it from its blocking pool).
pub fn blocking<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| scope.spawn(work).join().expect("the store work finished"))
}

/// A new store holding the demonstration case under each of `slugs`, on the backend
/// CASEBOOK_TEST_BACKEND names (SQLite unless it says postgres).
pub fn store(slugs: &[&str]) -> (tempfile::TempDir, Place, AnyStore, LocalBlobs) {
    blocking(|| new_store(slugs))
}

fn new_store(slugs: &[&str]) -> (tempfile::TempDir, Place, AnyStore, LocalBlobs) {
    let dir = tempfile::tempdir().expect("dir");
    let files = dir.path().join("attachments");
    let (place, store) = match std::env::var("CASEBOOK_TEST_BACKEND").as_deref() {
        Ok("postgres") => {
            let server = std::env::var("CASEBOOK_TEST_POSTGRES")
                .expect("CASEBOOK_TEST_POSTGRES names the test server (scripts/test.sh sets it)");
            let server = server.trim_end_matches('/');
            let name = format!("casebook_web_{}", uuid::Uuid::new_v4().simple());
            PgStore::create_database(&format!("{server}/postgres"), &name).expect("a database");
            let url = format!("{server}/{name}");
            let store = PgStore::connect(&url, None).expect("the database opens");
            (Place::Database(url), AnyStore::Postgres(store))
        }
        _ => {
            let path = dir.path().join("case.db");
            let store = SqliteStore::create(&path, None).expect("store");
            (Place::File(path), AnyStore::Sqlite(Box::new(store)))
        }
    };
    let blobs = LocalBlobs::new(files, None).expect("blobs");
    for slug in slugs {
        demonstration_case(&store, &blobs, &clock(), slug).expect("demo case");
    }
    (dir, place, store, blobs)
}

/// The family's own app on the demonstration case.
pub fn app() -> App {
    let (dir, place, store, blobs) = store(&["demo"]);
    let web = Web::local(store, blobs, Box::new(clock()), PORT, "Jo Morgan".into()).expect("web");
    wrap(dir, place, web)
}

pub fn wrap(dir: tempfile::TempDir, place: Place, web: TestWeb) -> App {
    let (token, key) = match &web.mode {
        Mode::Local { token, key } => (token.clone(), Some(format!("casebook_key={key}"))),
        Mode::Organisation { .. } => (String::new(), None),
    };
    let web = Arc::new(web);
    App {
        _dir: dir,
        router: router(Arc::clone(&web)),
        web,
        token,
        key,
        place,
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
        self.send_without_key(self.with_key(request)).await
    }

    /// The request with the local app's key added to its cookies.
    fn with_key(&self, mut request: Request<Body>) -> Request<Body> {
        if let Some(key) = &self.key {
            let cookies = match request.headers().get(header::COOKIE) {
                Some(given) => format!("{}; {key}", given.to_str().unwrap_or_default()),
                None => key.clone(),
            };
            request
                .headers_mut()
                .insert(header::COOKIE, cookies.parse().expect("a cookie header"));
        }
        request
    }

    /// The request exactly as given: a local app's key only if it carries it.
    pub async fn send_without_key(&self, request: Request<Body>) -> Answer {
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

    /// Everything the store holds for every case, read through the store itself: two
    /// equal states mean nothing was written in between.
    pub fn state(&self) -> String {
        blocking(|| self.read_state())
    }

    fn read_state(&self) -> String {
        let store = &self.web.store;
        let mut state = String::new();
        for case in store.cases().expect("cases") {
            state.push_str(&format!(
                "{case:?}\n{:?}\n",
                store.people(case.id).expect("people")
            ));
            for entry in store.entries(case.id).expect("entries") {
                state.push_str(&format!("{} {:?}\n", entry.record.hash, entry.content));
            }
            state.push_str(&format!(
                "{:?}\n{:?}\n{:?}\n{:?}\n",
                store.case_settings(case.id).expect("settings"),
                store.members(case.id).expect("members"),
                store.invitations(case.id).expect("invitations"),
                store.access_log(case.id).expect("access log"),
            ));
        }
        state
    }

    /// How many attached files the store keeps.
    pub fn files(&self) -> usize {
        walk(&self.web_files())
    }

    fn web_files(&self) -> PathBuf {
        self._dir.path().join("attachments")
    }
}

pub const PASSWORD: &str = "a long enough password";

/// Accounts with this password, each made owner of the case named beside it.
pub fn accounts(store: &AnyStore, accounts: &[(&str, &str, Option<&str>)]) {
    blocking(|| make_accounts(store, accounts));
}

fn make_accounts(store: &AnyStore, accounts: &[(&str, &str, Option<&str>)]) {
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

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .map(|e| {
                if e.path().is_dir() {
                    walk(&e.path())
                } else {
                    1
                }
            })
            .sum()
    })
}
