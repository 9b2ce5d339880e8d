//! The web app, server-rendered: every page works without JavaScript. This crate sees
//! the store only through casebook-app and the store traits; the binary wires the
//! concrete store. Local mode serves one family on 127.0.0.1 and refuses requests
//! addressed to any other host name (DNS rebinding).

mod bundle;
mod guard;
mod letters;
mod logging;
mod pages;
mod people;
mod requests;

use std::sync::Arc;

use axum::Router;
use axum::middleware;
use axum::routing::{get, post};
use casebook_app::Clock;
use casebook_store::{BlobStore, CaseStore};

pub use bundle::PdfRenderer;

/// What every request needs: the store, the clock, and the secrets and names the
/// guards check against.
pub struct Web<S, B> {
    pub store: S,
    pub blobs: B,
    pub clock: Box<dyn Clock + Send + Sync>,
    /// The case to open when the store holds several (`--case`).
    pub case_slug: Option<String>,
    /// Who entries made here are recorded as.
    pub author: String,
    /// The form token: random per process, in every form, required on every POST.
    pub token: String,
    /// The Host headers this server answers to ("127.0.0.1:7878", "localhost:7878").
    pub hosts: Vec<String>,
    /// Lays out PDF bundles; given by the binary, which alone compiles typst.
    pub pdf: Option<PdfRenderer>,
}

impl<S, B> Web<S, B> {
    /// A new app for a server listening on `port` of the loopback address.
    pub fn local(
        store: S,
        blobs: B,
        clock: Box<dyn Clock + Send + Sync>,
        port: u16,
        author: String,
    ) -> Result<Self, String> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret)
            .map_err(|e| format!("No randomness for a form token: {e}."))?;
        Ok(Web {
            store,
            blobs,
            clock,
            case_slug: None,
            author,
            token: casebook_domain::Digest(secret).to_hex(),
            hosts: vec![format!("127.0.0.1:{port}"), format!("localhost:{port}")],
            pdf: None,
        })
    }
}

/// Every page, behind the guards: host check, form token and origin on every POST,
/// and the security headers on every answer.
pub fn router<S, B>(web: Arc<Web<S, B>>) -> Router
where
    S: CaseStore + 'static,
    B: BlobStore + Send + Sync + 'static,
{
    Router::new()
        .route("/", get(pages::home::<S, B>))
        .route("/timeline", get(pages::timeline::<S, B>))
        .route(
            "/log/incident",
            get(pages::incident_form::<S, B>).post(pages::log_incident::<S, B>),
        )
        .route(
            "/log/{kind}",
            get(logging::form::<S, B>).post(logging::save::<S, B>),
        )
        .route("/entries/{id}", get(pages::entry::<S, B>))
        .route(
            "/people",
            get(people::list::<S, B>).post(people::add::<S, B>),
        )
        .route("/bundle", get(bundle::form::<S, B>))
        .route("/bundle/download", get(bundle::download::<S, B>))
        .route("/letters", get(letters::list::<S, B>))
        .route("/letters/{id}", get(letters::show::<S, B>))
        .route("/letters/{id}/download", get(letters::download::<S, B>))
        .route("/letters/{id}/sent", post(letters::sent::<S, B>))
        .route(
            "/requests",
            get(requests::list::<S, B>).post(requests::record::<S, B>),
        )
        .route("/style.css", get(pages::style))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&web),
            guard::check::<S, B>,
        ))
        .with_state(web)
}

/// Serves until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
