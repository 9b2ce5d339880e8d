//! An organisation's server: accounts, sessions in the store, roles per case,
//! invitations, the access log, and every case reachable only by those it is shared
//! with, whatever address is typed.

use axum::http::{StatusCode, header};
use casebook_blobs::LocalBlobs;
use casebook_store::AccountStore;
use casebook_web::Web;

use crate::harness::{App, HOST, PASSWORD, accounts, blocking, clock, store, wrap};

fn organisation() -> App {
    let (dir, place, store, blobs) = store(&["morgan", "other-family"]);
    accounts(
        &store,
        &[
            (
                "parent@example.org",
                "Account parent@example.org",
                Some("morgan"),
            ),
            (
                "other@example.org",
                "Account other@example.org",
                Some("other-family"),
            ),
            ("advocate@example.org", "Account advocate@example.org", None),
            ("second@example.org", "Account second@example.org", None),
        ],
    );
    let web = Web::organisation(store, blobs, Box::new(clock()), vec![HOST.into()], false);
    wrap(dir, place, web)
}

/// A signed-in browser: its cookie and the token its forms carry.
struct Browser {
    cookie: String,
    token: String,
}

async fn sign_in(app: &App, email: &str) -> Browser {
    let page = app.get("/login").await;
    let form_cookie = page.cookie("casebook_form").expect("a form cookie");
    let token = page.field("token").expect("a token");
    let signed = app
        .post_as(
            "/login",
            &[
                ("token", &token),
                ("email", email),
                ("password", PASSWORD),
                ("then", "/"),
            ],
            "same-origin",
            &form_cookie,
        )
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    let cookie = signed.cookie("casebook_session").expect("a session");
    let home = app.get_as("/", &cookie).await;
    let token = home.field("token").expect("the session's form token");
    Browser { cookie, token }
}

#[tokio::test]
async fn signing_in_sets_a_careful_cookie_and_wrong_passwords_are_refused_then_locked_out() {
    let app = organisation();
    let anonymous = app.get("/cases/morgan/").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.headers[header::LOCATION],
        "/login?then=%2Fcases%2Fmorgan%2F"
    );
    let page = app.get("/login").await;
    let form_cookie = page.set_cookie("casebook_form").expect("form cookie");
    assert!(form_cookie.contains("HttpOnly") && form_cookie.contains("SameSite=Lax"));
    let cookie = page.cookie("casebook_form").expect("cookie");
    let token = page.field("token").expect("token");
    // Without the form cookie, the token alone does not sign anyone in.
    let forged = app
        .post(
            "/login",
            &[
                ("token", &token),
                ("email", "parent@example.org"),
                ("password", PASSWORD),
            ],
            "same-origin",
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.set_cookie("casebook_session").is_none());
    let attempt = |password: &'static str| {
        let (token, cookie) = (token.clone(), cookie.clone());
        let app = &app;
        async move {
            app.post_as(
                "/login",
                &[
                    ("token", &token),
                    ("email", "parent@example.org"),
                    ("password", password),
                    ("then", "/cases/morgan/"),
                ],
                "same-origin",
                &cookie,
            )
            .await
        }
    };
    let right = attempt(PASSWORD).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    assert_eq!(right.headers[header::LOCATION], "/cases/morgan/");
    let session = right.set_cookie("casebook_session").expect("session");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"));
    assert!(session.contains("Max-Age=43200"));
    // The browser is known to the account from now on, for as long as browsers keep a
    // cookie, so guesses from elsewhere cannot lock this browser out.
    let known = right.set_cookie("casebook_browser").expect("browser mark");
    assert!(known.contains("HttpOnly") && known.contains("SameSite=Lax"));
    assert!(known.contains("Max-Age=34560000"));
    for _ in 0..5 {
        let wrong = attempt("not the password").await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            wrong
                .body
                .contains("The email address or the password is wrong.")
        );
        assert!(
            wrong.body.contains("value=\"parent@example.org\""),
            "the address is kept"
        );
    }
    let locked = attempt(PASSWORD).await;
    assert_eq!(locked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(locked.body.contains("Too many sign-ins have failed"));
    // An address on another site is never where signing in leads.
    let elsewhere = app
        .post_as(
            "/login",
            &[
                ("token", &token),
                ("email", "other@example.org"),
                ("password", PASSWORD),
                ("then", "//evil.example/"),
            ],
            "same-origin",
            &cookie,
        )
        .await;
    assert_eq!(elsewhere.headers[header::LOCATION], "/");
}

#[tokio::test]
async fn another_family_s_case_cannot_be_reached_by_changing_the_address() {
    let app = organisation();
    let parent = sign_in(&app, "parent@example.org").await;
    let cases = app.get_as("/", &parent.cookie).await;
    assert!(cases.body.contains("/cases/morgan/"));
    assert!(!cases.body.contains("/cases/other-family/"));
    let ours = app.get_as("/cases/morgan/timeline", &parent.cookie).await;
    assert_eq!(ours.status, StatusCode::OK);
    let nowhere = app.get_as("/cases/no-such-case/", &parent.cookie).await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    for path in [
        "/cases/other-family/",
        "/cases/other-family/timeline",
        "/cases/other-family/entries/e1",
        "/cases/other-family/entries/e9/files/1",
        "/cases/other-family/people",
        "/cases/other-family/letters/report-bullying?to=p1",
        "/cases/other-family/bundle/download?format=html",
        "/cases/other-family/sharing",
        "/cases/other-family/settings",
    ] {
        let answer = app.get_as(path, &parent.cookie).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(answer.body, nowhere.body, "{path} says more than nothing");
    }
    let before = app.state();
    let written = app
        .post_as(
            "/cases/other-family/log/incident",
            &[
                ("token", &parent.token),
                ("date", "2026-11-19"),
                ("summary", "Written into someone else's case"),
            ],
            "same-origin",
            &parent.cookie,
        )
        .await;
    assert_eq!(written.status, StatusCode::NOT_FOUND);
    assert_eq!(app.state(), before);
}

#[tokio::test]
async fn an_invited_advocate_sees_the_case_and_one_not_invited_gets_nothing() {
    let app = organisation();
    let parent = sign_in(&app, "parent@example.org").await;
    let invited = app
        .post_as(
            "/cases/morgan/sharing/invite",
            &[
                ("token", &parent.token),
                ("for_whom", "Ms Shah, SENDIASS"),
                ("role", "viewer"),
            ],
            "same-origin",
            &parent.cookie,
        )
        .await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    let at = invited.body.find("/invitations/").expect("a link");
    let link: String = invited.body[at..]
        .chars()
        .take_while(|c| *c != '<')
        .collect();
    // Someone new opens the link and makes an account on the way.
    let page = app.get(&link).await;
    assert!(
        page.body.contains("You are invited to Alex Morgan"),
        "{}",
        page.body
    );
    let cookie = page.cookie("casebook_form").expect("cookie");
    let token = page.field("token").expect("token");
    let accepted = app
        .post_as(
            &link,
            &[
                ("token", &token),
                ("action", "create"),
                ("name", "Priya Shah"),
                ("email", "priya@sendiass.example"),
                ("password", PASSWORD),
            ],
            "same-origin",
            &cookie,
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert_eq!(accepted.headers[header::LOCATION], "/cases/morgan/");
    let priya = accepted.cookie("casebook_session").expect("signed in");
    let timeline = app.get_as("/cases/morgan/timeline", &priya).await;
    assert_eq!(timeline.status, StatusCode::OK);
    assert!(timeline.body.contains("Signed in as Priya Shah"));
    assert!(
        !timeline.body.contains("/log/incident"),
        "a viewer is not offered forms"
    );
    let token = timeline.field("token").expect("token");
    let before = app.state();
    let write = app
        .post_as(
            "/cases/morgan/log/incident",
            &[("token", &token), ("date", "2026-11-19"), ("summary", "x")],
            "same-origin",
            &priya,
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    assert!(write.body.contains("You are a viewer on this case"));
    assert_eq!(app.state(), before);
    assert_eq!(
        app.get_as("/cases/morgan/sharing", &priya).await.status,
        StatusCode::FORBIDDEN
    );
    // Another advocate, not invited, gets nothing; the used link does nothing for them.
    let second = sign_in(&app, "second@example.org").await;
    assert_eq!(
        app.get_as("/cases/morgan/timeline", &second.cookie)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let reused = app
        .post_as(
            &link,
            &[("token", &second.token)],
            "same-origin",
            &second.cookie,
        )
        .await;
    assert_eq!(reused.status, StatusCode::NOT_FOUND);
    assert!(reused.body.contains("has been used"));
    // The owner reads who did what.
    let sharing = app.get_as("/cases/morgan/sharing", &parent.cookie).await;
    assert!(sharing.body.contains("Priya Shah (priya@sendiass.example)"));
    assert!(
        sharing.body.contains("viewed the timeline"),
        "{}",
        sharing.body
    );
    assert!(sharing.body.contains("accepted an invitation as viewer"));
    // Access withdrawn: the case is gone for her at once.
    let account = blocking(|| app.web.store.account_by_email("priya@sendiass.example"))
        .expect("lookup")
        .expect("account");
    let revoked = app
        .post_as(
            "/cases/morgan/sharing/revoke",
            &[
                ("token", &parent.token),
                ("account", &account.id.to_string()),
            ],
            "same-origin",
            &parent.cookie,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
    assert_eq!(
        app.get_as("/cases/morgan/timeline", &priya).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_form_sent_after_the_session_ended_is_kept_and_sent_after_signing_in() {
    let app = organisation();
    let parent = sign_in(&app, "parent@example.org").await;
    let out = app
        .post_as(
            "/logout",
            &[("token", &parent.token)],
            "same-origin",
            &parent.cookie,
        )
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        out.set_cookie("casebook_session")
            .is_some_and(|c| c.contains("Max-Age=0"))
    );
    let before = app.state();
    let late = app
        .post_as(
            "/cases/morgan/log/incident",
            &[
                ("token", &parent.token),
                ("date", "2026-11-19"),
                ("summary", "Written while the session ended"),
                ("details", "Nothing of this may be lost"),
            ],
            "same-origin",
            &parent.cookie,
        )
        .await;
    assert_eq!(late.status, StatusCode::FORBIDDEN);
    assert!(late.body.contains("Nothing of this may be lost"));
    assert!(late.body.contains("action=\"/login\""));
    assert_eq!(app.state(), before);
    let kept = late
        .field("kept")
        .expect("the words travel with the sign-in");
    let then = late.field("then").expect("and where they were going");
    let login = app.get("/login").await;
    let form_cookie = login.cookie("casebook_form").expect("cookie");
    let token = login.field("token").expect("token");
    let back = app
        .post_as(
            "/login",
            &[
                ("token", &token),
                ("email", "parent@example.org"),
                ("password", PASSWORD),
                ("then", &then),
                ("kept", &kept.replace("&amp;", "&")),
            ],
            "same-origin",
            &form_cookie,
        )
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert!(back.body.contains("Nothing of this may be lost"));
    let cookie = back.cookie("casebook_session").expect("signed in");
    let fresh = back.field("token").expect("a fresh token");
    let saved = app
        .post_as(
            "/cases/morgan/log/incident",
            &[
                ("token", &fresh),
                ("date", "2026-11-19"),
                ("summary", "Written while the session ended"),
                ("details", "Nothing of this may be lost"),
            ],
            "same-origin",
            &cookie,
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

#[tokio::test]
async fn two_servers_over_one_store_are_one_service() {
    let first = organisation();
    let again = first.place.open();
    let blobs = LocalBlobs::new(tempfile::tempdir().expect("dir").keep(), None).expect("blobs");
    let dir = tempfile::tempdir().expect("dir");
    let second = wrap(
        dir,
        first.place.clone(),
        Web::organisation(again, blobs, Box::new(clock()), vec![HOST.into()], false),
    );
    let parent = sign_in(&first, "parent@example.org").await;
    let saved = second
        .post_as(
            "/cases/morgan/log/incident",
            &[
                ("token", &parent.token),
                ("date", "2026-11-19"),
                ("summary", "Logged through the second server"),
            ],
            "same-origin",
            &parent.cookie,
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let seen = first.get_as("/cases/morgan/timeline", &parent.cookie).await;
    assert!(seen.body.contains("Logged through the second server"));
    let log = second.get_as("/cases/morgan/sharing", &parent.cookie).await;
    assert!(log.body.contains("logged a new incident"), "{}", log.body);
}

/// A signed-in visitor sent to /login?then=... goes on only to a path on this server:
/// browsers drop tabs and line breaks and read "\\" as "/", so each of these would
/// otherwise leave the site (an open redirect).
#[tokio::test]
async fn signing_in_never_sends_anyone_to_another_site() {
    let app = organisation();
    let parent = sign_in(&app, "parent@example.org").await;
    for (then, to) in [
        ("%2Fcases%2Fmorgan%2F", "/cases/morgan/"),
        ("%2F%09%2Fevil.example", "/"),
        ("%2F%0A%2Fevil.example", "/"),
        ("%2F%0D%2Fevil.example", "/"),
        ("%2F%5Cevil.example", "/"),
        ("%5C%2Fevil.example", "/"),
        ("%2F%2Fevil.example", "/"),
        ("https%3A%2F%2Fevil.example%2F", "/"),
    ] {
        let answer = app
            .get_as(&format!("/login?then={then}"), &parent.cookie)
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{then}");
        assert_eq!(answer.headers[header::LOCATION], to, "{then}");
    }
}

/// Thirty-one guesses at one account sent at once from one address: at most five are
/// checked, the rest refused, because each attempt is counted before its password is.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn guesses_sent_at_once_are_held_to_the_limit() {
    let app = organisation();
    let page = app.get("/login").await;
    let cookie = page.cookie("casebook_form").expect("cookie");
    let token = page.field("token").expect("token");
    let guesses = (0..31).map(|n| {
        let (app, cookie, token) = (&app, &cookie, &token);
        async move {
            let password = format!("guess number {n}");
            app.post_as(
                "/login",
                &[
                    ("token", token),
                    ("email", "parent@example.org"),
                    ("password", &password),
                ],
                "same-origin",
                cookie,
            )
            .await
        }
    });
    let answers = futures_util::future::join_all(guesses).await;
    let checked = answers
        .iter()
        .filter(|a| {
            a.body
                .contains("The email address or the password is wrong.")
        })
        .count();
    let refused = answers
        .iter()
        .filter(|a| a.body.contains("Too many sign-ins have failed"))
        .count();
    assert_eq!((checked, refused), (5, 26));
}

/// Someone not signed in cannot make the server read an attachment-sized upload: it is
/// refused at a form's size limit, and nothing is kept.
#[tokio::test]
async fn a_stranger_s_upload_is_refused_at_a_form_s_size() {
    let app = organisation();
    let before = app.state();
    let five_megabytes = vec![b'x'; 5 * 1024 * 1024];
    let answer = app
        .post_files(
            "/cases/morgan/log/incident",
            &[("summary", "anything")],
            &[("files", "big.jpg", &five_megabytes)],
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        answer.body
    );
    assert!(
        app.state() == before,
        "a stranger's upload changed the store"
    );
}

/// Whatever someone puts in an address, the access log names what they opened only by
/// ids casebook makes; and the log is shown a hundred events at a time.
#[tokio::test]
async fn the_access_log_holds_no_visitor_s_text_and_is_shown_in_pages() {
    let app = organisation();
    let parent = sign_in(&app, "parent@example.org").await;
    let words = "Ms%20Shah%20wrote%20this%20into%20the%20log";
    for path in [
        format!("/cases/morgan/entries/{words}"),
        format!("/cases/morgan/entries/{words}/files/1"),
        format!("/cases/morgan/letters/{words}"),
        // A download in a format casebook does not make is given as text, and logged.
        format!("/cases/morgan/letters/report-bullying/download?to=p1&format={words}"),
    ] {
        app.get_as(&path, &parent.cookie).await;
    }
    for n in 1..=150 {
        app.get_as(
            &format!("/cases/morgan/entries/e{}", n % 20 + 1),
            &parent.cookie,
        )
        .await;
    }
    let first = app.get_as("/cases/morgan/sharing", &parent.cookie).await;
    assert!(
        !first.body.contains("wrote this"),
        "visitor text reached the log"
    );
    assert!(first.body.contains("1 to 100 of"), "{}", first.body);
    let log = first
        .body
        .split("<h2>Access log</h2>")
        .nth(1)
        .expect("the log");
    assert_eq!(log.matches("<tr><td>").count(), 100);
    let older = app
        .get_as("/cases/morgan/sharing?page=1", &parent.cookie)
        .await;
    assert!(older.body.contains("101 to "), "{}", older.body);
    assert!(older.body.contains("as a format casebook does not make"));
    assert!(
        !older.body.contains("wrote this"),
        "visitor text reached the log"
    );
}
