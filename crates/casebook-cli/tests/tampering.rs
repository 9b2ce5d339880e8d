//! Changes made behind casebook's back, with the SQLite file opened directly (the
//! append-only triggers dropped first, as a determined editor would), must be caught
//! by `casebook verify`, which names the first entry that fails.

use rusqlite::Connection;

use crate::harness::Casebook;

fn case_with_entries() -> Casebook {
    let cb = Casebook::new().with_case();
    std::fs::write(cb.path("photo.jpg"), b"pretend photo").expect("write");
    for (n, day) in ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"]
        .iter()
        .enumerate()
    {
        cb.ok(&[
            "log",
            "note",
            "--occurred",
            day,
            "--summary",
            &format!("Note number {}", n + 1),
        ]);
    }
    cb.ok(&[
        "log",
        "note",
        "--occurred",
        "2026-03-06",
        "--summary",
        "With a photo",
        "--attach",
        "photo.jpg",
    ]);
    assert!(cb.ok(&["verify"]).contains("intact"));
    cb
}

fn tamper(cb: &Casebook, sql: &str) {
    let conn = Connection::open(&cb.store).expect("open raw");
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         DROP TRIGGER entries_are_never_changed; DROP TRIGGER entries_are_never_removed;
         DROP TRIGGER contents_are_never_changed; DROP TRIGGER contents_go_only_by_redaction;
         DROP TRIGGER heads_only_move_forward; DROP TRIGGER heads_are_never_removed;",
    )
    .expect("drop triggers");
    conn.execute_batch(sql).expect("tamper");
}

#[test]
fn edited_text_is_detected() {
    let cb = case_with_entries();
    tamper(
        &cb,
        "UPDATE contents SET body = replace(body, 'number 3', 'number 8') WHERE seq = 3",
    );
    assert_eq!(
        cb.refused(&["verify"]),
        "The log of case \"sam\" fails verification. The text of entry e3 was changed after it was written."
    );
}

#[test]
fn an_edited_date_is_detected() {
    let cb = case_with_entries();
    tamper(
        &cb,
        "UPDATE entries SET occurred = '2026-02-01' WHERE seq = 2",
    );
    assert!(
        cb.refused(&["verify"])
            .contains("Entry e2 was changed after it was written")
    );
}

#[test]
fn a_deleted_entry_is_detected() {
    let cb = case_with_entries();
    tamper(
        &cb,
        "DELETE FROM contents WHERE seq = 2; DELETE FROM entries WHERE seq = 2",
    );
    assert!(cb.refused(&["verify"]).contains("Entry e2 is missing"));
}

#[test]
fn reordered_entries_are_detected() {
    let cb = case_with_entries();
    tamper(
        &cb,
        "UPDATE contents SET seq = 100 WHERE seq = 2; UPDATE entries SET seq = 100 WHERE seq = 2;
         UPDATE contents SET seq = 2 WHERE seq = 3; UPDATE entries SET seq = 2 WHERE seq = 3;
         UPDATE contents SET seq = 3 WHERE seq = 100; UPDATE entries SET seq = 3 WHERE seq = 100;",
    );
    assert!(
        cb.refused(&["verify"])
            .contains("Entry e2 does not follow the entry before it")
    );
}

#[test]
fn removed_last_entries_are_detected() {
    let cb = case_with_entries();
    tamper(
        &cb,
        "DELETE FROM contents WHERE seq = 5; DELETE FROM entries WHERE seq = 5",
    );
    assert!(
        cb.refused(&["verify"])
            .contains("entries up to e5 were written")
    );
}

#[test]
fn removed_text_without_a_redaction_is_detected() {
    let cb = case_with_entries();
    tamper(&cb, "DELETE FROM contents WHERE seq = 4");
    assert!(
        cb.refused(&["verify"])
            .contains("text of entry e4 was removed without a redaction")
    );
}

#[test]
fn a_changed_attachment_is_detected() {
    let cb = case_with_entries();
    let (path, _) = cb
        .snapshot()
        .into_iter()
        .find(|(p, _)| p.to_string_lossy().contains(".attachments"))
        .expect("attachment file");
    std::fs::write(&path, b"a different photo").expect("tamper");
    assert!(
        cb.refused(&["verify"])
            .contains("An attachment of entry e5")
    );
    std::fs::remove_file(&path).expect("remove");
    assert!(cb.refused(&["verify"]).contains("is missing"));
}

#[test]
fn a_redaction_keeps_the_chain_verifiable_and_removes_the_file() {
    let cb = case_with_entries();
    cb.ok(&["redact", "e5", "--reason", "wrong photo"]);
    assert!(cb.ok(&["verify"]).contains("intact: 6 entries"));
    assert!(
        !cb.snapshot()
            .keys()
            .any(|p| p.to_string_lossy().contains(".attachments/")),
        "the photo was removed"
    );
    assert!(
        cb.refused(&["redact", "e5", "--reason", "again"])
            .contains("already been redacted")
    );
}

/// A damaged page the chain never reads (here an index's): verify must not say intact,
/// since the next write there would fail as "malformed". The database's own check runs
/// as part of verify.
#[test]
fn a_damaged_page_outside_the_log_is_reported_by_verify() {
    let cb = case_with_entries();
    let (page_size, root): (i64, i64) = {
        let conn = Connection::open(&cb.store).expect("open raw");
        let page_size = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .expect("page size");
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'sessions_by_expiry'",
                [],
                |r| r.get(0),
            )
            .expect("the index's first page");
        (page_size, root)
    };
    let mut bytes = std::fs::read(&cb.store).expect("read");
    // The page's type byte: no b-tree page has type 0.
    bytes[((root - 1) * page_size) as usize] = 0;
    std::fs::write(&cb.store, bytes).expect("write");
    let said = cb.refused(&["verify"]);
    assert!(said.contains("the file it is kept in is damaged"), "{said}");
}

/// One changed byte in a plain store's first bytes once read as "encrypted: give its
/// passphrase"; in an encrypted store's first page as "the passphrase is wrong". Each
/// says what it can know.
#[test]
fn a_damaged_store_is_called_damaged_not_encrypted() {
    for (at, value) in [(3, b'X'), (16, 0x03), (19, 0x09)] {
        let cb = case_with_entries();
        let mut bytes = std::fs::read(&cb.store).expect("read");
        bytes[at] = value;
        std::fs::write(&cb.store, bytes).expect("write");
        let said = cb.refused(&["timeline"]);
        assert!(said.contains("damaged"), "byte {at}: {said}");
        assert!(!said.contains("CASEBOOK_PASSPHRASE"), "byte {at}: {said}");
    }
    let cb = Casebook::encrypted("a long passphrase here").with_case();
    let mut bytes = std::fs::read(&cb.store).expect("read");
    bytes[40] ^= 0xff;
    std::fs::write(&cb.store, bytes).expect("write");
    let said = cb.refused(&["timeline"]);
    assert!(
        said.contains("The passphrase is wrong") && said.contains("or the file is damaged"),
        "{said}"
    );
}
