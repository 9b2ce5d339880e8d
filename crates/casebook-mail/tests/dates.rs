//! Dates a hostile or broken sender can put on a message. A message dated outside the
//! years a case file holds must never reach the log: either the mailbox's own date for
//! it is right, or it is refused with a reason.

use casebook_mail::{Mailbox, read_email};

fn message(date: Option<&str>) -> String {
    let date = date.map(|d| format!("Date: {d}\n")).unwrap_or_default();
    format!(
        "From: Head Teacher <head@school.example>\nTo: parent@home.example\n{date}Subject: Hello\n\nBody text.\n"
    )
}

#[test]
fn dates_no_case_can_hold_are_refused() {
    for date in [
        "Tue, 31 Dec 2999 10:00:00 +0000",
        "Fri, 31 Dec 9999 23:59:00 +0000",
        "Mon, 1 Jan 1979 09:00:00 +0000",
    ] {
        let reason = read_email(message(Some(date)).as_bytes(), None).unwrap_err();
        assert_eq!(reason, "it has no date that can be right", "{date}");
    }
}

/// The mbox envelope line is only a fallback, and a fallback is checked like the rest.
#[test]
fn an_envelope_date_is_checked_as_well() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("spam.mbox");
    let mbox = [
        format!(
            "From spam@example Mon Jan  1 00:00:00 0001\n{}",
            message(None)
        ),
        format!(
            "From spam@example Sat Jun  1 10:00:00 1850\n{}",
            message(None)
        ),
        format!(
            "From spam@example Tue Mar  3 09:20:00 2026\n{}",
            message(Some("Tue, 31 Dec 2999 10:00:00 +0000"))
        ),
    ]
    .join("\n");
    std::fs::write(&path, mbox).expect("write the mbox");
    let mailbox = Mailbox::detect(&path, None).expect("an mbox");
    let mut read = Vec::new();
    mailbox
        .each_message(&mut |raw| {
            read.push(read_email(&raw.bytes, raw.envelope_date).map(|e| e.date.to_string()));
            true
        })
        .expect("the mbox reads");
    assert_eq!(
        read,
        [
            Err("it has no date that can be right".to_owned()),
            Err("it has no date that can be right".to_owned()),
            // The header's 2999 is not believed; the envelope's day is.
            Ok("2026-03-03T09:20:00".to_owned()),
        ]
    );
}

/// A damaged mailbox with a line of hundreds of megabytes (a 4 GB one once took the
/// process down with an allocation failure) is refused in a sentence, after at most one
/// message's worth of memory.
#[test]
fn a_line_without_end_is_refused_after_one_message_s_worth() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("damaged.mbox");
    let start = format!(
        "From a@b Tue Mar  3 09:20:00 2026\n{}",
        message(Some("Tue, 3 Mar 2026 09:20:00 +0000"))
    );
    let file = std::fs::File::create(&path).expect("create");
    std::io::Write::write_all(&mut &file, start.as_bytes()).expect("write");
    // 300 MB of one line, without writing it: the file's end is a hole of zeros.
    file.set_len(start.len() as u64 + 300 * 1024 * 1024)
        .expect("grow");
    let mailbox = Mailbox::detect(&path, None).expect("an mbox");
    let refused = mailbox
        .each_message(&mut |_| true)
        .expect_err("refused")
        .to_string();
    assert!(
        refused.contains("larger than casebook reads in one message"),
        "{refused}"
    );
    assert!(refused.contains("damaged.mbox, message 1"), "{refused}");
    // An .eml file of that size likewise.
    let eml = dir.path().join("huge.eml");
    let file = std::fs::File::create(&eml).expect("create");
    std::io::Write::write_all(&mut &file, message(None).as_bytes()).expect("write");
    file.set_len(300 * 1024 * 1024).expect("grow");
    let refused = Mailbox::detect(&eml, None)
        .expect("an .eml")
        .each_message(&mut |_| true)
        .expect_err("refused")
        .to_string();
    assert!(refused.contains("larger than casebook reads"), "{refused}");
}
