//! The minutes check from the command line, on the demonstration case's meeting (e12).

use crate::harness::Casebook;

const SOFTENED: &str = "Notes of meeting, 13 October 2026\n\
    Mrs Morgan reported some difficulties with another pupil. Mr Osei said there had been a falling-out and the school is monitoring.\n\
    Attendance was discussed: Alex has been anxious about coming in on some days.\n\
    Ms Shah will look at SEN support for Alex and write a plan.\n";

/// What the check found for each point, in order.
fn results(report: &serde_json::Value) -> Vec<String> {
    let points = report["points"].as_array().expect("points");
    points
        .iter()
        .filter_map(|p| p["result"].as_str().map(String::from))
        .collect()
}

/// The demonstration case, with the school's softened minutes of its meeting e12.
fn demo_with_minutes() -> Casebook {
    let cb = Casebook {
        today: "2026-11-22",
        ..Casebook::new()
    };
    cb.ok(&["demo"]);
    std::fs::write(cb.path("minutes.txt"), SOFTENED).expect("write");
    cb
}

#[test]
fn the_minutes_check_reports_each_point_and_drafts_the_correction() {
    let cb = demo_with_minutes();
    let before = cb.snapshot();
    let report = cb.json(&[
        "minutes",
        "check",
        "--meeting",
        "e12",
        "--minutes",
        "minutes.txt",
    ]);
    assert_eq!(
        results(&report),
        ["missing", "check-wording", "found", "missing"]
    );
    assert_eq!(
        report["points"][1]["sentence"],
        "Attendance was discussed: Alex has been anxious about coming in on some days"
    );
    let draft = report["draft"]["body"].as_str().expect("a draft");
    assert!(
        draft.starts_with("Dear Ms Shah,"),
        "addressed to the school's person at the meeting: {draft}"
    );
    assert!(
        draft.contains("- We asked for a safe space at lunchtime"),
        "{draft}"
    );
    assert!(cb.snapshot() == before, "checking minutes records nothing");
    let text = cb.ok(&[
        "minutes",
        "check",
        "--meeting",
        "e12",
        "--minutes",
        "minutes.txt",
        "--out",
        "correction.txt",
    ]);
    assert!(
        text.contains("check wording") && text.contains("correction.txt"),
        "{text}"
    );
    assert!(
        std::fs::read_to_string(cb.path("correction.txt"))
            .expect("draft")
            .contains("Subject: Minutes of the meeting on 13 October 2026")
    );
}

#[test]
fn unreadable_minutes_and_wrong_meetings_are_refused() {
    let cb = demo_with_minutes();
    std::fs::write(cb.path("minutes.pdf"), b"%PDF-1.7 scanned").expect("write");
    std::fs::write(cb.path("minutes.bin"), [0xff_u8, 0xfe, 0x00, 0x81]).expect("write");
    std::fs::write(cb.path("minutes.txt"), SOFTENED).expect("write");
    assert!(
        cb.refused(&[
            "minutes",
            "check",
            "--meeting",
            "e12",
            "--minutes",
            "minutes.pdf"
        ])
        .contains("is not a PDF casebook can read")
    );
    assert!(
        cb.refused(&[
            "minutes",
            "check",
            "--meeting",
            "e12",
            "--minutes",
            "minutes.bin"
        ])
        .contains("not a text file")
    );
    assert!(
        cb.refused(&[
            "minutes",
            "check",
            "--meeting",
            "e12",
            "--minutes",
            "nowhere.txt"
        ])
        .contains("cannot be read")
    );
    assert!(
        cb.refused(&[
            "minutes",
            "check",
            "--meeting",
            "e1",
            "--minutes",
            "minutes.txt"
        ])
        .contains("is not a meeting")
    );
    assert!(
        cb.refused(&[
            "minutes",
            "check",
            "--meeting",
            "e8",
            "--minutes",
            "minutes.txt"
        ])
        .contains("no points raised recorded")
    );
}

/// Minutes that arrive as a PDF: here laid out by casebook's own PDF writer from a
/// template holding the school's text, then read back for the check.
#[test]
fn pdf_minutes_are_read_and_checked_like_text() {
    let cb = demo_with_minutes();
    std::fs::create_dir(cb.path("school")).expect("dir");
    let template = format!(
        "{{#\ntitle: Minutes\nwhen: test\nsubject: Notes of meeting\n#}}\n{}",
        SOFTENED.replace('\n', "\n\n")
    );
    std::fs::write(cb.path("school/minutes.txt"), template).expect("write");
    cb.ok(&[
        "letter",
        "minutes",
        "--templates",
        "school",
        "--format",
        "pdf",
        "--out",
        "minutes.pdf",
    ]);
    let report = cb.json(&[
        "minutes",
        "check",
        "--meeting",
        "e12",
        "--minutes",
        "minutes.pdf",
    ]);
    assert_eq!(
        results(&report),
        ["missing", "check-wording", "found", "missing"],
        "{report}"
    );
}

/// F0's meeting with the council's officer, the head (the subject of the complaint)
/// absent: the correction goes to the officer who was there, never "Dear" the head; a
/// point naming the other child is drafted with the pseudonym; a sentence sharing only
/// the child's name with a point does not count as recording it. Naming the head with
/// --to addresses the head, and says the head was not there.
#[test]
fn the_correction_goes_to_someone_who_was_there_and_names_no_child() {
    let cb = Casebook::new().with_case();
    cb.council_meeting(&[
        "Jordan Smith spat at Sam in a toilet cubicle",
        "Sam is frightened at lunch",
    ]);
    // "Sam" is a third of the second point's words: without leaving names out, this
    // sentence would count as a rewording of it.
    let minutes = cb.file(
        "minutes.txt",
        "Notes of the meeting of 20 April 2026.\n\nSam's mother attended with Mr Hale.\n",
    );
    let report = cb.json(&["minutes", "check", "--meeting", "e1", "--minutes", &minutes]);
    assert_eq!(results(&report), ["missing", "missing"], "{report}");
    let draft = report["draft"]["body"].as_str().expect("a draft");
    assert!(draft.starts_with("Dear Mr Hale,"), "{draft}");
    assert!(!draft.contains("Patel"), "the head was not there: {draft}");
    assert!(draft.contains("Child A spat at Sam"), "{draft}");
    assert!(!draft.contains("Jordan"), "{draft}");
    let said = cb.ok(&[
        "minutes",
        "check",
        "--meeting",
        "e1",
        "--minutes",
        &minutes,
        "--to",
        "Mrs Patel",
    ]);
    assert!(said.contains("Dear Mrs Patel,"), "{said}");
    assert!(
        said.contains(
            "Mrs Patel was not at this meeting: the request is addressed to them, as you asked."
        ),
        "{said}"
    );
}
