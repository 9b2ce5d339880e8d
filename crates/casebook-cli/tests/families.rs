//! The families of SPEC section 10, as a family types their case, checked against what
//! an adviser would tell them. Every date here was counted by hand from the provision's
//! wording (docs/RULES.md says how).

use crate::harness::Casebook;

/// F1: the council refuses an EHC needs assessment. The route is the mediation adviser
/// and the tribunal appeal, each with its last day; never the school's governors or
/// Ofsted. The same whether the refusal answers the logged request or stands alone.
#[test]
fn f1_a_council_s_refusal_to_assess_leads_to_mediation_and_appeal_with_their_dates() {
    for answers in [true, false] {
        let mut cb = Casebook::new();
        cb.today = "2026-03-10";
        cb.ok(&[
            "case",
            "new",
            "--slug",
            "f1",
            "--child",
            "Sam Taylor",
            "--setting",
            "Oakfield Primary",
            "--setting-kind",
            "maintained",
            "--need",
            "autism",
        ]);
        cb.ok(&[
            "person",
            "add",
            "--name",
            "Ms Reid",
            "--role",
            "la-sen-officer",
            "--email",
            "sen@council.example",
        ]);
        cb.ok(&[
            "request",
            "ehc-assessment-decision",
            "--sent",
            "2026-01-12",
            "--to",
            "Ms Reid",
        ]);
        let mut decision = vec![
            "log",
            "decision",
            "--occurred",
            "2026-03-02",
            "--summary",
            "The council refused to assess",
            "--by",
            "council",
            "--outcome",
            "refused",
        ];
        if answers {
            decision.extend(["--answers", "e1"]);
        }
        cb.ok(&decision);
        let next = cb.ok(&["next"]);
        assert!(next.contains("(mediation-contact)"), "{next}");
        assert!(next.contains("(tribunal-appeal)"), "{next}");
        // 2 months from the decision letter of Monday 2 March is Saturday 2 May; the
        // tribunal's r.12(2) moves it to the next working day, past the bank holiday on
        // Monday 4 May.
        assert!(next.contains("By: Tuesday 5 May 2026"), "{next}");
        // Mediation: 2 months from the decision, with no roll in the pack.
        assert!(next.contains("By: Saturday 2 May 2026"), "{next}");
        for wrong in ["chair of governors", "Ofsted", "governing board"] {
            assert!(!next.contains(wrong), "answers {answers}: {wrong}: {next}");
        }
    }
}

/// F2 and F4: a child kept away by anxiety or bullying, still away. The absence runs on
/// to today, so the school days are counted up to today, and at 15 the council's
/// section 19 duty is raised with its letter; the same absence of one day is not.
#[test]
fn f2_f4_an_absence_still_going_on_raises_the_council_s_section_19_duty() {
    for (reason, ongoing) in [
        ("bullying-related", true),
        ("mental-health", true),
        ("bullying-related", false),
    ] {
        let mut cb = Casebook::new();
        cb.today = "2026-10-12";
        cb.ok(&[
            "case",
            "new",
            "--slug",
            "f4",
            "--child",
            "Sam Taylor",
            "--setting",
            "Oakfield Primary",
            "--setting-kind",
            "maintained",
        ]);
        let mut absence = vec![
            "log",
            "absence",
            "--occurred",
            "2026-09-07",
            "--summary",
            "Not in school since the incident in the toilets",
            "--reason",
            reason,
        ];
        if ongoing {
            absence.push("--ongoing");
        }
        cb.ok(&absence);
        let next = cb.ok(&["next"]);
        if ongoing {
            // Monday 7 September to Monday 12 October 2026: 26 weekdays, all in term in a
            // typical school year, no bank holiday among them.
            assert!(next.contains("missed 26 school days"), "{reason}: {next}");
            assert!(next.contains("(health-needs-education)"), "{next}");
            assert!(next.contains("Letter: section-19-request"), "{next}");
        } else {
            assert!(!next.contains("(health-needs-education)"), "{next}");
        }
    }
}

/// F1: three staff against one parent. Each attendee sits on the side their role sits on
/// unless told otherwise, so the meeting shows three for the school and one for the
/// family; a mediation adviser and a mediator are people a family can add.
#[test]
fn f1_a_meeting_shows_three_for_the_school_and_one_for_the_family() {
    let cb = Casebook::new().with_case();
    for (name, role) in [
        ("Mrs Lee", "class-teacher"),
        ("Ms Khan", "senco"),
        ("Mr Ode", "senco"),
        ("Jo Taylor", "family-member"),
        ("Ms Hart", "mediation-adviser"),
        ("Mr Gray", "mediator"),
    ] {
        cb.ok(&["person", "add", "--name", name, "--role", role]);
    }
    cb.ok(&[
        "log",
        "meeting",
        "--occurred",
        "2026-04-14",
        "--summary",
        "Meeting to share the one-page profile",
        "--attendee",
        "Mrs Lee",
        "--attendee",
        "Ms Khan",
        "--attendee",
        "Mr Ode",
        "--attendee",
        "Jo Taylor",
    ]);
    let meetings = cb.json(&["timeline", "--kind", "meeting"]);
    let sides: Vec<&str> = meetings[0]["facts"]["attendees"]
        .as_array()
        .expect("attendees")
        .iter()
        .filter_map(|a| a["side"].as_str())
        .collect();
    assert_eq!(
        sides,
        ["school", "school", "school", "family"],
        "{meetings}"
    );
}

fn cornered_in_the_toilets(cb: &Casebook, day: &str) {
    cb.ok(&[
        "log",
        "incident",
        "--occurred",
        day,
        "--summary",
        "Cornered in the toilets",
        "--category",
        "physical",
    ]);
}

/// F0: incidents logged for months and no policy on file. `next` asks for the behaviour
/// and anti-bullying policy, with its letter, until a policy is in the case.
#[test]
fn f0_incidents_and_no_policy_held_lead_to_asking_for_the_policies() {
    let cb = Casebook::new().with_case();
    for day in ["2026-03-02", "2026-03-09", "2026-03-16"] {
        cornered_in_the_toilets(&cb, day);
    }
    // A refusal answers a request, and an absence alone can be still going on: given to
    // anything else, each is refused with a sentence and changes nothing.
    let said = cb.refused(&[
        "log",
        "decision",
        "--occurred",
        "2026-03-18",
        "--summary",
        "Not upheld",
        "--by",
        "school",
        "--outcome",
        "not-upheld",
        "--answers",
        "e1",
    ]);
    assert!(said.contains("only a request can be answered"), "{said}");
    let said = cb.refused(&[
        "log",
        "incident",
        "--occurred",
        "2026-03-18",
        "--summary",
        "Pushed",
        "--ongoing",
    ]);
    assert!(
        said.contains("--ongoing does not apply to an incident"),
        "{said}"
    );
    let next = cb.ok(&["next"]);
    assert!(next.contains("(ask-for-policies)"), "{next}");
    assert!(next.contains("3 incidents are logged"), "{next}");
    assert!(next.contains("Letter: request-policies"), "{next}");
    // Once the request is sent, it is waited for, not offered again.
    let asked = Casebook::new().with_case();
    cornered_in_the_toilets(&asked, "2026-03-02");
    asked.ok(&[
        "letter",
        "request-policies",
        "--to",
        "Mrs Patel",
        "--sent",
        "2026-03-23",
    ]);
    let next = asked.ok(&["next"]);
    assert!(!next.contains("(ask-for-policies)"), "{next}");
    cb.ok(&[
        "log",
        "document",
        "--occurred",
        "2026-03-20",
        "--summary",
        "The school's anti-bullying policy",
        "--document-type",
        "policy:anti-bullying",
    ]);
    let next = cb.ok(&["next"]);
    assert!(!next.contains("(ask-for-policies)"), "{next}");
}
