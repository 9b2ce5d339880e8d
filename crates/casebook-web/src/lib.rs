//! The web app, server-rendered: every page works without JavaScript. This crate sees
//! the store only through casebook-app and the store traits; the binary wires the
//! concrete store and hands in the PDF typesetter (this crate never compiles typst).
//!
//! Two modes. Local: one family on 127.0.0.1, no sign-in, requests addressed to any
//! other host name refused (DNS rebinding). Organisation: accounts, sessions kept in
//! the store, a role per case, invitations and an access log; several servers over one
//! database behave as one service because nothing lives in the process.

mod attendance;
mod bundle;
mod connections;
mod entry;
mod forms;
mod guard;
mod home;
mod letters;
mod logging;
mod minutes;
mod people;
mod requests;
mod session;
mod settings;
mod sharing;
mod suggestions;
mod visit;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use casebook_app::{Clock, random_token};
use casebook_letters::Letter;
use casebook_store::{AccountStore, BlobStore, CaseStore};

pub use connections::{HEADER_TIMEOUT, serve};
pub use guard::{FORM_LIMIT, UPLOAD_LIMIT};
pub use logging::log_kinds;

/// Lays out a bundle as PDF: its layout JSON and files in, the PDF out.
pub type BundlePdf =
    Box<dyn Fn(Vec<u8>, Vec<(String, Vec<u8>)>) -> Result<Vec<u8>, String> + Send + Sync>;
/// Lays out a letter as PDF, dated with the given words ("3 March 2026").
pub type LetterPdf = Box<dyn Fn(&Letter, &str) -> Result<Vec<u8>, String> + Send + Sync>;

/// The PDF layouts, given by the binary, which alone compiles typst.
pub struct Typesetter {
    pub bundle: BundlePdf,
    pub letter: LetterPdf,
}

pub enum Mode {
    /// One family, on their own machine. The form token is random per process, and so
    /// is the key in the address `casebook serve` prints: another user of the same
    /// computer can reach the loopback port, but not without the key.
    Local { token: String, key: String },
    /// An organisation's server. `secure_cookies` when it is reached over HTTPS.
    Organisation { secure_cookies: bool },
}

/// What every request needs: the store, the clock, the mode and the names the guards
/// check against.
pub struct Web<S, B> {
    pub store: S,
    pub blobs: B,
    pub clock: Box<dyn Clock + Send + Sync>,
    pub mode: Mode,
    /// Local mode: the case to open when the store holds several (`--case`).
    pub case_slug: Option<String>,
    /// Local mode: who entries made here are recorded as. In organisation mode each
    /// entry is recorded as the account that made it.
    pub author: String,
    /// The Host headers this server answers to ("127.0.0.1:7878", "localhost:7878",
    /// or an organisation's own name).
    pub hosts: Vec<String>,
    pub typesetter: Option<Typesetter>,
    /// Pages waiting for the store queue here, first come first served, rather than
    /// as threads fighting over its lock: under load, the slowest answer stays close
    /// to the typical one.
    pub store_slots: tokio::sync::Semaphore,
    /// Reverse proxies the operator named: only their X-Forwarded-For is believed.
    pub proxies: Vec<std::net::IpAddr>,
}

/// How many pages work on the store at once: enough for the store to group many
/// entries into one commit, few enough that threads do not crowd the cores.
fn store_slots() -> tokio::sync::Semaphore {
    tokio::sync::Semaphore::new(32)
}

impl<S, B> Web<S, B> {
    /// The family's own app, for a server listening on `port` of the loopback address.
    pub fn local(
        store: S,
        blobs: B,
        clock: Box<dyn Clock + Send + Sync>,
        port: u16,
        author: String,
    ) -> Result<Self, String> {
        Ok(Web {
            store,
            blobs,
            clock,
            mode: Mode::Local {
                token: random_token().map_err(|e| e.to_string())?,
                key: random_token().map_err(|e| e.to_string())?,
            },
            case_slug: None,
            author,
            hosts: vec![format!("127.0.0.1:{port}"), format!("localhost:{port}")],
            typesetter: None,
            store_slots: store_slots(),
            proxies: Vec::new(),
        })
    }

    /// An organisation's server answering to `hosts` (each "name:port", or "name" on
    /// the default port).
    pub fn organisation(
        store: S,
        blobs: B,
        clock: Box<dyn Clock + Send + Sync>,
        hosts: Vec<String>,
        secure_cookies: bool,
    ) -> Self {
        Web {
            store,
            blobs,
            clock,
            mode: Mode::Organisation { secure_cookies },
            case_slug: None,
            author: String::new(),
            hosts,
            typesetter: None,
            store_slots: store_slots(),
            proxies: Vec::new(),
        }
    }

    /// The address to open first, with the local server's key: the one to print.
    pub fn first_address(&self, base: &str) -> String {
        match &self.mode {
            Mode::Local { key, .. } => format!("{base}?key={key}"),
            Mode::Organisation { .. } => base.to_owned(),
        }
    }

    pub fn is_organisation(&self) -> bool {
        matches!(self.mode, Mode::Organisation { .. })
    }
}

/// Every page, behind the guards: the host check, the session, the origin and form
/// token on every POST, and the security headers on every answer.
pub fn router<S, B>(web: Arc<Web<S, B>>) -> Router
where
    S: CaseStore + AccountStore + 'static,
    B: BlobStore + 'static,
{
    let case = Router::new()
        .route("/", get(home::home::<S, B>))
        .route("/timeline", get(home::timeline::<S, B>))
        .route(
            "/log/{kind}",
            get(logging::form::<S, B>).post(logging::save::<S, B>),
        )
        .route("/entries/{id}", get(entry::show::<S, B>))
        .route("/entries/{id}/correct", get(entry::correction::<S, B>))
        .route("/entries/{id}/amend", post(entry::amend::<S, B>))
        .route("/entries/{id}/files/{n}", get(entry::file::<S, B>))
        .route(
            "/people",
            get(people::list::<S, B>).post(people::add::<S, B>),
        )
        .route(
            "/requests",
            get(requests::list::<S, B>).post(requests::record::<S, B>),
        )
        .route("/deadlines", get(requests::deadline::<S, B>))
        .route("/attendance", get(attendance::attendance::<S, B>))
        .route("/suggestions/accept", post(suggestions::accept::<S, B>))
        .route("/suggestions/dismiss", post(suggestions::dismiss::<S, B>))
        .route("/letters", get(letters::list::<S, B>))
        .route("/letters/{id}", get(letters::show::<S, B>))
        .route("/letters/{id}/download", get(letters::download::<S, B>))
        .route("/letters/{id}/sent", post(letters::sent::<S, B>))
        .route(
            "/minutes",
            get(minutes::form::<S, B>).post(minutes::check::<S, B>),
        )
        .route("/bundle", get(bundle::form::<S, B>))
        .route("/bundle/download", get(bundle::download::<S, B>))
        .route("/settings", get(settings::show::<S, B>))
        .route("/settings/terms", post(settings::terms::<S, B>))
        .route("/settings/limits", post(settings::limits::<S, B>))
        .route("/settings/family", post(settings::family_details::<S, B>))
        .route("/settings/school-day", post(settings::school_day::<S, B>))
        .route("/sharing", get(sharing::show::<S, B>))
        .route("/sharing/invite", post(sharing::invite::<S, B>))
        .route("/sharing/revoke", post(sharing::revoke::<S, B>))
        .route("/sharing/withdraw", post(sharing::withdraw::<S, B>));
    Router::new()
        .route("/", get(session::cases::<S, B>))
        .route(
            "/login",
            get(session::login_form::<S, B>).post(session::login::<S, B>),
        )
        .route("/logout", post(session::logout::<S, B>))
        .route(
            "/invitations/{token}",
            get(session::invitation::<S, B>).post(session::accept::<S, B>),
        )
        .route("/style.css", get(visit::style))
        .route("/copy.js", get(visit::copy_script))
        // A nested "/" answers "/cases/x" only; links and bookmarks say "/cases/x/".
        .route("/cases/{case}/", get(home::home::<S, B>))
        .nest("/cases/{case}", case)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&web),
            guard::check::<S, B>,
        ))
        // The guard has already refused anything larger; extractors must not refuse less.
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
        .with_state(web)
}
