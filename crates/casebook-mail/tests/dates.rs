//! Dates a hostile or broken sender can put on a message. A message dated outside the
//! years a case file holds must never reach the log: either the mailbox's own date for
//! it is right, or it is refused with a reason.

use casebook_mail::{DatedBy, Fallbacks, MESSAGE_LIMIT, Mailbox, read_email};

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
        let reason = read_email(message(Some(date)).as_bytes(), &Fallbacks::default()).unwrap_err();
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
        .each_message(MESSAGE_LIMIT, &mut |raw| {
            read.push(
                read_email(&raw.bytes, &raw.fallbacks)
                    .map(|e| (e.dated.senders_time().to_string(), e.dated.by)),
            );
            true
        })
        .expect("the mbox reads");
    assert_eq!(
        read,
        [
            Err("it has no date that can be right".to_owned()),
            Err("it has no date that can be right".to_owned()),
            // The header's 2999 is not believed; the envelope's day is (an envelope
            // gives no zone, so it is UK time: GMT in March).
            Ok(("2026-03-03T09:20:00".to_owned(), DatedBy::Envelope)),
        ]
    );
}

/// Where the Date is missing or cannot be right, the newest Received line dates the
/// message, then a Maildir file's delivery time; each is said.
#[test]
fn the_server_s_receipt_dates_a_message_without_a_date_of_its_own() {
    let received = "Received: from mx.school.example by mail.home.example; Tue, 3 Mar 2026 08:20:07 +0000 (GMT)\nReceived: from a by b; Mon, 2 Mar 2026 23:00:00 +0000\n";
    let email = read_email(
        format!(
            "{received}{}",
            message(Some("Tue, 31 Dec 2999 10:00:00 +0000"))
        )
        .as_bytes(),
        &Fallbacks::default(),
    )
    .expect("dated by its receipt");
    assert_eq!(email.dated.by, DatedBy::Received);
    assert_eq!(email.dated.instant.to_string(), "2026-03-03T08:20:07Z");
    assert!(
        email
            .warnings
            .iter()
            .any(|w| w.contains("date from the server's receipt"))
    );
    let delivered = jiff::Timestamp::from_second(1_772_526_000).expect("an instant");
    let email = read_email(
        message(None).as_bytes(),
        &Fallbacks {
            envelope: None,
            delivered: Some(delivered),
        },
    )
    .expect("dated by its delivery");
    assert_eq!(
        (email.dated.by, email.dated.instant),
        (DatedBy::Delivery, delivered)
    );
}

/// A parent's 08:50 BST email and the school's 08:20 GMT reply: the reply came later,
/// and each keeps the time its sender's clock showed.
#[test]
fn times_keep_their_offsets_and_order_by_the_instant() {
    let parent = read_email(
        message(Some("Tue, 2 Jun 2026 08:50:00 +0100")).as_bytes(),
        &Fallbacks::default(),
    )
    .expect("parent");
    let school = read_email(
        message(Some("Tue, 2 Jun 2026 08:20:00 +0000")).as_bytes(),
        &Fallbacks::default(),
    )
    .expect("school");
    assert!(parent.dated.instant < school.dated.instant);
    assert_eq!(
        parent.dated.senders_time().to_string(),
        "2026-06-02T08:50:00"
    );
    assert_eq!(
        school.dated.senders_time().to_string(),
        "2026-06-02T08:20:00"
    );
    // A Date without a zone is taken as UK time, and said to be.
    let local = read_email(
        message(Some("Tue Jun  2 09:00:00 2026")).as_bytes(),
        &Fallbacks::default(),
    )
    .expect("zone-less");
    assert_eq!(local.dated.by, DatedBy::HeaderWithoutZone);
    assert_eq!(local.dated.instant.to_string(), "2026-06-02T08:00:00Z");
}

/// A damaged mailbox with a line of hundreds of megabytes (a 4 GB one once took the
/// process down with an allocation failure) costs its own message only: it is skipped
/// with a reason, the messages after it are read, and memory stays near one piece.
#[test]
fn a_message_over_the_limit_is_skipped_in_bounded_memory() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("damaged.mbox");
    let first = format!(
        "From a@b Tue Mar  3 09:20:00 2026\n{}\nFrom a@b Tue Mar  3 09:30:00 2026\n",
        message(Some("Tue, 3 Mar 2026 09:20:00 +0000"))
    );
    let file = std::fs::File::create(&path).expect("create");
    std::io::Write::write_all(&mut &file, first.as_bytes()).expect("write");
    // 300 MB of one line, without writing it: a hole of zeros.
    let hole = first.len() as u64 + 300 * 1024 * 1024;
    file.set_len(hole).expect("grow");
    let last = format!(
        "\n\nFrom a@b Tue Mar  3 09:40:00 2026\n{}",
        message(Some("Tue, 3 Mar 2026 09:40:00 +0000"))
    );
    std::io::Write::write_all(
        &mut std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("open"),
        last.as_bytes(),
    )
    .expect("append");
    let mut seen = Vec::new();
    Mailbox::detect(&path, None)
        .expect("an mbox")
        .each_message(1 << 20, &mut |raw| {
            seen.push((raw.bytes.len(), raw.refused));
            true
        })
        .expect("read");
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(seen[0].0 > 0 && seen[2].0 > 0 && seen[1].0 == 0);
    let reason = seen[1].1.as_deref().expect("a reason");
    assert!(reason.contains("301 MB, larger than the 1 MB"), "{reason}");
    let peak = std::fs::read_to_string("/proc/self/status")
        .expect("status")
        .lines()
        .find_map(|l| {
            l.strip_prefix("VmHWM:")
                .map(|v| v.trim().trim_end_matches(" kB").parse::<u64>())
        })
        .expect("VmHWM")
        .expect("a number");
    assert!(peak < 100 * 1024, "peak memory {peak} kB");
    // An .eml file over the limit is not read at all.
    let eml = dir.path().join("huge.eml");
    let file = std::fs::File::create(&eml).expect("create");
    std::io::Write::write_all(&mut &file, message(None).as_bytes()).expect("write");
    file.set_len(300 * 1024 * 1024).expect("grow");
    let mut refused = None;
    Mailbox::detect(&eml, None)
        .expect("an .eml")
        .each_message(MESSAGE_LIMIT, &mut |raw| {
            refused = raw.refused;
            true
        })
        .expect("read");
    assert!(refused.is_some_and(|r| r.contains("larger than the 50 MB")));
}

/// A stranger's message declaring a hundred thousand multipart boundaries, each folded
/// after "boundary=", is read (or refused) like any other, not searched once per
/// boundary.
#[test]
fn a_message_declaring_endless_boundaries_is_read_in_one_pass() {
    let declared = "Content-Type: multipart/mixed; boundary=\n x\n".repeat(100_000);
    let raw = format!(
        "From: head@school.example\nTo: parent@home.example\nDate: Tue, 3 Mar 2026 09:20:00 +0000\nSubject: Many\n{declared}\n--x\nContent-Type: text/plain\n\nBody text.\n"
    );
    let email = read_email(raw.as_bytes(), &Fallbacks::default()).expect("read");
    assert_eq!(email.subject.as_deref(), Some("Many"));
}
