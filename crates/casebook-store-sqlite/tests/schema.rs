//! Stores written by an older casebook open and are brought up to date; the access
//! log is append-only in the database itself.

use casebook_store::conformance::{sample_account, sample_case};
use casebook_store::{AccountStore, CaseStore};
use casebook_store_sqlite::SqliteStore;

/// A store exactly as casebook wrote them before accounts existed (schema 1).
fn schema_one_store(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).expect("open raw");
    let schema = include_str!("../src/schema.sql");
    conn.execute_batch(schema).expect("schema 1");
    conn.execute("INSERT INTO meta (key, value) VALUES ('schema', '1')", [])
        .expect("version");
}

#[test]
fn a_schema_one_store_is_upgraded_when_opened_and_keeps_its_cases() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("old.db");
    schema_one_store(&path);
    let case = sample_case("old-case");
    {
        let conn = rusqlite::Connection::open(&path).expect("open raw");
        conn.execute(
            "INSERT INTO cases (id, slug, record) VALUES (?1, ?2, ?3)",
            rusqlite::params![
                case.id.to_string(),
                case.slug,
                serde_json::to_string(&case).expect("json")
            ],
        )
        .expect("case");
    }
    let store = SqliteStore::open(&path, None).expect("open and upgrade");
    assert_eq!(store.cases().expect("cases"), vec![case.clone()]);
    let account = sample_account("advocate@example.org");
    store.create_account(&account).expect("accounts exist now");
    assert_eq!(store.setting("schema").expect("meta").as_deref(), Some("4"));
    drop(store);
    // Opening again finds nothing left to do.
    let store = SqliteStore::open(&path, None).expect("reopen");
    assert!(
        store
            .account_by_email("advocate@example.org")
            .expect("found")
            .is_some()
    );
}

#[test]
fn the_database_itself_refuses_to_change_or_remove_the_access_log() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("org.db");
    let store = SqliteStore::create(&path, None).expect("create");
    let case = sample_case("watched");
    store.create_case(&case).expect("case");
    let account = sample_account("advocate@example.org");
    store.create_account(&account).expect("account");
    store
        .record_access(&casebook_domain::AccessEvent {
            case: case.id,
            account: account.id,
            at: jiff::Timestamp::from_second(1_790_000_000).expect("instant"),
            what: "viewed the timeline".into(),
        })
        .expect("record");
    drop(store);
    let conn = rusqlite::Connection::open(&path).expect("open raw");
    for sql in [
        "UPDATE access_log SET record = '{}'",
        "DELETE FROM access_log",
    ] {
        let err = conn.execute(sql, []).expect_err(sql).to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
}
