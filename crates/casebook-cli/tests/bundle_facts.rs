//! Every fact the family recorded reaches the panel: a case with one entry of every
//! kind, every fact filled, bundled as PDF and HTML, and each fact looked for in the
//! part of the bundle an adviser would look in, as pdftotext and Python's HTML parser
//! read them.

use std::collections::BTreeMap;
use std::process::Command;

use crate::bundle::tool;
use crate::every_kind::log_every_kind;
use crate::harness::Casebook;

/// The text of each part of the HTML bundle, by its title, as Python's html.parser
/// reads it.
fn html_parts(cb: &Casebook, file: &str) -> BTreeMap<String, String> {
    const READER: &str = r#"
import html.parser, json, sys
class Parts(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.title, self.in_h2, self.part = {}, None, False, None
    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.part = ""
        if tag == "h2" and self.part == "":
            self.in_h2 = True
    def handle_endtag(self, tag):
        if tag == "h2":
            self.in_h2 = False
        if tag == "section" and self.title:
            self.parts[self.title] = self.part
            self.part, self.title = None, None
    def handle_data(self, data):
        if self.in_h2:
            self.title = data.split(". ", 1)[1]
        elif self.part is not None:
            self.part += data + " "
p = Parts()
p.feed(open(sys.argv[1], encoding="utf-8").read())
print(json.dumps(p.parts))
"#;
    let out = Command::new("python3")
        .args(["-c", READER, file])
        .current_dir(cb.dir.path())
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("parts as JSON")
}

/// The text of each part of the PDF bundle, by its title: a part starts at the line
/// "N. Title" (the index's lines carry dot leaders and page numbers).
fn pdf_parts(cb: &Casebook, file: &str, titles: &[String]) -> BTreeMap<String, String> {
    let text = tool("pdftotext", &[file, "-"], cb);
    let mut parts = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let heading = titles
            .iter()
            .enumerate()
            .find(|(n, t)| line.trim() == format!("{}. {t}", n + 1));
        if let Some((_, title)) = heading {
            current = Some(title.clone());
            continue;
        }
        if let Some(title) = &current {
            let part: &mut String = parts.entry(title.clone()).or_default();
            part.push_str(line);
            part.push(' ');
        }
    }
    parts
}

/// The words alone: the PDF sets "Place: lunch hall" where the HTML has a term and its
/// description, and lines break where the page ends.
fn words(text: &str) -> String {
    text.replace(':', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_fact_of_every_kind_is_in_the_right_part_of_both_bundles() {
    let cb = Casebook {
        today: "2026-03-20",
        ..Casebook::new()
    }
    .with_case();
    log_every_kind(&cb);
    let minutes = cb.file(
        "minutes.txt",
        "Notes of the meeting of 10 March 2026.\n\nMrs Taylor asked for a safety plan. Mrs Patel agreed to send a safety plan by 17 March.\n",
    );
    cb.ok(&[
        "log",
        "document",
        "--occurred",
        "2026-03-16",
        "--summary",
        "Minutes of the meeting with the head",
        "--document-type",
        "minutes",
        "--minutes-of",
        "e8",
        "--attach",
        &minutes,
    ]);
    cb.ok(&[
        "amend",
        "e1",
        "--summary",
        "Pushed over in the lunch queue by the serving hatch",
        "--reason",
        "Left out where exactly",
    ]);

    // (part, fact): each must be in that part, in both formats.
    let incidents = "Incidents and what the family saw at home";
    let expected: &[(&str, &str)] = &[
        ("Facts in dispute", "What the school said Will monitor"),
        (
            "Facts in dispute",
            "The school's word for it \u{201c}niggle\u{201d}",
        ),
        (incidents, "Place lunch hall"),
        (incidents, "Kind physical, prejudice-based"),
        (incidents, "Prejudice disability"),
        (
            incidents,
            "In the child's own words \u{201c}He said nobody would believe me\u{201d}",
        ),
        (incidents, "Involved Child A"),
        (incidents, "Seen by Mr Jones"),
        (incidents, "Harm Bruised elbow"),
        (incidents, "Reported to Mrs Patel, on 3 March 2026"),
        (incidents, "What the school said Will monitor"),
        (incidents, "The school's word for it \u{201c}niggle\u{201d}"),
        (incidents, "Corrected on 20 March 2026"),
        (incidents, "Left out where exactly"),
        (
            incidents,
            "First written as: Pushed over in the lunch queue",
        ),
        (incidents, "Seen at home sleep problems, distress"),
        (
            incidents,
            "In the child's own words \u{201c}I don't want to go\u{201d}",
        ),
        (
            "Meetings and minutes",
            "Who was there 2 for the school (Mrs Patel, Mr Jones)",
        ),
        ("Meetings and minutes", "Purpose Lunchtime safety"),
        ("Meetings and minutes", "Sam is scared of the lunch queue"),
        ("Meetings and minutes", "We asked for a safety plan"),
        (
            "Meetings and minutes",
            "Send a safety plan: Mrs Patel, by 17 March 2026, a date now passed",
        ),
        (
            "Meetings and minutes",
            "1 of the 2 points raised is left out or changed",
        ),
        ("Meetings and minutes", "Confirmed in writing not yet"),
        (
            "Absences",
            "Away from 11 March 2026 to 13 March 2026: 3 school days",
        ),
        ("Absences", "Sessions missed 6"),
        ("Absences", "Reason anxiety or mental health"),
        ("Absences", "Authorised yes"),
        ("Absences", "Evidence GP letter"),
        ("Correspondence", "Subject Our call this morning"),
        ("Correspondence", "Confirms in writing e2"),
        ("Correspondence", "From Mrs Patel"),
        ("Correspondence", "Asked of Mrs Patel"),
        ("Correspondence", "Reply due by 26 March 2026"),
        ("Reports, plans and decisions", "Decided by the school"),
        ("Reports, plans and decisions", "Outcome not upheld"),
        ("Policies", "Title Anti-bullying policy 2025"),
        ("Policies", "Issued by Oakfield Primary"),
    ];

    cb.ok(&[
        "bundle",
        "--format",
        "html",
        "--out",
        "bundle.html",
        "--skip-unreadable",
    ]);
    cb.ok(&[
        "bundle",
        "--format",
        "pdf",
        "--out",
        "bundle.pdf",
        "--skip-unreadable",
    ]);
    let html = html_parts(&cb, "bundle.html");
    let titles: Vec<String> = {
        let raw = std::fs::read_to_string(cb.path("bundle.html")).expect("html");
        // The parts in their order, as the HTML numbers them.
        let mut titles = Vec::new();
        for n in 1.. {
            let Some(at) = raw.find(&format!("<section id=\"part-{n}\"><h2>{n}. ")) else {
                break;
            };
            let rest = &raw[at..];
            let start = rest.find(". ").expect("title") + 2;
            let end = rest.find("</h2>").expect("end of title");
            titles.push(rest[start..end].replace("&#39;", "'"));
        }
        titles
    };
    let pdf = pdf_parts(&cb, "bundle.pdf", &titles);
    for (format, parts) in [("HTML", &html), ("PDF", &pdf)] {
        for (part, fact) in expected {
            let text = words(parts.get(*part).map_or("", String::as_str));
            assert!(
                text.contains(&words(fact)),
                "{format}: \"{fact}\" is not in the part \"{part}\": {text}"
            );
        }
        // The other child is named nowhere.
        assert!(
            !parts.values().any(|t| t.contains("Jordan")),
            "{format} names the other child"
        );
    }
    // The cover speaks to a lay reader.
    let raw = std::fs::read_to_string(cb.path("bundle.html")).expect("html");
    assert!(raw.contains("How to check this document has not been changed"));
    assert!(!raw.contains("`casebook verify`"));
    assert!(!raw.contains("Log head"));
}

/// A reply that came after its due date stays late in the bundle: "answered 5 days
/// late", the days counted by hand from the due date the request was given.
#[test]
fn a_reply_after_its_due_date_is_shown_late_in_the_bundle() {
    let cb = Casebook::new().with_case();
    cb.ok(&[
        "log",
        "request",
        "--occurred",
        "2026-03-06",
        "--summary",
        "Asked for Sam's records",
        "--to",
        "Mrs Patel",
        "--due",
        "2026-04-06",
    ]);
    cb.ok(&[
        "log",
        "email",
        "--occurred",
        "2026-04-11",
        "--direction",
        "received",
        "--summary",
        "The school sent the records",
        "--answers",
        "e1",
    ]);
    cb.ok(&["bundle", "--format", "html", "--out", "late.html"]);
    let text = words(
        &html_parts(&cb, "late.html")
            .into_values()
            .collect::<Vec<_>>()
            .join(" "),
    );
    assert!(text.contains("answered 5 days late"), "{text}");
}
