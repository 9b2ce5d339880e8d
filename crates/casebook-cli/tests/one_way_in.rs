//! The command line and the web app read what a family fills in through one request
//! per use case (`casebook_app::EntryForm` to write something down or correct it,
//! `DeadlineForm`, `MinutesForm`, `LetterForm`): the same bad words are refused by both, with the same
//! sentence, and neither changes the case. Each is driven as a family drives it: the
//! `casebook` binary with flags, and `casebook serve` with the form a browser posts.

use crate::harness::Casebook;
use crate::serve::{get_with_key, post, serving};

/// The kind of entry, the web form's fields, and the command line's flags for the same
/// words.
type Tried<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [&'a str]);

/// The sentence the command line refused `args` with, without the flag or command it
/// adds in brackets at the end; the sentence itself names neither.
fn shared_sentence(cb: &Casebook, args: &[&str]) -> String {
    let line = cb.refused(args);
    let (sentence, hint) = line
        .rsplit_once(" (")
        .unwrap_or_else(|| panic!("{args:?}: no flag or command named in {line}"));
    assert!(hint.contains("--") || hint.contains('`'), "{line}");
    assert!(
        !sentence.contains("--") && !sentence.contains('`'),
        "{line}"
    );
    sentence.to_owned()
}

/// The page says `sentence` at the field and in the error summary, and names no flag.
fn shown_at_field(page: &str, sentence: &str, what: &str) {
    assert!(
        page.matches(sentence).count() >= 2,
        "{what}: the page does not say \"{sentence}\" at the field and in the summary:\n{page}"
    );
    assert!(!page.contains("given with --"), "{what}: {page}");
}

/// A page as a reader sees it: the quotation marks the template escaped, put back.
fn page_at(address: &str, key: &str, path: &str) -> String {
    String::from_utf8_lossy(&get_with_key(address, key, path))
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

#[test]
fn the_same_bad_words_are_refused_by_the_command_line_and_the_web_app_with_the_same_sentence() {
    let mut cb = Casebook::new().with_case();
    cb.today = "2026-04-20";
    let (_server, address, key, token) = serving(&cb);
    let before = cb.ok(&["--json", "timeline", "--all"]);

    let cases: [Tried<'_>; 12] = [
        (
            "incident",
            &[("date", "2026-02-30"), ("summary", "Pushed")],
            &[
                "incident",
                "--occurred",
                "2026-02-30",
                "--summary",
                "Pushed",
            ],
        ),
        (
            "incident",
            &[("date", "last Tuesday"), ("summary", "Pushed")],
            &[
                "incident",
                "--occurred",
                "last Tuesday",
                "--summary",
                "Pushed",
            ],
        ),
        (
            "incident",
            &[("date", "2026-04-01"), ("summary", "")],
            &["incident", "--occurred", "2026-04-01", "--summary", ""],
        ),
        (
            "incident",
            &[
                ("date", "2026-04-01"),
                ("summary", "Pushed"),
                ("category", "teasing-only"),
            ],
            &[
                "incident",
                "--occurred",
                "2026-04-01",
                "--summary",
                "Pushed",
                "--category",
                "teasing-only",
            ],
        ),
        (
            "incident",
            &[
                ("date", "2026-04-01"),
                ("summary", "Pushed"),
                ("reported_to", "Mr Nobody"),
            ],
            &[
                "incident",
                "--occurred",
                "2026-04-01",
                "--summary",
                "Pushed",
                "--reported-to",
                "Mr Nobody",
            ],
        ),
        (
            "absence",
            &[
                ("date", "2026-04-01"),
                ("summary", "Away"),
                ("reason", "holiday-in-spain"),
            ],
            &[
                "absence",
                "--occurred",
                "2026-04-01",
                "--summary",
                "Away",
                "--reason",
                "holiday-in-spain",
            ],
        ),
        (
            "absence",
            &[
                ("date", "2026-04-01"),
                ("summary", "Away"),
                ("reason", "illness"),
                ("until", "31/04/2026"),
            ],
            &[
                "absence",
                "--occurred",
                "2026-04-01",
                "--summary",
                "Away",
                "--reason",
                "illness",
                "--until",
                "31/04/2026",
            ],
        ),
        (
            "absence",
            &[
                ("date", "2026-04-01"),
                ("summary", "Sent home"),
                ("reason", "sent-home"),
                ("collected", "quarter to ten"),
            ],
            &[
                "absence",
                "--occurred",
                "2026-04-01",
                "--summary",
                "Sent home",
                "--reason",
                "sent-home",
                "--collected",
                "quarter to ten",
            ],
        ),
        (
            "absence",
            &[
                ("date", "2026-04-01"),
                ("summary", "Part-time timetable"),
                ("reason", "part-time-timetable"),
                ("review", "after Easter"),
            ],
            &[
                "absence",
                "--occurred",
                "2026-04-01",
                "--summary",
                "Part-time timetable",
                "--reason",
                "part-time-timetable",
                "--review",
                "after Easter",
            ],
        ),
        (
            "observation",
            &[
                ("date", "2026-04-01"),
                ("summary", "Quiet"),
                ("sign", "glowing"),
            ],
            &[
                "observation",
                "--occurred",
                "2026-04-01",
                "--summary",
                "Quiet",
                "--sign",
                "glowing",
            ],
        ),
        (
            "meeting",
            &[
                ("date", "2026-04-01"),
                ("summary", "With the SENCO"),
                ("attendees", "Ms Unknown"),
            ],
            &[
                "meeting",
                "--occurred",
                "2026-04-01",
                "--summary",
                "With the SENCO",
                "--attendee",
                "Ms Unknown",
            ],
        ),
        (
            "document",
            &[
                ("date", "2026-04-01"),
                ("summary", "A memo"),
                ("document_type", "memo"),
            ],
            &[
                "document",
                "--occurred",
                "2026-04-01",
                "--summary",
                "A memo",
                "--document-type",
                "memo",
            ],
        ),
    ];
    for (kind, fields, flags) in cases {
        let mut web = vec![("token", token.as_str())];
        web.extend_from_slice(fields);
        let page = post(&address, &key, &format!("/cases/sam/log/{kind}"), &web);
        assert!(
            page.starts_with("HTTP/1.1 422"),
            "{kind} {fields:?}: {page}"
        );
        let mut args = vec!["log"];
        args.extend_from_slice(flags);
        let sentence = shared_sentence(&cb, &args);
        shown_at_field(&page, &sentence, &format!("{kind} {fields:?}"));
    }
    assert_eq!(
        cb.ok(&["--json", "timeline", "--all"]),
        before,
        "a refused form changed the case"
    );

    // A deadline asked for: the same sentences, the page shows them at the field.
    for (query, flags) in [
        (
            "rule=subject-access&from=2026-02-30",
            &["subject-access", "--from", "2026-02-30"][..],
        ),
        ("rule=subject-access&from=", &["subject-access"][..]),
        (
            "rule=no-such-rule&from=2026-03-02",
            &["no-such-rule", "--from", "2026-03-02"][..],
        ),
        (
            "rule=subject-access&from=2026-03-02&certificate=2026-03-09",
            &[
                "subject-access",
                "--from",
                "2026-03-02",
                "--certificate",
                "2026-03-09",
            ][..],
        ),
    ] {
        let page = page_at(&address, &key, &format!("/cases/sam/deadlines?{query}"));
        assert!(page.starts_with("HTTP/1.1 422"), "{query}: {page}");
        let mut args = vec!["deadline"];
        args.extend_from_slice(flags);
        shown_at_field(&page, &shared_sentence(&cb, &args), query);
    }

    // The minutes check: a meeting that is not one, and a meeting with nobody from the
    // school recorded, so nobody to send the request to.
    // `casebook log` prints the new entry's id.
    let note = cb.ok(&[
        "log",
        "note",
        "--occurred",
        "2026-04-01",
        "--summary",
        "A note",
    ]);
    let meeting = cb.ok(&[
        "log",
        "meeting",
        "--occurred",
        "2026-04-02",
        "--summary",
        "With nobody from school",
        "--point",
        "Sam is scared of the lunch queue",
    ]);
    let minutes = cb.file("minutes.txt", "The meeting discussed the timetable.");
    for asked in ["e999", note.as_str(), meeting.as_str()] {
        let page = post(
            &address,
            &key,
            "/cases/sam/minutes",
            &[
                ("token", token.as_str()),
                ("meeting", asked),
                ("minutes_text", "The meeting discussed the timetable."),
            ],
        );
        assert!(page.starts_with("HTTP/1.1 422"), "{asked}: {page}");
        let sentence = shared_sentence(
            &cb,
            &[
                "minutes",
                "check",
                "--meeting",
                asked,
                "--minutes",
                &minutes,
            ],
        );
        shown_at_field(&page, &sentence, asked);
    }

    // A correction: without a reason, and one that changes nothing.
    for (summary, reason) in [("A note, corrected", ""), ("A note", "Checked it")] {
        let page = post(
            &address,
            &key,
            &format!("/cases/sam/entries/{note}/amend"),
            &[
                ("token", token.as_str()),
                ("summary", summary),
                ("reason", reason),
            ],
        );
        assert!(page.starts_with("HTTP/1.1 422"), "{summary}: {page}");
        let sentence = shared_sentence(
            &cb,
            &["amend", &note, "--summary", summary, "--reason", reason],
        );
        shown_at_field(&page, &sentence, summary);
    }

    // A letter: nobody to send it to, a proposed date that is not one, a copy to
    // nobody in the case, a reply needed before a date that is not one.
    for (query, flags) in [
        ("cc=p1", &["--cc", "p1"][..]),
        (
            "to=p1&propose=31%2F02%2F2027",
            &["--to", "p1", "--propose", "31/02/2027"][..],
        ),
        ("to=p1&cc=p99", &["--to", "p1", "--cc", "p99"][..]),
        (
            "to=p1&before=2027-13-01&before_what=the+exam",
            &[
                "--to",
                "p1",
                "--before",
                "2027-13-01",
                "--before-what",
                "the exam",
            ][..],
        ),
    ] {
        let page = page_at(
            &address,
            &key,
            &format!("/cases/sam/letters/request-meeting?{query}"),
        );
        let mut args = vec!["letter", "request-meeting"];
        args.extend_from_slice(flags);
        shown_at_field(&page, &shared_sentence(&cb, &args), query);
    }
}
