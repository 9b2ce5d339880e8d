//! Time out of school, counted as a school counts it, checked against counts done by
//! hand and against `scripts/attendance_oracle.py`, which counts from the same term
//! dates, bank holidays and absences without casebook's code.

use std::process::Command;

use serde_json::Value;

use crate::harness::Casebook;

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Autumn 2026 with a half term and one INSET day, as a school publishes it.
const TERMS: &str = r#"
[[term]]
name = "Autumn term, first half"
start = 2026-09-02
end = 2026-10-23

[[term]]
name = "Autumn term, second half"
start = 2026-11-02
end = 2026-12-18

[[closure]]
name = "INSET day"
start = 2026-11-02
"#;

const MORNING: &str = "08:50-12:10";
const AFTERNOON: &str = "13:10-15:20";

pub(crate) fn case() -> Casebook {
    case_of(&[])
}

/// The same, with more of `casebook case new`'s options (`--diagnosis ...`).
pub(crate) fn case_of(more: &[&str]) -> Casebook {
    let mut cb = Casebook::new().with_case_of(more);
    cb.today = "2026-12-18";
    cb.file("terms.toml", TERMS);
    cb.ok(&["import", "terms.toml", "--format", "terms"]);
    cb.ok(&[
        "case",
        "school-day",
        "--morning",
        MORNING,
        "--afternoon",
        AFTERNOON,
    ]);
    cb
}

pub(crate) fn absence(cb: &Casebook, occurred: &str, reason: &str, more: &[&str]) {
    let mut args = vec![
        "log",
        "absence",
        "--occurred",
        occurred,
        "--reason",
        reason,
        "--summary",
        "Out of school",
    ];
    args.extend_from_slice(more);
    cb.ok(&args);
}

/// The oracle's count of the same period.
pub(crate) fn oracle(cb: &Casebook, from: &str, to: &str) -> Value {
    let timeline = cb.ok(&["--json", "timeline", "--kind", "absence"]);
    std::fs::write(cb.path("absences.json"), timeline).expect("write");
    let out = Command::new("python3")
        .arg(format!("{REPO}/scripts/attendance_oracle.py"))
        .arg(cb.path("terms.toml"))
        .args([MORNING, AFTERNOON, from, to])
        .arg(cb.path("absences.json"))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the oracle's JSON")
}

pub(crate) fn agrees(counted: &Value, oracle: &Value) {
    for field in [
        "possible",
        "missed",
        "authorised",
        "unauthorised",
        "not_said",
        "minutes_lost",
    ] {
        assert_eq!(counted[field], oracle[field], "{field}");
    }
    assert_eq!(
        counted["percentage"].as_f64(),
        oracle["percentage"].as_f64()
    );
    let weeks: Vec<Value> = counted["weeks"]
        .as_array()
        .expect("weeks")
        .iter()
        .map(|w| serde_json::json!([w["monday"], w["possible"], w["missed"], w["minutes_lost"]]))
        .collect();
    assert_eq!(Value::Array(weeks), oracle["weeks"]);
}

#[test]
fn a_child_sent_home_after_drop_off_loses_the_day_though_the_register_says_present() {
    let cb = case();
    // Sent home about 30 minutes after drop-off, three days in one week.
    for day in ["2026-09-14T09:20", "2026-09-15T09:25", "2026-09-17T09:15"] {
        absence(&cb, day, "sent-home", &[]);
    }
    let counted = cb.json(&["attendance", "--from", "2026-09-14", "--to", "2026-09-18"]);
    // By hand: 5 school days, 10 sessions; each day registered in the morning, so only
    // the afternoon is missed (3 sessions, 70.00%); time lost from leaving to 15:20,
    // less lunch: 170 + 130, 165 + 130, 175 + 130 minutes = 900 minutes, 15 hours.
    assert_eq!(counted["possible"], 10);
    assert_eq!(counted["missed"], 3);
    assert_eq!(counted["not_said"], 3);
    assert_eq!(counted["percentage"], 70.0);
    assert_eq!(counted["minutes_lost"], 900);
    assert_eq!(counted["minutes_possible"], 5 * 330);
    agrees(&counted, &oracle(&cb, "2026-09-14", "2026-09-18"));
    let said = cb.ok(&["attendance", "--from", "2026-09-14", "--to", "2026-09-18"]);
    assert!(
        said.contains("5 school days in the setting's term dates, so 10 sessions possible"),
        "{said}"
    );
    assert!(
        said.contains("7 sessions attended out of 10 possible = 70.00%"),
        "{said}"
    );
    assert!(
        said.contains("Time lost: 15 h of 27 h 30 min of teaching"),
        "{said}"
    );
    assert!(
        said.contains("week of 14 September 2026: 3 of 10 sessions missed, 15 h lost"),
        "{said}"
    );
    // The bundle draws the hours lost each week.
    cb.ok(&["bundle", "--format", "html", "--out", "bundle.html"]);
    let html = std::fs::read_to_string(cb.path("bundle.html")).expect("html");
    assert!(
        html.contains("Hours of school lost each week"),
        "the chart is drawn"
    );
    assert!(html.contains("(morning 08:50 to 12:10, afternoon 13:10 to 15:20)"));
}

#[test]
fn a_term_of_part_time_timetable_whole_days_and_sessions_counts_as_the_oracle_does() {
    let cb = case();
    // One hour a day for a fortnight after half term (the INSET day is no school day).
    absence(
        &cb,
        "2026-11-03T09:50",
        "part-time-timetable",
        &["--until", "2026-11-13", "--authorised", "yes"],
    );
    // A week off, unauthorised, over a bank holiday-free week.
    absence(
        &cb,
        "2026-10-05",
        "illness",
        &["--until", "2026-10-09", "--authorised", "no"],
    );
    // Sessions as the family gave them: three, from the first day.
    absence(
        &cb,
        "2026-12-07",
        "mental-health",
        &["--until", "2026-12-09", "--sessions", "3"],
    );
    // Sent home, and kept home the next day.
    absence(
        &cb,
        "2026-09-21T10:30",
        "sent-home",
        &["--until", "2026-09-22"],
    );
    // Over the half-term holiday: no school days, nothing counted.
    absence(&cb, "2026-10-26", "other", &["--until", "2026-10-30"]);

    let counted = cb.json(&["attendance", "--from", "2026-09-02", "--to", "2026-12-18"]);
    // By hand: 38 school days to 23 October (3 in the first week, then 7 weeks of 5) and
    // 34 after half term (7 weeks of 5, less the INSET day): 72 days, 144 sessions. Missed: 9 afternoons of the timetable (3 to 13 November),
    // 10 sessions of illness, 3 given sessions, the afternoon of 21 September and both
    // sessions of 22 September: 25.
    assert_eq!(counted["school_days"], 72);
    assert_eq!(counted["possible"], 144);
    assert_eq!(counted["missed"], 25);
    assert_eq!(counted["authorised"], 9);
    assert_eq!(counted["unauthorised"], 10);
    assert_eq!(counted["not_said"], 6);
    agrees(&counted, &oracle(&cb, "2026-09-02", "2026-12-18"));
    // The timetable's weeks: 4 h 30 min lost a day.
    let week = counted["weeks"]
        .as_array()
        .expect("weeks")
        .iter()
        .find(|w| w["monday"] == "2026-11-09")
        .expect("the week of 9 November")
        .clone();
    assert_eq!(week["missed"], 5);
    assert_eq!(week["minutes_lost"], 5 * 270);
    // A period starting inside the absence with given sessions: they count from its
    // first day in the period (8 December both sessions, 9 December the morning).
    let late = cb.json(&["attendance", "--from", "2026-12-08", "--to", "2026-12-18"]);
    assert_eq!(late["missed"], 3);
    agrees(&late, &oracle(&cb, "2026-12-08", "2026-12-18"));
}

#[test]
fn bad_times_and_periods_are_refused_and_change_nothing() {
    let cb = case();
    let refused = cb.refused(&[
        "case",
        "school-day",
        "--morning",
        "9 till 12",
        "--afternoon",
        "13:00-15:00",
    ]);
    assert!(refused.contains("such as 08:45-12:00"), "{refused}");
    let refused = cb.refused(&[
        "case",
        "school-day",
        "--morning",
        "08:45-12:00",
        "--afternoon",
        "11:00-15:00",
    ]);
    assert!(
        refused.contains("starts after the morning session ends"),
        "{refused}"
    );
    let refused = cb.refused(&["attendance", "--from", "2026-12-01", "--to", "2026-11-01"]);
    assert!(refused.contains("ends before it starts"), "{refused}");
    let refused = cb.refused(&["attendance", "--from", "2006-09-01", "--to", "2026-12-18"]);
    assert!(refused.contains("at most ten years"), "{refused}");
    let refused = cb.refused(&["attendance", "--from", "31/2/2026"]);
    assert!(refused.contains("31/2/2026"), "{refused}");
}

#[test]
fn being_sent_home_without_a_suspension_opens_the_informal_exclusion_step_and_its_letter() {
    let cb = case();
    let refused = cb.refused(&["letter", "informal-exclusion", "--to", "Mrs Patel"]);
    assert!(
        refused.starts_with("No time the school sent the child home is written down yet"),
        "{refused}"
    );
    for day in ["2026-09-14T09:20", "2026-09-15T09:25", "2026-09-17T09:15"] {
        absence(&cb, day, "sent-home", &[]);
    }
    let next = cb.json(&["next"]);
    let step = next["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["rule"] == "informal-exclusion")
        .unwrap_or_else(|| panic!("the step is open: {next}"))
        .clone();
    let why = step["why"].as_str().expect("why");
    assert!(
        why.contains("sent home, or kept at home, by the school 3 times (14 September 2026, 15 September 2026, 17 September 2026) with no formal suspension recorded"),
        "{why}"
    );
    let letter = cb.ok(&[
        "letter",
        "informal-exclusion",
        "--to",
        "Mrs Patel",
        "--format",
        "txt",
    ]);
    for day in [
        "14 September 2026 at 09:20",
        "15 September 2026 at 09:25",
        "17 September 2026 at 09:15",
    ] {
        assert!(
            letter.contains(&format!("- {day}: Out of school")),
            "{letter}"
        );
    }
    assert!(
        letter.contains("informal or unofficial exclusions"),
        "{letter}"
    );
    assert!(
        letter.starts_with("Subject: Sam Taylor: sent home from school"),
        "{letter}"
    );
}

/// Off ill since before the summer and still off in September: the council's duty to
/// arrange education is "for any period" (Education Act 1996 s.19(1)), so the count does
/// not start again with the school year.
#[test]
fn an_absence_running_on_over_the_summer_is_counted_from_its_first_day() {
    let mut cb = Casebook::new().with_case();
    cb.today = "2026-09-08";
    cb.file(
        "terms.toml",
        r#"
[[term]]
name = "Summer term"
start = 2026-04-20
end = 2026-07-22

[[term]]
name = "Autumn term"
start = 2026-09-02
end = 2026-12-18
"#,
    );
    cb.ok(&["import", "terms.toml", "--format", "terms"]);
    absence(&cb, "2026-07-01", "mental-health", &["--ongoing"]);
    // By hand: 1 to 22 July, 16 school days (3 + 5 + 5 + 3); 2 to 8 September, 5 (3 + 2):
    // 21, of which only 5 fall in this school year.
    let next = cb.json(&["next"]);
    let step = next["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["rule"] == "health-needs-education")
        .unwrap_or_else(|| panic!("the council's duty is open: {next}"))
        .clone();
    assert!(
        step["why"]
            .as_str()
            .is_some_and(|w| w.contains("missed 21 school days this school year and in an absence running on from last school year")),
        "{step}"
    );
}

/// An absence of decades (a file from elsewhere, or a slip of the year) still bundles:
/// the chart is drawn over the last ten years of it, the most attendance counts at once.
#[test]
fn an_absence_of_decades_still_bundles_with_its_chart() {
    let cb = case();
    absence(&cb, "1990-01-01", "illness", &["--ongoing"]);
    cb.ok(&["bundle", "--format", "html", "--out", "long.html"]);
    let html = std::fs::read_to_string(cb.path("long.html")).expect("html");
    assert!(
        html.contains("Hours of school lost each month"),
        "drawn by month"
    );
}
