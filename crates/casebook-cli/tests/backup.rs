//! `casebook backup` taken while `casebook serve` writes, the server then killed
//! mid-write, and the backup restored into a new store that verifies; and each refused
//! backup or restore changes nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use serde_json::Value;

use crate::harness::Casebook;
use crate::serve::{serving, try_post};

/// The ids and hashes of a store's entries, oldest first.
fn log_of(cb: &Casebook, store: &str) -> Vec<(String, String)> {
    let out = cb
        .command(&["--store", store, "--json", "timeline", "--all"])
        .output()
        .expect("casebook runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut log: Vec<(String, String)> = items
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap_or_default().to_owned(),
                i["hash"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    log.sort_by_key(|(id, _)| id.trim_start_matches('e').parse::<u64>().unwrap_or(0));
    log
}

fn verifies(cb: &Casebook, store: &str) -> String {
    let out = cb
        .command(&["--store", store, "verify"])
        .output()
        .expect("casebook runs");
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() && said.contains("is intact"),
        "{store} does not verify: {said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    said
}

#[test]
fn a_backup_taken_while_the_server_writes_restores_and_verifies_after_the_server_is_killed() {
    let cb = Casebook::new().with_case();
    let photo = cb.path("photo.jpg");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../casebook-app/demo/torn-sleeve.jpg"),
        &photo,
    )
    .expect("a photo");
    cb.ok(&[
        "log",
        "incident",
        "--occurred",
        "2026-04-01",
        "--summary",
        "Pushed in the queue",
        "--attach",
        photo.to_str().expect("path"),
    ]);
    let store = cb.store.display().to_string();
    let (server, address, key, token) = serving(&cb);

    // A parent writing incidents as fast as the server takes them, until stopped.
    let stop = Arc::new(AtomicBool::new(false));
    let (first, written) = mpsc::channel();
    let writer = {
        let (stop, address, key) = (stop.clone(), address.clone(), key.clone());
        std::thread::spawn(move || {
            let mut saved = 0;
            while !stop.load(Ordering::SeqCst) {
                let answer = try_post(
                    &address,
                    &key,
                    "/cases/sam/log/incident",
                    &[
                        ("token", token.as_str()),
                        ("date", "2026-04-02"),
                        ("summary", &format!("Incident {saved}")),
                    ],
                );
                // Anything but "saved" is the server being killed.
                if !answer.is_ok_and(|a| a.starts_with("HTTP/1.1 303")) {
                    break;
                }
                saved += 1;
                if saved == 1 {
                    let _ = first.send(());
                }
            }
            saved
        })
    };
    written.recv().expect("the writer saved an entry");
    let said = cb.ok(&["backup", "--out", "backup.db"]);
    assert!(said.contains("Backed up 1 case"), "{said}");
    // Killed outright while it writes.
    drop(server);
    stop.store(true, Ordering::SeqCst);
    let saved = writer.join().expect("the writer");
    assert!(saved >= 1);

    // The store itself survives the kill, and the backup restores into a new store
    // whose log is the store's, up to the moment of the backup.
    verifies(&cb, &store);
    let restored = cb.path("restored.db").display().to_string();
    let said = cb.ok(&["--store", &restored, "restore", "backup.db"]);
    assert!(said.contains("every case's log verifies there"), "{said}");
    verifies(&cb, &restored);
    let (original, copy) = (log_of(&cb, &store), log_of(&cb, &restored));
    assert!(
        copy.len() >= 2,
        "the backup holds the entries written before it"
    );
    assert!(
        original.starts_with(&copy),
        "the restored log is not the start of the store's log"
    );
    let file = cb.ok(&["--store", &restored, "--json", "timeline", "--all"]);
    assert!(file.contains("photo.jpg"), "the attached photo came back");
    // And checked by a reader that is not casebook: the restored case, exported, passes
    // the independent Python implementation of the chain.
    cb.ok(&[
        "--store",
        &restored,
        "export",
        "--format",
        "jsonl",
        "--out",
        "restored.jsonl",
    ]);
    let checked = std::process::Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scripts/verify_entry.py"
        ))
        .arg(cb.path("restored.jsonl"))
        .output()
        .expect("python3 runs");
    assert!(
        checked.status.success(),
        "{}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
}

#[test]
fn a_backup_or_restore_that_cannot_be_done_changes_nothing() {
    let cb = Casebook::new().with_case();
    cb.ok(&[
        "log",
        "note",
        "--occurred",
        "2026-04-01",
        "--summary",
        "A note",
    ]);
    cb.ok(&["backup", "--out", "backup.db"]);
    let backup = std::fs::read(cb.path("backup.db")).expect("the backup");
    // Not written over.
    let said = cb.refused(&["backup", "--out", "backup.db"]);
    assert!(said.contains("already exists"), "{said}");
    assert_eq!(std::fs::read(cb.path("backup.db")).expect("backup"), backup);
    // Not restored over a store that exists.
    let store = cb.store.display().to_string();
    let said = cb.refused(&["--store", &store, "restore", "backup.db"]);
    assert!(said.contains("already exists"), "{said}");
    // Not a backup: nothing made.
    std::fs::write(cb.path("notes.db"), "my notes").expect("write");
    let new = cb.path("new.db").display().to_string();
    let said = cb.refused(&["--store", &new, "restore", "notes.db"]);
    assert!(said.contains("not a casebook store"), "{said}");
    // A backup cut short: refused, nothing made.
    std::fs::write(cb.path("short.db"), &backup[..backup.len() / 2]).expect("write");
    let out = cb.run(&["--store", &new, "restore", "short.db"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!cb.path("new.db").exists() && !cb.path("new.db.attachments").exists());
    let leftovers: Vec<_> = std::fs::read_dir(cb.dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_encrypted_store_s_backup_is_encrypted_with_its_passphrase() {
    let cb = Casebook::encrypted("correct horse battery staple");
    let cb = cb.with_case();
    cb.ok(&[
        "log",
        "note",
        "--occurred",
        "2026-04-01",
        "--summary",
        "A private note",
    ]);
    cb.ok(&["backup", "--out", "backup.db"]);
    let bytes = std::fs::read(cb.path("backup.db")).expect("the backup");
    assert!(
        !bytes.starts_with(b"SQLite format 3\0"),
        "the backup is encrypted"
    );
    assert!(
        !bytes.windows(14).any(|w| w == b"A private note"),
        "the note is not readable in the backup"
    );
    let restored = cb.path("restored.db").display().to_string();
    cb.ok(&["--store", &restored, "restore", "backup.db"]);
    verifies(&cb, &restored);
    // The wrong passphrase restores nothing.
    let other = cb.path("other.db").display().to_string();
    let out = cb
        .command(&["--store", &other, "restore", "backup.db"])
        .env("CASEBOOK_PASSPHRASE", "not the passphrase")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("passphrase is wrong"));
    assert!(!cb.path("other.db").exists());
}
