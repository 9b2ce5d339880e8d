//! Letters as PDF, read back with poppler's pdftotext and pdfinfo.

use std::process::Command;

use casebook_bundle::{LetterPage, letter_pdf};

fn poppler(tool: &str, pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, pdf).expect("write");
    let mut cmd = Command::new(tool);
    if tool == "pdftotext" {
        cmd.arg("-layout").arg(&path).arg("-");
    } else {
        cmd.arg(&path);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) is needed: {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const BODY: &str = "Dear Mrs Carter,\n\nI am writing to report incidents affecting Alex Morgan.\n\nPlease could you tell me in writing, by 27 November 2026:\n\n- what the school has found out;\n- what the school will do to keep Alex safe.\n\nYours sincerely,\n\nJo Morgan\n";

#[test]
fn a_letter_is_an_a4_pdf_with_its_text_and_page_numbers() {
    let pdf = letter_pdf(&LetterPage {
        date: "22 November 2026",
        subject: "Incidents involving Alex Morgan",
        body: BODY,
    })
    .expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let info = poppler("pdfinfo", &pdf);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    assert!(
        info.contains("Title:           Incidents involving Alex Morgan"),
        "{info}"
    );
    let text = poppler("pdftotext", &pdf);
    for expected in [
        "22 November 2026",
        "Incidents involving Alex Morgan",
        "Dear Mrs Carter,",
        "what the school has found out;",
        "Jo Morgan",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
}

#[test]
fn the_same_letter_gives_the_same_bytes() {
    let page = LetterPage {
        date: "22 November 2026",
        subject: "Subject",
        body: BODY,
    };
    assert_eq!(
        letter_pdf(&page).expect("one"),
        letter_pdf(&page).expect("two")
    );
}

#[test]
fn what_the_family_types_is_printed_never_run() {
    let body = "Costs of £50 #set page(paper: \"a5\") *not bold* $x^2$ <label> @ref [square brackets] \\ backslash\n";
    let pdf = letter_pdf(&LetterPage {
        date: "1 March 2026",
        subject: "#pagebreak()",
        body,
    })
    .expect("pdf");
    let info = poppler("pdfinfo", &pdf);
    assert!(
        info.contains("(A4)") && info.contains("Pages:           1"),
        "{info}"
    );
    let text = poppler("pdftotext", &pdf);
    for literal in [
        "#pagebreak()",
        "£50 #set page(paper: \"a5\")",
        "*not bold*",
        "$x^2$",
        "<label>",
        "[square brackets]",
    ] {
        assert!(text.contains(literal), "{literal} missing from:\n{text}");
    }
}

#[test]
fn a_long_letter_runs_over_pages_numbered_page_n_of_m() {
    let body =
        "A paragraph of the letter that goes on for a while to fill the page.\n\n".repeat(80);
    let pdf = letter_pdf(&LetterPage {
        date: "1 March 2026",
        subject: "Long",
        body: &body,
    })
    .expect("pdf");
    let pages: usize = poppler("pdfinfo", &pdf)
        .lines()
        .find_map(|l| {
            l.strip_prefix("Pages:")
                .map(|n| n.trim().parse().expect("a number"))
        })
        .expect("pages");
    assert!(pages >= 2, "{pages}");
    assert!(poppler("pdftotext", &pdf).contains(&format!("Page {pages} of {pages}")));
}
