//! Templates parse and render; mistakes in templates and missing facts are reported
//! with where they are; the tone check on realistic text written for the purpose.

use casebook_letters::{Templates, tone_check};
use serde_json::json;

fn context() -> serde_json::Value {
    let entry = json!({
        "id": "e5", "date": "25 September 2026 at 16:10", "kind": "phone call",
        "summary": "Phone call with Mrs Carter about the lunchtime incident", "details": null,
        "people": ["Mrs Helen Carter"], "place": "playground", "child_words": "They took my lunch",
        "reported_to": "Mr David Osei", "reported_on": "24 September 2026", "school_response": null,
        "points": ["Alex is scared at lunchtime"], "actions": ["Draft a plan (Ms Shah), by 23 October 2026"],
        "due": "10 October 2026", "until": "9 October 2026", "evidence": "GP letter",
        "span": "5 October 2026 to 9 October 2026, 5 school days",
        "reason": "kept at home until a healthcare plan is in place", "collected": "09:50",
        "asked_by": "Mrs Helen Carter", "reason_given": "Staff not yet trained",
        "review": "16 October 2026", "late_by": "3 weeks and 2 days",
    });
    let out_of_school = json!({
        "from": "2 September 2026", "to": "20 November 2026", "percentage": "88.24%",
        "missed": 14, "possible": 119, "hours_lost": "38 h 30 min",
        "working": ["Attendance: 105 sessions attended out of 119 possible = 88.24%."],
        "weeks": [{ "monday": "5 October 2026", "sessions": 10, "hours": "27 h 30 min" }],
    });
    json!({
        "today": "22 November 2026",
        "family": { "name": "Jo Morgan", "address": null },
        "child": { "name": "Alex Morgan", "first_name": "Alex", "year_group": "Year 6", "needs": ["anxiety"], "diagnoses": [] },
        "setting": { "name": "Millbrook Primary School", "kind": "LA-maintained school" },
        "authority": "Westshire County Council",
        "to": { "name": "Mrs Helen Carter", "salutation": "Mrs Carter", "role": "head teacher", "email": "head@millbrook.example" },
        "head_teacher": null, "senco": null, "chair_of_governors": null,
        "about": [entry.clone()],
        "incidents": [entry.clone()],
        "requests": [entry.clone()],
        "absences": [entry.clone()],
        "sent_home": [entry.clone()],
        "reply_by": "27 November 2026",
        "reply_rule": { "id": "subject-access", "source": "UK GDPR Art. 12(3)", "limit": "1 calendar month" },
        "missing": ["We asked for a safe space at lunchtime"],
        "weak": [],
        "wants_mediation": false,
        "also_to": [],
        "copied": [],
        "proposed": ["Tuesday 24 November 2026"],
        "waited": "7 weeks",
        "earlier": [entry.clone()],
        "enclosed": [],
        "medical": [entry.clone()],
        "part_time": [entry.clone()],
        "asked": [entry.clone()],
        "out_of_school": out_of_school,
        "plan_points": [{
            "place": "Section F, item 1",
            "says": "Alex will have access to speech and language therapy.",
            "ask": "Alex will have speech and language therapy, [who delivers it], [how often], [for how long].",
            "why": "Vague words: \"access to\". Provision in Section F must be detailed and specific and normally quantified, so that everyone can tell what the child must receive; vague wording cannot be enforced.",
        }],
    })
}

#[test]
fn every_built_in_letter_renders_calmly_from_a_full_context() {
    let templates = Templates::load(None).expect("templates");
    assert!(templates.list().count() >= 28);
    for t in templates.list() {
        assert!(
            !t.title.is_empty() && !t.when.is_empty(),
            "{} needs a title and a line on when to use it",
            t.id
        );
        let letter = t
            .render(&context())
            .unwrap_or_else(|e| panic!("{}: {e}", t.id));
        assert!(
            letter.body.starts_with("Dear Mrs Carter,") || letter.body.starts_with("To "),
            "{}:\n{}",
            t.id,
            letter.body
        );
        assert!(
            letter.body.contains("\n\nJo Morgan\n"),
            "{} is not signed",
            t.id
        );
        assert!(
            !letter.body.contains("\n\n\n"),
            "{} leaves blank runs",
            t.id
        );
        assert_eq!(
            tone_check(&letter.body, &[]),
            vec![],
            "{} fails its own tone check",
            t.id
        );
    }
}

#[test]
fn a_missing_fact_is_named_and_a_template_mistake_gives_its_line() {
    let templates = Templates::load(None).expect("templates");
    let mut ctx = context();
    ctx["reply_by"] = serde_json::Value::Null;
    ctx.as_object_mut().expect("object").remove("family");
    let err = templates
        .get("request-policies")
        .expect("template")
        .render(&ctx)
        .expect_err("no family")
        .to_string();
    assert!(
        err.contains("uses something this case does not have"),
        "{err}"
    );

    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("broken.txt"),
        "{#\ntitle: Broken\nwhen: never\n#}\nDear {{ to.name }},\n{% if child.name %}\nunclosed\n",
    )
    .expect("write");
    let err = Templates::load(Some(dir.path()))
        .expect_err("broken template refused")
        .to_string();
    assert!(err.contains("broken.txt has a mistake at line"), "{err}");

    std::fs::write(dir.path().join("broken.txt"), "{#\ntitle: Mine\nwhen: always\n#}\nDear {{ to.salutation }},\nMy own words.\n\n{{ family.name }}\n").expect("write");
    std::fs::write(dir.path().join("request-policies.txt"), "{#\ntitle: My policies letter\nwhen: mine\n#}\nDear {{ to.salutation }},\nPlease send the policies.\n\n{{ family.name }}\n").expect("write");
    let mine = Templates::load(Some(dir.path())).expect("overrides");
    assert_eq!(
        mine.get("request-policies").expect("overridden").title,
        "My policies letter"
    );
    assert!(
        mine.get("broken")
            .expect("added")
            .render(&context())
            .expect("renders")
            .body
            .contains("My own words.")
    );
    assert!(
        mine.get("request-polices")
            .expect_err("typo")
            .to_string()
            .contains("did you mean request-policies")
    );
}

#[test]
fn the_tone_check_flags_what_undermines_a_letter_and_suggests_calmer_words() {
    let angry = "Dear Mrs Carter,\n\
        Your school is USELESS and the teachers are incompetent!!\n\
        That bully Jordan pushed Alex AGAIN and NOBODY DID ANYTHING.\n\
        If this happens again I will sue the school.\n\
        Yours, Jo";
    let findings = tone_check(angry, &[("Jordan Smith".into(), "Child A".into())]);
    let found: Vec<(usize, &str)> = findings
        .iter()
        .map(|f| (f.line, f.found.as_str()))
        .collect();
    for expected in [
        (2, "incompetent"),
        (2, "!!"),
        (3, "bully"),
        (3, "Jordan"),
        (4, "i will sue"),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    assert!(
        found
            .iter()
            .any(|(line, f)| *line == 3 && f.contains("NOBODY DID ANYTHING")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(line, f)| *line == 2 && *f == "USELESS"),
        "{found:?}"
    );
    let jordan = findings.iter().find(|f| f.found == "Jordan").expect("name");
    assert!(jordan.suggestion.contains("Child A"));

    let calm = "Dear Mrs Carter,\n\
        On 15 September 2026 Alex was pushed against the coat pegs in the cloakroom by Child A.\n\
        I reported it to Mr Osei, the SENCO and the SEND team at the LA. The EHC request is attached.\n\
        Please could you tell me by 27 November 2026 what the school will do.\n\
        Yours sincerely, Jo Morgan";
    assert_eq!(
        tone_check(calm, &[("Jordan Smith".into(), "Child A".into())]),
        vec![]
    );
}

mod minutes {
    use casebook_letters::{Match, check_minutes, minutes_text};

    fn points() -> Vec<String> {
        [
            "Alex has been pushed and called names by the same pupil since September",
            "Alex is too anxious to attend on some days and the GP has written about it",
            "We asked the school to put Alex on the SEN register and write a support plan",
            "We asked for a safe space at lunchtime",
        ]
        .map(String::from)
        .to_vec()
    }

    /// The school's own words, in its own order, for everything the family raised.
    const PARAPHRASED: &str = "Notes of meeting, 13 October 2026\n\
        Present: Ms Shah (SENCO), Mr Osei (class teacher), Mrs Morgan (parent).\n\
        1. Ms Shah agreed to consider adding Alex to the SEN register and to draft a support plan.\n\
        2. Mrs Morgan said Alex is frightened at dinner time and asked for a quiet room Alex can use.\n\
        3. Mrs Morgan reported Alex has been hit and name-calling from the same boy since September.\n\
        4. Alex's anxiety about attending was discussed; the GP has written to the school about it on some days of absence.\n";

    /// A softened account: the incidents become a falling-out; the request for a safe
    /// space is left out.
    const SOFTENED: &str = "Notes of meeting\n\
        Mrs Morgan reported some difficulties with another pupil. Mr Osei said there had been a falling-out and the school is monitoring.\n\
        Attendance was discussed: Alex has been anxious about coming in on some days.\n\
        Ms Shah will look at SEN support for Alex and write a plan.\n";

    #[test]
    fn paraphrased_and_reordered_minutes_record_every_point() {
        let checks = check_minutes(&points(), PARAPHRASED, &[]);
        assert_eq!(
            checks.iter().map(|c| c.result).collect::<Vec<_>>(),
            [Match::Found; 4],
            "{checks:#?}"
        );
    }

    #[test]
    fn softened_minutes_show_what_to_correct() {
        let checks = check_minutes(&points(), SOFTENED, &[]);
        let got: Vec<Match> = checks.iter().map(|c| c.result).collect();
        assert_eq!(
            got[0],
            Match::Missing,
            "pushed and called names became 'a falling-out': {:?}",
            checks[0]
        );
        assert_eq!(got[1], Match::CheckWording, "{:?}", checks[1]);
        assert!(
            checks[1]
                .sentence
                .as_deref()
                .is_some_and(|s| s.contains("anxious")),
            "the matched sentence is shown"
        );
        assert_eq!(got[2], Match::Found, "{:?}", checks[2]);
        assert_eq!(got[3], Match::Missing, "the safe space was left out");
    }

    #[test]
    fn minutes_are_read_from_text_and_word_documents_and_refused_otherwise() {
        assert!(minutes_text("m.txt", PARAPHRASED.as_bytes()).is_ok());
        // More than any meeting's minutes: refused before the check's work begins.
        let endless = "The meeting went on. ".repeat(60_000);
        let refused = minutes_text("m.txt", endless.as_bytes()).unwrap_err();
        assert!(refused.to_string().contains("over 1 MB"), "{refused}");
        let docx = word_document(&[
            "Notes of meeting",
            "Mrs Morgan asked for a quiet room at lunch &amp; break.",
        ]);
        let text = minutes_text("m.docx", &docx).expect("docx");
        assert!(
            text.contains("asked for a quiet room at lunch & break."),
            "{text}"
        );
        assert!(
            minutes_text("m.pdf", b"%PDF-1.7 ...")
                .expect_err("pdf")
                .to_string()
                .contains("is not a PDF casebook can read")
        );
        assert!(
            minutes_text("m.docx", b"PK\x03\x04 not really a zip")
                .expect_err("broken")
                .to_string()
                .contains("not a Word document")
        );
        assert!(
            minutes_text("m.bin", &[0xff, 0xfe, 0x00])
                .expect_err("binary")
                .to_string()
                .contains("not a text file")
        );
    }

    /// The smallest .docx Word and LibreOffice open: the document part is all the check reads.
    fn word_document(paragraphs: &[&str]) -> Vec<u8> {
        use std::io::Write;
        let body: String = paragraphs
            .iter()
            .map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"))
            .collect();
        let xml = format!(
            "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
        );
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .expect("start");
        zip.write_all(xml.as_bytes()).expect("write");
        zip.finish().expect("finish");
        out.into_inner()
    }
}

/// Every letter's wording, rendered from the fixed context, against the reviewed copy in
/// tests/snapshots/. A change in wording fails here until the snapshot is updated on
/// purpose: `UPDATE_SNAPSHOTS=1 cargo test -p casebook-letters`, then review the diff.
#[test]
fn the_wording_of_every_letter_matches_its_reviewed_snapshot() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let templates = Templates::load(None).expect("templates");
    let mut changed = Vec::new();
    for t in templates.list() {
        let letter = t.render(&context()).expect("renders");
        let rendered = format!("Subject: {}\n\n{}", letter.subject, letter.body);
        let path = dir.join(format!("{}.txt", t.id));
        if update {
            std::fs::write(&path, &rendered).expect("write snapshot");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(rendered.as_str()) {
            changed.push(t.id.clone());
        }
    }
    assert!(
        changed.is_empty(),
        "wording changed for {changed:?}: review, then UPDATE_SNAPSHOTS=1"
    );
}
