//! Deadlines, requests and next steps from the command line, on the England pack.

use crate::harness::Casebook;

fn westshire_terms() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../casebook-calendar/tests/fixtures/westshire-2026-27.ics"
    )
    .to_owned()
}

#[test]
fn the_rule_list_shows_every_rule_with_its_source() {
    // That the pack holds every rule SPEC section 8 names is casebook-rules' test;
    // here, that the command shows them all, each with its source.
    let cb = Casebook::new();
    let list = cb.ok(&["deadline", "--list"]);
    let rules = cb.json(&["deadline", "--list"]);
    let rules = rules.as_array().expect("array");
    assert!(rules.len() >= 17);
    for rule in rules {
        let id = rule["id"].as_str().expect("id");
        assert!(list.contains(id), "{id} missing from:\n{list}");
        assert!(
            rule["source"].as_str().is_some_and(|s| !s.is_empty()),
            "{rule}"
        );
    }
    assert!(
        list.contains("[verify]"),
        "figures not confirmed against the primary text are flagged"
    );
}

#[test]
fn a_deadline_prints_its_date_how_it_was_counted_and_its_source() {
    let cb = Casebook::new();
    let d = cb.json(&[
        "deadline",
        "ehc-assessment-decision",
        "--from",
        "2026-03-02",
    ]);
    assert_eq!(d["rule"], "ehc-assessment-decision");
    assert_eq!(d["from"], "2026-03-02");
    assert_eq!(d["due"], "2026-04-13");
    assert_eq!(d["unit"], "weeks");
    assert_eq!(d["estimate"], false);
    assert!(d["source"].as_str().is_some_and(|s| s.contains('5')), "{d}");
    assert!(d["explanation"].as_array().is_some_and(|e| !e.is_empty()));
    let text = cb.ok(&["deadline", "subject-access", "--from", "2026-03-06"]);
    assert!(
        text.starts_with("subject-access: Tuesday 7 April 2026"),
        "{text}"
    );
    assert!(text.contains("not a working day"), "{text}");
    let appeal = cb.json(&["deadline", "tribunal-appeal", "--from", "2026-06-10"]);
    assert_eq!(appeal["due"], "2026-09-01");
    let later = cb.json(&[
        "deadline",
        "tribunal-appeal",
        "--from",
        "2026-03-02",
        "--certificate",
        "2026-04-20",
    ]);
    assert_eq!(later["due"], "2026-05-20");
}

#[test]
fn school_days_use_the_case_term_dates_once_imported() {
    let cb = Casebook::new().with_case();
    let estimate = cb.json(&["deadline", "educational-record", "--from", "2026-10-16"]);
    assert_eq!(estimate["estimate"], true);
    let said = cb.ok(&["import", &westshire_terms()]);
    assert!(
        said.contains("Term dates for case \"sam\": 2 terms and 3 closures"),
        "{said}"
    );
    let exact = cb.json(&["deadline", "educational-record", "--from", "2026-10-16"]);
    assert_eq!(exact["due"], "2026-11-13");
    assert_eq!(exact["estimate"], false);
}

#[test]
fn bad_deadline_questions_are_refused_with_a_sentence() {
    let cb = Casebook::new().with_case();
    let said = cb.refused(&["deadline", "subject-acess", "--from", "2026-03-02"]);
    assert!(said.contains("did you mean subject-access"), "{said}");
    assert!(
        cb.refused(&["deadline", "foi", "--from", "2026-02-30"])
            .contains("not a real date")
    );
    let said = cb.refused(&["deadline", "foi"]);
    assert!(
        said.contains("needs the date the clock starts") && said.contains("--from"),
        "{said}"
    );
    std::fs::write(cb.path("notes.ics"), "just some notes").expect("write");
    assert!(
        cb.refused(&["import", "notes.ics"])
            .contains("not a calendar")
    );
    std::fs::write(cb.path("odd.ics"), "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261201\nDTEND;VALUE=DATE:20261101\nSUMMARY:Autumn term\nEND:VEVENT\nEND:VCALENDAR\n").expect("write");
    assert!(
        cb.refused(&["import", "odd.ics"])
            .contains("ends before it starts")
    );
    assert!(
        cb.refused(&[
            "deadline",
            "foi",
            "--from",
            "2026-03-02",
            "--terms",
            "notes.ics"
        ])
        .contains("not a calendar")
    );
}

#[test]
fn a_request_gets_its_due_date_goes_late_and_closes_when_answered() {
    let cb = Casebook::new().with_case();
    let said = cb.ok(&[
        "request",
        "subject-access",
        "--sent",
        "2026-03-06",
        "--to",
        "Mrs Patel",
    ]);
    assert!(
        said.starts_with("e1: the reply is due on Tuesday 7 April 2026"),
        "{said}"
    );
    // CASEBOOK_TODAY is 20 April 2026 in the harness.
    let next = cb.json(&["next"]);
    assert_eq!(next["late"][0]["entry"], "e1");
    assert_eq!(next["late"][0]["days"], 13);
    let ics = cb.ok(&["export", "--format", "ics"]);
    assert!(
        ics.contains("BEGIN:VCALENDAR") && ics.contains("DTSTART;VALUE=DATE:20260407"),
        "{ics}"
    );
    let uid = ics
        .lines()
        .find(|l| l.starts_with("UID:"))
        .expect("uid")
        .to_owned();
    cb.ok(&[
        "log",
        "email",
        "--occurred",
        "2026-04-21",
        "--summary",
        "Records arrived",
        "--direction",
        "received",
        "--answers",
        "e1",
    ]);
    assert_eq!(cb.json(&["next"])["late"].as_array().map(Vec::len), Some(0));
    let after = cb.ok(&["export", "--format", "ics"]);
    assert!(
        after.contains(&uid),
        "the same event is updated, not duplicated"
    );
    assert!(after.contains("STATUS:CANCELLED"));
}

#[test]
fn next_lists_what_to_confirm_and_what_the_family_is_waiting_for() {
    let cb = Casebook::new().with_case();
    cb.ok(&[
        "log",
        "call",
        "--occurred",
        "2026-04-14T09:00",
        "--summary",
        "Head said they are monitoring it",
        "--to",
        "Mrs Patel",
    ]);
    cb.ok(&[
        "log",
        "meeting",
        "--occurred",
        "2026-03-20",
        "--summary",
        "Asked for a meeting with the SENCO",
        "--requested",
    ]);
    let next = cb.json(&["next"]);
    assert_eq!(next["confirm"][0]["entry"], "e1");
    assert_eq!(next["confirm"][0]["letter"], "confirm-in-writing");
    assert_eq!(next["waiting"][0]["entry"], "e2");
    assert_eq!(next["waiting"][0]["days"], 31);
    for key in ["due", "late", "steps"] {
        assert!(next[key].is_array(), "{key} missing");
    }
    let text = cb.ok(&["next"]);
    assert!(
        text.contains("Confirm in writing") && text.contains("still waiting"),
        "{text}"
    );
    assert!(
        text.contains("IPSEA"),
        "independent advice is shown: {text}"
    );
}

#[test]
fn fifteen_school_days_of_illness_tell_the_family_what_the_council_should_do() {
    let cb = Casebook::new().with_case();
    cb.ok(&[
        "log",
        "absence",
        "--occurred",
        "2026-03-02",
        "--until",
        "2026-03-20",
        "--reason",
        "illness",
        "--summary",
        "Off with glandular fever",
    ]);
    let next = cb.json(&["next"]);
    let steps = next["steps"].as_array().expect("steps");
    assert!(
        steps.iter().any(|s| s["why"]
            .as_str()
            .is_some_and(|w| w.contains("missed 15 school days this school year through illness"))),
        "{next}"
    );
}

#[test]
fn escalation_follows_who_governs_the_school() {
    let steps = |kind: &str| -> Vec<String> {
        let cb = Casebook::new();
        cb.ok(&[
            "case",
            "new",
            "--slug",
            "a",
            "--child",
            "Sam",
            "--setting",
            "Hill School",
            "--setting-kind",
            kind,
        ]);
        cb.ok(&[
            "log",
            "decision",
            "--occurred",
            "2026-04-01",
            "--summary",
            "Complaint not upheld",
            "--by",
            "school",
            "--outcome",
            "not-upheld",
        ]);
        let next = cb.json(&["next"]);
        next["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .filter_map(|s| s["rule"].as_str().map(String::from))
            .collect()
    };
    let maintained = steps("maintained");
    assert!(
        maintained.contains(&"chair-of-governors".to_owned())
            && !maintained.contains(&"trust-board".to_owned()),
        "{maintained:?}"
    );
    assert!(maintained.contains(&"dfe-complaint".to_owned()));
    let academy = steps("academy");
    assert!(
        academy.contains(&"trust-board".to_owned())
            && !academy.contains(&"chair-of-governors".to_owned()),
        "{academy:?}"
    );
    let independent = steps("independent");
    assert!(
        independent.contains(&"proprietor".to_owned()),
        "{independent:?}"
    );
    assert!(
        !independent.contains(&"dfe-complaint".to_owned()),
        "the DfE does not hear independent school complaints"
    );
}

#[test]
fn a_complaint_uses_the_school_s_own_time_limit_when_given() {
    let cb = Casebook::new().with_case();
    cb.ok(&["import", &westshire_terms()]);
    // Received in the half-term: counted from Monday 2 November; the school's policy
    // gives 5 school days: Monday 9 November.
    let own = cb.json(&[
        "request",
        "complaint-stage-1-response",
        "--sent",
        "2026-10-27",
        "--to",
        "Mrs Patel",
        "--limit",
        "5 school-days",
    ]);
    assert_eq!(own["due"], "2026-11-09");
    assert_eq!(own["estimate"], false);
    let typical = cb.json(&[
        "request",
        "complaint-stage-1-response",
        "--sent",
        "2026-10-27",
        "--to",
        "Mrs Patel",
    ]);
    assert_eq!(typical["due"], "2026-11-16");
    assert_eq!(typical["estimate"], true, "the common figure was assumed");
    assert!(
        cb.refused(&[
            "request",
            "subject-access",
            "--sent",
            "2026-10-27",
            "--to",
            "Mrs Patel",
            "--limit",
            "5 school-days"
        ])
        .contains("not set by")
    );
    assert!(
        cb.refused(&[
            "request",
            "complaint-stage-1-response",
            "--sent",
            "2026-10-27",
            "--to",
            "p1",
            "--limit",
            "five days"
        ])
        .contains("is not a time limit")
    );
}
