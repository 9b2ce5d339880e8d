//! Families whose case is the time a child is kept out of school (issue 18's
//! situations), typed as a family types them and checked against what a caseworker
//! expects. Hours and percentages are counted by hand from the school day's times and
//! term dates in `attendance.rs` (autumn 2026: 2 September to 18 December, half term 26
//! to 30 October, an INSET day on 2 November; 08:50-12:10 and 13:10-15:20, 330 minutes
//! a day), and by `scripts/attendance_oracle.py`; deadlines by hand from each
//! provision's wording.

use serde_json::Value;

use crate::attendance::{absence, agrees, case, case_of, oracle};
use crate::families::{case_at, received};
use crate::harness::Casebook;

fn step<'a>(next: &'a Value, rule: &str) -> Option<&'a Value> {
    next["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["rule"] == rule)
}

fn open_step<'a>(next: &'a Value, rule: &str) -> &'a Value {
    step(next, rule).unwrap_or_else(|| panic!("{rule} is open: {next:#}"))
}

fn why(next: &Value, rule: &str) -> String {
    open_step(next, rule)["why"]
        .as_str()
        .expect("why")
        .to_owned()
}

fn letter(cb: &Casebook, id: &str, to: &str, more: &[&str]) -> String {
    let mut args = vec!["letter", id, "--to", to, "--format", "txt"];
    args.extend_from_slice(more);
    let text = cb.ok(&args);
    let mut args = vec!["letter", id, "--to", to];
    args.extend_from_slice(more);
    let tone = cb.json(&args);
    assert_eq!(tone["tone"], serde_json::json!([]), "{id}: {text}");
    text
}

/// `casebook case move` to `setting` of `kind` from `on`.
fn move_to<'a>(setting: &'a str, kind: &'a str, on: &'a str) -> [&'a str; 8] {
    [
        "case",
        "move",
        "--setting",
        setting,
        "--setting-kind",
        kind,
        "--on",
        on,
    ]
}

fn la_sen_officer(cb: &Casebook) {
    cb.ok(&[
        "person",
        "add",
        "--name",
        "Ms Reid",
        "--role",
        "la-sen-officer",
    ]);
}

/// The school days from Monday 14 September to Tuesday 13 October 2026: four whole
/// weeks and two days, 22.
const TWENTY_TWO_DAYS: [&str; 22] = [
    "2026-09-14",
    "2026-09-15",
    "2026-09-16",
    "2026-09-17",
    "2026-09-18",
    "2026-09-21",
    "2026-09-22",
    "2026-09-23",
    "2026-09-24",
    "2026-09-25",
    "2026-09-28",
    "2026-09-29",
    "2026-09-30",
    "2026-10-01",
    "2026-10-02",
    "2026-10-05",
    "2026-10-06",
    "2026-10-07",
    "2026-10-08",
    "2026-10-09",
    "2026-10-12",
    "2026-10-13",
];

/// A five-year-old with an EHC plan, sent home about 30 minutes after drop-off on 22
/// days: an informal exclusion each time, hours lost each week, an early review of the
/// plan, and never an EHC needs assessment for a child who already has a plan.
#[test]
fn a_reception_child_with_a_plan_sent_home_on_22_days() {
    let cb = case_of(&[
        "--year-group",
        "Reception",
        "--need",
        "social communication",
    ]);
    la_sen_officer(&cb);
    received(&cb, "2026-07-10", "Final EHC plan", "plan:ehc-final");
    for day in TWENTY_TWO_DAYS {
        absence(
            &cb,
            &format!("{day}T09:20"),
            "sent-home",
            &[
                "--collected",
                "09:50",
                "--asked-by",
                "Mrs Patel",
                "--reason-given",
                "Unsettled after drop-off",
                "--formal-letter",
                "no",
            ],
        );
    }
    // One day with a letter of suspension is a suspension, not an informal exclusion.
    absence(&cb, "2026-11-04", "sent-home", &["--formal-letter", "yes"]);

    // By hand: collected at 09:50, after the morning's registration, so present in the
    // morning and absent in the afternoon; lost from 09:50 to 12:10 (140 minutes) and
    // the afternoon (130): 270 minutes a day, 22 x 270 = 5,940 minutes, 99 hours. 22
    // school days are 44 sessions; 22 missed, 50.00%.
    let counted = cb.json(&["attendance", "--from", "2026-09-14", "--to", "2026-10-13"]);
    assert_eq!(counted["possible"], 44);
    assert_eq!(counted["missed"], 22);
    assert_eq!(counted["percentage"], 50.0);
    assert_eq!(counted["minutes_lost"], 5_940);
    agrees(&counted, &oracle(&cb, "2026-09-14", "2026-10-13"));
    let said = cb.ok(&["attendance", "--from", "2026-09-14", "--to", "2026-10-13"]);
    assert!(
        said.contains("week of 14 September 2026: 5 of 10 sessions missed, 22 h 30 min lost"),
        "{said}"
    );

    let next = cb.json(&["next"]);
    let informal = why(&next, "informal-exclusion");
    assert!(informal.contains("22 times"), "{informal}");
    assert!(!informal.contains("4 November"), "{informal}");
    let early = why(&next, "early-annual-review");
    assert!(early.contains("has an EHC plan"), "{early}");
    assert!(
        step(&next, "ehc-assessment-request").is_none(),
        "a child with a plan is not sent for an assessment: {next:#}"
    );

    let to_school = letter(&cb, "informal-exclusion", "Mrs Patel", &[]);
    assert!(
        to_school.contains(
            "- 14 September 2026 at 09:20: Out of school; collected at 09:50; asked by Mrs Patel; the reason given was \"Unsettled after drop-off\""
        ),
        "{to_school}"
    );
    assert!(!to_school.contains("4 November 2026"), "{to_school}");
    // The school year so far: the 22 days' 99 hours and the suspension's whole day,
    // 330 minutes: 104 h 30 min.
    assert!(
        to_school.contains("Sam has lost 104 h 30 min of teaching"),
        "{to_school}"
    );
    let review = letter(&cb, "early-annual-review", "Ms Reid", &[]);
    assert!(
        review.contains("Sam is missing education that the plan should secure"),
        "{review}"
    );
    assert!(review.contains("- 13 October 2026 at 09:20"), "{review}");
}

/// One hour a day for a term, "agreed" with the school, its review date long past: the
/// hours counted, the review asked for with a return plan and the council's section 19
/// duty; a timetable with no review date is raised once it runs into another term.
#[test]
fn a_part_time_timetable_of_an_hour_a_day_past_its_review() {
    let cb = case();
    cb.file(
        "agreement.txt",
        "Part-time timetable agreement, signed 4 September 2026",
    );
    absence(
        &cb,
        "2026-09-07T09:50",
        "part-time-timetable",
        &[
            "--ongoing",
            "--authorised",
            "yes",
            "--asked-by",
            "Mr Jones",
            "--review",
            "2026-10-16",
            "--attach",
            "agreement.txt",
        ],
    );
    // By hand: 7 September to 23 October is 7 weeks, 35 school days; 3 November to 18
    // December 7 weeks less the INSET day, 34: 69 days, 138 sessions. Leaving at 09:50
    // after registration, the afternoon is missed each day: 69 sessions, 50.00%; 270
    // minutes lost a day, 18,630 minutes, 310 h 30 min.
    let counted = cb.json(&["attendance", "--from", "2026-09-07", "--to", "2026-12-18"]);
    assert_eq!(counted["possible"], 138);
    assert_eq!(counted["missed"], 69);
    assert_eq!(counted["authorised"], 69);
    assert_eq!(counted["minutes_lost"], 18_630);
    agrees(&counted, &oracle(&cb, "2026-09-07", "2026-12-18"));

    let next = cb.json(&["next"]);
    let reason = why(&next, "reduced-timetable-review");
    assert!(
        reason.contains("to be reviewed by 16 October 2026, and that date has passed"),
        "{reason}"
    );
    let text = letter(&cb, "reduced-timetable", "Mrs Patel", &[]);
    assert!(
        text.contains("agreed with Mr Jones; to be reviewed by 16 October 2026"),
        "{text}"
    );
    assert!(
        text.contains("From 2 September 2026 to 18 December 2026, counted from the school's own timetable, Sam has lost 310 h 30 min of teaching."),
        "{text}"
    );
    assert!(
        text.contains("section 19 of the Education Act 1996"),
        "{text}"
    );

    cb.ok(&["bundle", "--format", "html", "--out", "bundle.html"]);
    let html = std::fs::read_to_string(cb.path("bundle.html")).expect("html");
    assert!(
        html.contains("To be reviewed by"),
        "the review date is in the bundle"
    );
    assert!(html.contains("16 October 2026"));
    assert!(html.contains("Hours of school lost each week"));

    // No review date: nothing to raise within the term, then raised in January, once
    // the Christmas holiday (no term dates for it: a typical year's) lies behind it.
    let mut cb = case();
    absence(
        &cb,
        "2026-11-03T09:50",
        "part-time-timetable",
        &["--ongoing"],
    );
    assert!(step(&cb.json(&["next"]), "reduced-timetable-review").is_none());
    cb.today = "2027-01-20";
    let reason = why(&cb.json(&["next"]), "reduced-timetable-review");
    assert!(
        reason.contains("since 3 November 2026, from one term into the next"),
        "{reason}"
    );
}

/// The council's final plan came 15 weeks after its 20 weeks: late while it waits (in
/// weeks), and still late on the record once it comes, with the Ombudsman's step open;
/// a plan whose annual review has not happened in 12 months is late too.
#[test]
fn a_council_late_with_the_plan_and_with_the_annual_review() {
    let mut cb = case_at("2026-07-20", &["--need", "autism"]);
    la_sen_officer(&cb);
    cb.ok(&[
        "request",
        "ehc-final-plan",
        "--sent",
        "2026-01-12",
        "--to",
        "Ms Reid",
    ]);
    // 20 weeks from Monday 12 January 2026 is Monday 1 June; on 20 July, 49 days late.
    let next = cb.json(&["next"]);
    let late = next["late"][0]["what"].as_str().expect("late").to_owned();
    assert_eq!(
        late, "The reply was due on 1 June 2026 and is 7 weeks late.",
        "{next:#}"
    );
    assert!(open_step(&next, "lgsco-complaint")["why"].is_string());
    let text = letter(&cb, "council-late", "Ms Reid", &["--about", "e1"]);
    assert!(
        text.contains("the time limit was 1 June 2026, and it is now 7 weeks late"),
        "{text}"
    );

    // The plan comes on 14 September: 105 days after 1 June, 15 weeks.
    cb.today = "2026-10-01";
    cb.ok(&[
        "log",
        "document",
        "--occurred",
        "2026-09-14",
        "--document-type",
        "plan:ehc-final",
        "--summary",
        "Final EHC plan issued",
        "--answers",
        "e1",
    ]);
    let next = cb.json(&["next"]);
    assert_eq!(next["late"], serde_json::json!([]), "{next:#}");
    let ombudsman = why(&next, "lgsco-complaint");
    assert!(
        ombudsman.contains("answered on 14 September 2026, 15 weeks after it was due"),
        "{ombudsman}"
    );
    cb.ok(&["bundle", "--format", "html", "--out", "bundle.html"]);
    let html = std::fs::read_to_string(cb.path("bundle.html")).expect("html");
    assert!(
        html.contains("answered 15 weeks late"),
        "the bundle keeps it"
    );

    // A plan made on 1 September 2025 and never reviewed: 12 months starting with that
    // day end on 31 August 2026; on 3 December, 94 days later, 13 weeks and 3 days.
    let cb = case_at("2026-12-03", &[]);
    received(&cb, "2025-09-01", "Final EHC plan", "plan:ehc-final");
    let next = cb.json(&["next"]);
    let review = open_step(&next, "annual-review");
    assert!(
        review["why"]
            .as_str()
            .expect("why")
            .contains("was due by 31 August 2026 and is 13 weeks and 3 days late"),
        "{review}"
    );
    assert_eq!(review["due"], "2026-08-31");
    assert!(step(&next, "lgsco-complaint").is_some(), "{next:#}");
    // Reviewed in July: the next review is not yet due.
    cb.ok(&[
        "log",
        "meeting",
        "--occurred",
        "2026-07-01",
        "--summary",
        "Annual review meeting at school",
    ]);
    assert!(step(&cb.json(&["next"]), "annual-review").is_none());
}

/// A child with diabetes kept at home until the school's healthcare plan is signed: an
/// informal exclusion, the school's duty to support medical conditions, and the
/// disability discrimination claim's last day, counted from the last day kept home.
#[test]
fn a_child_with_diabetes_kept_home_until_a_healthcare_plan_is_signed() {
    let cb = case_of(&["--diagnosis", "type 1 diabetes"]);
    absence(
        &cb,
        "2026-09-02",
        "awaiting-healthcare-plan",
        &[
            "--until",
            "2026-09-25",
            "--asked-by",
            "Mrs Patel",
            "--reason-given",
            "No trained staff until the care plan is signed",
        ],
    );
    // By hand: 2 to 4 September (3 days) and three whole weeks (15): 18 school days, 36
    // sessions, 18 x 330 = 5,940 minutes, 99 hours.
    let counted = cb.json(&["attendance", "--from", "2026-09-02", "--to", "2026-09-25"]);
    assert_eq!(counted["missed"], 36);
    assert_eq!(counted["minutes_lost"], 5_940);
    agrees(&counted, &oracle(&cb, "2026-09-02", "2026-09-25"));

    let next = cb.json(&["next"]);
    assert!(
        why(&next, "medical-conditions-support").contains("kept at home until a plan was in place")
    );
    assert!(why(&next, "informal-exclusion").contains("once (2 September 2026)"));
    // 6 months starting with Friday 25 September 2026 end on Wednesday 24 March 2027.
    let claim = open_step(&next, "disability-discrimination-claim");
    assert_eq!(claim["due"], "2027-03-24", "{claim}");
    assert!(
        claim["why"]
            .as_str()
            .expect("why")
            .contains("type 1 diabetes")
    );

    let text = letter(&cb, "medical-conditions", "Mrs Patel", &[]);
    assert!(text.contains("who has type 1 diabetes"), "{text}");
    assert!(
        text.contains("- 2 September 2026 to 25 September 2026, 18 school days"),
        "{text}"
    );
    assert!(
        text.contains("the reason given was \"No trained staff until the care plan is signed\""),
        "{text}"
    );
    assert!(
        text.contains("Section 100 of the Children and Families Act 2014"),
        "{text}"
    );
    assert!(text.contains("Sam has lost 99 h of teaching"), "{text}");
}

/// A warning of prosecution for attendance after six requests for help: the family can
/// check the school's percentage, and the reply lists each request with its date.
#[test]
fn a_prosecution_warning_answered_with_the_count_and_six_requests_for_help() {
    let cb = case();
    let asked = [
        ("2026-09-08", "8 September 2026"),
        ("2026-09-22", "22 September 2026"),
        ("2026-10-06", "6 October 2026"),
        ("2026-10-20", "20 October 2026"),
        ("2026-11-10", "10 November 2026"),
        ("2026-11-24", "24 November 2026"),
    ];
    for (n, (day, _)) in asked.iter().enumerate() {
        cb.ok(&[
            "log",
            "request",
            "--occurred",
            day,
            "--summary",
            &format!("Asked for help with Sam's anxiety about school ({})", n + 1),
            "--to",
            "Mrs Patel",
        ]);
    }
    absence(
        &cb,
        "2026-09-28",
        "illness",
        &["--until", "2026-10-09", "--authorised", "no"],
    );
    absence(
        &cb,
        "2026-11-16",
        "mental-health",
        &["--until", "2026-11-27"],
    );
    received(
        &cb,
        "2026-12-01",
        "Letter warning of prosecution for attendance",
        "notice:attendance-warning",
    );
    // By hand: the term's 72 school days, 144 sessions; two absences of two weeks, 20
    // days, 40 sessions; 104 attended, 72.22%.
    let counted = cb.json(&["attendance"]);
    assert_eq!(counted["possible"], 144);
    assert_eq!(counted["missed"], 40);
    assert_eq!(counted["percentage"], 72.22);
    agrees(&counted, &oracle(&cb, "2026-09-02", "2026-12-18"));

    let next = cb.json(&["next"]);
    assert!(step(&next, "answer-attendance-warning").is_some());
    assert!(step(&next, "write-to-mp").is_some());
    let text = letter(&cb, "penalty-notice-response", "Mrs Patel", &[]);
    assert!(text.contains("I have asked for help 6 times:"), "{text}");
    for (n, (_, day)) in asked.iter().enumerate() {
        assert!(
            text.contains(&format!(
                "- {day}: Asked for help with Sam's anxiety about school ({})",
                n + 1
            )),
            "{text}"
        );
    }
    assert!(
        text.contains("Attendance: 104 sessions attended out of 144 possible = 72.22%."),
        "{text}"
    );
}

/// A child who moved from a maintained primary to an academy during the dispute: from
/// the day of the move, what to do now follows the academy's routes (its trust, not a
/// governing board) and letters name it; the bundle names each school with its dates.
#[test]
fn a_child_who_moved_school_mid_dispute() {
    let mut cb = case_at("2026-10-20", &[]);
    cb.ok(&[
        "log",
        "request",
        "--occurred",
        "2026-10-01",
        "--summary",
        "Asked the head for a support plan",
        "--to",
        "Mrs Patel",
        "--due",
        "2026-10-15",
    ]);
    let before = cb.json(&["next"]);
    assert!(step(&before, "chair-of-governors").is_some(), "{before:#}");
    assert!(step(&before, "trust-board").is_none(), "{before:#}");

    let moved = cb.ok(&move_to("Riverside Academy", "academy", "2026-11-02"));
    assert!(
        moved.contains("Oakfield Primary (to 1 November 2026)")
            && moved.contains("Riverside Academy (from 2 November 2026)"),
        "{moved}"
    );
    // Before the day of the move, nothing changes.
    let still = cb.json(&["next"]);
    assert!(step(&still, "chair-of-governors").is_some(), "{still:#}");

    cb.today = "2026-11-10";
    let after = cb.json(&["next"]);
    assert!(step(&after, "trust-board").is_some(), "{after:#}");
    assert!(step(&after, "chair-of-governors").is_none(), "{after:#}");
    let text = letter(&cb, "section-19-request", "Mrs Patel", &[]);
    assert!(text.contains("attends Riverside Academy"), "{text}");
    cb.ok(&["bundle", "--format", "html", "--out", "bundle.html"]);
    let html = std::fs::read_to_string(cb.path("bundle.html")).expect("html");
    assert!(
        html.contains(
            "Oakfield Primary (to 1 November 2026); Riverside Academy (from 2 November 2026)"
        ),
        "the bundle names both schools"
    );

    // A move on or before the last one, or to the school the child is at, is refused
    // and changes nothing.
    let files = cb.snapshot();
    let refused = cb.refused(&move_to("Hill Top School", "maintained", "2026-10-01"));
    assert!(
        refused.contains("already has a move on 2 November 2026"),
        "{refused}"
    );
    let refused = cb.refused(&move_to("Riverside Academy", "academy", "2026-12-01"));
    assert!(refused.contains("already the child's school"), "{refused}");
    assert_eq!(cb.snapshot(), files);
}

/// What a family can get wrong in these facts is refused with one sentence naming what
/// was given, and the case is unchanged.
#[test]
fn mistakes_in_time_out_of_school_are_refused_and_change_nothing() {
    let cb = case();
    let files = cb.snapshot();
    let refused = cb.refused(&[
        "log",
        "absence",
        "--occurred",
        "2026-09-14T09:20",
        "--reason",
        "sent-home",
        "--summary",
        "Sent home",
        "--formal-letter",
        "maybe",
    ]);
    assert!(
        refused.contains("Whether a letter of suspension followed is yes or no, not \"maybe\""),
        "{refused}"
    );
    let refused = cb.refused(&[
        "log",
        "absence",
        "--occurred",
        "2026-09-14",
        "--reason",
        "part-time-timetable",
        "--summary",
        "Mornings only",
        "--asked-by",
        "Nobody Known",
    ]);
    assert!(refused.contains("Nobody Known"), "{refused}");
    let refused = cb.refused(&move_to("Riverside Academy", "academy", "31/2/2026"));
    assert!(refused.contains("31/2/2026"), "{refused}");
    let refused = cb.refused(&move_to("Riverside Academy", "castle", "2026-11-02"));
    assert!(refused.contains("castle"), "{refused}");
    let refused = cb.refused(&move_to("", "academy", "2026-11-02"));
    assert!(refused.contains("setting's name"), "{refused}");
    assert_eq!(cb.snapshot(), files);
}
