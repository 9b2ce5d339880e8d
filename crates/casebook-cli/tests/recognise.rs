//! Decisions found in imported mail: suggested, never logged until the family says so;
//! accepted, they start their clocks and close the request they answer; dismissed, they
//! stay dismissed. Dates counted by hand from the rules' wording.

use crate::harness::Casebook;

/// A case on 10 March 2026 with the council's SEN officer (p4) and the family's request
/// for an assessment of 20 January (e1).
fn case_with_council() -> Casebook {
    let mut cb = Casebook::new();
    cb.today = "2026-03-10";
    let cb = cb.with_case();
    cb.ok(&[
        "person",
        "add",
        "--name",
        "Priya Shah",
        "--role",
        "la-sen-officer",
        "--email",
        "sen.team@northshire.gov.uk",
    ]);
    cb.ok(&[
        "request",
        "ehc-assessment-decision",
        "--sent",
        "2026-01-20",
        "--to",
        "p4",
    ]);
    cb
}

const MAILBOX: &str = "From sen.team@northshire.gov.uk Wed Jan 21 09:00:00 2026
From: SEN Team <sen.team@northshire.gov.uk>
To: Jo Taylor <jo@example.org>
Subject: Your request for an EHC needs assessment
Date: Wed, 21 Jan 2026 09:00:00 +0000
Message-ID: <ack@northshire.gov.uk>

Dear Ms Taylor,

Thank you for your request. We will decide within six weeks whether to carry out
an EHC needs assessment for Sam, and write to you then.

SEN Team

From jo@example.org Wed Mar 04 20:00:00 2026
From: Jo Taylor <jo@example.org>
To: SEN Team <sen.team@northshire.gov.uk>
Subject: Re: Sam Taylor - decision
Date: Wed, 4 Mar 2026 20:00:00 +0000
Message-ID: <reply@example.org>

I was very sorry to read that you have decided not to carry out an EHC needs
assessment for Sam. I will be asking for mediation.

Jo

From sen.team@northshire.gov.uk Tue Mar 03 16:20:00 2026
From: Priya Shah <sen.team@northshire.gov.uk>
To: Jo Taylor <jo@example.org>
Subject: Sam Taylor - decision
Date: Tue, 3 Mar 2026 16:20:00 +0000
Message-ID: <decision@northshire.gov.uk>

Dear Ms Taylor,

The SEN panel met on 26 February 2026. Having considered the evidence, we have
decided not to carry out an Education, Health and Care needs assessment for Sam
at this time.

You can appeal to the First-tier Tribunal (SEND); before you appeal you must
contact the mediation adviser.

Priya Shah
SEN Officer
";

#[test]
fn a_refusal_in_the_mail_leaves_the_appeal_date_after_one_confirmation() {
    let cb = case_with_council();
    let mailbox = cb.file("mail.mbox", MAILBOX);
    let imported = cb.ok(&["import", &mailbox, "--me", "jo@example.org"]);
    assert!(imported.contains("casebook found a decision"), "{imported}");
    // The council's reply of 21 January, the family's own email and the decision: only
    // the decision is suggested, and nothing is logged yet.
    let found = cb.json(&["recognise", "--json"]);
    let found = found.as_array().expect("a list");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["kind"], "refusal-to-assess");
    assert_eq!(found[0]["date"], "2026-03-03");
    let message = found[0]["message"].as_str().expect("an entry").to_owned();
    assert_eq!(found[0]["answers"], "e1");
    let entries = cb.json(&["timeline", "--json"]).as_array().map(Vec::len);
    let next = cb.json(&["next", "--json"]);
    assert_eq!(next["suggestions"][0]["kind"], "refusal-to-assess");
    // Two months from 3 March 2026 is Sunday 3 May; Monday 4 May is the Early May bank
    // holiday; the appeal moves to the next working day (HESC Rules r.12(2)).
    let appeal = &found[0]["starts"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["rule"] == "tribunal-appeal")
        .expect("the appeal")["due"];
    assert_eq!(appeal, "2026-05-05");

    let logged = cb.ok(&["recognise", "accept", &message]);
    let next = cb.json(&["next", "--json"]);
    assert!(next["suggestions"].as_array().expect("a list").is_empty());
    let steps = next["steps"].as_array().expect("steps");
    let appeal = steps
        .iter()
        .find(|s| s["rule"] == "tribunal-appeal")
        .expect("the appeal is open");
    assert_eq!(appeal["due"], "2026-05-05");
    assert_eq!(appeal["entry"], logged);
    assert!(steps.iter().any(|s| s["rule"] == "mediation-contact"));
    // The request is answered, on time: nothing late, no Ombudsman.
    assert!(next["late"].as_array().expect("late").is_empty(), "{next}");
    assert!(!steps.iter().any(|s| s["rule"] == "lgsco-complaint"));
    let timeline = cb.json(&["timeline", "--json"]);
    let timeline = timeline.as_array().expect("entries");
    assert_eq!(Some(timeline.len()), entries.map(|n| n + 1));
    let decision = timeline
        .iter()
        .find(|e| e["id"] == logged)
        .expect("the decision");
    assert_eq!(decision["kind"], "decision");
    assert_eq!(decision["occurred"], "2026-03-03");
    let links = decision["links"].to_string();
    assert!(links.contains(&message) && links.contains("e1"), "{links}");

    // Accepted once: a second time is refused and changes nothing.
    let again = cb.refused(&["recognise", "accept", &message]);
    assert!(again.contains("Nothing in that message"), "{again}");
    cb.refused(&["recognise", "accept", "e999"]);
    let unknown = cb.refused(&["recognise", "dismiss", "e2", "no-such-kind"]);
    assert!(
        unknown.contains("Nothing in that message") || unknown.contains("no open suggestion"),
        "{unknown}"
    );
    cb.refused(&["recognise", "dismiss", "sam"]);
}

#[test]
fn an_invitation_is_a_meeting_and_a_dismissal_is_kept() {
    let cb = case_with_council();
    let mail = "From head@oakfield.example Tue Mar 03 08:00:00 2026
From: Mrs Patel <head@oakfield.example>
To: Jo Taylor <jo@example.org>
Subject: Meeting about Sam
Date: Tue, 3 Mar 2026 08:00:00 +0000
Message-ID: <invite@oakfield.example>

Dear Ms Taylor,

I would like to invite you to a meeting on Tuesday 17 March 2026 at 2.30pm to talk
about Sam's support.

Mrs Patel

From head@oakfield.example Wed Mar 04 08:00:00 2026
From: Mrs Patel <head@oakfield.example>
To: Jo Taylor <jo@example.org>
Subject: Parents' forum
Date: Wed, 4 Mar 2026 08:00:00 +0000
Message-ID: <forum@oakfield.example>

Dear Ms Taylor,

The parents' forum meeting will be held on 24 March 2026 at 6pm in the hall.

Mrs Patel
";
    let mailbox = cb.file("mail.mbox", mail);
    cb.ok(&["import", &mailbox, "--me", "jo@example.org"]);
    let found = cb.json(&["recognise", "--json"]);
    let found = found.as_array().expect("a list");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0]["kind"], "meeting-invitation");
    assert_eq!(found[0]["date"], "2026-03-17");
    assert_eq!(found[0]["when"], "17 March 2026 at 14:30");
    let invitation = found[0]["message"].as_str().expect("an entry").to_owned();
    let forum = found[1]["message"].as_str().expect("an entry").to_owned();

    let meeting = cb.ok(&["recognise", "accept", &invitation, "meeting-invitation"]);
    cb.ok(&["recognise", "dismiss", &forum]);
    assert_eq!(cb.json(&["recognise", "--json"]), serde_json::json!([]));
    let timeline = cb.json(&["timeline", "--json"]);
    let timeline = timeline.as_array().expect("entries");
    let logged = timeline
        .iter()
        .find(|e| e["id"] == meeting)
        .expect("the meeting");
    assert_eq!(logged["kind"], "meeting");
    assert_eq!(logged["occurred"], "2026-03-17T14:30");
    assert!(timeline.iter().any(|e| {
        e["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("Read and not logged"))
    }));
    // A meeting not yet held has nothing to confirm in writing.
    let next = cb.json(&["next", "--json"]);
    assert!(!next["confirm"].to_string().contains(&meeting), "{next}");
}

/// The governors' letter refusing reinstatement, posted and then logged by the family:
/// it is treated as given on the second working day after posting (School Discipline
/// (Pupil Exclusions and Reviews) (England) Regulations 2012 Sch 1 para 1(2)). Posted on
/// Thursday 5 March 2026: Friday 6 March is the first working day after it, Monday 9
/// March the second. Accepted, it opens the application for an independent review panel
/// and ends the governors' own review step.
#[test]
fn a_posted_governors_letter_is_served_two_working_days_later() {
    let mut cb = Casebook::new();
    cb.today = "2026-03-12";
    let cb = cb.with_case();
    cb.ok(&[
        "log",
        "absence",
        "--occurred",
        "2026-02-20",
        "--summary",
        "Permanently excluded",
        "--reason",
        "exclusion",
    ]);
    let before = cb.json(&["next", "--json"]);
    assert!(
        before["steps"]
            .to_string()
            .contains("exclusion-governors-review"),
        "{before}"
    );
    let letter = cb.file(
        "governors.txt",
        "Oakfield Primary School\nThursday 5 March 2026\n\nDear Ms Taylor,\n\nThe Pupil Discipline Committee met on 3 March 2026. Having considered all the evidence, the committee decided not to reinstate Sam, and the permanent exclusion stands.\n\nYou may apply for an independent review of this decision.\n\nThis letter has been sent to you by first class post.\n",
    );
    let logged = cb.ok(&[
        "log",
        "document",
        "--occurred",
        "2026-03-10",
        "--summary",
        "Letter from the governors",
        "--document-type",
        "decision-letter",
        "--attach",
        &letter,
    ]);
    let found = cb.json(&["recognise", "--json"]);
    let found = found.as_array().expect("a list");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["kind"], "reinstatement-refused");
    assert_eq!(found[0]["message"], logged);
    assert_eq!(found[0]["date"], "2026-03-09");
    assert!(
        found[0]["dated"]
            .as_str()
            .is_some_and(|d| d.contains("posted on 5 March 2026"))
    );
    let decision = cb.ok(&["recognise", "accept", &logged]);
    let next = cb.json(&["next", "--json"]);
    let steps = next["steps"].as_array().expect("steps");
    let panel = steps
        .iter()
        .find(|s| s["rule"] == "exclusion-review-panel-application")
        .expect("the review panel");
    assert_eq!(panel["entry"], decision);
    assert!(
        !steps
            .iter()
            .any(|s| s["rule"] == "exclusion-governors-review"),
        "{next}"
    );
    // The same application counted by `casebook deadline` from the day it was given.
    let counted = cb.json(&[
        "deadline",
        "exclusion-review-panel-application",
        "--from",
        "2026-03-09",
        "--json",
    ]);
    assert!(counted["due"].is_string(), "{counted}");
    assert_eq!(panel["due"], counted["due"]);
}

/// A letter the family logged as what it is (a penalty notice as a penalty notice) is
/// not offered to them again as itself.
#[test]
fn a_notice_logged_as_itself_is_not_suggested_again() {
    let mut cb = Casebook::new();
    cb.today = "2026-03-12";
    let cb = cb.with_case();
    let notice = cb.file(
        "notice.txt",
        "Exampleshire County Council\n2 March 2026\n\nDear Ms Taylor,\n\nA penalty notice has been issued to you for Sam's absence from 9 to 13 February 2026.\n",
    );
    for (document_type, day) in [
        ("notice:penalty", "2026-03-04"),
        ("decision-letter", "2026-03-05"),
    ] {
        cb.ok(&[
            "log",
            "document",
            "--occurred",
            day,
            "--summary",
            "Penalty notice",
            "--document-type",
            document_type,
            "--attach",
            &notice,
        ]);
    }
    // The one logged as a letter is offered (on another day: the same notice logged by
    // hand on the same day would settle it); the one logged as the notice is not.
    let found = cb.json(&["recognise", "--json"]);
    let found = found.as_array().expect("a list");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["message"], "e2");
    assert_eq!(found[0]["kind"], "penalty-notice");
}
