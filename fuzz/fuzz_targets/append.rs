//! Entries from any bytes, through every way into a case: the first byte chooses the
//! way, the rest is what comes in by it:
//! - the use cases, with entries drawn from the bytes (casebook-app's `checks`);
//! - a JSON Lines export, the bytes being the file, imported as a new case;
//! - an .eml file, the bytes being the message, imported into the case;
//! - a web form, the bytes being the body a browser sent, to each page that logs.
//!
//! Whatever is accepted, every reader must still read the case (`every_reader_reads`:
//! verify, the timeline, what to do now, the exports, the bundle, every letter). A
//! refusal is fine; a panic, or a case some reader cannot read, is the bug.
#![no_main]

use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::http::{Request, header};
use casebook_app::checks::{Draw, every_reader_reads};
use casebook_app::{CaseFile, FixedClock, MailImport, NewPerson, add_person, import, read_jsonl};
use casebook_blobs::LocalBlobs;
use casebook_domain::Role;
use casebook_mail::Mailbox;
use casebook_store::CaseStore;
use casebook_store::conformance::sample_case;
use casebook_store_sqlite::SqliteStore;
use casebook_web::{Mode, Web, router};
use jiff::civil::Date;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

const TODAY: Date = Date::constant(2026, 12, 3);

struct Setup {
    dir: tempfile::TempDir,
    web: Arc<Web<SqliteStore, LocalBlobs>>,
    runtime: tokio::runtime::Runtime,
    runs: u64,
}

fn clock() -> FixedClock {
    FixedClock(jiff::Timestamp::from_second(1_796_299_200).expect("3 December 2026"))
}

fn setup() -> &'static Mutex<Setup> {
    static SETUP: OnceLock<Mutex<Setup>> = OnceLock::new();
    SETUP.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("fuzz.db");
        let store = SqliteStore::create(&path, None).expect("store");
        let blobs = LocalBlobs::new(LocalBlobs::beside(&path), None).expect("blobs");
        let web =
            Web::local(store, blobs, Box::new(clock()), 7878, "Jo Morgan".into()).expect("web app");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        Mutex::new(Setup {
            dir,
            web: Arc::new(web),
            runtime,
            runs: 0,
        })
    })
}

fuzz_target!(|data: &[u8]| {
    let mut setup = setup().lock().expect("one run at a time");
    setup.runs += 1;
    // A new small case for each run, so what the readers read stays small.
    let slug = format!("run{}", setup.runs);
    let clock = clock();
    let web = Arc::clone(&setup.web);
    let case = sample_case(&slug);
    web.store.create_case(&case).expect("a case");
    for (name, role, email) in [
        (
            "Mrs Helen Carter",
            Role::HeadTeacher,
            Some("head@millbrook.example"),
        ),
        ("Tyler", Role::OtherChild, None),
        ("Jo Morgan", Role::FamilyMember, Some("jo@example.org")),
    ] {
        let person = NewPerson {
            name: name.into(),
            role,
            organisation: None,
            email: email.map(str::to_owned),
            phone: None,
        };
        add_person(&web.store, &case, person).expect("a person");
    }
    let file = CaseFile {
        store: &web.store,
        blobs: &web.blobs,
        clock: &clock,
        case,
    };
    let (way, rest) = data.split_first().unwrap_or((&0, &[]));
    match way % 4 {
        0 => {
            let people: Vec<_> = web
                .store
                .people(file.case.id)
                .expect("people")
                .iter()
                .map(|p| p.id)
                .collect();
            let mut draw = Draw::new(rest);
            for _ in 0..1 + draw.below(4) {
                let in_log = web
                    .store
                    .head(file.case.id)
                    .expect("head")
                    .map_or(0, |h| h.seq);
                let _ = file.log(draw.entry(&people, in_log));
            }
        }
        1 => {
            if let Ok(export) = read_jsonl(rest, "fuzz.jsonl") {
                let there = tempfile::tempdir().expect("dir");
                let path = there.path().join("imported.db");
                let store = SqliteStore::create(&path, None).expect("store");
                let blobs = LocalBlobs::new(LocalBlobs::beside(&path), None).expect("blobs");
                if let Ok(case) = import(&store, &blobs, export, None) {
                    let imported = CaseFile {
                        store: &store,
                        blobs: &blobs,
                        clock: &clock,
                        case,
                    };
                    if let Err(e) = every_reader_reads(&imported, TODAY) {
                        panic!("an imported case cannot be read: {e}");
                    }
                }
            }
        }
        2 => {
            let eml = setup.dir.path().join("message.eml");
            std::fs::write(&eml, rest).expect("write");
            let request = MailImport {
                mailboxes: vec![Mailbox::Eml(eml)],
                family: vec!["jo@example.org".into()],
                all: true,
                ..MailImport::default()
            };
            let _ = file.import_mail(&request, "fuzz", &mut |_, _| true);
        }
        _ => {
            let Mode::Local { token, key } = &web.mode else {
                unreachable!("a local app")
            };
            let mut body = format!("token={token}&").into_bytes();
            body.extend_from_slice(rest);
            let app = router(Arc::clone(&web));
            for kind in casebook_web::log_kinds() {
                let request = Request::post(format!("/cases/{slug}/log/{kind}"))
                    .header(header::HOST, "127.0.0.1:7878")
                    .header(header::COOKIE, format!("casebook_key={key}"))
                    .header("sec-fetch-site", "same-origin")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body.clone()))
                    .expect("a request");
                let answer = setup
                    .runtime
                    .block_on(app.clone().oneshot(request))
                    .expect("an answer");
                assert!(
                    !answer.status().is_server_error(),
                    "a form was answered {}",
                    answer.status()
                );
            }
        }
    }
    if let Err(e) = every_reader_reads(&file, TODAY) {
        panic!("the case cannot be read: {e}");
    }
});
