//! A case with one entry of every kind: logged, amended, redacted, exported,
//! re-imported into a new store and verified, with the same timeline.

use crate::harness::Casebook;

pub fn log_every_kind(cb: &Casebook) {
    std::fs::write(cb.path("bruise.jpg"), b"pretend photo of a bruise").expect("write");
    std::fs::write(cb.path("gp-letter.pdf"), b"%PDF-1.4 pretend GP letter").expect("write");
    std::fs::write(
        cb.path("details.txt"),
        "She was in the corridor.\nThe dinner lady saw.",
    )
    .expect("write");
    let logged = [
        cb.ok(&[
            "log",
            "incident",
            "--occurred",
            "2026-03-03T12:40",
            "--summary",
            "Pushed over in the lunch queue",
            "--details-file",
            "details.txt",
            "--place",
            "lunch hall",
            "--category",
            "physical",
            "--category",
            "prejudice-based",
            "--prejudice",
            "disability",
            "--involved",
            "Child A",
            "--witness",
            "Mr Jones",
            "--harm",
            "Bruised elbow",
            "--child-words",
            "He said nobody would believe me",
            "--reported-to",
            "Mrs Patel",
            "--reported-on",
            "2026-03-03",
            "--school-response",
            "Will monitor",
            "--school-word",
            "niggle",
            "--attach",
            "bruise.jpg",
            "--source",
            "Sam told me at pick-up",
        ]),
        cb.ok(&[
            "log",
            "call",
            "--occurred",
            "2026-03-04T09:15",
            "--summary",
            "Phoned Mrs Patel",
            "--to",
            "Mrs Patel",
        ]),
        cb.ok(&[
            "log",
            "email",
            "--occurred",
            "2026-03-04",
            "--summary",
            "Confirmed the call in writing",
            "--to",
            "head@oakfield.example",
            "--subject",
            "Our call this morning",
            "--confirms",
            "e2",
        ]),
        cb.ok(&[
            "log",
            "letter",
            "--occurred",
            "2026-03-05",
            "--summary",
            "Letter from the school",
            "--direction",
            "received",
            "--from",
            "p1",
        ]),
        cb.ok(&[
            "log",
            "text",
            "--occurred",
            "2026-03-05T16:00",
            "--summary",
            "Text to the class teacher",
            "--to",
            "Mr Jones",
        ]),
        cb.ok(&[
            "log",
            "in-person",
            "--occurred",
            "2026-03-06T08:45",
            "--summary",
            "Word at the gate with Mr Jones",
            "--to",
            "p3",
        ]),
        cb.ok(&[
            "log",
            "portal",
            "--occurred",
            "2026-03-06",
            "--summary",
            "Portal message to the office",
            "--direction",
            "sent",
        ]),
        cb.ok(&[
            "log",
            "meeting",
            "--occurred",
            "2026-03-10T15:30",
            "--summary",
            "Meeting with the head",
            "--attendee",
            "Mrs Patel:school",
            "--attendee",
            "Mr Jones",
            "--purpose",
            "Lunchtime safety",
            "--point",
            "Sam is scared of the lunch queue",
            "--point",
            "We asked for a safety plan",
            "--action",
            "Send a safety plan; Mrs Patel; 2026-03-17",
        ]),
        cb.ok(&[
            "log",
            "absence",
            "--occurred",
            "2026-03-11",
            "--until",
            "2026-03-13",
            "--reason",
            "mental-health",
            "--sessions",
            "6",
            "--authorised",
            "yes",
            "--evidence",
            "GP letter",
            "--summary",
            "Too anxious to go in",
            "--attach",
            "gp-letter.pdf",
        ]),
        cb.ok(&[
            "log",
            "observation",
            "--occurred",
            "week of 2026-03-09",
            "--summary",
            "Crying at bedtime",
            "--sign",
            "sleep",
            "--sign",
            "distress",
            "--child-words",
            "I don't want to go",
        ]),
        cb.ok(&[
            "log",
            "document",
            "--occurred",
            "2026-03",
            "--summary",
            "Anti-bullying policy",
            "--document-type",
            "policy:anti-bullying",
            "--title",
            "Anti-bullying policy 2025",
            "--issued-by",
            "Oakfield Primary",
        ]),
        cb.ok(&[
            "log",
            "request",
            "--occurred",
            "2026-03-12",
            "--summary",
            "Asked for the safety plan in writing",
            "--to",
            "Mrs Patel",
            "--due",
            "2026-03-26",
        ]),
        cb.ok(&[
            "log",
            "decision",
            "--occurred",
            "spring term 2026",
            "--summary",
            "Stage 1 complaint not upheld",
            "--by",
            "school",
            "--outcome",
            "not-upheld",
        ]),
        cb.ok(&[
            "log",
            "note",
            "--occurred",
            "2026-03-14",
            "--summary",
            "Spoke to SENDIASS for advice",
        ]),
    ];
    let expected: Vec<String> = (1..=14).map(|n| format!("e{n}")).collect();
    assert_eq!(logged.to_vec(), expected);
}

#[test]
fn a_case_with_every_kind_survives_amendment_redaction_export_and_import() {
    let cb = Casebook::new().with_case();
    log_every_kind(&cb);
    assert_eq!(
        cb.ok(&[
            "amend",
            "e6",
            "--summary",
            "Word at the gate with Mr Jones about lunch",
            "--reason",
            "Left out the subject",
            "--occurred",
            "2026-03-06T08:50"
        ]),
        "e15"
    );
    assert_eq!(
        cb.ok(&["redact", "e10", "--reason", "Too private to keep"]),
        "e16"
    );
    assert!(cb.ok(&["verify"]).contains("is intact: 16 entries checked"));

    let timeline = cb.json(&["timeline"]);
    let items = timeline.as_array().expect("array");
    assert_eq!(items.len(), 14, "corrections are not listed by default");
    for item in items {
        for field in ["id", "kind", "occurred", "recorded", "summary"] {
            assert!(item.get(field).is_some(), "{field} missing from {item}");
        }
    }
    let by_id = |id: &str| items.iter().find(|i| i["id"] == id).expect("entry").clone();
    assert_eq!(
        by_id("e6")["summary"],
        "Word at the gate with Mr Jones about lunch"
    );
    assert_eq!(by_id("e6")["occurred"], "2026-03-06T08:50");
    assert_eq!(by_id("e10")["summary"], serde_json::Value::Null);
    assert_eq!(by_id("e10")["redacted_by"], "e16");
    assert_eq!(
        by_id("e2")["unconfirmed"],
        false,
        "the email confirmed the call"
    );
    assert_eq!(
        by_id("e8")["unconfirmed"],
        true,
        "nobody confirmed the meeting"
    );
    assert_eq!(by_id("e12")["request"]["state"], "late");
    assert_eq!(by_id("e12")["request"]["days_late"], 25);
    assert_eq!(by_id("e13")["occurred_text"], "spring term 2026");
    assert_eq!(by_id("e1")["facts"]["school_word"], "niggle");
    assert_eq!(by_id("e1")["attachments"][0]["name"], "bruise.jpg");

    // Export, import into a new store, verify, compare.
    cb.ok(&["export", "--format", "jsonl", "--out", "sam.jsonl"]);
    assert!(cb.ok(&["verify", "sam.jsonl"]).contains("is intact"));
    let other = Casebook::new();
    std::fs::copy(cb.path("sam.jsonl"), other.path("sam.jsonl")).expect("copy");
    assert!(
        other
            .ok(&["import", "sam.jsonl"])
            .contains("Imported case \"sam\" with 16 entries")
    );
    assert!(
        other
            .ok(&["verify"])
            .contains("is intact: 16 entries checked")
    );
    assert_eq!(
        other.json(&["timeline", "--all"]),
        cb.json(&["timeline", "--all"])
    );
    assert_eq!(
        other.json(&["person", "list"]),
        cb.json(&["person", "list"])
    );
    // Re-importing the same case is refused and changes nothing.
    assert!(
        other
            .refused(&["import", "sam.jsonl"])
            .contains("already in this store")
    );
}

#[test]
fn the_timeline_filters_by_kind_date_person_and_category() {
    let cb = Casebook::new().with_case();
    log_every_kind(&cb);
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["timeline"];
        all.extend_from_slice(args);
        cb.json(&all)
            .as_array()
            .expect("array")
            .iter()
            .map(|i| i["id"].as_str().expect("id").to_owned())
            .collect()
    };
    assert_eq!(ids(&["--kind", "call"]), ["e2"]);
    // Kinds are kinds, channels are channels: a meeting is never the in-person channel.
    assert_eq!(ids(&["--kind", "meeting"]), ["e8"]);
    assert_eq!(ids(&["--channel", "in-person"]), ["e6"]);
    assert_eq!(
        ids(&["--channel", "email", "--channel", "call"]),
        ["e2", "e3"]
    );
    assert_eq!(ids(&["--kind", "communication"]).len(), 6);
    assert_eq!(
        ids(&["--kind", "incident", "--kind", "absence"]),
        ["e1", "e9"]
    );
    // Approximate dates (spring term, March, the week of 9 March) overlap the range.
    assert_eq!(
        ids(&["--from", "2026-03-10", "--to", "2026-03-11"]),
        ["e13", "e11", "e10", "e8", "e9"]
    );
    assert_eq!(
        ids(&["--from", "2026-03-12", "--to", "2026-03-12"]),
        ["e13", "e11", "e10", "e12"]
    );
    assert_eq!(ids(&["--person", "Child A"]), ["e1"]);
    assert_eq!(ids(&["--category", "physical"]), ["e1"]);
    // The confirmation, logged without a time, follows the call it confirms.
    let all = ids(&[]);
    let pos = |id: &str| all.iter().position(|i| i == id).expect("listed");
    assert!(pos("e2") < pos("e3"));
    assert_eq!(
        cb.refused(&["timeline", "--category", "rude"])
            .split(':')
            .next(),
        Some("\"rude\" is not a category of incident casebook knows")
    );
}

#[test]
fn the_csv_chronology_uses_pseudonyms_unless_asked_not_to() {
    let cb = Casebook::new().with_case();
    cb.ok(&[
        "log",
        "incident",
        "--occurred",
        "2026-03-03",
        "--summary",
        "Jordan Smith took her bag, then Jordan laughed",
        "--involved",
        "p2",
    ]);
    let csv = cb.ok(&["export", "--format", "csv"]);
    assert!(csv.starts_with("id,date,occurred,kind"));
    assert!(
        csv.contains("Child A took her bag, then Child A laughed"),
        "{csv}"
    );
    assert!(!csv.contains("Jordan"), "{csv}");
    assert!(
        cb.ok(&["export", "--format", "csv", "--real-names"])
            .contains("Jordan Smith took her bag")
    );
    let jsonl = cb.ok(&["export", "--format", "jsonl", "--pseudonymise"]);
    assert!(
        !jsonl.contains("Jordan Smith\""),
        "the people lines use pseudonyms"
    );
}
