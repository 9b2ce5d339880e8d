//! The family's own app: every page through the router, and once through a real
//! server on a loopback port.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use casebook_app::demonstration_case;
use casebook_blobs::LocalBlobs;
use casebook_store_sqlite::SqliteStore;
use casebook_web::{Web, router};

use crate::harness::{app, clock};

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

/// Another site's page can link to casebook but cannot fetch or embed from it: the
/// local server needs no cookie, so a page elsewhere could otherwise load a case's
/// bundle or files as a script or an image.
#[tokio::test]
async fn another_site_cannot_fetch_or_embed_what_casebook_serves() {
    let app = app();
    let from = |path: &str, site: &str, mode: &str, dest: &str| {
        Request::get(path)
            .header(header::HOST, crate::harness::HOST)
            .header("sec-fetch-site", site)
            .header("sec-fetch-mode", mode)
            .header("sec-fetch-dest", dest)
            .body(Body::empty())
            .expect("request")
    };
    let bundle = "/cases/demo/bundle/download?purpose=&from=&to=&format=html";
    for path in [
        bundle,
        "/cases/demo/entries/e1/files/1",
        "/cases/demo/timeline",
    ] {
        for (site, mode, dest) in [
            ("cross-site", "no-cors", "script"),
            ("cross-site", "no-cors", "image"),
            ("cross-site", "cors", "empty"),
            ("same-site", "no-cors", "script"),
        ] {
            let answer = app.send(from(path, site, mode, dest)).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{path} {site} {dest}");
            assert!(!answer.body.contains("Alex"), "{path} {site} {dest}");
        }
        let own = app
            .send(from(path, "same-origin", "no-cors", "empty"))
            .await;
        assert_eq!(own.status, StatusCode::OK, "{path}");
        assert_eq!(own.headers["cross-origin-resource-policy"], "same-origin");
    }
    // A link followed from an email or another site opens the page.
    let followed = app
        .send(from("/cases/demo/", "cross-site", "navigate", "document"))
        .await;
    assert_eq!(followed.status, StatusCode::OK);
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
    assert_eq!(
        saved.headers[header::LOCATION],
        "/cases/demo/entries/e20?saved=1"
    );
    let entry = app.get("/cases/demo/entries/e20?saved=1").await;
    assert!(entry.body.contains("Saved. It is in the log for good"));
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
    // Every field the form captured is on the page that says it was saved.
    for shown in [
        "<dt>Place</dt><dd>playground</dd>",
        "<dt>Seen by</dt><dd>Mr David Osei</dd>",
        "<dt>Kind</dt>",
    ] {
        assert!(entry.body.contains(shown), "{shown}: {}", entry.body);
    }
    let timeline = app.get("/cases/demo/timeline?kind=incident&q=bench").await;
    assert!(timeline.body.contains("1 entry."), "{}", timeline.body);
    assert!(timeline.body.contains("/cases/demo/entries/e20"));
}

#[tokio::test]
async fn a_refused_form_comes_back_with_the_text_kept_and_an_error_summary() {
    let app = app();
    let before = app.state();
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
    // A name the case does not know is not an error: it joins the case when the form
    // is saved, and nothing is added while the form is refused.
    assert!(!answer.body.contains("href=\"#witnesses\""));
    assert!(answer.body.contains("value=\"Somebody Unknown\""));
    // February has no 31st: the date typed is named, not "Enter the date".
    assert!(answer.body.contains("31/02/2026"), "{}", answer.body);
    assert!(
        answer
            .body
            .contains("Everything I remember, which must not be lost")
    );
    assert_eq!(app.state(), before, "a refused form changed the store");
}

#[tokio::test]
async fn forged_and_expired_forms_change_nothing() {
    let app = app();
    let before = app.state();
    let form = [("date", "2026-11-19"), ("summary", "forged")];
    let without_token = app
        .post("/cases/demo/log/incident", &form, "same-origin")
        .await;
    assert_eq!(without_token.status, StatusCode::FORBIDDEN);
    assert!(without_token.body.contains("has expired"));
    let mut with_token = form.to_vec();
    with_token.push(("token", &app.token));
    let cross_site = app
        .post("/cases/demo/log/incident", &with_token, "cross-site")
        .await;
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
    assert_eq!(app.state(), before);
    // An answer about a message that is not there, or not a message, changes nothing.
    for message in ["e999", "nonsense", ""] {
        let answer = app
            .post(
                "/cases/demo/suggestions/accept",
                &[
                    ("token", &app.token),
                    ("message", message),
                    ("kind", "refusal-to-assess"),
                ],
                "same-origin",
            )
            .await;
        assert!(
            answer.status.is_client_error(),
            "{message}: {}",
            answer.status
        );
    }
    assert_eq!(app.state(), before);
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
    let clock = clock();
    demonstration_case(&store, &blobs, &clock, "demo").expect("demo case");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let web = Web::local(store, blobs, Box::new(clock), port, "Jo".into()).expect("web");
    let printed = web.first_address("/");
    let key = printed.split("?key=").nth(1).expect("a key");
    let server = tokio::spawn(casebook_web::serve(listener, router(Arc::new(web))));
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    stream
        .write_all(
            format!(
                "GET /cases/demo/timeline HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: casebook_key={key}\r\nConnection: close\r\n\r\n"
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

    // Sent home: the time of the call, the time collected, who asked (someone the case
    // does not know yet joins it), the reason given and no letter of suspension.
    let sent_home = app
        .post(
            "/cases/demo/log/absence",
            &[
                ("token", &app.token),
                ("date", "2026-11-18"),
                ("time", "09:20"),
                ("reason", "sent-home"),
                ("collected", "09:50"),
                ("asked_by", "Mr Deputy"),
                ("reason_given", "Unsettled after drop-off"),
                ("formal_letter", "no"),
                ("summary", "Sent home after drop-off"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(
        sent_home.status,
        StatusCode::SEE_OTHER,
        "{}",
        sent_home.body
    );
    let location = sent_home.headers[header::LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    let shown = app.get(&location).await;
    for fact in [
        "Collected at",
        "09:50",
        "Mr Deputy",
        "Unsettled after drop-off",
        "none followed",
        // The letter that follows is the one asking whether it was an exclusion.
        "Ask whether it was an exclusion",
    ] {
        assert!(shown.body.contains(fact), "{fact}: {}", shown.body);
    }

    // A call with nobody named comes back with the words kept.
    let before = app.state();
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
    assert_eq!(app.state(), before);
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
    let needs = app
        .get("/cases/demo/letters/confirm-in-writing?to=p1")
        .await;
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
    assert_eq!(
        sent.headers[header::LOCATION],
        "/cases/demo/entries/e20?saved=1"
    );
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

/// A JPEG as a phone writes one: the start of the file is all the check reads.
const PHOTO: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01 a small photo of a torn sleeve";

#[tokio::test]
async fn a_photo_attached_to_an_incident_is_kept_and_downloads_byte_for_byte() {
    let app = app();
    let saved = app
        .post_files(
            "/cases/demo/log/incident",
            &[
                ("token", &app.token),
                ("date", "2026-11-19"),
                ("summary", "Sleeve torn in the cloakroom"),
            ],
            &[("files", "sleeve.jpg", PHOTO)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let entry = app.get("/cases/demo/entries/e20").await;
    assert!(entry.body.contains("sleeve.jpg"), "{}", entry.body);
    assert!(entry.body.contains("/cases/demo/entries/e20/files/1"));
    let file = app.get("/cases/demo/entries/e20/files/1").await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes, PHOTO);
    assert_eq!(file.headers[header::CONTENT_TYPE], "image/jpeg");
    assert!(
        file.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("header")
            .starts_with("attachment;")
    );
    assert_eq!(
        app.get("/cases/demo/entries/e20/files/2").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_wrong_type_or_oversized_upload_is_refused_with_a_reason_and_changes_nothing() {
    let app = app();
    let before = app.state();
    let files_before = app.files();
    let program = app
        .post_files(
            "/cases/demo/log/incident",
            &[
                ("token", &app.token),
                ("date", "2026-11-19"),
                ("summary", "What I must not lose"),
            ],
            &[("files", "photo.jpg", b"MZ\x90\x00\x03 a program")],
        )
        .await;
    assert_eq!(program.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        program
            .body
            .contains("photo.jpg does not hold what its name says it is"),
        "{}",
        program.body
    );
    assert!(program.body.contains("href=\"#files\""));
    assert!(program.body.contains("value=\"What I must not lose\""));
    let web_page = app
        .post_files(
            "/cases/demo/log/document",
            &[
                ("token", &app.token),
                ("date", "2026-11-19"),
                ("summary", "A page"),
                ("document_type", "policy:anti-bullying"),
            ],
            &[("files", "page.html", b"<script>alert(1)</script>")],
        )
        .await;
    assert_eq!(web_page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(web_page.body.contains("none of these"), "{}", web_page.body);
    let huge = vec![b'x'; casebook_web::UPLOAD_LIMIT + 1];
    let too_big = app
        .post_files(
            "/cases/demo/log/incident",
            &[("token", &app.token), ("summary", "big")],
            &[("files", "video.mp4", &huge)],
        )
        .await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(too_big.body.contains("more than casebook accepts"));
    assert_eq!(app.state(), before, "a refused upload changed the store");
    let files_after = app.files();
    assert_eq!(files_after, files_before, "a refused upload left a file");
}

#[tokio::test]
async fn an_entry_is_corrected_beside_the_original_and_a_correction_needs_its_reason() {
    let app = app();
    // An email has no form of its own here: its words, details and date are corrected,
    // starting from what the entry says now.
    let page = app.get("/cases/demo/entries/e6").await;
    assert!(
        page.body.contains(
            "name=\"summary\" required value=\"Email to Mrs Carter confirming what was said on the phone\""
        ),
        "{}",
        page.body
    );
    let before = app.state();
    let refused = app
        .post(
            "/cases/demo/entries/e6/amend",
            &[
                ("token", &app.token),
                ("summary", "Email to Mrs Carter about the call"),
                ("reason", ""),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("href=\"#reason\""),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("value=\"Email to Mrs Carter about the call\"")
    );
    assert_eq!(app.state(), before);
    let amended = app
        .post(
            "/cases/demo/entries/e6/amend",
            &[
                ("token", &app.token),
                ("summary", "Email to Mrs Carter about the call"),
                ("details", "Sent at 19:30 from my phone."),
                ("reason", "I found the sent email"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(amended.status, StatusCode::SEE_OTHER, "{}", amended.body);
    let entry = app.get("/cases/demo/entries/e6").await;
    assert!(
        entry
            .body
            .contains("<h1>Email to Mrs Carter about the call</h1>"),
        "{}",
        entry.body
    );
    assert!(entry.body.contains("Why: I found the sent email"));
    // Beside what was first written: each field changed, before and after.
    for shown in [
        "Before: Email to Mrs Carter confirming what was said on the phone",
        "After: Email to Mrs Carter about the call",
        "<dt>More detail</dt><dd><span class=\"was\">Before: nothing</span>",
        "After: Sent at 19:30 from my phone.",
    ] {
        assert!(entry.body.contains(shown), "{shown}\n{}", entry.body);
    }
}

/// The value a field of a page's form starts with.
fn value_of(body: &str, id: &str) -> String {
    let field = body
        .split(&format!("id=\"{id}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no field {id}"));
    let value = field
        .split("value=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .unwrap_or_default();
    value.replace("&#39;", "'").replace("&#34;", "\"")
}

/// Any field of an entry can be corrected in its kind's own form, which starts from the
/// entry as it reads now; what changed is shown beside what was first written, and a
/// correction that changes nothing is refused.
#[tokio::test]
async fn any_field_of_an_incident_is_corrected_in_its_own_form() {
    let app = app();
    let entry = app.get("/cases/demo/entries/e4").await;
    assert!(
        entry
            .body
            .contains("href=\"/cases/demo/entries/e4/correct\""),
        "{}",
        entry.body
    );
    let form = app.get("/cases/demo/entries/e4/correct").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert_eq!(value_of(&form.body, "date"), "2026-09-24");
    assert_eq!(value_of(&form.body, "time"), "12:30");
    assert_eq!(value_of(&form.body, "place"), "playground");
    assert_eq!(value_of(&form.body, "school_word"), "a niggle");
    assert!(form.body.contains(
        "id=\"category-property\" name=\"category\" type=\"checkbox\" value=\"property\" checked"
    ));
    let involved = value_of(&form.body, "involved");
    assert!(!involved.is_empty());
    let fields = |place: &'static str, why: &'static str| {
        let involved = involved.clone();
        let token = app.token.clone();
        vec![
            ("token", token),
            ("date", "2026-09-24".to_owned()),
            ("time", "12:30".to_owned()),
            (
                "summary",
                "Lunch taken and thrown in the bin on the playground".to_owned(),
            ),
            ("place", place.to_owned()),
            ("category", "property".to_owned()),
            ("category", "relational".to_owned()),
            ("involved", involved),
            ("witnesses", "Sam Lee".to_owned()),
            ("school_word", "a niggle".to_owned()),
            ("why", why.to_owned()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
            app.post("/cases/demo/entries/e4/amend", &fields, "same-origin")
                .await
        }
    };
    let before = app.state();
    let refused = post(fields("the dining hall", "")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#why\""), "{}", refused.body);
    assert_eq!(value_of(&refused.body, "place"), "the dining hall");
    assert_eq!(app.state(), before, "a refused correction changed the case");
    let saved = post(fields("the dining hall", "Alex told me where it was")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let entry = app.get("/cases/demo/entries/e4").await;
    for shown in [
        "Why: Alex told me where it was",
        "Before: playground",
        "After: the dining hall",
        "After: Sam Lee",
    ] {
        assert!(entry.body.contains(shown), "{shown}\n{}", entry.body);
    }
    // The bundle and the timeline read the entry as corrected; the witness is in the case.
    assert!(app.get("/cases/demo/people").await.body.contains("Sam Lee"));
    let unchanged = app.state();
    let refused = post(fields("the dining hall", "Nothing new")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Nothing was changed"),
        "{}",
        refused.body
    );
    assert_eq!(app.state(), unchanged);
}

/// A correction can change the date too (the way to mend an entry whose date cannot be
/// read); a date that is not one is refused with the words kept, and nothing saved.
#[tokio::test]
async fn a_correction_can_give_the_date_and_a_wrong_one_is_refused() {
    let app = app();
    let before = app.state();
    let correction = |date: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/cases/demo/entries/e6/amend",
                &[
                    ("token", &app.token),
                    (
                        "summary",
                        "Email to Mrs Carter confirming what was said on the phone",
                    ),
                    ("reason", "The date was wrong"),
                    ("occurred", date),
                ],
                "same-origin",
            )
            .await
        }
    };
    for wrong in ["31 February 2026", "2999-12-31", "last Tuesday"] {
        let refused = correction(wrong).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{wrong}");
        assert!(refused.body.contains("href=\"#occurred\""), "{wrong}");
        assert!(
            refused.body.contains(&format!("value=\"{wrong}\"")),
            "{wrong}"
        );
        assert!(app.state() == before, "{wrong} changed the store");
    }
    let amended = correction("3 March 2026").await;
    assert_eq!(amended.status, StatusCode::SEE_OTHER, "{}", amended.body);
    let entry = app.get("/cases/demo/entries/e6").await;
    assert!(
        entry.body.contains("<dd>3 March 2026</dd>"),
        "{}",
        entry.body
    );
}

#[tokio::test]
async fn a_meeting_is_logged_and_its_minutes_checked_against_the_points_raised() {
    let app = app();
    let meeting = app
        .post(
            "/cases/demo/log/meeting",
            &[
                ("token", &app.token),
                ("date", "2026-11-18"),
                ("time", "15:30"),
                ("summary", "Meeting with the SENCO about lunchtimes"),
                ("attendees", "Mrs Carter"),
                ("purpose", "Support at lunch"),
                (
                    "points",
                    "Alex is scared of the lunch queue\nAlex needs a quiet place at break",
                ),
                ("actions", "School to arrange a lunch club"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(meeting.status, StatusCode::SEE_OTHER, "{}", meeting.body);
    let shown = app.get("/cases/demo/entries/e20").await;
    assert!(shown.body.contains("Mrs Helen Carter"), "{}", shown.body);
    let form = app.get("/cases/demo/minutes").await;
    assert!(form.body.contains("value=\"e20\""), "{}", form.body);
    let checked = app
        .post(
            "/cases/demo/minutes",
            &[
                ("token", &app.token),
                ("meeting", "e20"),
                (
                    "minutes_text",
                    "Present: Mrs Carter, Mrs Morgan.\nMrs Morgan said Alex is scared of the lunch queue.\nThe school will arrange a lunch club.",
                ),
                ("keep", "yes"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(
        checked
            .body
            .contains("In the minutes:</strong> Alex is scared of the lunch queue")
    );
    assert!(
        checked
            .body
            .contains("Missing from the minutes:</strong> Alex needs a quiet place at break"),
        "{}",
        checked.body
    );
    assert!(checked.body.contains("A request to correct the minutes"));
    assert!(
        checked
            .body
            .contains("The minutes are kept in the log, <a href=")
    );
    let kept = app.get("/cases/demo/entries/e21").await;
    assert!(kept.body.contains("minutes.txt"), "{}", kept.body);
    let nothing = app
        .post(
            "/cases/demo/minutes",
            &[
                ("token", &app.token),
                ("meeting", "e20"),
                ("minutes_text", ""),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nothing.body.contains("href=\"#minutes_text\""));
}

#[tokio::test]
async fn a_deadline_is_worked_out_with_how_it_was_counted_and_its_source() {
    let app = app();
    let page = app.get("/cases/demo/deadlines").await;
    assert!(
        page.body.contains("value=\"subject-access\""),
        "{}",
        page.body
    );
    let due = app
        .get("/cases/demo/deadlines?rule=subject-access&from=2026-03-06")
        .await;
    assert_eq!(due.status, StatusCode::OK, "{}", due.body);
    assert!(due.body.contains("Due 7 April 2026"), "{}", due.body);
    assert!(due.body.contains("bank holiday: Easter Monday"));
    assert!(due.body.contains("Source:"));
    assert!(due.body.contains("UK GDPR"), "{}", due.body);
    let missing = app.get("/cases/demo/deadlines?rule=subject-access").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing
            .body
            .contains("This needs the date the clock starts")
    );
    let unknown = app
        .get("/cases/demo/deadlines?rule=no-such-rule&from=2026-03-06")
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_date = app
        .get("/cases/demo/deadlines?rule=subject-access&from=31%2F02%2F2026")
        .await;
    assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn term_dates_and_the_school_s_own_limits_are_set_and_used_for_deadlines() {
    let app = app();
    let ics = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../casebook-calendar/tests/fixtures/westshire-2026-27.ics"
    ))
    .expect("fixture");
    let saved = app
        .post_files(
            "/cases/demo/settings/terms",
            &[("token", &app.token)],
            &[("terms_file", "westshire-2026-27.ics", &ics)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let settings = app.get("/cases/demo/settings?saved=1").await;
    assert!(settings.body.contains("Saved."), "{}", settings.body);
    assert!(settings.body.contains("2026"));
    let before = app.state();
    let broken = app
        .post(
            "/cases/demo/settings/terms",
            &[
                ("token", &app.token),
                ("term1_name", "Autumn"),
                ("term1_start", "2026-12-18"),
                ("term1_end", "2026-09-02"),
                ("closure1_name", ""),
                ("closure1_start", ""),
                ("closure1_end", ""),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(broken.body.contains("ends"), "{}", broken.body);
    assert!(
        broken.body.contains("value=\"2026-12-18\""),
        "the typed dates are kept"
    );
    let half_typed = app
        .post(
            "/cases/demo/settings/terms",
            &[
                ("token", &app.token),
                ("term1_name", "Autumn"),
                ("term1_start", "2 September 2026"),
                ("term1_end", ""),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(half_typed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        half_typed
            .body
            .contains("Enter the last day of &#34;Autumn&#34;")
            || half_typed
                .body
                .contains("Enter the last day of &quot;Autumn&quot;"),
        "{}",
        half_typed.body
    );
    assert_eq!(app.state(), before);
    // Typed as dates: two terms and an INSET day, shown back in words.
    let typed = app
        .post(
            "/cases/demo/settings/terms",
            &[
                ("token", &app.token),
                ("term1_name", "Autumn term"),
                ("term1_start", "2026-09-02"),
                ("term1_end", "2026-12-18"),
                ("term2_name", "Spring term"),
                ("term2_start", "2027-01-05"),
                ("term2_end", "2027-03-26"),
                ("closure1_name", "Training day"),
                ("closure1_start", "2026-11-06"),
                ("closure1_end", ""),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(typed.status, StatusCode::SEE_OTHER, "{}", typed.body);
    let settings = app.get("/cases/demo/settings?saved=1").await;
    for shown in [
        "Autumn term: 2 September 2026 to 18 December 2026",
        "Spring term: 5 January 2027 to 26 March 2027",
        "Training day: 6 November 2026",
    ] {
        assert!(settings.body.contains(shown), "{shown}: {}", settings.body);
    }
    // Back to the council's calendar for the deadlines below.
    app.post_files(
        "/cases/demo/settings/terms",
        &[("token", &app.token)],
        &[("terms_file", "westshire-2026-27.ics", &ics)],
    )
    .await;

    let usual = app
        .get("/cases/demo/deadlines?rule=complaint-stage-1-response&from=2026-11-02")
        .await;
    assert!(usual.body.contains("an estimate"), "{}", usual.body);
    let limit = app
        .post(
            "/cases/demo/settings/limits",
            &[
                ("token", &app.token),
                ("rule", "complaint-stage-1-response"),
                ("limit", "15 school-days"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(limit.status, StatusCode::SEE_OTHER, "{}", limit.body);
    let own = app
        .get("/cases/demo/deadlines?rule=complaint-stage-1-response&from=2026-11-02")
        .await;
    assert!(
        own.body.contains("own policy gives 15 school days"),
        "{}",
        own.body
    );
    assert!(!own.body.contains("an estimate"));
    let refused = app
        .post(
            "/cases/demo/settings/limits",
            &[
                ("token", &app.token),
                ("rule", "subject-access"),
                ("limit", "15 school-days"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("not set by the school"),
        "{}",
        refused.body
    );
    let nonsense = app
        .post(
            "/cases/demo/settings/limits",
            &[
                ("token", &app.token),
                ("rule", "complaint-stage-1-response"),
                ("limit", "fifteen days"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(nonsense.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        nonsense
            .body
            .contains("href=\"#limit-complaint-stage-1-response\"")
    );
}

#[tokio::test]
async fn a_letter_downloads_as_an_email_and_says_why_not_when_it_cannot() {
    let app = app();
    let no_from = app
        .get("/cases/demo/letters/report-bullying/download?format=eml&to=p1")
        .await;
    assert_eq!(no_from.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_from.body.contains("Give your own email address"));
    let eml = app
        .get("/cases/demo/letters/report-bullying/download?format=eml&to=p1&from_email=jo%40example.org")
        .await;
    assert_eq!(eml.status, StatusCode::OK, "{}", eml.body);
    assert_eq!(eml.headers[header::CONTENT_TYPE], "message/rfc822");
    assert!(eml.body.contains("jo@example.org") && eml.body.contains("Subject:"));
    let pdf = app
        .get("/cases/demo/letters/report-bullying/download?format=pdf&to=p1")
        .await;
    assert_eq!(
        pdf.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no typesetter here"
    );
}

#[tokio::test]
async fn an_expired_form_comes_back_with_every_word_and_a_fresh_token_to_send_it() {
    let app = app();
    let before = app.state();
    let stale = app
        .post(
            "/cases/demo/log/incident",
            &[
                ("token", "a token from before casebook was restarted"),
                ("date", "2026-11-19"),
                ("summary", "Pushed at the gate"),
                ("details", "Every word of this must survive"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN);
    assert!(stale.body.contains("Every word of this must survive"));
    assert_eq!(stale.field("token").as_deref(), Some(app.token.as_str()));
    assert!(stale.body.contains("action=\"/cases/demo/log/incident\""));
    assert_eq!(app.state(), before);
    // Sending it again from that page saves it.
    let again = app
        .post(
            "/cases/demo/log/incident",
            &[
                ("token", &app.token),
                ("date", "2026-11-19"),
                ("summary", "Pushed at the gate"),
                ("details", "Every word of this must survive"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn local_mode_has_no_sign_in_and_no_sharing() {
    let app = app();
    assert_eq!(app.get("/login").await.status, StatusCode::SEE_OTHER);
    let sharing = app.get("/cases/demo/sharing").await;
    assert_eq!(sharing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(sharing.body.contains("casebook serve --org"));
    let home = app.get("/cases/demo/").await;
    assert!(!home.body.contains("/sharing"));
    assert_eq!(
        app.get("/cases/no-such-case/").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

/// Every box of a form is bounded: a box of over a megabyte (3.9 million characters of
/// pasted minutes once cost 29 seconds of work) is refused before any work is done.
#[tokio::test]
async fn a_box_holding_more_than_a_megabyte_is_refused_unread() {
    let app = app();
    let before = app.state();
    let huge = "word ".repeat(300_000);
    for (path, field) in [
        ("/cases/demo/minutes", "minutes_text"),
        ("/cases/demo/log/incident", "details"),
    ] {
        let answer = app
            .post(
                path,
                &[
                    ("token", &app.token),
                    ("meeting", "e12"),
                    ("date", "2026-11-19"),
                    ("summary", "Long"),
                    (field, &huge),
                ],
                "same-origin",
            )
            .await;
        assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        assert!(answer.body.contains("attach long material"), "{path}");
    }
    assert!(app.state() == before, "a refused form changed the store");
}

/// While another process holds the case file (a long email import), a page saved from
/// the web app cannot be written; it must come back with every word and a way to send
/// it again, not as a bare error that loses what the parent typed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_the_busy_store_cannot_take_comes_back_with_its_words() {
    use casebook_store::{CaseStore, StoreError};
    let app = app();
    let crate::harness::Place::File(_) = &app.place else {
        // PostgreSQL queues writers on a lock with no time limit: nothing to refuse.
        return;
    };
    let before = app.state();
    let other = app.place.open();
    let (held, holding) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let import = std::thread::spawn(move || {
        let case = other.cases().expect("cases").remove(0);
        let head = other.head(case.id).expect("head");
        let _ = other.append_all(case.id, head, &mut |_push| {
            held.send(()).expect("say it is held");
            let _ = released.recv();
            Err(StoreError::Refused("not kept".into()))
        });
    });
    holding.recv().expect("the other process holds the store");
    let answer = app
        .post(
            "/cases/demo/log/incident",
            &[
                ("token", &app.token),
                ("date", "2026-11-19"),
                ("summary", "Pushed over by the lockers before lunch"),
                ("child_words", "He said nobody would believe me"),
            ],
            "same-origin",
        )
        .await;
    release.send(()).expect("release");
    import.join().expect("the other process ends");
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(answer.body.contains("nothing was saved"), "{}", answer.body);
    assert!(
        answer
            .body
            .contains("Pushed over by the lockers before lunch")
    );
    assert!(answer.body.contains("He said nobody would believe me"));
    assert!(answer.body.contains("send it again"), "{}", answer.body);
    assert!(app.state() == before, "a refused form changed the store");
}

/// The family's name and address are a setting of the case: saved on the settings page,
/// they sign every letter; a blank name is refused with a sentence and changes nothing.
#[tokio::test]
async fn letters_are_signed_with_the_name_and_address_saved_in_the_settings() {
    let app = app();
    let refused = app
        .post(
            "/cases/demo/settings/family",
            &[
                ("token", &app.token),
                ("family_name", "  "),
                ("family_address", ""),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Give the name your letters are signed with.")
    );
    let saved = app
        .post(
            "/cases/demo/settings/family",
            &[
                ("token", &app.token),
                ("family_name", "Jo Morgan"),
                ("family_address", "12 Acacia Road\r\nMillbrook\r\nMB1 2CD"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let settings = app.get("/cases/demo/settings").await;
    assert!(
        settings.body.contains("value=\"Jo Morgan\""),
        "{}",
        settings.body
    );
    let letter = app
        .get("/cases/demo/letters/report-bullying/download?format=txt&to=p1")
        .await;
    assert!(
        letter
            .body
            .contains("Jo Morgan\n12 Acacia Road\nMillbrook\nMB1 2CD"),
        "{}",
        letter.body
    );
}

/// A parent on a phone names someone the case does not know yet: the incident is saved
/// in one submission, the witness joins as a witness and the other child under a
/// pseudonym, and the saved page says so. A date typed as "3/3/26" is read; a date after
/// today is asked about once, and saved when the parent says it is right.
#[tokio::test]
async fn an_incident_naming_someone_new_is_saved_in_one_go() {
    let app = app();
    let incident = |date: &'static str, future: bool| {
        let mut form = vec![
            ("token", app.token.as_str()),
            ("date", date),
            ("summary", "Pushed in the dinner queue"),
            ("witnesses", "Sam Lee"),
            ("involved", "Riley Stone"),
        ];
        if future {
            form.push(("future", "yes"));
        }
        form
    };
    let saved = app
        .post(
            "/cases/demo/log/incident",
            &incident("3/11/26", false),
            "same-origin",
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let location = saved.headers[header::LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    let page = app.get(&location).await;
    assert!(page.body.contains("Added to the case:"), "{}", page.body);
    assert!(page.body.contains("Sam Lee (witness)"), "{}", page.body);
    assert!(
        page.body
            .contains("Riley Stone (another child, shown as Child B in everything you send)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("3 November 2026"), "{}", page.body);
    let people = app.get("/cases/demo/people").await;
    assert!(people.body.contains("Sam Lee"));

    // 20 November 2026 is today: 21 November is asked about, not saved.
    let before = app.state();
    let asked = app
        .post(
            "/cases/demo/log/incident",
            &incident("2026-11-21", false),
            "same-origin",
        )
        .await;
    assert_eq!(asked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        asked
            .body
            .contains("The date is after today, 20 November 2026: check it. If it is right, tick"),
        "{}",
        asked.body
    );
    assert!(asked.body.contains("The date is right"));
    assert_eq!(
        app.state(),
        before,
        "nothing is saved until the parent confirms"
    );
    let confirmed = app
        .post(
            "/cases/demo/log/incident",
            &incident("2026-11-21", true),
            "same-origin",
        )
        .await;
    // A photo chosen on a form that comes back cannot be kept by the browser: the form
    // says so at the field.
    let again = app
        .post_files(
            "/cases/demo/log/incident",
            &[
                ("token", &app.token),
                ("date", "2026-11-30"),
                ("summary", "Hurt"),
            ],
            &[("files", "arm.txt", b"a note about the arm")],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.body.contains("Choose the photos or files again"),
        "{}",
        again.body
    );
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.body
    );
}

/// Web pages speak plain English: no page of the demonstration case, a letter drafted
/// before anyone is chosen included, shows a command, a command-line flag or a
/// backtick.
#[tokio::test]
async fn no_page_names_a_command_or_a_flag() {
    let app = app();
    let mut paths: Vec<String> = [
        "/",
        "timeline",
        "requests",
        "deadlines",
        "letters",
        "minutes",
        "people",
        "bundle",
        "settings",
        "attendance",
    ]
    .iter()
    .map(|p| format!("/cases/demo/{}", p.trim_start_matches('/')))
    .collect();
    for kind in casebook_web::log_kinds() {
        paths.push(format!("/cases/demo/log/{kind}"));
    }
    for n in 1..=19 {
        paths.push(format!("/cases/demo/entries/e{n}"));
        paths.push(format!("/cases/demo/entries/e{n}/correct"));
    }
    for letter in [
        "confirm-in-writing",
        "chase-reply",
        "request-meeting",
        "chair-of-governors",
    ] {
        paths.push(format!("/cases/demo/letters/{letter}"));
    }
    for path in &paths {
        let page = app.get(path).await;
        // An entry with no form of its kind here is corrected on its own page.
        if path.ends_with("/correct") && page.status == StatusCode::SEE_OTHER {
            continue;
        }
        assert!(page.status.is_success(), "{path}: {}", page.status);
        let text = page.body.replace("<!--", "");
        assert!(!text.contains('`'), "{path} shows a backtick");
        let command = [
            "case",
            "person",
            "log",
            "amend",
            "redact",
            "timeline",
            "verify",
            "bundle",
            "export",
            "import",
            "deadline",
            "request",
            "next",
            "letter",
            "minutes",
            "tone",
            "serve",
            "timestamp",
        ]
        .iter()
        .find(|c| text.contains(&format!("casebook {c} ")));
        assert!(command.is_none(), "{path} names a command: {command:?}");
        let flag = text
            .match_indices(" --")
            .any(|(at, _)| text[at + 3..].starts_with(|c: char| c.is_ascii_lowercase()));
        assert!(!flag, "{path} names a flag");
    }
    // An entry mistyped in the address is simply not there.
    for path in ["/cases/demo/entries/20", "/cases/demo/entries/x/correct"] {
        let page = app.get(path).await;
        assert!(
            page.body.contains("There is no such entry in this case"),
            "{path}: {}",
            page.body
        );
        assert!(!page.body.contains("casebook timeline"), "{path}");
    }
}

/// A letter a parent can send from a phone: about the head's phone call, it is addressed
/// to the head without choosing anyone, opens in the phone's mail app with its subject
/// and words, and the words the parent changed are what the log records as sent.
#[tokio::test]
async fn a_letter_goes_to_the_person_it_is_about_and_is_sent_as_edited() {
    let app = app();
    let draft = app
        .get("/cases/demo/letters/confirm-in-writing?about=e17")
        .await;
    assert!(draft.body.contains("Dear Mrs Carter,"), "{}", draft.body);
    assert!(
        draft
            .body
            .contains("href=\"mailto:head%40millbrook.example?subject="),
        "{}",
        draft.body
    );
    let sent = app
        .post(
            "/cases/demo/letters/confirm-in-writing/sent",
            &[
                ("token", &app.token),
                ("to", "p1"),
                ("about", "e17"),
                ("sent", "2026-11-20"),
                ("channel", "email"),
                (
                    "body",
                    "Dear Mrs Carter,\r\n\r\nThank you for your call. You said the complaint would be answered after half-term.\r\n\r\nJo",
                ),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let location = sent.headers[header::LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    let recorded = app.get(&location).await;
    assert!(
        recorded.body.contains("Thank you for your call."),
        "{}",
        recorded.body
    );
}

/// What the command line refuses, the web form refuses with the same sentence, and
/// changes nothing: an absence reason, a sign or a "reported to" the case does not have
/// is never quietly turned into something else.
#[tokio::test]
async fn the_form_refuses_what_the_command_line_refuses() {
    let app = app();
    let before = app.state();
    for (kind, field, value, said) in [
        (
            "absence",
            "reason",
            "holiday-in-spain",
            casebook_domain::AbsenceReason::parse("holiday-in-spain")
                .expect_err("not a reason")
                .to_string(),
        ),
        (
            "observation",
            "sign",
            "glowing",
            casebook_domain::Sign::parse("glowing")
                .expect_err("not a sign")
                .to_string(),
        ),
        (
            "incident",
            "reported_to",
            "p99",
            casebook_app::find_person(&[], "p99")
                .expect_err("nobody")
                .to_string(),
        ),
    ] {
        let path = format!("/cases/demo/log/{kind}");
        let answer = app
            .post(
                &path,
                &[
                    ("token", &app.token),
                    ("date", "2026-11-19"),
                    ("summary", "Something to refuse"),
                    (field, value),
                ],
                "same-origin",
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{kind}");
        let body = answer.body.replace("&#34;", "\"").replace("&quot;", "\"");
        assert!(body.contains(&said), "{kind}: {said}\n{body}");
    }
    assert_eq!(app.state(), before, "a refused form changed the store");
}

/// The letter page takes what the command line's letter takes: copies, dates to meet, a
/// reply needed before an event, files sent with it; the downloads carry them too, and a
/// letter signed with no name says where to give one.
#[tokio::test]
async fn a_letter_asking_for_a_meeting_proposes_dates_and_is_copied_and_enclosed() {
    let app = app();
    let query = "to=p3&cc=p1&propose=2026-11-25&propose=2026-11-26&before=2026-12-10&before_what=the+review+meeting&enclose=e1";
    let page = app
        .get(&format!("/cases/demo/letters/request-meeting?{query}"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for shown in [
        "Dear Ms Shah",
        // 25 November 2026 is a Wednesday: counted by hand from Thursday 1 January.
        "Wednesday 25 November 2026",
        "Thursday 26 November 2026",
        "before the review meeting on 10 December 2026",
        "Enclosed: Pushed against the coat pegs",
        "Copied to: Mrs Helen Carter (head teacher)",
        "id=\"cc-p1\" name=\"cc\" type=\"checkbox\" value=\"p1\" checked",
        "Settings</a>",
    ] {
        assert!(page.body.contains(shown), "{shown}\n{}", page.body);
    }
    let text = app
        .get(&format!(
            "/cases/demo/letters/request-meeting/download?format=txt&{query}"
        ))
        .await;
    assert!(
        text.body.contains("Copied to: Mrs Helen Carter"),
        "{}",
        text.body
    );
    assert!(
        text.body.contains("Wednesday 25 November 2026"),
        "{}",
        text.body
    );
}

/// A box naming more people than an entry takes is refused, and nobody joins the case:
/// a form of thousands of names would otherwise add thousands of people.
#[tokio::test]
async fn an_incident_naming_too_many_people_is_refused_and_adds_nobody() {
    let app = app();
    let before = app.state();
    let names = (1..=51)
        .map(|n| format!("Helper {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let refused = app
        .post(
            "/cases/demo/log/incident",
            &[
                ("token", &app.token),
                ("date", "2026-11-19"),
                ("summary", "A crowd saw it"),
                ("witnesses", &names),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("An entry names at most 50 people in one box"),
        "{}",
        refused.body
    );
    assert_eq!(app.state(), before, "nobody joined the case");
}

/// Time out of school on its own page: the register's count with its working, then,
/// once the school day's times are saved in the settings, the hours lost each week,
/// drawn. A refused time or date is shown at its field.
#[tokio::test]
async fn time_out_of_school_is_counted_with_its_working_and_drawn_in_hours() {
    let app = app();
    let before = app.get("/cases/demo/attendance").await;
    assert!(before.status.is_success(), "{}", before.status);
    // The demonstration case's week off in October: 10 sessions, authorised.
    assert!(
        before
            .body
            .contains("Sessions missed: 10 (10 authorised, 0 unauthorised, 0 not yet said)."),
        "{}",
        before.body
    );
    assert!(before.body.contains("To count hours, give the school day"));
    assert!(
        !before.body.contains("role=\"img\""),
        "no chart without the times"
    );

    let refused = app
        .post(
            "/cases/demo/settings/school-day",
            &[
                ("token", &app.token),
                ("morning_start", "08:50"),
                ("morning_end", "12:10"),
                ("afternoon_start", "11:00"),
                ("afternoon_end", "15:20"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("The afternoon session starts after the morning session ends.")
    );
    let saved = app
        .post(
            "/cases/demo/settings/school-day",
            &[
                ("token", &app.token),
                ("morning_start", "08:50"),
                ("morning_end", "12:10"),
                ("afternoon_start", "13:10"),
                ("afternoon_end", "15:20"),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(
        app.get("/cases/demo/settings")
            .await
            .body
            .contains("value=\"13:10\"")
    );

    let after = app.get("/cases/demo/attendance").await;
    // Five whole days of 5 h 30 min.
    assert!(after.body.contains("27 h 30 min"), "{}", after.body);
    assert!(
        after
            .body
            .contains("role=\"img\" aria-label=\"Hours of school lost each week\"")
    );
    let wrong = app.get("/cases/demo/attendance?from=31%2F2%2F2026").await;
    assert!(wrong.body.contains("error-summary"), "{}", wrong.body);
    assert!(wrong.body.contains("31/2/2026"), "{}", wrong.body);
}
