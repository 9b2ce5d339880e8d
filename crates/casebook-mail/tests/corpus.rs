use std::path::{Path, PathBuf};

use casebook_mail::{Fallbacks, MESSAGE_LIMIT, Mailbox, Mbox, NOT_AN_EMAIL, read_email};
use proptest::prelude::*;

/// mail-parser's own test messages (its `resources/`, version 0.11.9), committed under
/// tests/corpora so the tests need neither the cargo registry nor the network.
fn mail_parser_resources() -> PathBuf {
    corpora().join("mail-parser")
}

/// CPython's own email test messages (`Lib/test/test_email/data`, 3.11), committed for
/// the same reason: Debian's Python ships them only in a separate package.
fn python_email_data() -> PathBuf {
    corpora().join("cpython-email/data")
}

pub(crate) fn corpora() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpora")
}

/// Every file under `dir`, in name order.
pub(crate) fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir").filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn every_message_of_both_corpora_reads_or_says_why_not() {
    let mut messages = files(&mail_parser_resources().join("eml"));
    messages.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    assert!(messages.len() > 100);
    let python = files(&python_email_data());
    assert!(python.len() > 50);
    let (mut read, mut refused) = (0, 0);
    for path in messages.iter().chain(&python) {
        let bytes = std::fs::read(path).expect("read");
        match read_email(&bytes, &Fallbacks::default()) {
            Ok(email) => {
                read += 1;
                assert!(casebook_mail::uk_time(email.dated.instant).year() >= 1980);
            }
            Err(reason) => {
                refused += 1;
                assert!(
                    reason == "it has no date that can be right" || reason == NOT_AN_EMAIL,
                    "{}: {reason}",
                    path.display()
                );
            }
        }
    }
    // The refusals are the test messages written without a Date header and the
    // pictures and sounds Python keeps beside its messages.
    assert!(read >= 100, "read {read}, refused {refused}");
}

#[test]
fn a_maildir_plus_plus_tree_reads_every_folder() {
    let root = mail_parser_resources().join("maildir");
    let mailbox = Mailbox::detect(&root, None).expect("detect");
    assert_eq!(mailbox, Mailbox::Maildir(root.clone()));
    let mut seen = Vec::new();
    let mut size = 0;
    mailbox
        .each_message(MESSAGE_LIMIT, &mut |m| {
            size += m.size;
            seen.push((m.folder.clone(), m.bytes.len() as u64 == m.size));
            true
        })
        .expect("read");
    assert_eq!(seen.len(), 6, "{seen:?}");
    assert_eq!(mailbox.size(), size);
    assert!(seen.iter().all(|(_, whole)| *whole));
    let folders: Vec<Option<String>> = seen.into_iter().map(|(f, _)| f).collect();
    assert!(folders.contains(&Some("My Folder".into())));
    assert!(folders.contains(&Some("My Folder/Nested Folder".into())));
    assert!(folders.contains(&None));
}

#[test]
fn things_that_are_not_mailboxes_are_named() {
    let dir = tempfile::tempdir().expect("dir");
    let error = Mailbox::detect(dir.path(), None).unwrap_err().to_string();
    assert!(error.contains("is a folder but not a Maildir"), "{error}");
    let picture = dir.path().join("photo.jpg");
    std::fs::write(&picture, [0xFF, 0xD8, 0xFF, 0xE0]).expect("write");
    let error = Mailbox::detect(&picture, None).unwrap_err().to_string();
    assert!(error.contains("is not a mailbox"), "{error}");
}

fn read_all(bytes: &[u8]) -> Result<Vec<(Vec<u8>, u64)>, String> {
    let mut mbox = Mbox::new(bytes, "fuzz.mbox".into(), MESSAGE_LIMIT);
    let mut out = Vec::new();
    while let Some(m) = mbox.next_message().map_err(|e| e.to_string())? {
        out.push((m.bytes, m.size));
    }
    Ok(out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Whatever the bytes, the reader ends, never panics, and accounts for every byte.
    #[test]
    fn the_mbox_reader_survives_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let mut input = b"From a@x Mon Sep 14 12:00:00 2026\n".to_vec();
        input.extend(&bytes);
        if let Ok(messages) = read_all(&input) {
            let consumed: u64 = messages.iter().map(|m| m.1).sum();
            prop_assert!(consumed <= input.len() as u64);
        }
        let _ = read_email(&bytes, &Fallbacks::default());
    }

    /// Mailboxes built from lines that look like mail: every message comes back.
    #[test]
    fn messages_written_to_an_mbox_read_back(
        bodies in proptest::collection::vec("(From [a-z]{1,8}|>From x|[A-Za-z: ]{0,30}|\r)(\n[a-z ]{0,20}){0,5}", 1..8)
    ) {
        let mut mbox = String::new();
        for body in &bodies {
            mbox.push_str("From a@x Mon Sep 14 12:00:00 2026\nSubject: s\n\n");
            for line in body.lines() {
                // mboxrd quoting, as a writer does it.
                let quoted = line.trim_start_matches('>').starts_with("From ");
                if quoted { mbox.push('>'); }
                mbox.push_str(line);
                mbox.push('\n');
            }
            mbox.push('\n');
        }
        let messages = read_all(mbox.as_bytes()).map_err(TestCaseError::fail)?;
        prop_assert_eq!(messages.len(), bodies.len());
        for (message, body) in messages.iter().zip(&bodies) {
            let text = String::from_utf8_lossy(&message.0);
            // Kept as written, quoting and all.
            let expected: String = body
                .lines()
                .map(|l| {
                    let quote = if l.trim_start_matches('>').starts_with("From ") { ">" } else { "" };
                    format!("{quote}{l}\n")
                })
                .collect();
            prop_assert_eq!(text.strip_prefix("Subject: s\n\n").unwrap_or(&text), expected.as_str());
        }
    }
}

/// A mailbox written into a pipe is read at the writer's pace (the import then reads it
/// in step); one on disk, file or folder, is not.
#[test]
fn a_mailbox_in_a_pipe_is_told_from_one_on_disk() {
    let dir = tempfile::tempdir().expect("dir");
    let fifo = dir.path().join("mail.mbox");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    assert!(Mailbox::Mbox(fifo).is_a_pipe());
    let file = dir.path().join("file.mbox");
    std::fs::write(&file, "From a@b Thu Jan  1 00:00:00 2026\n\nHello\n").expect("write");
    assert!(!Mailbox::Mbox(file.clone()).is_a_pipe());
    assert!(!Mailbox::Eml(file).is_a_pipe());
    assert!(!Mailbox::Maildir(dir.path().to_path_buf()).is_a_pipe());
}
