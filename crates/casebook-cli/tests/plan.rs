//! `casebook plan check` as a family runs it, on the plans of casebook-plans' corpus
//! (their keys are scored there); here the command, its output and a PDF plan.

use std::path::PathBuf;

use crate::harness::Casebook;

fn corpus_plan(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../casebook-plans/tests/plans")
        .join(name)
}

/// (kind, section, item) of each finding, and the quoted words with their spaces made one.
fn findings(report: &serde_json::Value) -> Vec<(String, String, u64, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().expect("kind").to_owned(),
                f["section"].as_str().expect("section").to_owned(),
                f["item"].as_u64().expect("item"),
                f["quote"]
                    .as_str()
                    .expect("quote")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .collect()
}

/// The Westfield plan laid out by casebook's typst (the letter layout, which wraps its
/// long lines where the page ends, as a council's PDF does) reads as its text does.
#[test]
fn a_plan_as_a_pdf_is_checked_as_its_text_is() {
    let cb = Casebook::new();
    let text = std::fs::read_to_string(corpus_plan("westfield-final.txt")).expect("plan");
    let pdf = casebook_bundle::letter_pdf(&casebook_bundle::LetterPage {
        date: "1 September 2026",
        subject: "Education, Health and Care Plan",
        body: &text,
    })
    .expect("typst lays it out");
    std::fs::write(cb.path("plan.pdf"), pdf).expect("write");
    let from_text = cb.json(&[
        "plan",
        "check",
        corpus_plan("westfield-final.txt").to_str().expect("path"),
    ]);
    let from_pdf = cb.json(&["plan", "check", cb.path("plan.pdf").to_str().expect("path")]);
    assert!(!findings(&from_text).is_empty());
    assert_eq!(findings(&from_pdf), findings(&from_text));
    assert_eq!(from_pdf["sections"], from_text["sections"]);
    assert_eq!(from_pdf["draft"], false);
}

#[test]
fn a_family_reads_each_finding_with_its_words_reason_and_source() {
    let cb = Casebook::new();
    let plan = corpus_plan("northshire-draft.txt");
    let out = cb.ok(&["plan", "check", plan.to_str().expect("path")]);
    assert!(out.contains("(a draft plan)"), "{out}");
    assert!(
        out.contains("Sections found: A, B, C, D, E, F, G, H, I, J, K."),
        "{out}"
    );
    let first = out
        .split("\n\n")
        .find(|part| part.starts_with("Section F, item 1: vague wording"))
        .unwrap_or_else(|| panic!("no finding for F1: {out}"));
    assert!(first.contains("\"Alex will have access to speech and language therapy.\""));
    assert!(first.contains("Vague words: \"access to\"."));
    assert!(first.contains("Source: SEND Code of Practice 0-25 (2015) paragraph 9.69"));
    assert!(first.contains("[verify]"), "{first}");
    // s.38(5) was read in the issue that asked for the check: no [verify].
    let draft = out
        .split("\n\n")
        .find(|part| part.starts_with("Section I, item 1: placement"))
        .unwrap_or_else(|| panic!("no finding for Section I: {out}"));
    assert!(
        draft
            .lines()
            .any(|l| l == "  Source: Children and Families Act 2014 s.38(5)"),
        "{draft}"
    );
    // Told it is the final plan, the school named in Section I is what it should be.
    let as_final = cb.json(&["plan", "check", plan.to_str().expect("path"), "--final"]);
    assert!(findings(&as_final).iter().all(|f| f.1 != "I"));
}

#[test]
fn what_is_not_a_plan_is_refused_with_a_sentence() {
    let cb = Casebook::new();
    let letter = cb.file(
        "letter.txt",
        "Dear Mrs Carter,\n\nThank you for meeting us.\n",
    );
    assert_eq!(
        cb.refused(&["plan", "check", &letter]),
        format!(
            "{letter} has none of the headings of an EHC plan (such as \"Section F\" or \"Special educational provision\"): is it the plan?"
        )
    );
    let missing = cb.path("nowhere.pdf").display().to_string();
    assert!(
        cb.refused(&["plan", "check", &missing])
            .starts_with(&format!("{missing} cannot be read:"))
    );
    let scan = cb.path("scan.pdf");
    std::fs::write(&scan, b"%PDF-1.4 not really").expect("write");
    assert!(
        cb.refused(&["plan", "check", scan.to_str().expect("path")])
            .ends_with("is not a PDF casebook can read.")
    );
    // More text than any plan: the checks' work grows with the square of the plan.
    let long = cb.file(
        "long.txt",
        &format!(
            "Section F: Provision\n{}",
            "Support as required. ".repeat(120_000)
        ),
    );
    assert_eq!(
        cb.refused(&["plan", "check", &long]),
        format!("{long} holds more text than any EHC plan (over 2 MB): is it the plan?")
    );
    // A working document needs something to question, and somewhere to be written.
    let good = corpus_plan("westfield-final.txt");
    let nowhere = cb.path("no/such/folder/working.docx");
    assert!(
        !cb.refused(&[
            "plan",
            "working-document",
            good.to_str().expect("path"),
            "--out",
            nowhere.to_str().expect("path"),
        ])
        .is_empty()
    );
    assert!(!nowhere.exists());
    let sound = cb.file(
        "sound.txt",
        "Section F: Provision\n1. 30 minutes of speech and language therapy each week from a qualified speech and language therapist.\n",
    );
    let out = cb.path("working.docx");
    assert_eq!(
        cb.refused(&[
            "plan",
            "working-document",
            &sound,
            "--out",
            out.to_str().expect("path")
        ]),
        format!(
            "The check found nothing to question in {sound}, so there is no working document to draft."
        )
    );
    assert!(!out.exists());
    // A file larger than any plan is refused before it is read.
    let huge = cb.path("huge.txt");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(60 << 20))
        .expect("a sparse file");
    assert!(
        cb.refused(&["plan", "check", huge.to_str().expect("path")])
            .ends_with("is larger than any EHC plan (60 MB): is it the plan?")
    );
}

/// A case with the council's SEN officer, Ms Rivers, in it.
fn with_sen_officer() -> Casebook {
    let cb = Casebook::new().with_case();
    cb.ok(&[
        "person",
        "add",
        "--name",
        "Ms Rivers",
        "--role",
        "la-sen-officer",
    ]);
    cb
}

/// The Northshire draft plan logged as received on 18 November 2026, with its file;
/// the entry's id.
fn log_draft_plan(cb: &Casebook) -> String {
    let plan = corpus_plan("northshire-draft.txt");
    cb.ok(&[
        "log",
        "document",
        "--occurred",
        "2026-11-18",
        "--summary",
        "Draft EHC plan received",
        "--document-type",
        "plan:ehc-draft",
        "--attach",
        plan.to_str().expect("path"),
    ])
    .trim()
    .to_owned()
}

fn amended(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../casebook-plans/tests/amendments")
        .join(name)
        .display()
        .to_string()
}

/// The family compares the plan with the proposed amendments on the day they arrive:
/// what was taken away comes first, and the comments are due 15 days counted from the
/// day of service (reg 22(2)(c): 7 to 21 December 2026, counted by hand).
#[test]
fn an_amended_plan_is_compared_and_the_comments_clock_started() {
    let cb = Casebook::new();
    let (old, new) = (
        amended("northshire-2026.txt"),
        amended("northshire-2027.txt"),
    );
    let out = cb.ok(&["plan", "compare", &old, &new, "--served", "2026-12-07"]);
    let removed = out.find("Removed (1):").expect("removed");
    let weakened = out.find("Weakened (4):").expect("weakened");
    let harmless = out.find("Harmless edit (1):").expect("harmless");
    assert!(removed < weakened && weakened < harmless, "{out}");
    assert!(
        out.contains("    - 45 minutes became 30 minutes\n"),
        "{out}"
    );
    assert!(
        out.ends_with(
            "Your comments on the proposed amendments: by Monday 21 December 2026 (SEND Regulations 2014 regulation 22(2)(c): 15 calendar days)."
        ),
        "{out}"
    );
    let json = cb.json(&["plan", "compare", &old, &new, "--served", "2026-12-07"]);
    assert_eq!(json["comments_due"]["due"], "2026-12-21");
    assert_eq!(
        json["comparison"]["changes"].as_array().map(Vec::len),
        Some(10)
    );
    let refused = cb.refused(&["plan", "compare", &old, &new, "--served", "2026-13-40"]);
    assert!(
        refused.ends_with("(the date given with --served)."),
        "{refused}"
    );
}

/// The working document opens in python-docx: a table of the questioned items, the
/// family's wording with the vague words struck through and the gaps and the
/// professional's recommendation in bold.
#[test]
fn the_working_document_opens_in_word_with_deletions_struck_and_additions_bold() {
    let cb = Casebook::new();
    let plan = corpus_plan("northshire-draft.txt");
    let out = cb.path("working.docx");
    let said = cb.ok(&[
        "plan",
        "working-document",
        plan.to_str().expect("path"),
        "--out",
        out.to_str().expect("path"),
    ]);
    assert!(
        said.starts_with("Wrote the working document for "),
        "{said}"
    );
    let read = python(
        "import docx, json, sys\n\
             table = docx.Document(sys.argv[1]).tables[0]\n\
             rows = [[[{'text': r.text, 'bold': bool(r.bold), 'struck': bool(r.font.strike)} for r in c.paragraphs[0].runs] for c in row.cells] for row in table.rows]\n\
             print(json.dumps(rows))",
        &out,
    );
    let rows: serde_json::Value = serde_json::from_str(&read).expect("JSON");
    let rows = rows.as_array().expect("rows");
    let text = |cell: &serde_json::Value| -> String {
        cell.as_array()
            .expect("runs")
            .iter()
            .map(|r| r["text"].as_str().expect("text"))
            .collect()
    };
    let header: Vec<String> = rows[0]
        .as_array()
        .expect("cells")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        header,
        [
            "Section and item",
            "The council's wording",
            "Your wording",
            "Reason",
            "Evidence"
        ]
    );
    let row = |place: &str| {
        rows.iter()
            .find(|r| text(&r[0]) == place)
            .unwrap_or_else(|| panic!("no row for {place}"))
    };
    let runs = |place: &str, kind: &str| -> Vec<String> {
        row(place)[2]
            .as_array()
            .expect("runs")
            .iter()
            .filter(|r| r[kind] == true)
            .map(|r| r["text"].as_str().expect("text").to_owned())
            .collect()
    };
    // Counted by hand from the plan: F1 says "access to" and gives no quantity.
    assert_eq!(runs("Section F, item 1", "struck"), ["access to"]);
    assert_eq!(
        runs("Section F, item 1", "bold"),
        [", [who delivers it], [how often], [for how long]"]
    );
    assert_eq!(
        runs("Section F, item 6", "struck"),
        ["Support from", "an adult", "as required"]
    );
    // The occupational therapist's recommendation replaces the watered-down item.
    let f10 = row("Section F, item 10");
    assert!(text(&f10[1]).starts_with("An occupational therapy programme"));
    assert_eq!(runs("Section F, item 10", "struck"), [text(&f10[1])]);
    assert!(runs("Section F, item 10", "bold")[0].starts_with(
        "30 minutes of direct occupational therapy for handwriting weekly from an occupational therapist, for 12 weeks"
    ));
    assert_eq!(
        text(&f10[4]),
        "Occupational therapy advice (Mr T Okafor, 20 March 2026)"
    );
    // Well-specified items are not in it.
    assert!(!rows.iter().any(|r| text(&r[0]) == "Section F, item 2"));
}

/// The draft plan the council sent is logged with its file; the letter commenting on it
/// quotes each questioned item with the wording the family asks for (worked out by hand
/// from the plan: "access to" struck, the three quantities it does not give asked for).
/// A letter about a file that is not a plan asks in general terms.
#[test]
fn the_comments_letter_on_a_draft_plan_quotes_each_point_and_asks_for_wording() {
    let cb = with_sen_officer();
    let logged = log_draft_plan(&cb);
    let letter = cb.ok(&[
        "letter",
        "comment-draft-ehc-plan",
        "--to",
        "Ms Rivers",
        "--about",
        logged.trim(),
    ]);
    assert!(
        letter.contains(
            "Section F, item 1. The draft says: \"Alex will have access to speech and language therapy.\"\nI ask that it says: \"Alex will have speech and language therapy, [who delivers it], [how often], [for how long].\""
        ),
        "{letter}"
    );
    assert!(letter.contains("Section F (new): there is nothing in the draft about this.\nI ask that it says: \"[Provision for Anxiety: "), "{letter}");
    assert!(
        !letter.contains("please make the provision specific"),
        "{letter}"
    );
    let note = cb.file("note.txt", "Notes from the phone call.\n");
    let other = cb.ok(&[
        "log",
        "document",
        "--occurred",
        "2026-11-19",
        "--summary",
        "Call notes",
        "--document-type",
        "other",
        "--attach",
        &note,
    ]);
    let general = cb.ok(&[
        "letter",
        "comment-draft-ehc-plan",
        "--to",
        "Ms Rivers",
        "--about",
        other.trim(),
    ]);
    assert!(
        general.contains("Section F (provision): please make the provision specific"),
        "{general}"
    );
}

/// Logging the draft plan starts the family's clock for comments: 15 days beginning with
/// the day it was served (18 November to 2 December 2026, counted by hand); once they
/// have sent something about the draft, the step is done. It also shows the council's
/// last day for the final plan: 20 weeks from the request for the assessment (1 June to
/// 19 October 2026, counted by hand), until a final plan is logged.
#[test]
fn a_logged_draft_plan_starts_the_comments_clock_until_the_family_writes() {
    let cb = with_sen_officer();
    cb.ok(&[
        "request",
        "ehc-assessment-decision",
        "--sent",
        "2026-06-01",
        "--to",
        "Ms Rivers",
    ]);
    let draft = log_draft_plan(&cb);
    let final_plan = |next: &serde_json::Value| -> Vec<String> {
        next["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .filter(|s| s["rule"] == "ehc-final-plan")
            .map(|s| s["due"].as_str().expect("due").to_owned())
            .collect()
    };
    assert_eq!(final_plan(&cb.json(&["next"])), ["2026-10-19"]);
    let comments = |next: &serde_json::Value| -> Vec<serde_json::Value> {
        next["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .filter(|s| s["rule"] == "ehc-draft-comments")
            .cloned()
            .collect()
    };
    let open = comments(&cb.json(&["next"]));
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0]["due"], "2026-12-02");
    assert_eq!(open[0]["entry"], draft.trim());
    cb.ok(&[
        "log",
        "email",
        "--occurred",
        "2026-11-19",
        "--summary",
        "Comments on the draft plan sent",
        "--direction",
        "sent",
        "--about",
        draft.trim(),
    ]);
    assert!(comments(&cb.json(&["next"])).is_empty());
    let plan = corpus_plan("westfield-final.txt");
    cb.ok(&[
        "log",
        "document",
        "--occurred",
        "2026-11-27",
        "--summary",
        "Final EHC plan received",
        "--document-type",
        "plan:ehc-final",
        "--attach",
        plan.to_str().expect("path"),
    ]);
    assert!(final_plan(&cb.json(&["next"])).is_empty());
}

/// The report as a web page for an adviser: every word from the plan escaped, read back
/// with Python's HTML parser. A plan carrying markup shows it as text.
#[test]
fn the_report_as_a_web_page_escapes_what_the_plan_says() {
    let cb = Casebook::new();
    let text = std::fs::read_to_string(corpus_plan("northshire-draft.txt"))
        .expect("plan")
        .replace(
            "1. Alex will have access to speech and language therapy.",
            "1. Alex will have access to <script>alert(1)</script> therapy.",
        );
    let plan = cb.file("plan.txt", &text);
    let page = cb.path("report.html");
    cb.ok(&[
        "plan",
        "check",
        &plan,
        "--html",
        page.to_str().expect("path"),
    ]);
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(!html.contains("<script>"), "{html}");
    let said = python(
        "import html.parser, sys\n\
             class P(html.parser.HTMLParser):\n\
             \x20   def __init__(self):\n\
             \x20       super().__init__(); self.tags = []; self.text = []\n\
             \x20   def handle_starttag(self, tag, attrs): self.tags.append(tag)\n\
             \x20   def handle_data(self, data): self.text.append(data)\n\
             p = P(); p.feed(open(sys.argv[1]).read())\n\
             print(p.tags.count('script'), p.tags.count('h2'), p.tags.count('li'))\n\
             print(''.join(p.text))",
        &page,
    );
    let (counts, text) = said.split_once('\n').expect("two parts");
    // No script element; a heading for each of B, C, E, F, G, I and K; the 21 findings.
    assert_eq!(counts, "0 7 21");
    assert!(text.contains("Alex will have access to <script>alert(1)</script> therapy."));
}

/// What a Python script given `file` prints (another program's reading of our output).
fn python(script: &str, file: &std::path::Path) -> String {
    let out = std::process::Command::new("python3")
        .args(["-c", script, file.to_str().expect("path")])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// With the case's reports logged, the working document's evidence gives each report's
/// exhibit number as the bundle of the whole case numbers it: checked against the
/// bundle casebook writes ("Exhibit X1: ot-report.txt").
#[test]
fn the_working_document_names_the_exhibits_of_the_reports_in_the_case() {
    let cb = Casebook::new().with_case();
    log_draft_plan(&cb);
    let report = |date: &str, kind: &str, name: &str| {
        let file = cb.file(name, "The report's text.\n");
        cb.ok(&[
            "log",
            "document",
            "--occurred",
            date,
            "--summary",
            name,
            "--document-type",
            kind,
            "--attach",
            &file,
        ]);
    };
    report("2026-03-20", "report:occupational-therapy", "ot-report.txt");
    report(
        "2026-04-02",
        "report:educational-psychologist",
        "ep-report.txt",
    );
    let out = cb.path("working.docx");
    cb.ok(&[
        "plan",
        "working-document",
        corpus_plan("northshire-draft.txt").to_str().expect("path"),
        "--out",
        out.to_str().expect("path"),
    ]);
    let evidence = python(
        "import docx, sys\n\
         for row in docx.Document(sys.argv[1]).tables[0].rows[1:]:\n\
         \x20   if row.cells[4].text: print(row.cells[4].text)",
        &out,
    );
    let bundle = cb.path("bundle.html");
    cb.ok(&[
        "bundle",
        "--format",
        "html",
        "--out",
        bundle.to_str().expect("path"),
    ]);
    let bundled = std::fs::read_to_string(&bundle).expect("bundle");
    let exhibit = |name: &str| -> String {
        let at = bundled
            .find(&format!(": {name}</h3>"))
            .unwrap_or_else(|| panic!("{name} in the bundle"));
        let start = bundled[..at].rfind("Exhibit ").expect("a heading") + "Exhibit ".len();
        bundled[start..at].to_owned()
    };
    assert_eq!(
        evidence,
        format!(
            "Occupational therapy advice (Mr T Okafor, 20 March 2026): exhibit {} in a bundle of the whole case\n\
             Educational psychology advice (Dr S Hughes, 2 April 2026): exhibit {} in a bundle of the whole case\n",
            exhibit("ot-report.txt"),
            exhibit("ep-report.txt")
        )
    );
}
