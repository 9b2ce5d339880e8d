//! `casebook serve`'s daily timestamps, through the use case, on a real store and a
//! real authority on loopback, with the clock moved by hand.

use casebook_app::{
    CaseFile, FixedClock, NewEntry, TimestampSettings, daily_timestamps, demonstration_case,
};
use casebook_blobs::LocalBlobs;
use casebook_domain::{EntryKind, Facts, Occurred};
use casebook_store::CaseStore;
use casebook_store_sqlite::SqliteStore;
use casebook_timestamps::loopback::{Answer, Authority, Kind};
use jiff::{SignedDuration, Timestamp};

fn clock(hours: i64) -> FixedClock {
    FixedClock(
        Timestamp::from_second(1_795_170_000).expect("instant") + SignedDuration::from_hours(hours),
    )
}

fn kinds(store: &SqliteStore, slug: &str) -> Vec<EntryKind> {
    let case = store.case_by_slug(slug).expect("read").expect("case");
    store
        .entries(case.id)
        .expect("entries")
        .iter()
        .map(|e| e.record.kind)
        .collect()
}

fn note(file: &CaseFile<'_, SqliteStore, LocalBlobs>, day: i8, summary: &str) {
    file.log(NewEntry {
        occurred: Occurred::on(jiff::civil::date(2026, 11, day)).expect("date"),
        author: "parent or carer".into(),
        summary: summary.into(),
        details: None,
        sources: vec![],
        facts: Facts::Note,
        links: vec![],
        attachments: vec![],
    })
    .expect("logged");
}

#[test]
fn a_case_that_asks_is_timestamped_once_a_day_when_something_new_was_written() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("org.db");
    let store = SqliteStore::create(&path, None).expect("store");
    let blobs = LocalBlobs::new(LocalBlobs::beside(&path), None).expect("blobs");
    demonstration_case(&store, &blobs, &clock(0), "asks").expect("demo");
    demonstration_case(&store, &blobs, &clock(0), "does-not-ask").expect("demo");
    let authority = Authority::new(Kind::Honest);
    let server = authority.serve(Answer::Honest);
    let asks = store.case_by_slug("asks").expect("read").expect("case");
    TimestampSettings {
        authority: Some(server.url.clone()),
        trust: Some(String::from_utf8(authority.root_pem()).expect("pem")),
        daily: true,
    }
    .save(&store, &asks)
    .expect("settings");
    let before = kinds(&store, "asks").len();
    let round = |hours| daily_timestamps(&store, &blobs, &clock(hours), "daily").expect("round");

    // Never timestamped: due at once.
    let said = round(1);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].starts_with("Case \"asks\" timestamped: entries up to e"),
        "{said:?}"
    );
    assert_eq!(kinds(&store, "asks").len(), before + 1);
    assert_eq!(kinds(&store, "asks").last(), Some(&EntryKind::Timestamp));
    assert!(
        kinds(&store, "does-not-ask")
            .iter()
            .all(|k| *k != EntryKind::Timestamp)
    );

    // Nothing new: not due, however long after.
    assert!(round(60).is_empty());

    // Something new, but within a day of the last: not yet.
    let file = CaseFile {
        store: &store,
        blobs: &blobs,
        clock: &clock(61),
        case: asks.clone(),
    };
    note(&file, 20, "A new note");
    let last_round = 1;
    assert!(round(last_round + 23).is_empty());
    // A day after the last timestamp: due.
    let said = round(last_round + 24);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(kinds(&store, "asks").len(), before + 3);

    // An authority that cannot be reached is reported, and the round goes on.
    drop(server);
    note(&file, 21, "Another note");
    let said = round(last_round + 24 + 48);
    assert!(
        said[0].starts_with("The daily timestamp of case \"asks\" failed:"),
        "{said:?}"
    );
    assert_eq!(kinds(&store, "asks").len(), before + 4);
}
