//! Families of SPEC section 10 on the web app's home page: the case made as a family
//! makes it, what happened typed into the app's own forms, and what an adviser expects
//! read from "What to do now". The clock is 20 November 2026.

use axum::http::StatusCode;
use casebook_app::{NewCase, create_case};
use casebook_domain::{Child, Governance, SettingKind};
use casebook_web::Web;

use crate::harness::{App, PORT, blocking, clock, store, wrap};

/// A family's own app over a new store holding only their case, "sam".
fn family(governance: Option<Governance>) -> App {
    let (dir, place, store, blobs) = store(&[]);
    blocking(|| {
        create_case(
            &store,
            NewCase {
                slug: "sam".into(),
                child: Child {
                    name: "Sam Taylor".into(),
                    date_of_birth: None,
                    year_group: None,
                    needs: vec![],
                    diagnoses: vec![],
                },
                setting_name: "Oakfield Primary".into(),
                setting_kind: SettingKind::Maintained,
                governance,
                authority: Some("Exampleshire".into()),
                jurisdiction: "england".into(),
            },
        )
        .expect("the family's case")
    });
    let web = Web::local(store, blobs, Box::new(clock()), PORT, "Jo Taylor".into()).expect("web");
    wrap(dir, place, web)
}

async fn saved(app: &App, path: &str, fields: &[(&str, &str)]) {
    let mut form = vec![("token", app.token.as_str())];
    form.extend_from_slice(fields);
    let answer = app.post(path, &form, "same-origin").await;
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "{path}: {}",
        answer.body
    );
}

/// F0 on the home page: a school with no governing board. The head has not answered
/// the formal complaint sent on Monday 2 November 2026 (10 school days from Tuesday 3
/// November in a typical year: 3-6 (4), 9-13 (9), Monday 16 November (10)), so the home
/// page sends the family to the council's complaints procedure and asks for the
/// policies; it never offers governors.
#[tokio::test]
async fn f0_the_home_page_sends_a_school_with_no_governing_board_to_the_council() {
    let app = family(Some(Governance::Neither));
    saved(
        &app,
        "/cases/sam/people",
        &[("name", "Mrs Patel"), ("role", "head-teacher")],
    )
    .await;
    saved(
        &app,
        "/cases/sam/log/incident",
        &[
            ("date", "2026-10-14"),
            ("summary", "Cornered in the toilets"),
            ("place", "toilets"),
        ],
    )
    .await;
    saved(
        &app,
        "/cases/sam/requests",
        &[
            ("rule", "complaint-stage-1-response"),
            ("sent", "2026-11-02"),
            ("to", "p1"),
            ("summary", "Formal complaint about the bullying"),
        ],
    )
    .await;
    let home = app.get("/cases/sam/").await;
    let body = &home.body;
    assert!(body.contains("<h2>Late</h2>"), "{body}");
    assert!(
        body.contains("The reply was due on 16 November 2026"),
        "{body}"
    );
    assert!(
        body.contains("Complain to the council that maintains the school"),
        "{body}"
    );
    assert!(
        body.contains("Ask the school for its behaviour and anti-bullying policy"),
        "{body}"
    );
    assert!(!body.contains("chair of governors"), "{body}");
    assert!(!body.contains("panel of governors"), "{body}");
}

/// F4 on the home page: a bullied child away from school since 7 September, still away,
/// and a letter warning of prosecution. The home page raises the council's section 19
/// duty and says to answer the warning with the attendance and medical evidence; a
/// penalty notice received on Monday 16 November also shows the last day at £80: 21
/// days beginning with that day, Sunday 6 December 2026.
#[tokio::test]
async fn f4_the_home_page_raises_section_19_and_answers_a_prosecution_warning() {
    let app = family(None);
    saved(
        &app,
        "/cases/sam/log/absence",
        &[
            ("date", "2026-09-07"),
            ("summary", "Not in school since the incident in the toilets"),
            ("reason", "bullying-related"),
            ("ongoing", "yes"),
        ],
    )
    .await;
    saved(
        &app,
        "/cases/sam/log/document",
        &[
            ("date", "2026-11-16"),
            ("summary", "Penalty notice for Sam's absence"),
            ("document_type", "notice:penalty"),
        ],
    )
    .await;
    let home = app.get("/cases/sam/").await;
    let body = &home.body;
    assert!(body.contains("school days this school year"), "{body}");
    assert!(
        body.contains("Ask the council to arrange suitable, normally full-time, education"),
        "{body}"
    );
    assert!(
        body.contains(
            "Answer the warning in writing with the attendance record and the medical evidence"
        ),
        "{body}"
    );
    assert!(body.contains("By Sunday 6 December 2026"), "{body}");
}
