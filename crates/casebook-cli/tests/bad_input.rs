//! Each refused input: one plain sentence, exit code 1, the store untouched.

use crate::harness::Casebook;

#[test]
fn impossible_and_unreadable_dates_are_refused() {
    let cb = Casebook::new().with_case();
    let said = cb.refused(&["log", "note", "--occurred", "2026-02-30", "--summary", "x"]);
    assert_eq!(
        said,
        "\"2026-02-30\" is not a real date: February 2026 has 28 days (given with --occurred)."
    );
    assert!(
        cb.refused(&[
            "log",
            "note",
            "--occurred",
            "last Tuesday",
            "--summary",
            "x"
        ])
        .contains("not a date casebook can read")
    );
    assert!(
        cb.refused(&[
            "log",
            "note",
            "--occurred",
            "2026-03-03T25:61",
            "--summary",
            "x"
        ])
        .contains("time")
    );
    assert!(
        cb.refused(&[
            "log",
            "request",
            "--occurred",
            "2026-03-03",
            "--summary",
            "x",
            "--due",
            "31/04/2026"
        ])
        .contains("April 2026 has 30 days")
    );
}

#[test]
fn unknown_kinds_roles_and_words_are_refused() {
    let cb = Casebook::new().with_case();
    assert!(
        cb.refused(&[
            "log",
            "rumour",
            "--occurred",
            "2026-03-03",
            "--summary",
            "x"
        ])
        .starts_with("\"rumour\" is not a kind of entry")
    );
    assert!(
        cb.refused(&["person", "add", "--name", "Bob", "--role", "janitor"])
            .starts_with("\"janitor\" is not a role")
    );
    assert!(
        cb.refused(&[
            "log",
            "incident",
            "--occurred",
            "2026-03-03",
            "--summary",
            "x",
            "--category",
            "rude"
        ])
        .contains("category")
    );
    assert!(
        cb.refused(&[
            "log",
            "call",
            "--occurred",
            "2026-03-03",
            "--summary",
            "x",
            "--to",
            "Nobody Known"
        ])
        .contains("no one called")
    );
    assert!(
        cb.refused(&[
            "log",
            "call",
            "--occurred",
            "2026-03-03",
            "--summary",
            "x",
            "--place",
            "hall"
        ])
        .contains("Where it happened does not go with a call")
    );
    assert!(
        cb.refused(&[
            "log",
            "email",
            "--occurred",
            "2026-03-03",
            "--summary",
            "x",
            "--confirms",
            "e9"
        ])
        .contains("no entry e9")
    );
    assert!(
        cb.refused(&["amend", "e1", "--summary", "x", "--reason", "y"])
            .contains("no entry e1")
    );
    assert!(
        cb.refused(&["amend", "twelve", "--summary", "x", "--reason", "y"])
            .contains("entry ids look like e12")
    );
}

#[test]
fn a_missing_case_or_store_is_refused() {
    let cb = Casebook::new().with_case();
    assert!(
        cb.refused(&["--case", "nobody", "timeline"])
            .contains("no case called \"nobody\"")
    );
    let empty = Casebook::new();
    let out = empty.run(&["timeline"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no casebook store"));
    assert!(!empty.store.exists(), "looking did not create a store");
    assert!(
        cb.refused(&[
            "case",
            "new",
            "--slug",
            "sam",
            "--child",
            "A",
            "--setting",
            "B",
            "--setting-kind",
            "academy"
        ])
        .contains("already a case called")
    );
    assert!(
        cb.refused(&[
            "case",
            "new",
            "--slug",
            "Bad Slug",
            "--child",
            "A",
            "--setting",
            "B",
            "--setting-kind",
            "academy"
        ])
        .contains("cannot be a case name")
    );
    assert!(
        cb.refused(&[
            "case",
            "new",
            "--slug",
            "two",
            "--child",
            "A",
            "--setting",
            "B",
            "--setting-kind",
            "grammar"
        ])
        .contains("kind of setting")
    );
}

#[test]
fn a_missing_attachment_is_refused_and_no_file_is_left_behind() {
    let cb = Casebook::new().with_case();
    std::fs::write(cb.path("real.jpg"), b"a real photo").expect("write");
    let said = cb.refused(&[
        "log",
        "note",
        "--occurred",
        "2026-03-03",
        "--summary",
        "x",
        "--attach",
        "real.jpg",
        "--attach",
        "missing.pdf",
    ]);
    assert!(said.contains("missing.pdf does not exist"), "{said}");
    // An entry refused after its files were read leaves no file behind either.
    cb.refused(&[
        "log",
        "note",
        "--occurred",
        "2026-03-03",
        "--summary",
        "x",
        "--attach",
        "real.jpg",
        "--about",
        "e7",
    ]);
}

#[test]
fn control_characters_and_huge_text_are_refused() {
    let cb = Casebook::new().with_case();
    let said = cb.refused(&[
        "log",
        "note",
        "--occurred",
        "2026-03-03",
        "--summary",
        "bell\u{7} in the summary",
    ]);
    assert!(said.contains("control character (U+0007)"), "{said}");
    cb.refused(&[
        "log",
        "note",
        "--occurred",
        "2026-03-03",
        "--summary",
        "x",
        "--details",
        "escape \u{1b}[2J",
    ]);
    std::fs::write(cb.path("huge.txt"), "a".repeat(10 * 1024 * 1024)).expect("write");
    let said = cb.refused(&[
        "log",
        "note",
        "--occurred",
        "2026-03-03",
        "--summary",
        "x",
        "--details-file",
        "huge.txt",
    ]);
    assert!(said.contains("limit is 1 MiB"), "{said}");
    assert!(
        cb.refused(&[
            "log",
            "note",
            "--occurred",
            "2026-03-03",
            "--summary",
            &"a".repeat(3000)
        ])
        .contains("limit is 2000")
    );
}

#[test]
fn corrupt_or_truncated_exports_are_refused_whole() {
    let cb = Casebook::new().with_case();
    cb.ok(&[
        "log",
        "note",
        "--occurred",
        "2026-03-03",
        "--summary",
        "first",
    ]);
    cb.ok(&[
        "log",
        "note",
        "--occurred",
        "2026-03-04",
        "--summary",
        "second",
    ]);
    cb.ok(&["export", "--format", "jsonl", "--out", "good.jsonl"]);
    let good = std::fs::read_to_string(cb.path("good.jsonl")).expect("read");

    let target = Casebook::new().with_case();
    let write = |name: &str, text: &str| std::fs::write(target.path(name), text).expect("write");
    // Cut short: the signature, and then the last entry too, are gone.
    let lines: Vec<&str> = good.lines().collect();
    for lost in [1, 2] {
        write("short.jsonl", &lines[..lines.len() - lost].join("\n"));
        assert!(
            target
                .refused(&["import", "--slug", "copy", "short.jsonl"])
                .contains("cut short")
        );
    }
    // Truncated mid-line.
    write("cut.jsonl", &good[..good.len() - 20]);
    assert!(
        target
            .refused(&["import", "--slug", "copy", "cut.jsonl"])
            .contains("is not casebook JSON Lines")
    );
    // Text edited after export.
    write("edited.jsonl", &good.replace("second", "altered"));
    assert!(
        target
            .refused(&["import", "--slug", "copy", "edited.jsonl"])
            .contains("text of entry e2 was changed")
    );
    // The case details are outside the chain; the signature covers them.
    write(
        "renamed.jsonl",
        &good.replacen("\"slug\":\"", "\"slug\":\"x", 1),
    );
    assert!(
        target
            .refused(&["import", "--slug", "copy", "renamed.jsonl"])
            .contains("has been altered since casebook produced it")
    );
    // Text with a control character, even with a matching hash, is refused.
    write("bell.jsonl", &good.replace("second", "sec\\u0007ond"));
    assert!(
        target
            .refused(&["import", "--slug", "copy", "bell.jsonl"])
            .contains("control character")
    );
    // Not an export at all.
    write("notes.jsonl", "{\"hello\": 1}\n");
    assert!(
        target
            .refused(&["import", "notes.jsonl"])
            .contains("does not start with a casebook export header")
    );
    write("minutes.docx", "PK");
    assert!(
        target
            .refused(&["import", "minutes.docx"])
            .contains("cannot tell what minutes.docx holds")
    );
    // And a good one goes in under a new name.
    write("good.jsonl", &good);
    target.ok(&["import", "--slug", "copy", "good.jsonl"]);
    assert!(target.ok(&["--case", "copy", "verify"]).contains("intact"));
}

#[test]
fn usage_errors_exit_with_code_2() {
    let cb = Casebook::new();
    assert_eq!(cb.run(&["log"]).status.code(), Some(2));
    assert_eq!(
        cb.run(&["export", "--format", "pdf"]).status.code(),
        Some(2)
    );
    let help = cb.ok(&["--help"]);
    assert!(
        help.contains("Start a case, add the people, then log what happens"),
        "{help}"
    );
}

/// `--out` writes only ordinary files: a pipe or a device is left as it was, never
/// replaced by a file (as root, that once replaced /dev/full).
#[test]
fn output_onto_a_pipe_or_a_device_is_refused() {
    use std::os::unix::fs::FileTypeExt;
    let cb = Casebook::new().with_case();
    // Beside the store, not in its folder: the harness reads every file there.
    let elsewhere = tempfile::tempdir().expect("a folder");
    let fifo = elsewhere.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let fifo = fifo.to_str().expect("a path").to_owned();
    for out in [fifo.as_str(), "/dev/null"] {
        let said = cb.refused(&["export", "--format", "jsonl", "--out", out]);
        assert!(said.contains("is not an ordinary file"), "{said}");
        let said = cb.refused(&["bundle", "--format", "html", "--out", out]);
        assert!(said.contains("is not an ordinary file"), "{said}");
    }
    assert!(
        std::fs::metadata(&fifo)
            .expect("pipe")
            .file_type()
            .is_fifo()
    );
    assert!(
        std::fs::metadata("/dev/null")
            .expect("/dev/null")
            .file_type()
            .is_char_device()
    );
}

/// A process killed while writing an export leaves its unfinished file behind; the next
/// export into that folder removes it, since it may hold the case's words unencrypted.
#[test]
fn an_unfinished_file_left_by_a_killed_export_is_removed() {
    let cb = Casebook::new().with_case();
    // No process has this id: Linux's ids stop at 4,194,304.
    let abandoned = cb.path(".casebook-unfinished-999999999-abc123");
    std::fs::write(&abandoned, "half an export").expect("write");
    let mine = cb.path(&format!(
        ".casebook-unfinished-{}-def456",
        std::process::id()
    ));
    std::fs::write(&mine, "a running export").expect("write");
    cb.ok(&["export", "--format", "jsonl", "--out", "case.jsonl"]);
    assert!(!abandoned.exists(), "the abandoned file is still there");
    assert!(mine.exists(), "a running process's file was removed");
}

/// What the letters, the family's details and the filters take from the family: each
/// mistake is refused with one sentence, exit code 1, and nothing in the store changes
/// nor any file is written.
#[test]
fn letters_family_details_and_filters_refuse_mistakes_and_change_nothing() {
    let cb = Casebook::new().with_case();
    cb.ok(&["case", "family", "--name", "Jo Taylor"]);
    let before = cb.snapshot();
    let letter = |more: &[&str]| {
        let mut args = vec![
            "letter",
            "request-meeting",
            "--to",
            "Mrs Patel",
            "--out",
            "meeting.txt",
        ];
        args.extend_from_slice(more);
        cb.refused(&args)
    };
    for (more, said) in [
        (
            &["--cc", "Nobody Known"][..],
            "no one called \"Nobody Known\"",
        ),
        (&["--enclose", "e99"][..], "no entry e99 to enclose"),
        (
            &["--propose", "31/02/2026"][..],
            "February 2026 has 28 days",
        ),
        (&["--before", "soon"][..], "not a date casebook can read"),
        // Today is Monday 20 April 2026 in the harness: no working day is left before
        // Tuesday.
        (
            &["--before", "2026-04-21"][..],
            "no working day left before",
        ),
    ] {
        let refused = letter(more);
        assert!(refused.contains(said), "{more:?}: {refused}");
    }
    let blank = cb.refused(&["case", "family", "--name", "   "]);
    assert_eq!(blank, "Give the name your letters are signed with.");
    let channel = cb.refused(&["timeline", "--channel", "carrier-pigeon"]);
    assert!(channel.contains("carrier-pigeon"), "{channel}");
    assert!(
        cb.snapshot() == before,
        "a refused command changed something"
    );
    assert!(!cb.path("meeting.txt").exists());
}
