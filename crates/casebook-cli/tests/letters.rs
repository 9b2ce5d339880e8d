//! Letters drafted from the demonstration case, recorded as sent, and checked for tone.

use crate::harness::Casebook;

/// Who each letter goes to in the demonstration case, and the entry it is about: the
/// late request for a chaser, the absence for an illness letter, otherwise the meeting.
fn recipient_and_entry(id: &str) -> (&'static str, &'static str) {
    let to = if id.contains("ehc") || id.contains("section-19") || id.starts_with("council-late") {
        "Mr Ian Fletcher"
    } else {
        "Mrs Carter"
    };
    let about = match id {
        "chase-reply" => "e9",
        "notify-illness-absence" => "e10",
        _ => "e12",
    };
    (to, about)
}

fn demo() -> Casebook {
    let cb = Casebook {
        today: "2026-11-22",
        ..Casebook::new()
    };
    cb.ok(&["demo"]);
    cb
}

/// The demonstration case has no day Alex was sent home and no part-time timetable,
/// which two letters are about.
fn sent_home_once(cb: &Casebook) {
    cb.ok(&[
        "log",
        "absence",
        "--occurred",
        "2026-11-02T10:30",
        "--reason",
        "part-time-timetable",
        "--until",
        "2026-11-13",
        "--summary",
        "Mornings only for two weeks",
    ]);
    cb.ok(&[
        "log",
        "absence",
        "--occurred",
        "2026-11-17T09:20",
        "--reason",
        "sent-home",
        "--summary",
        "Sent home after drop-off",
    ]);
}

#[test]
fn every_letter_drafts_from_the_demonstration_case() {
    let cb = demo();
    sent_home_once(&cb);
    let list = cb.json(&["letter", "--list"]);
    let ids: Vec<String> = list
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|t| t["id"].as_str().map(String::from))
        .collect();
    assert!(ids.len() >= 28, "{ids:?}");
    for id in &ids {
        // Each letter gets what its header says it needs.
        let (to, about) = recipient_and_entry(id);
        let letter = cb.json(&["letter", id, "--to", to, "--about", about]);
        let body = letter["body"].as_str().expect("body");
        assert!(
            body.starts_with("Dear M") || body.starts_with("To "),
            "{id}: {body}"
        );
        // Requests about the school as a whole rightly leave the child out.
        if !matches!(id.as_str(), "foi-request" | "refer-ofsted") {
            assert!(body.contains("Alex"), "{id}");
        }
        assert!(!body.contains("Tyler"), "{id} names another child: {body}");
        assert_eq!(letter["tone"], serde_json::json!([]), "{id}");
    }
    let sar = cb.ok(&["letter", "subject-access-request", "--to", "Mrs Carter"]);
    assert!(
        sar.contains("by 22 December 2026"),
        "one calendar month from 22 November: {sar}"
    );
}

#[test]
fn an_email_letter_is_a_real_email() {
    let cb = demo();
    cb.ok(&[
        "letter",
        "request-policies",
        "--to",
        "Mrs Carter",
        "--format",
        "eml",
        "--from-email",
        "jo@example.org",
        "--out",
        "policies.eml",
    ]);
    let parsed = std::process::Command::new("python3")
        .arg("-c")
        .arg("import email,sys; m=email.message_from_file(open(sys.argv[1])); print(m['To']); print(m['From']); print(m['Subject']); print(m.get_payload(decode=True).decode())")
        .arg(cb.path("policies.eml"))
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&parsed.stdout);
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    assert!(
        text.contains("head@millbrook.example") && text.contains("jo@example.org"),
        "{text}"
    );
    assert!(
        text.contains("Request for school policies") && text.contains("the anti-bullying policy"),
        "{text}"
    );
    assert!(
        cb.refused(&[
            "letter",
            "request-policies",
            "--to",
            "Mrs Carter",
            "--format",
            "eml"
        ])
        .contains("needs your address")
    );
    assert!(
        cb.refused(&[
            "letter",
            "request-policies",
            "--to",
            "Tyler Brooks",
            "--format",
            "eml",
            "--from-email",
            "jo@example.org"
        ])
        .contains("no email address")
    );
}

/// A written confirmation asks for corrections by a date, and says silence means
/// agreement: it confirms the call, and no reply is waited for, so nothing goes late.
#[test]
fn a_sent_confirmation_confirms_the_call_and_waits_for_no_reply() {
    let mut cb = demo();
    assert_eq!(
        cb.json(&["timeline", "--kind", "call"])[1]["unconfirmed"],
        true
    );
    let requests = |cb: &Casebook| {
        cb.json(&["timeline", "--kind", "request"])
            .as_array()
            .map_or(0, Vec::len)
    };
    let before = requests(&cb);
    let confirm = [
        "letter",
        "confirm-in-writing",
        "--about",
        "e17",
        "--to",
        "Mrs Carter",
    ];
    let draft = cb.ok(&confirm);
    // 5 working days after Sunday 22 November 2026, the day it is drafted.
    assert!(draft.contains("in writing by 27 November 2026"), "{draft}");
    cb.ok(&[&confirm[..], &["--sent", "2026-11-23"]].concat());
    let call = cb.json(&["timeline", "--kind", "call"]);
    assert_eq!(call[1]["id"], "e17");
    assert_eq!(call[1]["unconfirmed"], false, "the letter confirms it");
    assert_eq!(requests(&cb), before, "no reply is waited for");
    cb.today = "2026-12-20";
    let next = cb.ok(&["next"]);
    assert!(!next.contains("Our conversation on"), "{next}");
    assert!(cb.ok(&["verify"]).contains("intact"));
}

/// Asking the mediation adviser for mediation waits for the council to hold it within
/// 30 days (SEND Regulations 2014 regs 36-37), not for a certificate in 3 working days;
/// declining mediation waits for the certificate.
#[test]
fn the_mediation_adviser_letter_waits_for_what_the_family_asked_for() {
    for (mediation, rule, due) in [
        (true, "mediation-held", "2026-12-23"),
        (false, "mediation-certificate", "2026-11-26"),
    ] {
        let cb = demo();
        let mut args = vec![
            "letter",
            "mediation-adviser",
            "--to",
            "Mrs Carter",
            "--sent",
            "2026-11-23",
        ];
        if mediation {
            args.push("--mediation");
        }
        cb.ok(&args);
        let requests = cb.json(&["timeline", "--kind", "request"]);
        let last = requests
            .as_array()
            .and_then(|r| r.last())
            .expect("a request")
            .clone();
        assert_eq!(last["facts"]["rule"], rule, "{last}");
        // From Monday 23 November 2026, the day it was sent: 30 calendar days after is
        // Wednesday 23 December; 3 working days after is Thursday 26 November.
        assert_eq!(last["request"]["due"], due, "{last}");
    }
}

#[test]
fn letter_mistakes_are_refused_and_change_nothing() {
    let cb = demo();
    assert!(
        cb.refused(&["letter", "request-polices", "--to", "Mrs Carter"])
            .contains("did you mean request-policies")
    );
    assert!(
        cb.refused(&["letter", "confirm-in-writing", "--to", "Mrs Carter"])
            .contains("give --about ID")
    );
    assert!(
        cb.refused(&["letter", "request-policies"])
            .contains("give --to NAME")
    );
    assert!(
        cb.refused(&[
            "letter",
            "confirm-in-writing",
            "--about",
            "e99",
            "--to",
            "Mrs Carter",
            "--sent",
            "2026-11-23"
        ])
        .contains("no entry e99")
    );
    std::fs::create_dir(cb.path("mine")).expect("dir");
    // A family's own template asking, with mediation, for a reply by a rule there is not.
    std::fs::write(
        cb.path("mine/mediation-adviser.txt"),
        "{#\ntitle: Mine\nwhen: now\nreply: mediation-certificate\nreply-with-mediation: mediation-soon\n#}\nDear {{ to.salutation }},\n",
    )
    .expect("write");
    let said = cb.refused(&[
        "letter",
        "mediation-adviser",
        "--to",
        "Mrs Carter",
        "--mediation",
        "--sent",
        "2026-11-23",
        "--templates",
        "mine",
    ]);
    assert!(said.contains("mediation-soon"), "{said}");
    std::fs::remove_file(cb.path("mine/mediation-adviser.txt")).expect("remove");
    std::fs::write(
        cb.path("mine/request-policies.txt"),
        "{#\ntitle: Mine\nwhen: now\n#}\nDear {{ to.salutation }},\n{% for x in %}\n",
    )
    .expect("write");
    let said = cb.refused(&[
        "letter",
        "request-policies",
        "--to",
        "Mrs Carter",
        "--templates",
        "mine",
    ]);
    assert!(
        said.contains("request-policies.txt has a mistake at line 6"),
        "{said}"
    );
}

#[test]
fn the_tone_command_checks_any_text() {
    let cb = demo();
    std::fs::write(
        cb.path("draft.txt"),
        "Tyler is a BULLY and you are all USELESS!!\n",
    )
    .expect("write");
    let said = cb.ok(&["tone", "draft.txt"]);
    assert!(
        said.contains("\"bully\"") && said.contains("Child A") && said.contains("!!"),
        "{said}"
    );
    std::fs::write(
        cb.path("calm.txt"),
        "Please could you reply by 27 November 2026.\n",
    )
    .expect("write");
    assert_eq!(
        cb.ok(&["tone", "calm.txt"]),
        "The tone check found nothing to change."
    );
}

#[test]
fn a_word_letter_opens_in_a_real_word_reader_and_is_the_same_each_time() {
    let cb = demo();
    cb.ok(&[
        "letter",
        "report-bullying",
        "--to",
        "Mrs Carter",
        "--format",
        "docx",
        "--out",
        "one.docx",
    ]);
    cb.ok(&[
        "letter",
        "report-bullying",
        "--to",
        "Mrs Carter",
        "--format",
        "docx",
        "--out",
        "two.docx",
    ]);
    assert_eq!(
        std::fs::read(cb.path("one.docx")).expect("one"),
        std::fs::read(cb.path("two.docx")).expect("two")
    );
    let read = std::process::Command::new("python3")
        .arg("-c")
        .arg("import docx,sys; d=docx.Document(sys.argv[1]); print('\\n'.join(p.text for p in d.paragraphs)); print(round(d.sections[0].page_width.cm))")
        .arg(cb.path("one.docx"))
        .output()
        .expect("python3 runs");
    assert!(
        read.status.success(),
        "python-docx could not open it: {}",
        String::from_utf8_lossy(&read.stderr)
    );
    let text = String::from_utf8_lossy(&read.stdout);
    assert!(
        text.starts_with("22 November 2026\n\nIncidents involving Alex Morgan\n\nDear Mrs Carter,"),
        "{text}"
    );
    assert!(
        text.contains("•\u{a0}what the school has found out about these incidents;"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("21"), "A4 is 21 cm wide: {text}");
    assert!(
        cb.refused(&[
            "letter",
            "report-bullying",
            "--to",
            "Mrs Carter",
            "--format",
            "docx"
        ])
        .contains("needs --out")
    );
}

#[test]
fn a_pdf_letter_reads_back_with_pdftotext() {
    let cb = demo();
    cb.ok(&[
        "letter",
        "request-policies",
        "--to",
        "Mrs Carter",
        "--format",
        "pdf",
        "--out",
        "policies.pdf",
    ]);
    let text = std::process::Command::new("pdftotext")
        .arg(cb.path("policies.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Request for school policies") && text.contains("Dear Mrs Carter,"),
        "{text}"
    );
    assert!(text.contains("Page 1 of 1"), "{text}");
    assert!(
        cb.refused(&[
            "letter",
            "request-policies",
            "--to",
            "Mrs Carter",
            "--format",
            "pdf"
        ])
        .contains("needs --out FILE")
    );
}

/// Writes every letter of the case in every format, to the person and entry each
/// suits, as ID.FORMAT in the test's folder, with `more` options; gives the letters' ids.
pub fn every_letter_in_every_format(cb: &Casebook, more: &[&str]) -> Vec<String> {
    sent_home_once(cb);
    let list = cb.json(&["letter", "--list"]);
    let ids: Vec<String> = list
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|t| t["id"].as_str().map(String::from))
        .collect();
    for id in &ids {
        let (to, about) = recipient_and_entry(id);
        for format in ["txt", "eml", "docx", "pdf"] {
            let out = format!("{id}.{format}");
            let mut args = vec![
                "letter",
                id,
                "--to",
                to,
                "--about",
                about,
                "--format",
                format,
                "--from-email",
                "jo@example.org",
                "--out",
                &out,
            ];
            args.extend_from_slice(more);
            cb.ok(&args);
        }
    }
    ids
}

/// Every letter, for the demonstration case, in every format, each opened by a reader
/// that is not casebook's: Python's email parser, python-docx and poppler's pdftotext.
#[test]
fn every_letter_renders_in_all_four_formats() {
    let cb = demo();
    let ids = every_letter_in_every_format(&cb, &["--author", "Jo Morgan"]);
    let check = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, email, docx\n\
             for name in sys.argv[2:]:\n\
             \u{20}   m = email.message_from_file(open(sys.argv[1] + '/' + name + '.eml'))\n\
             \u{20}   assert m['To'] and m['Subject'] and m.get_payload(decode=True), name\n\
             \u{20}   d = docx.Document(sys.argv[1] + '/' + name + '.docx')\n\
             \u{20}   assert any('Jo Morgan' in p.text for p in d.paragraphs), name\n\
             print('ok', len(sys.argv) - 2)",
        )
        .arg(cb.dir.path())
        .args(&ids)
        .output()
        .expect("python3 runs");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    for id in &ids {
        let text = std::process::Command::new("pdftotext")
            .arg(cb.path(&format!("{id}.pdf")))
            .arg("-")
            .output()
            .expect("pdftotext runs");
        assert!(
            String::from_utf8_lossy(&text.stdout).contains("Jo Morgan"),
            "{id}.pdf"
        );
        assert!(
            std::fs::read_to_string(cb.path(&format!("{id}.txt")))
                .expect("txt")
                .contains("Jo Morgan"),
            "{id}.txt"
        );
    }
}

/// F2 and F3: a letter to the SENCO and the class teacher, copied to the head, with the
/// psychiatrist's letter enclosed, its reply needed before an exam; signed with the
/// family's name and address from the case. Each format carries the copies and the
/// enclosure, as Python's email parser, python-docx and pdftotext read them.
#[test]
fn a_letter_goes_to_several_people_with_copies_and_enclosures_in_every_format() {
    let cb = demo();
    cb.ok(&[
        "case",
        "family",
        "--name",
        "Jo Morgan",
        "--address",
        "12 Acacia Road, Millbrook, MB1 2CD",
    ]);
    let note = cb.file(
        "psychiatrist.txt",
        "Alex should not sit timed exams this term.\n",
    );
    let medical = cb.ok(&[
        "log",
        "document",
        "--occurred",
        "2026-11-16",
        "--summary",
        "Letter from Dr Rao, consultant psychiatrist",
        "--document-type",
        "report:medical",
        "--attach",
        &note,
    ]);
    let letter = |format: &str, out: &str| {
        cb.ok(&[
            "letter",
            "exam-access-arrangements",
            "--to",
            "Ms Shah",
            "--to",
            "Mr Osei",
            "--cc",
            "Mrs Carter",
            "--enclose",
            &medical,
            "--before",
            "2026-11-26",
            "--before-what",
            "the maths mock exam",
            "--format",
            format,
            "--from-email",
            "jo@example.org",
            "--out",
            out,
        ])
    };
    for format in ["txt", "eml", "docx", "pdf"] {
        letter(format, &format!("exam.{format}"));
    }
    let text = std::fs::read_to_string(cb.path("exam.txt")).expect("txt");
    // 10 school days from Sunday 22 November would be 4 December; the exam is on
    // Thursday 26 November, so the reply is asked for by Wednesday 25 November.
    assert!(
        text.contains("by 25 November 2026, before the maths mock exam on 26 November 2026"),
        "{text}"
    );
    assert!(
        text.contains("- 16 November 2026: Letter from Dr Rao, consultant psychiatrist"),
        "the medical advice is cited: {text}"
    );
    for line in [
        "Enclosed: Letter from Dr Rao, consultant psychiatrist (16 November 2026)",
        "Also sent to: Mr David Osei (class teacher)",
        "Copied to: Mrs Helen Carter (head teacher)",
        "Jo Morgan\n12 Acacia Road\nMillbrook\nMB1 2CD",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
    let read = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, email, email.utils, docx\n\
             m = email.message_from_file(open(sys.argv[1] + '/exam.eml'))\n\
             to = lambda h: ', '.join(a for _, a in email.utils.getaddresses([m[h]]))\n\
             print('To:', to('To'))\n\
             print('Cc:', to('Cc'))\n\
             for part in m.walk():\n\
             \u{20}   if part.get_filename(): print('Attached:', part.get_filename(), part.get_payload(decode=True).decode().strip())\n\
             \u{20}   elif part.get_content_type() == 'text/plain': print(part.get_payload(decode=True).decode())\n\
             d = docx.Document(sys.argv[1] + '/exam.docx')\n\
             print('\\n'.join('Word: ' + p.text for p in d.paragraphs))",
        )
        .arg(cb.dir.path())
        .output()
        .expect("python3 runs");
    let read = String::from_utf8_lossy(&read.stdout);
    for expected in [
        "To: senco@millbrook.example, d.osei@millbrook.example",
        "Cc: head@millbrook.example",
        "Attached: psychiatrist.txt Alex should not sit timed exams this term.",
        "Copied to: Mrs Helen Carter (head teacher)",
        "Word: Copied to: Mrs Helen Carter (head teacher)",
        "Word: Enclosed: Letter from Dr Rao, consultant psychiatrist (16 November 2026)",
    ] {
        assert!(read.contains(expected), "{expected}: {read}");
    }
    let pdf = crate::bundle::tool("pdftotext", &["exam.pdf", "-"], &cb);
    for expected in [
        "Copied to: Mrs Helen Carter (head teacher)",
        "Enclosed: Letter from Dr Rao",
        "12 Acacia Road",
    ] {
        assert!(pdf.contains(expected), "{expected}: {pdf}");
    }
}

/// F3: the firmer request for a meeting says how long the family has waited, since the
/// first time it asked, and proposes next week's school days; the section 19 letter
/// gives each absence as a span of school days.
#[test]
fn a_meeting_request_says_how_long_and_proposes_next_week() {
    let cb = demo();
    let text = cb.ok(&[
        "letter",
        "request-meeting",
        "--to",
        "Ms Shah",
        "--about",
        "e19",
        "--propose",
        "next-week",
    ]);
    // Asked first on 29 September (e8), again on 13 November (e19): 54 days to 22
    // November, 7 whole weeks. Today is Sunday 22 November: next week is 23 to 27
    // November, all in term.
    assert!(
        text.contains("I first asked for a meeting on 29 September 2026 and asked again on 13 November 2026. 7 weeks on"),
        "{text}"
    );
    for day in ["Monday 23 November 2026", "Friday 27 November 2026"] {
        assert!(text.contains(&format!("- {day}")), "{day}: {text}");
    }
    let s19 = cb.ok(&["letter", "section-19-request", "--to", "Mrs Carter"]);
    // Monday 5 to Friday 9 October 2026, in term: 5 school days.
    assert!(
        s19.contains("- 5 October 2026 to 9 October 2026, 5 school days: Off school"),
        "{s19}"
    );
}
