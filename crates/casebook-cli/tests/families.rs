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
