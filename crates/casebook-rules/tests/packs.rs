//! The built-in packs against their hand-worked expectations: every deadline rule has
//! at least one date counted by hand from its source, and every one must match.

use casebook_calendar::{Calendar, TermCalendar};
use casebook_rules::{Inputs, Pack, RuleKind, builtin_pack, compute};
use jiff::civil::Date;
use serde::Deserialize;

#[derive(Deserialize)]
struct Expected {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    rule: String,
    from: toml::value::Datetime,
    certificate: Option<toml::value::Datetime>,
    #[serde(default)]
    posted: bool,
    due: toml::value::Datetime,
    working: String,
}

fn date(d: &toml::value::Datetime) -> Date {
    let d = d.date.expect("a date");
    jiff::civil::date(d.year as i16, d.month as i8, d.day as i8)
}

fn check(pack: &Pack, calendar: &Calendar, expected: &str) {
    let expected: Expected = toml::from_str(expected).expect("expected cases");
    for case in &expected.case {
        let inputs = Inputs {
            from: Some(date(&case.from)),
            certificate: case.certificate.as_ref().map(date),
            posted: case.posted,
            limit: None,
        };
        let got = compute(pack, calendar, &case.rule, &inputs).expect("computes");
        assert_eq!(
            got.due,
            date(&case.due),
            "{}: {}\nexplanation: {:#?}",
            case.rule,
            case.working,
            got.explanation
        );
    }
    for rule in pack.rules.iter().filter(|r| r.kind == RuleKind::Deadline) {
        assert!(
            expected.case.iter().any(|c| c.rule == rule.id),
            "{} has no hand-worked case",
            rule.id
        );
    }
}

#[test]
fn every_england_deadline_matches_its_hand_worked_date() {
    let pack = builtin_pack("england").expect("pack");
    let terms =
        TermCalendar::from_toml(include_str!("../../../rules/example-terms.toml")).expect("terms");
    check(
        &pack,
        &Calendar::new(pack.holidays, Some(terms)),
        include_str!("../../../rules/england/expected.toml"),
    );
}

#[test]
fn every_idea_deadline_matches_its_hand_worked_date() {
    let pack = builtin_pack("us-idea").expect("pack");
    check(
        &pack,
        &Calendar::new(pack.holidays, None),
        include_str!("../../../rules/us-idea/expected.toml"),
    );
}

#[test]
fn the_england_pack_has_every_rule_the_spec_names_and_carries_verify_flags() {
    let pack = builtin_pack("england").expect("pack");
    for id in [
        "ehc-assessment-decision",
        "ehc-no-plan-decision",
        "ehc-final-plan",
        "ehc-draft-comments",
        "annual-review-decision",
        "mediation-certificate",
        "mediation-held",
        "tribunal-appeal",
        "subject-access",
        "educational-record",
        "foi",
        "complaint-stage-1-response",
        "complaint-stage-2-panel",
        "exclusion-governors-review",
        "exclusion-review-panel-application",
        "disability-discrimination-claim",
        "lgsco-complaint",
    ] {
        assert!(pack.rule(id).is_ok(), "{id} missing");
    }
    // The reference marks these [verify]; the pack must carry the flag through.
    for id in [
        "tribunal-appeal",
        "mediation-held",
        "annual-review-decision",
        "ehc-advice",
    ] {
        assert!(
            pack.rule(id).expect("rule").verify,
            "{id} should be marked verify"
        );
    }
    assert!(pack.advice.iter().any(|a| a.name == "IPSEA"));
    assert!(builtin_pack("narnia").is_err());
}
