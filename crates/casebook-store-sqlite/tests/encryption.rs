use casebook_domain::{Content, Facts, Occurred, StoredEntry};
use casebook_store::conformance::sample_case;
use casebook_store::{Append, CaseStore, StoreError};
use casebook_store_sqlite::SqliteStore;

fn store_with_secret_text(path: &std::path::Path, passphrase: Option<&str>) {
    let store = SqliteStore::create(path, passphrase).expect("create");
    let case = sample_case("secret-case");
    store.create_case(&case).expect("case");
    let content = Content {
        summary: "Pushed near the corridor lockers".into(),
        details: None,
        sources: vec![],
        attachments: vec![],
        facts: Facts::Note,
    };
    let recorded = jiff::Timestamp::from_second(1_772_530_000).expect("instant");
    let occurred = Occurred::parse("2026-03-03").expect("date");
    let entry = StoredEntry::seal(
        case.id,
        None,
        occurred,
        recorded,
        "parent",
        vec![],
        &content,
    )
    .expect("a readable entry");
    store
        .append(
            case.id,
            None,
            &Append {
                entry,
                erase_content_of: None,
            },
        )
        .expect("append");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn an_encrypted_store_has_no_header_and_no_readable_text() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("secret.db");
    store_with_secret_text(&path, Some("a long passphrase"));
    let bytes = std::fs::read(&path).expect("read");
    assert!(!bytes.starts_with(b"SQLite format 3"));
    for needle in [
        &b"corridor"[..],
        b"secret-case",
        b"Oakfield",
        b"CREATE TABLE",
    ] {
        assert!(
            !contains(&bytes, needle),
            "{:?} readable",
            String::from_utf8_lossy(needle)
        );
    }
    // The plain store, by contrast, shows its text: the check above can fail.
    let plain = dir.path().join("plain.db");
    store_with_secret_text(&plain, None);
    assert!(contains(&std::fs::read(&plain).expect("read"), b"corridor"));
}

#[test]
fn the_right_passphrase_opens_and_a_wrong_or_missing_one_does_not() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("secret.db");
    store_with_secret_text(&path, Some("a long passphrase"));
    let before = std::fs::read(&path).expect("read");
    assert!(matches!(
        SqliteStore::open(&path, Some("wrong")),
        Err(StoreError::WrongPassphrase)
    ));
    assert!(matches!(
        SqliteStore::open(&path, None),
        Err(StoreError::PassphraseNeeded)
    ));
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "a failed open changed the file"
    );
    let store = SqliteStore::open(&path, Some("a long passphrase")).expect("open");
    assert!(store.is_encrypted());
    assert_eq!(store.cases().expect("cases")[0].slug, "secret-case");
}

#[test]
fn the_database_itself_refuses_to_change_or_remove_entries() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("plain.db");
    store_with_secret_text(&path, None);
    let conn = rusqlite::Connection::open(&path).expect("open raw");
    for sql in [
        "UPDATE entries SET author = 'someone else'",
        "DELETE FROM entries",
        "UPDATE contents SET body = x'00'",
        "DELETE FROM contents",
        "UPDATE heads SET seq = 7",
        "DELETE FROM heads",
    ] {
        let err = conn.execute(sql, []).expect_err(sql).to_string();
        assert!(
            err.contains("append-only") || err.contains("cannot") || err.contains("only"),
            "{sql}: {err}"
        );
    }
}

#[test]
fn a_file_that_is_not_a_store_is_refused_plainly() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "shopping list").expect("write");
    let err = SqliteStore::open(&path, None)
        .expect_err("not a store")
        .to_string();
    assert!(
        err.contains("is not a casebook store") || err.contains("too short"),
        "{err}"
    );
}
