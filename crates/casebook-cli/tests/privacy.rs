//! The promise that another child's real name never leaves the family's machine, kept
//! by every command that writes a file: each file written is read back (PDFs through
//! pdftotext, Word files through their XML) and searched for the name.

use std::process::Command;

use crate::bundle::tool;
use crate::harness::Casebook;
use crate::letters::every_letter_in_every_format;

/// The text of a file as a reader of its format sees it.
fn text_of(cb: &Casebook, name: &str) -> String {
    match name.rsplit('.').next() {
        Some("pdf") => tool("pdftotext", &[name, "-"], cb),
        Some("docx") => {
            let out = Command::new("python3")
                .args([
                    "-c",
                    "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(''.join(z.read(n).decode('utf-8', 'replace') for n in z.namelist()))",
                ])
                .arg(cb.path(name))
                .output()
                .expect("python3 runs");
            String::from_utf8_lossy(&out.stdout).into_owned()
        }
        _ => String::from_utf8_lossy(&std::fs::read(cb.path(name)).expect("read")).into_owned(),
    }
}

#[test]
fn no_file_any_command_writes_names_another_child() {
    let cb = Casebook {
        today: "2026-11-22",
        ..Casebook::new()
    };
    cb.ok(&["demo"]);
    // The other child's name is in the record, in the entries' words too, so there is
    // something to leak.
    assert!(cb.ok(&["person", "list"]).contains("Tyler Brooks"));
    assert!(cb.ok(&["--json", "timeline"]).contains("Tyler"));

    let mut written = vec![];
    let mut write = |args: &[&str], out: &str| {
        let mut all = args.to_vec();
        all.extend(["--out", out]);
        cb.ok(&all);
        written.push(out.to_owned());
    };
    write(&["bundle", "--format", "pdf"], "bundle.pdf");
    write(&["bundle", "--format", "html"], "bundle.html");
    write(&["export", "--format", "csv"], "chronology.csv");
    write(&["export", "--format", "ics"], "deadlines.ics");
    // Not the jsonl export: it is the record itself, to keep or move, whose entries'
    // words are hashed and so carried as written (its --pseudonymise renames the people
    // lines only, and says so).
    let minutes = cb.file(
        "minutes.txt",
        "Notes: Tyler Brooks and Alex had a falling-out. The school is monitoring.\n",
    );
    write(
        &[
            "minutes",
            "check",
            "--meeting",
            "e12",
            "--minutes",
            &minutes,
        ],
        "correction.txt",
    );
    for id in every_letter_in_every_format(&cb, &["--cc", "Ms Shah"]) {
        for format in ["txt", "eml", "docx", "pdf"] {
            written.push(format!("{id}.{format}"));
        }
    }
    assert!(written.len() > 100, "{}", written.len());
    // The search can find the name: asked for, real names are there to be found.
    cb.ok(&[
        "bundle",
        "--format",
        "pdf",
        "--real-names",
        "--out",
        "named.pdf",
    ]);
    assert!(text_of(&cb, "named.pdf").contains("Tyler"));
    for name in &written {
        let text = text_of(&cb, name).to_lowercase();
        assert!(!text.is_empty(), "{name} was read");
        for part in ["tyler", "brooks"] {
            assert!(!text.contains(part), "{name} names the other child");
        }
    }
}
