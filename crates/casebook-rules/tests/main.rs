//! The engine on a small pack written here, so each special counting rule is tested on
//! its own; the real packs are tested against their hand-worked expectations in
//! `packs.rs`.

mod packs;

use casebook_calendar::{Calendar, Holidays, Nation, TermCalendar, Unit};
use casebook_rules::{Inputs, Pack, compute};
use jiff::civil::{Date, date};

const PACK: &str = r#"
[pack]
id = "test"
name = "Test"
bank_holidays = "england-and-wales"
"#;

const RULES: &str = r#"
[[rule]]
id = "weeks-rule"
procedure = "EHC needs assessment"
step = "The council decides whether to assess."
actor = "local authority"
limit = { count = 6, unit = "weeks" }
starts = "the council receives the request"
status = "statutory"
source = "SEND Regulations 2014 reg 5(1)"
if_refused = ["appeal"]

[[rule]]
id = "sar"
procedure = "Subject access"
step = "The school answers."
actor = "school"
limit = { count = 1, unit = "months" }
starts = "the school receives the request"
roll = "next-working-day"
status = "statutory"
source = "UK GDPR Art. 12(3)"

[[rule]]
id = "appeal"
procedure = "SEND Tribunal"
step = "The family lodges an appeal."
actor = "parent"
choose = "later"
starts = "the date of the decision letter"
adjust = "send-tribunal-holidays"
status = "statutory"
source = "HESC Rules 2008 r.20"
verify = true
[[rule.option]]
count = 2
unit = "months"
from = "from"
[[rule.option]]
count = 1
unit = "months"
from = "certificate"

[[rule]]
id = "foi"
procedure = "Freedom of information"
step = "The school answers."
actor = "school"
choose = "earlier"
holidays = "uk"
starts = "the school receives the request"
status = "statutory"
source = "SI 2004/3364 reg 3"
[[rule.option]]
count = 20
unit = "school-days"
[[rule.option]]
count = 60
unit = "working-days"

[[rule]]
id = "complaint"
procedure = "School complaint"
step = "The head responds."
actor = "head teacher"
limit = { count = 10, unit = "school-days" }
starts = "the school receives the complaint"
start_rule = "next-school-day"
set_by = "school-policy"
status = "school-policy"
source = "the school's complaints policy"

[[rule]]
id = "irp"
procedure = "Exclusion"
step = "The family applies for a review."
actor = "parent"
limit = { count = 15, unit = "school-days" }
starts = "the family is given notice of the decision"
postal = true
status = "statutory"
source = "2012 Regs Sch 1 para 2(1)"

[[rule]]
id = "ofsted"
kind = "step"
procedure = "Escalation"
step = "Refer a whole-school concern to Ofsted."
actor = "parent"
starts = "the school's procedure is finished"
status = "statutory"
source = "Education Act 2005 s.11A"
"#;

fn pack() -> Pack {
    Pack::from_files(&[("pack.toml", PACK), ("rules.toml", RULES)]).expect("test pack")
}

fn school() -> Calendar {
    let terms =
        TermCalendar::from_toml(include_str!("../../../rules/example-terms.toml")).expect("terms");
    Calendar::new(Holidays::Nation(Nation::EnglandAndWales), Some(terms))
}

fn due(rule: &str, inputs: Inputs) -> Date {
    compute(&pack(), &school(), rule, &inputs)
        .expect("computes")
        .due
}

fn from(d: Date) -> Inputs {
    Inputs {
        from: Some(d),
        ..Inputs::default()
    }
}

#[test]
fn a_plain_limit_counts_and_cites_its_source() {
    let d = compute(&pack(), &school(), "weeks-rule", &from(date(2026, 3, 2))).expect("computes");
    assert_eq!(d.due, date(2026, 4, 13));
    assert_eq!(d.unit, "weeks");
    assert!(!d.estimate);
    assert!(
        d.explanation
            .iter()
            .any(|l| l.contains("6 weeks after Monday 2 March 2026: Monday 13 April 2026"))
    );
    assert!(
        d.explanation
            .last()
            .is_some_and(|l| l.contains("SEND Regulations 2014 reg 5(1)"))
    );
}

#[test]
fn a_subject_access_deadline_on_a_bank_holiday_moves_to_the_next_working_day() {
    // 6 March + 1 month = 6 April 2026, Easter Monday → Tuesday 7 April.
    let d = compute(&pack(), &school(), "sar", &from(date(2026, 3, 6))).expect("computes");
    assert_eq!(d.due, date(2026, 4, 7));
    assert!(
        d.explanation
            .iter()
            .any(|l| l.contains("is not a working day"))
    );
    // 4 April 2026 is a Saturday: 4 March + 1 month → Tuesday 7 April too.
    assert_eq!(due("sar", from(date(2026, 3, 4))), date(2026, 4, 7));
    // 31 January + 1 month has no corresponding day: 28 February 2026 (a Saturday) → 2 March.
    assert_eq!(due("sar", from(date(2026, 1, 31))), date(2026, 3, 2));
}

#[test]
fn the_tribunal_appeal_takes_the_later_date_and_skips_august_and_christmas() {
    // Decision 2 March: 2 months → 2 May 2026 (a Saturday; no roll for this rule).
    assert_eq!(due("appeal", from(date(2026, 3, 2))), date(2026, 5, 2));
    // Certificate 20 April: 1 month → 20 May, later than 2 May, so it wins.
    let with_cert = Inputs {
        certificate: Some(date(2026, 4, 20)),
        ..from(date(2026, 3, 2))
    };
    assert_eq!(due("appeal", with_cert), date(2026, 5, 20));
    // Decision 10 June → 10 August: in August → first working day of September. 31 August
    // 2026 is a bank holiday; 1 September is a Tuesday.
    let d = compute(&pack(), &school(), "appeal", &from(date(2026, 6, 10))).expect("computes");
    assert_eq!(d.due, date(2026, 9, 1));
    assert!(d.verify);
    assert!(d.explanation.iter().any(|l| l.contains("ends in August")));
    assert!(
        d.explanation
            .iter()
            .any(|l| l.contains("not confirmed against the law's own words"))
    );
    // Decision 27 October → 27 December → first working day after 1 January 2027: Monday 4th.
    assert_eq!(due("appeal", from(date(2026, 10, 27))), date(2027, 1, 4));
}

#[test]
fn foi_takes_the_earlier_of_school_days_and_working_days() {
    // In term: from Mon 2 March 2026, 3-27 March holds 19 weekdays, less St Patrick's
    // Day (17 March, a bank holiday in Northern Ireland, which FOI counts): 18. The
    // Easter holidays follow; term resumes 13 April (19) and 14 April is the 20th.
    let d = compute(&pack(), &school(), "foi", &from(date(2026, 3, 2))).expect("computes");
    assert_eq!(d.due, date(2026, 4, 14));
    assert!(
        d.skipped
            .iter()
            .any(|s| s.reason.contains("Northern Ireland"))
    );
    // Received 1 July 2026: the 20 school days (13 July skipped for Northern Ireland)
    // end on Thursday 10 September, before the 60 working days (28 September).
    assert_eq!(due("foi", from(date(2026, 7, 1))), date(2026, 9, 10));
    // A school closed from September to half-term for building work: received 21 July,
    // the 20th school day would fall in November, so the 60th working day decides
    // (3 and 31 August and the weekends skipped): Thursday 15 October.
    let terms = include_str!("../../../rules/example-terms.toml").replace(
        "name = \"INSET day\"\nstart = 2026-09-02\n",
        "name = \"closed for building work\"\nstart = 2026-09-02\nend = 2026-10-30\n",
    );
    let terms = TermCalendar::from_toml(&terms).expect("terms");
    let building = Calendar::new(Holidays::Nation(Nation::EnglandAndWales), Some(terms));
    let d = compute(&pack(), &building, "foi", &from(date(2026, 7, 21))).expect("computes");
    assert_eq!(d.due, date(2026, 10, 15));
    assert!(
        d.explanation
            .iter()
            .any(|l| l.contains("The earlier of the two applies"))
    );
}

#[test]
fn a_complaint_received_in_the_holidays_counts_from_the_first_school_day_back() {
    // Received Tue 27 October 2026, half-term: counted from Monday 2 November; 10 school
    // days after it end Monday 16 November. The figure is the school's own.
    let d = compute(&pack(), &school(), "complaint", &from(date(2026, 10, 27))).expect("computes");
    assert_eq!(d.due, date(2026, 11, 16));
    assert!(d.estimate, "the common figure was assumed");
    let own = Inputs {
        limit: Some((5, Unit::SchoolDays)),
        ..from(date(2026, 10, 27))
    };
    let d = compute(&pack(), &school(), "complaint", &own).expect("computes");
    assert_eq!(d.due, date(2026, 11, 9));
    assert!(!d.estimate);
}

#[test]
fn a_posted_notice_is_given_on_the_second_working_day() {
    // Posted Thursday 5 March 2026 → deemed given Monday 9 March; 15 school days → 30 March?
    // Spring term ends 27 March: 10-27 March is 14 days, then Easter holidays → 13 April.
    let posted = Inputs {
        posted: true,
        ..from(date(2026, 3, 5))
    };
    let d = compute(&pack(), &school(), "irp", &posted).expect("computes");
    assert!(d.explanation.iter().any(|l| l.contains(
        "treated as given on the second working day after posting: Monday 9 March 2026"
    )));
    assert_eq!(d.due, date(2026, 4, 13));
    assert_eq!(due("irp", from(date(2026, 3, 5))), date(2026, 3, 26));
}

#[test]
fn mistakes_are_refused_with_a_sentence() {
    let err = compute(&pack(), &school(), "sra", &from(date(2026, 3, 2)))
        .expect_err("unknown")
        .to_string();
    assert_eq!(
        err,
        "There is no rule \"sra\" in the Test rule pack; did you mean sar?"
    );
    let err = compute(&pack(), &school(), "ofsted", &from(date(2026, 3, 2)))
        .expect_err("step")
        .to_string();
    assert!(err.contains("next step with no time limit"));
    let err = compute(&pack(), &school(), "sar", &Inputs::default())
        .expect_err("no from")
        .to_string();
    assert!(err.contains("needs the date the clock starts"));
    let posted = Inputs {
        posted: true,
        ..from(date(2026, 3, 2))
    };
    assert!(compute(&pack(), &school(), "sar", &posted).is_err());
    let own = Inputs {
        limit: Some((5, Unit::SchoolDays)),
        ..from(date(2026, 3, 2))
    };
    assert!(
        compute(&pack(), &school(), "sar", &own)
            .expect_err("law")
            .to_string()
            .contains("not set by")
    );
}

#[test]
fn a_pack_with_mistakes_is_refused() {
    let bad_unit = RULES.replace("unit = \"weeks\"", "unit = \"fortnights\"");
    assert!(Pack::from_files(&[("pack.toml", PACK), ("r.toml", &bad_unit)]).is_err());
    let dangling = RULES.replace("if_refused = [\"appeal\"]", "if_refused = [\"nowhere\"]");
    let err = Pack::from_files(&[("pack.toml", PACK), ("r.toml", &dangling)])
        .expect_err("dangling")
        .to_string();
    assert_eq!(
        err,
        "Rule weeks-rule opens nowhere, which is not in the pack."
    );
    let typo = RULES.replace(
        "starts = \"the council receives the request\"",
        "start = \"x\"",
    );
    assert!(Pack::from_files(&[("pack.toml", PACK), ("r.toml", &typo)]).is_err());
}
