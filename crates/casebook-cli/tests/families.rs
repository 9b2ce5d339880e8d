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
        let cb = case_at("2026-03-10", &["--need", "autism"]);
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
        let mut decision = decided(
            "2026-03-02",
            "The council refused to assess",
            "council",
            "refused",
        );
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
/// section 19 duty is raised with its letter, and an EHC needs assessment request; the
/// same absence of one day raises neither.
#[test]
fn f2_f4_an_absence_still_going_on_raises_the_council_s_section_19_duty() {
    for (reason, ongoing) in [
        ("bullying-related", true),
        ("mental-health", true),
        ("bullying-related", false),
    ] {
        let cb = case_at("2026-10-12", &[]);
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
            // A child who cannot attend may have special educational needs.
            assert!(next.contains("(ehc-assessment-request)"), "{next}");
            assert!(next.contains("Sam has missed 26 school days"), "{next}");
        } else {
            assert!(!next.contains("(health-needs-education)"), "{next}");
            assert!(!next.contains("(ehc-assessment-request)"), "{next}");
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

/// The other child corners Sam, at `place`.
fn cornered(cb: &Casebook, day: &str, place: &str) {
    cb.ok(&[
        "log",
        "incident",
        "--occurred",
        day,
        "--summary",
        "Jordan Smith cornered Sam",
        "--category",
        "physical",
        "--place",
        place,
        "--involved",
        "Jordan Smith",
    ]);
}

fn cornered_in_the_toilets(cb: &Casebook, day: &str) {
    cornered(cb, day, "toilets");
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
    let mut not_upheld = decided("2026-03-18", "Not upheld", "school", "not-upheld");
    not_upheld.extend(["--answers", "e1"]);
    let said = cb.refused(&not_upheld);
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
        said.contains("An absence still going on does not go with an incident")
            && said.contains("--ongoing"),
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
    received(
        &cb,
        "2026-03-20",
        "The school's anti-bullying policy",
        "policy:anti-bullying",
    );
    let next = cb.ok(&["next"]);
    assert!(!next.contains("(ask-for-policies)"), "{next}");
}

/// `casebook log decision` with its date, summary, who decided and the outcome.
fn decided<'a>(day: &'a str, summary: &'a str, by: &'a str, outcome: &'a str) -> Vec<&'a str> {
    vec![
        "log",
        "decision",
        "--occurred",
        day,
        "--summary",
        summary,
        "--by",
        by,
        "--outcome",
        outcome,
    ]
}

/// A family's case as of `today`, made with more of `casebook case new`'s options.
pub(crate) fn case_at(today: &'static str, more: &[&str]) -> Casebook {
    Casebook {
        today,
        ..Casebook::new()
    }
    .with_case_of(more)
}

/// A letter the family received, logged as a document of `kind`.
pub(crate) fn received(cb: &Casebook, on: &str, summary: &str, kind: &str) {
    cb.ok(&[
        "log",
        "document",
        "--occurred",
        on,
        "--summary",
        summary,
        "--document-type",
        kind,
    ]);
}

/// A formal complaint to the head teacher on Wednesday 4 March 2026.
fn complain_to_the_head(cb: &Casebook) {
    cb.ok(&[
        "request",
        "complaint-stage-1-response",
        "--sent",
        "2026-03-04",
        "--to",
        "Mrs Patel",
        "--summary",
        "Formal complaint about the bullying in the toilets",
    ]);
}

/// The rules `next` opens, in order.
fn steps(cb: &Casebook) -> Vec<String> {
    cb.json(&["next"])["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["rule"].as_str().map(String::from))
        .collect()
}

/// F0: a school with no governing board. Before anything is written, the first report
/// goes to the class teacher or pastoral lead. When the head's answer to the complaint
/// is late, and again when the complaint is not upheld, the way up skips governors: the
/// council's complaints procedure, then the DfE, Ofsted and the MP. The same school
/// under an interim executive board goes to that board; under its own board, to the
/// chair of governors.
#[test]
fn f0_a_school_with_no_governing_board_escalates_to_the_council_not_to_governors() {
    let cb = case_at("2026-03-04", &["--governance", "neither"]);
    cornered_in_the_toilets(&cb, "2026-03-02");
    let first = steps(&cb);
    assert!(
        first.contains(&"report-to-pastoral-lead".into()),
        "{first:?}"
    );
    let mut cb = cb;
    complain_to_the_head(&cb);
    // Ten school days from Thursday 5 March (the next school day) in a typical year:
    // 5-6 (2), 9-13 (7), 16-18 March (10). Late from Thursday 19 March.
    cb.today = "2026-03-20";
    let late = steps(&cb);
    assert!(late.contains(&"council-complaint".into()), "{late:?}");
    assert!(
        !late.contains(&"report-to-pastoral-lead".into()),
        "written already: {late:?}"
    );
    cb.ok(&decided(
        "2026-03-25",
        "The head did not uphold the complaint",
        "school",
        "not-upheld",
    ));
    cb.today = "2026-03-26";
    let refused = steps(&cb);
    for expected in [
        "council-complaint",
        "dfe-complaint",
        "ofsted-complaint",
        "write-to-mp",
    ] {
        assert!(
            refused.contains(&expected.into()),
            "{expected}: {refused:?}"
        );
    }
    for wrong in [
        "chair-of-governors",
        "complaint-stage-2-panel",
        "trust-board",
        "interim-executive-board",
    ] {
        assert!(!refused.contains(&wrong.into()), "{wrong}: {refused:?}");
    }
    let next = cb.ok(&["next"]);
    assert!(!next.contains("Write to the chair of governors"), "{next}");
    assert!(next.contains("Letter: council-complaint"), "{next}");

    for (governance, above) in [
        ("interim-executive-board", "interim-executive-board"),
        ("governing-board", "chair-of-governors"),
    ] {
        let mut other = case_at("2026-03-04", &["--governance", governance]);
        cornered_in_the_toilets(&other, "2026-03-02");
        complain_to_the_head(&other);
        other.today = "2026-03-20";
        let late = steps(&other);
        assert!(late.contains(&above.into()), "{governance}: {late:?}");
        assert!(!late.contains(&"council-complaint".into()), "{late:?}");
    }
}

/// F0: the family met the council's officer and raised their points; the minutes that
/// came back leave two of them out. `next` asks for the minutes to be amended, with the
/// number left out, until a letter about that meeting is sent. A class teacher's reply
/// that is late goes one rung up, to the head.
#[test]
fn f0_minutes_that_leave_out_the_family_s_points_lead_to_a_request_to_amend_them() {
    let mut cb = case_at("2026-05-11", &["--governance", "neither"]);
    cb.council_meeting(&[
        "Sam was spat at in a toilet cubicle on 12 March",
        "Sam's ICT work was deleted twice in February",
        "Sam asked for a safe place to go at lunchtime",
    ]);
    let minutes = cb.file(
        "minutes.txt",
        "Minutes of the meeting of 20 April 2026.\n\nPresent: Mr Hale, Mrs Taylor.\n\nMrs Taylor asked for a safe place for Sam to go at lunchtime. Mr Hale agreed to ask the school.\n",
    );
    cb.ok(&[
        "log",
        "document",
        "--occurred",
        "2026-05-01",
        "--summary",
        "Minutes from the council",
        "--document-type",
        "minutes",
        "--minutes-of",
        "e1",
        "--attach",
        &minutes,
    ]);
    let next = cb.ok(&["next"]);
    assert!(next.contains("(amend-minutes)"), "{next}");
    assert!(
        next.contains("The minutes of the meeting on 20 April 2026 leave out or change 2 of the points you raised."),
        "{next}"
    );
    assert!(next.contains("Letter: amend-minutes"), "{next}");
    // Once a letter about the meeting is sent, it is waited for, not offered again.
    cb.ok(&[
        "letter",
        "amend-minutes",
        "--to",
        "Mr Hale",
        "--about",
        "e1",
        "--sent",
        "2026-05-11",
    ]);
    assert!(!steps(&cb).contains(&"amend-minutes".into()));

    // A class teacher who does not answer: the next rung is a formal complaint to the
    // head, within 3 months of the last incident (Tuesday 28 April: Tuesday 28 July).
    cornered_in_the_toilets(&cb, "2026-04-28");
    cb.ok(&[
        "log",
        "request",
        "--occurred",
        "2026-05-11",
        "--due",
        "2026-05-18",
        "--to",
        "Mr Jones",
        "--summary",
        "Asked what will be done about the toilets",
    ]);
    cb.today = "2026-05-26";
    let next = cb.ok(&["next"]);
    assert!(next.contains("(complaint-raise)"), "{next}");
    assert!(next.contains("By: Tuesday 28 July 2026"), "{next}");
    // Minutes whose file has gone from the attachments folder are passed over: what to
    // do now still answers for the whole case.
    let timeline = cb.json(&["timeline"]);
    let sha = timeline
        .as_array()
        .expect("entries")
        .iter()
        .find(|i| i["id"] == "e2")
        .and_then(|i| i["attachments"][0]["sha256"].as_str())
        .expect("the minutes' file")
        .to_owned();
    std::fs::remove_file(crate::bundle::casebook_domain_path(&cb, &sha)).expect("removed");
    assert!(cb.ok(&["next"]).contains("(complaint-raise)"));
}

/// F3: a meeting asked for two months ago and "too busy". `next` shows how long the
/// family has waited and opens the firmer letter once the 5 school days its request
/// allowed have passed (counted by hand: asked Monday 2 March 2026, reply due Monday 9
/// March); the child's recorded needs open the SEN policy request, SEN support and
/// its review meeting, and an EHC needs assessment request that needs no diagnosis.
#[test]
fn f3_a_meeting_asked_for_and_not_held_leads_to_a_firmer_letter() {
    let mut cb = case_at(
        "2026-03-06",
        &["--need", "selective mutism", "--need", "anxiety"],
    );
    cb.ok(&[
        "log",
        "meeting",
        "--occurred",
        "2026-03-02",
        "--summary",
        "Asked Mr Jones for a meeting about the lessons Sam dreads",
        "--requested",
        "--attendee",
        "Mr Jones",
    ]);
    let early = steps(&cb);
    assert!(
        !early.contains(&"meeting-request-reply".into()),
        "not yet past the reply date: {early:?}"
    );
    cb.today = "2026-05-04";
    let next = cb.ok(&["next"]);
    assert!(next.contains("(meeting-request-reply)"), "{next}");
    assert!(
        next.contains(
            "You asked for a meeting on 2 March 2026 (63 days ago); a reply was due by 9 March 2026"
        ),
        "{next}"
    );
    assert!(next.contains("Letter: request-meeting"), "{next}");
    for step in [
        "ask-for-sen-policy",
        "sen-support-review",
        "ehc-assessment-request",
    ] {
        assert!(next.contains(&format!("({step})")), "{step}: {next}");
    }
    assert!(next.contains("no diagnosis is needed"), "{next}");
    // The meeting held closes it.
    cb.ok(&[
        "log",
        "meeting",
        "--occurred",
        "2026-05-05",
        "--summary",
        "Meeting with Mr Jones",
        "--attendee",
        "Mr Jones",
    ]);
    assert!(!steps(&cb).contains(&"meeting-request-reply".into()));
}

/// F4: a warning of prosecution for absence is answered with the attendance and medical
/// evidence, and the MP told; a penalty notice also shows the last day for each rate,
/// counted from the day it was received ("the period of 21 days beginning with the date
/// on which the notice is received": received Monday 2 March 2026, £80 until Sunday 22
/// March, £160 until Sunday 29 March).
#[test]
fn f4_a_prosecution_warning_is_answered_with_the_evidence() {
    let cb = case_at("2026-03-04", &[]);
    received(
        &cb,
        "2026-03-02",
        "Letter from the attendance team warning of prosecution",
        "notice:attendance-warning",
    );
    let next = cb.ok(&["next"]);
    assert!(next.contains("(answer-attendance-warning)"), "{next}");
    assert!(next.contains("Letter: penalty-notice-response"), "{next}");
    assert!(next.contains("(write-to-mp)"), "{next}");
    assert!(next.contains("s.444(3)"), "{next}");
    assert!(!next.contains("(penalty-notice-reduced)"), "{next}");
    received(&cb, "2026-03-02", "Penalty notice", "notice:penalty");
    let next = cb.ok(&["next"]);
    assert!(next.contains("(penalty-notice-reduced)"), "{next}");
    assert!(next.contains("By: Sunday 22 March 2026"), "{next}");
    assert!(next.contains("By: Sunday 29 March 2026"), "{next}");
}

/// An action agreed at a meeting is chased once its date passes with nothing sent about
/// the meeting since; a note sent after the date closes it.
#[test]
fn an_agreed_action_past_its_date_is_chased() {
    let mut cb = case_at("2026-03-20", &[]);
    cb.ok(&[
        "log",
        "meeting",
        "--occurred",
        "2026-03-09",
        "--summary",
        "Meeting with Mrs Patel",
        "--attendee",
        "Mrs Patel",
        "--action",
        "Send the support plan; Mrs Patel; 2026-03-17",
    ]);
    let next = cb.ok(&["next"]);
    assert!(next.contains("(chase-agreed-action)"), "{next}");
    assert!(
        next.contains("it was agreed: Send the support plan, by 17 March 2026"),
        "{next}"
    );
    cb.ok(&[
        "letter",
        "confirm-in-writing",
        "--to",
        "Mrs Patel",
        "--about",
        "e1",
        "--sent",
        "2026-03-20",
    ]);
    cb.today = "2026-03-23";
    assert!(!steps(&cb).contains(&"chase-agreed-action".into()));
}

/// F0: two years of incidents, mostly in the toilets, by one child; the head proposes
/// "mediation" between the boys. The tone check catches a judgement of the other child
/// and an insult to the head; the letter declining mediation asks for a plan to keep
/// him safe and names no child; the bundle counts the incidents by place and over time,
/// with the toilets first, and the other child only ever as "Child A".
#[test]
fn f0_the_family_s_letters_stay_calm_and_the_bundle_shows_the_toilets() {
    let cb = case_at("2026-03-26", &["--governance", "neither"]);
    for (day, place) in [
        ("2024-03-12", "toilets"),
        ("2025-06-03", "toilets"),
        ("2025-11-18", "lunch queue"),
        ("2026-02-10", "toilets"),
        ("2026-03-03", "toilets"),
    ] {
        cornered(&cb, day, place);
    }
    let draft = cb.file(
        "draft.txt",
        "Dear Mrs Patel,\n\nJordan Smith is a bully and the head is useless.\n",
    );
    let said = cb.ok(&["tone", &draft]);
    for caught in ["\"bully\"", "\"useless\"", "\"Jordan Smith\"", "Child A"] {
        assert!(said.contains(caught), "{caught}: {said}");
    }
    let letter = cb.ok(&[
        "letter",
        "decline-mediation-with-bully",
        "--to",
        "Mrs Patel",
    ]);
    assert!(letter.contains("I do not agree to it"), "{letter}");
    assert!(
        letter.contains("a written plan to keep Sam safe"),
        "{letter}"
    );
    assert!(letter.contains("by 16 April 2026"), "{letter}");
    assert!(!letter.contains("Jordan"), "{letter}");
    let bundle = cb.path("bundle.html").display().to_string();
    cb.ok(&["bundle", "--format", "html", "--out", &bundle]);
    let html = std::fs::read_to_string(&bundle).expect("bundle");
    let text = html.replace(['\n', ' '], "");
    assert!(html.contains("Incidents by place"), "by place");
    assert!(
        html.contains("Incidents each month"),
        "over two years, by month"
    );
    assert!(!html.contains("Jordan"), "the other child is named");
    assert!(html.contains("Child A cornered Sam"), "pseudonymised");
    // The toilets lead the places, with 4 of the 5.
    let toilets = text.find(">toilets<").expect("toilets");
    let queue = text.find(">lunchqueue<").expect("lunch queue");
    assert!(toilets < queue);
}

/// F1: a school's no, for a child with a diagnosis, may be disability discrimination:
/// the claim to the tribunal is open, with its last day, "6 months starting with" the
/// decision (Wednesday 25 March 2026: Thursday 24 September 2026, the day before the
/// corresponding date, with no roll). A diagnosis still awaited opens nothing.
#[test]
fn f1_a_school_s_refusal_for_a_diagnosed_child_opens_the_discrimination_claim() {
    for (diagnosis, opens) in [("autism", true), ("awaiting autism assessment", false)] {
        let cb = case_at("2026-03-26", &["--diagnosis", diagnosis]);
        cb.ok(&decided(
            "2026-03-25",
            "The school refused the adjustments to the lunch queue",
            "school",
            "refused",
        ));
        let next = cb.ok(&["next"]);
        assert_eq!(
            next.contains("(disability-discrimination-claim)"),
            opens,
            "{diagnosis}: {next}"
        );
        if opens {
            assert!(next.contains("By: Thursday 24 September 2026"), "{next}");
            assert!(next.contains("recorded diagnosis (autism)"), "{next}");
        }
    }
}
