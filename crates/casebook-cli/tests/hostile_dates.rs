//! One email must never break a case. A message dated 2999 (or with an mbox envelope
//! dated year 1) is refused at import; and a store that an earlier version let such an
//! entry into still works: every command reads on, reports the entry by id, and the
//! family can correct its date or redact it.

use casebook_domain::{
    Content, Digest, ENCODING_VERSION, Facts, Occurred, Record, StoredEntry, content_bytes,
};
use casebook_store::{Append, CaseStore};
use casebook_store_sqlite::SqliteStore;

use crate::harness::Casebook;

fn spam(envelope: &str, date: Option<&str>) -> String {
    let date = date.map(|d| format!("Date: {d}\n")).unwrap_or_default();
    format!(
        "From {envelope}\nMessage-ID: <{}@spam.example>\n{date}From: Mrs Patel <head@oakfield.example>\nTo: parent@home.example\nSubject: You have won\n\nClick here.\n\n",
        envelope.len()
    )
}

#[test]
fn mail_dated_outside_the_case_years_is_skipped_with_its_reason() {
    let cb = Casebook::new().with_case();
    let mbox = [
        spam(
            "spam@example Tue Mar  3 09:20:00 2026",
            Some("Tue, 31 Dec 2999 10:00:00 +0000"),
        ),
        spam("spam@x Mon Jan  1 00:00:00 0001", None),
        spam(
            "spam@xyz Sat Jun  1 10:00:00 1850",
            Some("Fri, 31 Dec 9999 23:59:00 +0000"),
        ),
    ]
    .concat();
    std::fs::write(cb.path("spam.mbox"), mbox).expect("write the mbox");
    let said = cb.ok(&[
        "import",
        "spam.mbox",
        "--all",
        "--me",
        "parent@home.example",
    ]);
    // The first message's header date is not believed, its envelope's day is.
    let items = cb.json(&["timeline"]);
    let dates: Vec<&str> = items
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| i["occurred"].as_str().expect("a date"))
        .collect();
    assert_eq!(dates, ["2026-03-03T09:20"], "{said}");
    assert_eq!(
        said.matches("it has no date that can be right").count(),
        2,
        "{said}"
    );
    for command in [
        &["verify"][..],
        &["next"],
        &["export", "--format", "jsonl", "--out", "case.jsonl"],
    ] {
        cb.ok(command);
    }
}

/// What an earlier version wrote for a spam email dated 2999: a record whose hash
/// covers that date, appended through the store as it was then.
fn append_as_an_earlier_version_did(cb: &Casebook, date: &str) -> u64 {
    let store = SqliteStore::open(&cb.store, None).expect("open the store");
    let case = store.cases().expect("cases").remove(0);
    let head = store.head(case.id).expect("head");
    let content = Content {
        summary: "You have won".into(),
        details: Some("Click here.".into()),
        sources: vec!["email".into()],
        attachments: vec![],
        facts: Facts::Note,
    };
    let bytes = content_bytes(&content);
    let mut record = Record {
        version: ENCODING_VERSION,
        case: case.id,
        seq: head.map_or(1, |h| h.seq + 1),
        kind: content.facts.kind(),
        occurred: Occurred::from_stored(date),
        recorded: jiff::Timestamp::from_second(1_790_000_000).expect("an instant"),
        author: "email import".into(),
        links: vec![],
        content_hash: Digest::of(&bytes),
        attachments: vec![],
        prev_hash: head.map_or(Digest::ZERO, |h| h.hash),
        hash: Digest::ZERO,
    };
    record.hash = record.computed_hash();
    let seq = record.seq;
    let entry = StoredEntry {
        record,
        content: Some(bytes),
    };
    store
        .append(
            case.id,
            head,
            &Append {
                entry,
                erase_content_of: None,
            },
        )
        .expect("the store accepted it then");
    seq
}

#[test]
fn a_case_holding_an_entry_dated_2999_still_works_and_can_be_mended() {
    let cb = Casebook::new().with_case();
    cb.ok(&[
        "log",
        "incident",
        "--occurred",
        "2026-03-02T12:40",
        "--summary",
        "Pushed over in the lunch queue",
    ]);
    let spam = append_as_an_earlier_version_did(&cb, "2999-12-31T10:00");
    let id = format!("e{spam}");
    cb.ok(&[
        "log",
        "note",
        "--occurred",
        "2026-03-04",
        "--summary",
        "Spoke to the class teacher",
    ]);

    let verified = cb.ok(&["verify"]);
    assert!(
        verified.contains("is intact: 3 entries checked"),
        "{verified}"
    );
    assert!(
        verified.contains(&format!("Entry {id} cannot be read")),
        "{verified}"
    );
    let timeline = cb.ok(&["timeline"]);
    assert!(
        timeline.contains("Pushed over in the lunch queue"),
        "{timeline}"
    );
    assert!(
        timeline.contains("Spoke to the class teacher"),
        "{timeline}"
    );
    assert!(
        timeline.contains(&format!("casebook amend {id}")) && timeline.contains("2999-12-31T10:00"),
        "{timeline}"
    );
    for command in [
        &["next"][..],
        &["export", "--format", "jsonl", "--out", "case.jsonl"],
        &["export", "--format", "csv", "--out", "case.csv"],
        &["bundle", "--format", "html", "--out", "bundle.html"],
        &["bundle", "--format", "pdf", "--out", "bundle.pdf"],
    ] {
        cb.ok(command);
    }
    // The export still verifies, and imports into a new store with the entry intact.
    assert!(cb.ok(&["verify", "case.jsonl"]).contains("intact"));

    // Mended: its date corrected, after which it reads like any other entry.
    cb.ok(&[
        "amend",
        &id,
        "--summary",
        "Spam email, imported by mistake",
        "--reason",
        "Its date was impossible",
        "--occurred",
        "2026-03-03",
    ]);
    let items = cb.json(&["timeline"]);
    let mended = items
        .as_array()
        .expect("a list")
        .iter()
        .find(|i| i["id"] == id.as_str())
        .expect("the mended entry is listed");
    assert_eq!(mended["occurred"], "2026-03-03");
    assert!(mended.get("unreadable").is_none(), "{mended}");
    assert!(cb.ok(&["verify"]).contains("intact"));
}

#[test]
fn an_unreadable_entry_can_be_redacted_and_stays_listed_by_id() {
    let cb = Casebook::new().with_case();
    let spam = append_as_an_earlier_version_did(&cb, "0001-01-01T00:00");
    let id = format!("e{spam}");
    cb.ok(&["redact", &id, "--reason", "Spam"]);
    let timeline = cb.ok(&["timeline"]);
    assert!(timeline.contains("[cannot be read]"), "{timeline}");
    assert!(
        timeline.contains(&format!("redacted by e{}", spam + 1)),
        "{timeline}"
    );
    assert!(cb.ok(&["verify"]).contains("intact"));
}
