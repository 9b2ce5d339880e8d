//! The web app answering real HTTP requests: through the router in process, and once
//! through a real server on a loopback port.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use casebook_app::{FixedClock, demonstration_case};
use casebook_blobs::LocalBlobs;
use casebook_store_sqlite::SqliteStore;
use casebook_web::{Web, router};
use tower::ServiceExt;

const PORT: u16 = 7878;
const HOST: &str = "127.0.0.1:7878";

struct App {
    _dir: tempfile::TempDir,
    router: Router,
    token: String,
    store: std::path::PathBuf,
}

fn app() -> App {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("case.db");
    let store = SqliteStore::create(&path, None).expect("store");
    let blobs = LocalBlobs::new(LocalBlobs::beside(&path), None).expect("blobs");
    // 20 November 2026, mid-morning: the demonstration case has late requests by then.
    let clock = FixedClock(jiff::Timestamp::from_second(1_795_170_000).expect("instant"));
    demonstration_case(&store, &blobs, &clock, "demo").expect("demo case");
    let web = Web::local(store, blobs, Box::new(clock), PORT, "Jo Morgan".into()).expect("web");
    let casebook_web::Mode::Local { token } = &web.mode else {
        panic!("a local app");
    };
    let token = token.clone();
    App {
        _dir: dir,
        router: router(Arc::new(web)),
        token,
        store: path,
    }
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl App {
    async fn send(&self, request: Request<Body>) -> Answer {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("an answer");
        let status = response.status();
        let headers = response.headers().clone();
        let body = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    async fn get(&self, path: &str) -> Answer {
        self.send(
            Request::get(path)
                .header(header::HOST, HOST)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    async fn post(&self, path: &str, form: &[(&str, &str)], site: &str) -> Answer {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        self.send(
            Request::post(path)
                .header(header::HOST, HOST)
                .header("sec-fetch-site", site)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("request"),
        )
        .await
    }

    fn store_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.store).expect("store file")
    }
}

#[tokio::test]
async fn the_home_page_says_what_to_do_now_with_security_headers() {
    let app = app();
    let home = app.get("/cases/demo/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("<h1>What to do now</h1>"));
    assert!(
        home.body.contains("Today is 20 November 2026."),
        "{}",
        home.body
    );
    assert!(home.body.contains("<h2>Late</h2>"));
    assert!(home.body.contains("Subject access request"));
    assert!(home.body.contains("<h2>Confirm in writing</h2>"));
    assert!(home.body.contains("Alex Morgan"));
    let csp = home.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("csp");
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(home.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(home.headers[header::X_FRAME_OPTIONS], "DENY");
    let css = app.get("/style.css").await;
    assert!(
        css.headers[header::CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn requests_for_another_host_name_are_refused() {
    let app = app();
    for host in ["evil.example", "127.0.0.1:9999", "casebook.example:7878"] {
        let answer = app
            .send(
                Request::get("/")
                    .header(header::HOST, host)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await;
        assert_eq!(answer.status, StatusCode::MISDIRECTED_REQUEST, "{host}");
        assert!(!answer.body.contains("Alex"), "{host} saw the case");
    }
    let none = app
        .send(Request::get("/").body(Body::empty()).expect("request"))
        .await;
    assert_eq!(none.status, StatusCode::MISDIRECTED_REQUEST);
    assert_eq!(app.get("/cases/demo/").await.status, StatusCode::OK);
    let localhost = app
        .send(
            Request::get("/")
                .header(header::HOST, "localhost:7878")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    // The start page opens the family's one case.
    assert_eq!(localhost.status, StatusCode::SEE_OTHER);
    assert_eq!(localhost.headers[header::LOCATION], "/cases/demo/");
}

#[tokio::test]
async fn an_incident_logged_on_the_form_is_saved_shown_and_in_the_timeline() {
    let app = app();
    let form = app.get("/cases/demo/log/incident").await;
    assert!(
        form.body.contains("value=\"2026-11-20\""),
        "today's date is filled in"
    );
    assert!(form.body.contains(&app.token));
    let saved = app
        .post(
            "/cases/demo/log/incident",
            &[
                ("token", &app.token),
                ("date", "2026-11-19"),
                ("time", "12:35"),
                ("summary", "Pushed off the bench at lunch <b>again</b>"),
                ("details", "He came home quiet.\n\nHe said his arm hurt."),
                ("child_words", "Nobody helped me"),
                ("place", "playground"),
                ("witnesses", "Mr Osei"),
                ("category", "physical"),
                ("category", "verbal"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.headers[header::LOCATION], "/cases/demo/entries/e20?saved=1");
    let entry = app.get("/cases/demo/entries/e20?saved=1").await;
    assert!(entry.body.contains("Saved as e20"));
    assert!(entry.body.contains("19 November 2026 at 12:35"));
    // What the family typed is shown as text, never as markup.
    assert!(
        entry
            .body
            .contains("Pushed off the bench at lunch &#60;b&#62;again&#60;/b&#62;")
            || entry.body.contains("&lt;b&gt;again&lt;/b&gt;"),
        "{}",
        entry.body
    );
    assert!(!entry.body.contains("<b>again</b>"));
    assert!(entry.body.contains("Mr David Osei"));
    let timeline = app.get("/cases/demo/timeline?kind=incident&q=bench").await;
    assert!(timeline.body.contains("1 entries."), "{}", timeline.body);
    assert!(timeline.body.contains("/cases/demo/entries/e20"));
}

#[tokio::test]
async fn a_refused_form_comes_back_with_the_text_kept_and_an_error_summary() {
    let app = app();
    let before = app.store_bytes();
    let answer = app
        .post(
            "/cases/demo/log/incident",
            &[
                ("token", &app.token),
                ("date", "31/02/2026"),
                ("summary", "  "),
                ("details", "Everything I remember, which must not be lost"),
                ("witnesses", "Somebody Unknown"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("There is a problem"));
    assert!(answer.body.contains("href=\"#date\""));
    assert!(answer.body.contains("href=\"#summary\""));
    assert!(answer.body.contains("href=\"#witnesses\""));
    assert!(
        answer
            .body
            .contains("Everything I remember, which must not be lost")
    );
    assert_eq!(
        app.store_bytes(),
        before,
        "a refused form changed the store"
    );
}

#[tokio::test]
async fn forged_and_expired_forms_change_nothing() {
    let app = app();
    let before = app.store_bytes();
    let form = [("date", "2026-11-19"), ("summary", "forged")];
    let without_token = app.post("/cases/demo/log/incident", &form, "same-origin").await;
    assert_eq!(without_token.status, StatusCode::FORBIDDEN);
    assert!(without_token.body.contains("has expired"));
    let mut with_token = form.to_vec();
    with_token.push(("token", &app.token));
    let cross_site = app.post("/cases/demo/log/incident", &with_token, "cross-site").await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    let wrong = app
        .post(
            "/cases/demo/log/incident",
            &[("token", "0000"), ("summary", "x")],
            "same-origin",
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let huge = "x".repeat(5 * 1024 * 1024);
    let too_big = app
        .post(
            "/cases/demo/log/incident",
            &[("token", &app.token), ("details", &huge)],
            "same-origin",
        )
        .await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.store_bytes(), before);
    let missing = app.get("/cases/demo/entries/e999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing
            .body
            .contains("There is no entry e999 in this case.")
    );
}

#[tokio::test]
async fn a_real_server_on_a_loopback_port_answers() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("case.db");
    let store = SqliteStore::create(&path, None).expect("store");
    let blobs = LocalBlobs::new(LocalBlobs::beside(&path), None).expect("blobs");
    let clock = FixedClock(jiff::Timestamp::from_second(1_795_170_000).expect("instant"));
    demonstration_case(&store, &blobs, &clock, "demo").expect("demo case");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let web = Web::local(store, blobs, Box::new(clock), port, "Jo".into()).expect("web");
    let server = tokio::spawn(casebook_web::serve(listener, router(Arc::new(web))));
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    stream
        .write_all(
            format!(
                "GET /cases/demo/timeline HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        )
        .await
        .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("19 entries."));
    server.abort();
}

#[tokio::test]
async fn calls_home_observations_and_absences_are_logged_from_their_forms() {
    let app = app();
    let call = app
        .post(
            "/cases/demo/log/call",
            &[
                ("token", &app.token),
                ("date", "2026-11-19"),
                ("time", "16:05"),
                ("who", "Mrs Carter"),
                ("channel", "phone"),
                ("direction", "sent"),
                ("summary", "Mrs Carter said Alex could stay in at lunch"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(call.status, StatusCode::SEE_OTHER, "{}", call.body);
    let shown = app.get("/cases/demo/entries/e20").await;
    assert!(shown.body.contains("phone call"), "{}", shown.body);
    assert!(shown.body.contains("not yet confirmed in writing"));
    assert!(shown.body.contains("Mrs Helen Carter"));

    let home = app
        .post(
            "/cases/demo/log/observation",
            &[
                ("token", &app.token),
                ("date", "2026-11-19"),
                ("summary", "Could not sleep"),
                ("sign", "sleep"),
                ("sign", "distress"),
                ("child_words", "I don't want to go tomorrow"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(home.status, StatusCode::SEE_OTHER, "{}", home.body);

    let absence = app
        .post(
            "/cases/demo/log/absence",
            &[
                ("token", &app.token),
                ("date", "2026-11-16"),
                ("until", "2026-11-17"),
                ("reason", "mental-health"),
                ("summary", "Too anxious to go in"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(absence.status, StatusCode::SEE_OTHER, "{}", absence.body);
    let timeline = app.get("/cases/demo/timeline?kind=absence").await;
    assert!(timeline.body.contains("Too anxious to go in"));

    // A call with nobody named comes back with the words kept.
    let before = app.store_bytes();
    let refused = app
        .post(
            "/cases/demo/log/call",
            &[
                ("token", &app.token),
                ("date", "2026-11-19"),
                ("who", "Nobody Known"),
                ("summary", "What I remember"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#who\""));
    assert!(refused.body.contains("value=\"What I remember\""));
    assert_eq!(app.store_bytes(), before);
    let unknown = app.get("/cases/demo/log/holiday").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("casebook has no form for"));
}

#[tokio::test]
async fn people_are_listed_with_pseudonyms_and_added_from_the_form() {
    let app = app();
    let list = app.get("/cases/demo/people").await;
    assert!(
        list.body.contains("Child A (Tyler Brooks)"),
        "{}",
        list.body
    );
    assert!(list.body.contains("head@millbrook.example"));
    let added = app
        .post(
            "/cases/demo/people",
            &[
                ("token", &app.token),
                ("name", "Ms Rita Gale"),
                ("role", "sendiass"),
                ("organisation", "Exampleshire SENDIASS"),
                ("email", "rita@sendiass.example"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let list = app.get("/cases/demo/people?added=1").await;
    assert!(list.body.contains("Ms Rita Gale") && list.body.contains("SENDIASS adviser"));
    let refused = app
        .post(
            "/cases/demo/people",
            &[
                ("token", &app.token),
                ("name", " "),
                ("role", "sendiass"),
                ("phone", "0123"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#name\"") && refused.body.contains("value=\"0123\""));
}

#[tokio::test]
async fn requests_show_where_they_stand_and_a_new_one_gets_its_reply_date() {
    let app = app();
    let list = app.get("/cases/demo/requests").await;
    assert!(list.body.contains("Late: due"), "{}", list.body);
    assert!(list.body.contains("Subject access request"));
    assert!(list.body.contains("value=\"subject-access\""));
    let people = app.get("/cases/demo/people").await;
    let carter = people.body.contains("Mrs Helen Carter");
    assert!(carter);
    let recorded = app
        .post(
            "/cases/demo/requests",
            &[
                ("token", &app.token),
                ("rule", "subject-access"),
                ("sent", "2026-11-19"),
                ("to", "p1"),
                ("summary", ""),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let list = app.get("/cases/demo/requests").await;
    assert!(list.body.contains("Waiting: due"), "{}", list.body);
    let refused = app
        .post(
            "/cases/demo/requests",
            &[
                ("token", &app.token),
                ("rule", "no-such-rule"),
                ("sent", "2026-11-19"),
                ("to", "p1"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("There is no rule"),
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn a_letter_is_drafted_from_the_case_checked_and_downloaded() {
    let app = app();
    let list = app.get("/cases/demo/letters").await;
    assert!(
        list.body.contains("/cases/demo/letters/report-bullying"),
        "{}",
        list.body
    );
    let draft = app.get("/cases/demo/letters/report-bullying?to=p1").await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
    assert!(draft.body.contains("<h2>The draft</h2>"), "{}", draft.body);
    assert!(draft.body.contains("It asks for a reply by"));
    let tyler = draft
        .body
        .find("Tyler")
        .map(|at| &draft.body[at.saturating_sub(200)..at + 50]);
    assert!(tyler.is_none(), "another child is named: {tyler:?}");
    assert!(draft.body.contains("Alex"));
    assert!(
        draft
            .body
            .contains("The tone check found nothing to change.")
    );
    let text = app
        .get("/cases/demo/letters/report-bullying/download?format=txt&to=p1")
        .await;
    assert!(
        text.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("header")
            .contains("report-bullying.txt")
    );
    assert!(text.body.contains("20 November 2026") && text.body.contains("Subject: "));
    let word = app
        .get("/cases/demo/letters/report-bullying/download?format=docx&to=p1")
        .await;
    assert!(word.body.starts_with("PK"), "a .docx is a zip file");
    // A letter about a call needs the call: it says so instead of drafting.
    let needs = app.get("/cases/demo/letters/confirm-in-writing?to=p1").await;
    assert!(
        needs.body.contains("This letter cannot be drafted yet"),
        "{}",
        needs.body
    );
    // Recorded as sent: the letter and the reply it asks for join the log.
    let before = app.get("/cases/demo/requests").await;
    let sent = app
        .post(
            "/cases/demo/letters/report-bullying/sent",
            &[
                ("token", &app.token),
                ("to", "p1"),
                ("about", ""),
                ("sent", "2026-11-20"),
                ("channel", "email"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.headers[header::LOCATION], "/cases/demo/entries/e20?saved=1");
    let letter = app.get("/cases/demo/entries/e20").await;
    assert!(letter.body.contains("email"), "{}", letter.body);
    let after = app.get("/cases/demo/requests").await;
    assert!(
        after.body.matches("Waiting: due").count() > before.body.matches("Waiting: due").count()
    );
    let unknown = app.get("/cases/demo/letters/no-such-letter").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_bundle_downloads_signed_with_other_children_pseudonymised() {
    let app = app();
    let form = app.get("/cases/demo/bundle").await;
    assert!(form.body.contains("One web page that opens in any browser"));
    // Without a PDF renderer (only the binary has typst), PDF is not offered.
    assert!(!form.body.contains("format-pdf"));
    let bundle = app
        .get("/cases/demo/bundle/download?purpose=Stage+2+complaint&from=&to=&format=html")
        .await;
    assert_eq!(bundle.status, StatusCode::OK, "{}", bundle.body);
    assert!(
        bundle.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("header")
            .contains("demo-bundle.html")
    );
    assert!(bundle.body.contains("Stage 2 complaint"));
    assert!(bundle.body.contains("Child A") && !bundle.body.contains("Tyler"));
    let signed = casebook_app::check_signature(bundle.body.as_bytes(), "bundle.html");
    assert!(signed.is_ok(), "{signed:?}");
    let empty = app
        .get("/cases/demo/bundle/download?from=2030-01-01&format=html")
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("No entries match the selection"));
}
