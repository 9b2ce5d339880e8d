//! Email import from the family's own mailbox, as `casebook import` does it.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::harness::Casebook;

fn demo() -> Casebook {
    let mut cb = Casebook::new();
    cb.today = "2026-11-20";
    cb.ok(&["demo"]);
    cb
}

pub(crate) const ME: &str = "jo@example.org";

fn message(envelope: &str, headers: &str, body: &str) -> String {
    format!("From {envelope}\n{headers}\n\n{body}\n\n")
}

/// A mailbox as Gmail Takeout writes it: thread and label headers, a reply with a PDF
/// attached, quoted "From " lines, an advert, and a message whose Date is damaged.
pub(crate) fn gmail_mbox() -> String {
    [
        message(
            "1781234567890123456@xxx Tue Sep 15 18:30:00 +0000 2026",
            "X-GM-THRID: 1781234567890123456\nX-Gmail-Labels: Sent,School\nMessage-ID: <a1@example.org>\nDate: Tue, 15 Sep 2026 19:30:00 +0100\nFrom: Jo Morgan <jo@example.org>\nTo: Helen Carter <head@millbrook.example>\nSubject: Alex and the cloakroom today\nContent-Type: text/plain; charset=utf-8",
            "Dear Mrs Carter,\n\nAlex came home with a torn sleeve today.\n>From what he said, Tyler pushed him in the cloakroom.",
        ),
        message(
            "1781234567890123457@xxx Wed Sep 16 08:00:00 +0000 2026",
            "X-GM-THRID: 1781234567890123456\nX-Gmail-Labels: Inbox,School\nMessage-ID: <b2@millbrook.example>\nIn-Reply-To: <a1@example.org>\nReferences: <a1@example.org>\nDate: Wed, 16 Sep 2026 09:00:00 +0100\nFrom: Helen Carter <head@millbrook.example>\nTo: Jo Morgan <jo@example.org>\nCc: d.osei@millbrook.example\nSubject: Re: Alex and the cloakroom today\nContent-Type: multipart/mixed; boundary=\"b\"",
            "--b\nContent-Type: text/plain\n\nThank you, we will look into it. Our policy is attached.\n--b\nContent-Type: application/pdf; name=\"policy.pdf\"\nContent-Disposition: attachment; filename=\"policy.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQKJeLjz9MK\n--b--",
        ),
        message(
            "1781234567890123458@xxx Wed Sep 16 19:00:00 +0000 2026",
            "X-GM-THRID: 1781234567890123456\nMessage-ID: <c3@example.org>\nIn-Reply-To: <b2@millbrook.example>\nReferences: <a1@example.org> <b2@millbrook.example>\nDate: Wed, 16 Sep 2026 20:00:00 +0100\nFrom: jo@example.org\nTo: head@millbrook.example\nSubject: Re: Re: Alex and the cloakroom today",
            "Thank you. Please let me know what the school will do.",
        ),
        message(
            "1781234567890123459@xxx Thu Sep 17 08:00:00 +0000 2026",
            "Message-ID: <d4@shop.example>\nDate: Thu, 17 Sep 2026 09:00:00 +0100\nFrom: Shop <offers@shop.example>\nTo: jo@example.org\nSubject: Sale now on",
            "Buy things.",
        ),
        message(
            "1781234567890123460@xxx Fri Sep 18 07:45:00 +0000 2026",
            "Message-ID: <e5@millbrook.example>\nDate: the day after tomorrow\nFrom: office@millbrook.example\nTo: jo@example.org\nSubject: Trip letter",
            "The trip is on Friday.",
        ),
    ]
    .concat()
}

/// A message far longer than a pipe holds (64 KiB): once it is written to an import's
/// pipe, casebook is reading it, and has finished every message before it.
pub(crate) fn long_message() -> String {
    format!(
        "\n\nFrom 1781234567890123458@xxx Wed Sep 16 19:00:00 +0000 2026\nMessage-ID: <long@example.org>\nDate: Wed, 16 Sep 2026 19:00:00 +0100\nFrom: jo@example.org\nTo: head@millbrook.example\nSubject: Long\n\n{}",
        "A line of a long letter.\n".repeat(20_000)
    )
}

fn timeline(cb: &Casebook) -> Vec<serde_json::Value> {
    serde_json::from_str(&cb.ok(&["timeline", "--json", "--kind", "email"])).expect("JSON")
}

#[test]
fn a_gmail_mailbox_imports_with_threads_directions_and_dates_and_only_once() {
    let cb = demo();
    std::fs::write(cb.path("takeout.mbox"), gmail_mbox()).expect("write");
    let before = timeline(&cb).len();
    let out = cb.run(&[
        "import",
        "takeout.mbox",
        "--me",
        ME,
        "--domain",
        "millbrook.example",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Not on a terminal: no progress bar, nothing on stderr.
    assert!(out.stderr.is_empty());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("Imported 4 emails (2 sent, 2 received) of 5 messages read."),
        "{said}"
    );
    assert!(said.contains("e21  16 September 2026  from Mrs Helen Carter: Re: Alex and the cloakroom today, 1 attachment"), "{said}");
    assert!(said.contains("1 not about the case"));
    assert!(said.contains("takeout.mbox, message 5"), "{said}");
    assert!(said.contains("date from the mailbox's record of it: the message's own date is missing or cannot be right"), "{said}");

    let emails = timeline(&cb);
    assert_eq!(emails.len(), before + 4);
    let find = |id: &str| emails.iter().find(|e| e["id"] == id).expect(id);
    let first = find("e20");
    assert_eq!(first["occurred"], "2026-09-15T19:30");
    assert_eq!(first["facts"]["direction"], "sent");
    assert_eq!(first["facts"]["message_id"], "a1@example.org");
    assert!(
        first["details"]
            .as_str()
            .expect("body")
            .contains("From what he said")
    );
    assert!(
        first["sources"][1]
            .as_str()
            .expect("labels")
            .contains("Sent, School")
    );
    let reply = find("e21");
    assert_eq!(reply["facts"]["direction"], "received");
    assert_eq!(reply["links"][0]["rel"], "replies-to");
    assert_eq!(reply["links"][0]["target"], "e20");
    assert_eq!(reply["attachments"].as_array().map(Vec::len), Some(2));
    assert_eq!(reply["attachments"][1]["name"], "policy.pdf");
    assert_eq!(find("e22")["links"][0]["target"], "e21");
    // Dated by its envelope, "07:45 +0000": 08:45 in England, where September is BST.
    assert_eq!(find("e23")["occurred"], "2026-09-18T08:45");
    assert_eq!(find("e23")["facts"]["sent"], "2026-09-18T07:45:00+00:00");
    assert_eq!(first["facts"]["sent"], "2026-09-15T19:30:00+01:00");
    assert!(cb.ok(&["verify"]).contains("intact"));

    // Again: nothing new, and the store is exactly as it was.
    let store = cb.snapshot();
    let again = cb.ok(&[
        "import",
        "takeout.mbox",
        "--me",
        ME,
        "--domain",
        "millbrook.example",
    ]);
    assert!(again.contains("Imported 0 emails"), "{again}");
    assert!(again.contains("4 already in the log"), "{again}");
    assert!(cb.snapshot() == store, "a second import changed the store");
}

#[test]
fn a_dry_run_lists_what_would_come_in_and_stores_nothing() {
    let cb = demo();
    std::fs::write(cb.path("takeout.mbox"), gmail_mbox()).expect("write");
    let before = cb.snapshot();
    let said = cb.ok(&[
        "import",
        "takeout.mbox",
        "--me",
        ME,
        "--dry-run",
        "--from",
        "2026-09-16",
    ]);
    assert!(
        said.contains("Would import 2 emails (1 sent, 1 received)"),
        "{said}"
    );
    assert!(said.contains("1 outside the dates given"), "{said}");
    assert!(
        said.contains("16 September 2026  from Mrs Helen Carter"),
        "{said}"
    );
    assert!(cb.snapshot() == before, "a dry run changed the store");
}

#[test]
fn maildir_folders_and_eml_files_import_and_duplicates_across_mailboxes_are_recognised() {
    let cb = demo();
    std::fs::write(cb.path("takeout.mbox"), gmail_mbox()).expect("write");
    cb.ok(&["import", "takeout.mbox", "--me", ME]);
    // The same reply, in a Maildir++ folder, beside a new message.
    let folder = cb.path("Maildir/.School/cur");
    std::fs::create_dir_all(&folder).expect("maildir");
    std::fs::create_dir_all(cb.path("Maildir/new")).expect("maildir");
    let mbox = gmail_mbox();
    let second = mbox.split("\n\nFrom ").nth(1).expect("second message");
    let reply = &second[second.find('\n').expect("envelope") + 1..];
    std::fs::write(folder.join("1.host:2,S"), reply).expect("write");
    std::fs::write(
        cb.path("Maildir/new/2.host"),
        "Message-ID: <f6@millbrook.example>\nDate: Mon, 21 Sep 2026 10:00:00 +0100\nFrom: senco@millbrook.example\nTo: jo@example.org\nSubject: SEN support meeting\n\nCan we meet on Thursday?\n",
    )
    .expect("write");
    std::fs::write(
        cb.path("outlook.eml"),
        "Message-ID: <g7@example.org>\r\nDate: Tue, 22 Sep 2026 07:00:00 +0100\r\nFrom: jo@example.org\r\nTo: senco@millbrook.example\r\nSubject: Re: SEN support meeting\r\nIn-Reply-To: <f6@millbrook.example>\r\n\r\nThursday suits me.\r\n",
    )
    .expect("write");
    let said = cb.ok(&["import", "Maildir", "outlook.eml", "--me", ME]);
    assert!(
        said.contains("Imported 2 emails (1 sent, 1 received) of 3 messages read."),
        "{said}"
    );
    assert!(said.contains("1 already in the log"), "{said}");
    let emails = timeline(&cb);
    let answer = emails
        .iter()
        .find(|e| e["facts"]["message_id"] == "g7@example.org")
        .expect("the .eml");
    let question = emails
        .iter()
        .find(|e| e["facts"]["message_id"] == "f6@millbrook.example")
        .expect("the Maildir message");
    assert_eq!(answer["links"][0]["target"], question["id"]);
    assert!(
        question["sources"]
            .to_string()
            .contains("email imported from Maildir")
    );
}

#[test]
fn every_message_of_two_test_corpora_imports_or_is_skipped_with_a_reason() {
    let cb = demo();
    let maildir = cb.path("corpus");
    std::fs::create_dir_all(maildir.join("cur")).expect("maildir");
    // Both corpora are committed with casebook-mail's tests (see its corpora/README.md).
    let corpora =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../casebook-mail/tests/corpora");
    let python = corpora.join("cpython-email/data");
    let parser = corpora.join("mail-parser/eml");
    let mut count = 0;
    let mut copy = |dir: &std::path::Path| {
        let mut stack = vec![dir.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("dir").filter_map(Result::ok) {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_none_or(|e| e != "json") {
                    count += 1;
                    std::fs::copy(&path, maildir.join(format!("cur/{count}.corpus")))
                        .expect("copy");
                }
            }
        }
    };
    copy(&python);
    copy(&parser);
    let said = cb.ok(&["--json", "import", "corpus", "--all", "--me", ME]);
    let report: serde_json::Value = serde_json::from_str(&said).expect("JSON");
    let imported = report["imported"].as_array().expect("imported").len();
    let skipped = report["skipped"].as_array().expect("skipped").len();
    let already = report["already_in_the_log"].as_u64().expect("count") as usize;
    assert_eq!(report["messages"], count);
    assert_eq!(imported + skipped + already, count, "{said}");
    assert!(imported > 90, "{imported}");
    assert!(cb.ok(&["verify"]).contains("intact"));
}

#[test]
fn bad_mailboxes_and_requests_are_refused_and_change_nothing() {
    let cb = demo();
    std::fs::write(cb.path("takeout.mbox"), gmail_mbox()).expect("write");
    std::fs::write(
        cb.path("notes.mbox"),
        "Dear diary,\nFrom today on I keep notes.\n",
    )
    .expect("write");
    std::fs::write(cb.path("case.jsonl"), "{}\n").expect("write");
    let refused = |args: &[&str], says: &str| {
        let line = cb.refused(args);
        assert!(line.contains(says), "{args:?}: {line}");
    };
    refused(
        &["import", "notes.mbox", "--me", ME],
        "notes.mbox is not a mailbox",
    );
    refused(
        &["import", "takeout.mbox"],
        "Say which addresses are yours with --me",
    );
    refused(&["import", "missing.mbox", "--me", ME], "missing.mbox");
    refused(
        &["import", "takeout.mbox", "case.jsonl", "--me", ME],
        "Import mail on its own",
    );
    refused(
        &["import", "takeout.mbox", "--me", ME, "--from", "31/02/2026"],
        "",
    );
    std::fs::create_dir_all(cb.path("photos")).expect("dir");
    refused(
        &["import", "photos", "--me", ME],
        "is a folder but not a Maildir",
    );
}

/// `casebook import` reading a mailbox from a pipe, and the pipe, open: what is written
/// to it is read while the import goes on.
/// `env` is set for it besides the harness's.
pub(crate) fn import_from_a_pipe(
    cb: &Casebook,
    env: &[(&str, &str)],
) -> (std::process::Child, std::fs::File) {
    let fifo = cb.path("slow.mbox");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let child = cb
        .command(&["import", "slow.mbox", "--format", "mbox", "--me", ME])
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("casebook starts");
    // Opening the pipe waits for casebook to open it, which it does after setting its
    // Ctrl-C handler; the first messages are then read while the mailbox stays open.
    let pipe = std::fs::OpenOptions::new()
        .write(true)
        .open(&fifo)
        .expect("open the pipe");
    (child, pipe)
}

/// An import of the Gmail mailbox from a pipe, held while it reads a long message: the
/// two messages before it are read and prepared (a pipe holds 64 KiB, so writing the
/// long message returns only once casebook has read well into it, and a pipe is read in
/// step with preparing), the rest is not yet written.
pub(crate) struct HeldImport {
    pub(crate) child: std::process::Child,
    pipe: std::fs::File,
    rest: String,
    fifo: std::path::PathBuf,
}

pub(crate) fn import_held_at_a_long_message(cb: &Casebook, env: &[(&str, &str)]) -> HeldImport {
    let (child, mut pipe) = import_from_a_pipe(cb, env);
    let mbox = gmail_mbox();
    let (start, rest) = mbox.split_at(mbox.find("\n\nFrom 1781234567890123458").expect("third"));
    pipe.write_all(start.as_bytes()).expect("write");
    pipe.write_all(long_message().as_bytes()).expect("write");
    pipe.flush().expect("flush");
    HeldImport {
        child,
        pipe,
        rest: rest.to_owned(),
        fifo: cb.path("slow.mbox"),
    }
}

impl HeldImport {
    /// The rest of the mailbox written, and the import's answer.
    pub(crate) fn finish(mut self) -> std::process::Output {
        self.pipe.write_all(self.rest.as_bytes()).expect("write");
        drop(self.pipe);
        let out = self.child.wait_with_output().expect("casebook ends");
        std::fs::remove_file(&self.fifo).expect("remove the pipe");
        out
    }

    /// The import killed outright (kill -9).
    pub(crate) fn kill(mut self) {
        self.child.kill().expect("kill -9");
        let _ = self.child.wait();
        drop(self.pipe);
        std::fs::remove_file(&self.fifo).expect("remove the pipe");
    }
}

#[test]
fn stopping_an_import_with_ctrl_c_leaves_the_store_as_it_was() {
    let cb = demo();
    // Taken first: reading the pipe into a snapshot would wait for ever.
    let before = cb.snapshot();
    let fifo = cb.path("slow.mbox");
    let (child, mut pipe) = import_from_a_pipe(&cb, &[]);
    let mbox = gmail_mbox();
    let (start, rest) = mbox.split_at(mbox.find("\n\nFrom 1781234567890123458").expect("third"));
    pipe.write_all(start.as_bytes()).expect("write");
    pipe.flush().expect("flush");
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(interrupted.success());
    // The rest arrives after Ctrl-C: casebook sees the stop at its next message, which
    // may be the first, and then it has already closed the pipe.
    let _ = pipe.write_all(rest.as_bytes());
    drop(pipe);
    let out = child.wait_with_output().expect("casebook ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("The import was stopped, so nothing was imported."),
        "{stderr}"
    );
    std::fs::remove_file(&fifo).expect("remove the pipe");
    assert!(
        cb.snapshot() == before,
        "an interrupted import changed the store"
    );
}

/// An import killed outright (kill -9) cannot roll anything back itself: its entries were
/// never committed, and its files waited in a folder of its own, which the next verify
/// or import removes and reports. Nothing is left in the attachment folders.
#[test]
fn files_of_an_import_killed_outright_are_removed_and_reported() {
    let cb = demo();
    let before = cb.snapshot();
    let files = |cb: &Casebook| -> Vec<String> {
        let mut found = Vec::new();
        let folder = cb.path("case.db.attachments");
        // The attachments themselves, in their folders; not the waiting ones.
        for dir in std::fs::read_dir(&folder).expect("attachments").flatten() {
            if dir.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            for file in std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                found.push(format!(
                    "{}/{}",
                    dir.file_name().to_string_lossy(),
                    file.file_name().to_string_lossy()
                ));
            }
        }
        found.sort();
        found
    };
    let kept = files(&cb);
    // Held while it reads a long third message, so the reply before it, whose PDF is
    // then written and waiting, is finished.
    let held = import_held_at_a_long_message(&cb, &[]);
    let waiting = cb.path(&format!(
        "case.db.attachments/.incoming-{}",
        held.child.id()
    ));
    assert!(
        std::fs::read_dir(&waiting).is_ok_and(|mut d| d.next().is_some()),
        "the reply's file is not waiting"
    );
    held.kill();
    assert_eq!(
        files(&cb),
        kept,
        "a killed import's file reached the attachments"
    );
    let verified = cb.ok(&["verify"]);
    assert!(
        // The two messages as received, and the reply's PDF.
        verified.contains("Removed 3 attached files") && verified.contains("is intact"),
        "{verified}"
    );
    assert!(!waiting.exists(), "the waiting folder is still there");
    assert!(cb.snapshot() == before, "a killed import changed the store");
}

/// A long import prepares every entry before it takes the log, so the family can go on
/// writing to the case while it reads: the note below is written while the import is
/// still reading its mailbox (before, it waited for the import's transaction and was
/// refused as busy). The import then appends after the note, replies still linked.
#[test]
fn the_case_can_be_written_to_while_a_long_import_reads() {
    let cb = demo();
    let held = import_held_at_a_long_message(&cb, &[]);
    let noted = cb.ok(&[
        "log",
        "note",
        "--occurred",
        "2026-11-19",
        "--summary",
        "Phoned the office about the trip",
    ]);
    assert!(noted.contains("e20"), "{noted}");
    let out = held.finish();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let emails = timeline(&cb);
    let find = |id: &str| emails.iter().find(|e| e["id"] == id).expect(id);
    assert_eq!(find("e21")["facts"]["message_id"], "a1@example.org");
    assert_eq!(find("e22")["links"][0]["target"], "e21");
    assert_eq!(find("e23")["facts"]["message_id"], "long@example.org");
    assert_eq!(find("e24")["links"][0]["target"], "e22");
    let verified = cb.ok(&["verify"]);
    assert!(verified.contains("is intact"), "{verified}");
}

/// The same mail imported by another command while a long import reads is kept once:
/// the long import finds it in the log when it appends and counts it as already there.
#[test]
fn mail_imported_meanwhile_by_another_import_is_kept_once() {
    let cb = demo();
    let held = import_held_at_a_long_message(&cb, &[]);
    std::fs::write(cb.path("same.mbox"), gmail_mbox()).expect("write the mailbox");
    cb.ok(&["import", "same.mbox", "--format", "mbox", "--me", ME]);
    let out = held.finish();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let emails = timeline(&cb);
    let ids: Vec<&str> = emails
        .iter()
        .filter_map(|e| e["facts"]["message_id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "a1@example.org",
            "b2@millbrook.example",
            "long@example.org",
            "c3@example.org"
        ],
        "{said}"
    );
    let long = emails
        .iter()
        .find(|e| e["facts"]["message_id"] == "long@example.org")
        .expect("the long message");
    assert_eq!(long["id"], "e23");
    assert!(
        said.contains("Imported 1 email") && said.contains("3 already in the log"),
        "{said}"
    );
    let verified = cb.ok(&["verify"]);
    assert!(verified.contains("is intact"), "{verified}");
}

/// A parent's 08:50 email in summer (BST) and the school's 08:20 GMT reply, sent from a
/// server on UTC: the reply came at 09:20 UK time, after the email it answers, and the
/// chronology says so; each keeps its sender's own time.
#[test]
fn replies_sort_after_what_they_answer_whatever_the_senders_zones() {
    let cb = demo();
    std::fs::write(
        cb.path("zones.mbox"),
        [
            message(
                "jo@example.org Tue Jun  2 07:50:00 2026",
                "Message-ID: <p1@example.org>\nDate: Tue, 2 Jun 2026 08:50:00 +0100\nFrom: jo@example.org\nTo: head@millbrook.example\nSubject: Alex's lunch",
                "Alex came home hungry again.",
            ),
            message(
                "head@millbrook.example Tue Jun  2 08:20:00 2026",
                "Message-ID: <s1@millbrook.example>\nIn-Reply-To: <p1@example.org>\nDate: Tue, 2 Jun 2026 08:20:00 +0000\nFrom: head@millbrook.example\nTo: jo@example.org\nSubject: Re: Alex's lunch",
                "We will look into it.",
            ),
        ]
        .concat(),
    )
    .expect("write");
    cb.ok(&[
        "import",
        "zones.mbox",
        "--me",
        ME,
        "--domain",
        "millbrook.example",
    ]);
    let emails = timeline(&cb);
    let at = |id: &str| {
        emails
            .iter()
            .find(|e| e["facts"]["message_id"] == id)
            .expect(id)
            .clone()
    };
    let (parent, school) = (at("p1@example.org"), at("s1@millbrook.example"));
    assert_eq!(parent["occurred"], "2026-06-02T08:50");
    assert_eq!(school["occurred"], "2026-06-02T09:20");
    assert_eq!(school["facts"]["sent"], "2026-06-02T08:20:00+00:00");
    let place = |e: &serde_json::Value| emails.iter().position(|x| x == e).expect("listed");
    assert!(place(&parent) < place(&school), "the reply is listed first");
}

/// Two copies of one message from two mailboxes (with different delivery headers) are
/// one message; two different messages that share a Message-ID are both kept, and said.
#[test]
fn a_message_is_known_by_its_id_and_what_it_says() {
    let cb = demo();
    let letter = "Message-ID: <m1@millbrook.example>\nDate: Mon, 21 Sep 2026 10:00:00 +0100\nFrom: senco@millbrook.example\nTo: jo@example.org\nSubject: SEN support meeting\n\nCan we meet on Thursday?\n";
    std::fs::write(
        cb.path("inbox.eml"),
        format!("Delivered-To: jo@example.org\n{letter}"),
    )
    .expect("write");
    std::fs::write(
        cb.path("copy.eml"),
        format!("X-Copied-By: a phone\r\n{}", letter.replace('\n', "\r\n")),
    )
    .expect("write");
    std::fs::write(
        cb.path("bounce.eml"),
        "Message-ID: <m1@millbrook.example>\nDate: Mon, 21 Sep 2026 10:05:00 +0100\nFrom: senco@millbrook.example\nTo: jo@example.org\nSubject: Undeliverable\n\nA different message with the same id.\n",
    )
    .expect("write");
    let said = cb.ok(&[
        "import",
        "inbox.eml",
        "copy.eml",
        "bounce.eml",
        "--me",
        ME,
        "--all",
    ]);
    assert!(
        said.contains("Imported 2 emails (0 sent, 2 received) of 3 messages read."),
        "{said}"
    );
    assert!(said.contains("1 already in the log"), "{said}");
    assert!(
        said.contains("bounce.eml: two different messages share this Message-ID (m1@millbrook.example); both are kept"),
        "{said}"
    );
    // Another copy, in a later import: what the entry in the log says it says is enough.
    std::fs::write(
        cb.path("forwarded-copy.eml"),
        format!("Received: from phone by home; Mon, 21 Sep 2026 10:01:00 +0100\n{letter}"),
    )
    .expect("write");
    let again = cb.ok(&["import", "forwarded-copy.eml", "--me", ME, "--all"]);
    assert!(again.contains("Imported 0 emails"), "{again}");
    assert!(again.contains("1 already in the log"), "{again}");
    // And a third different message with that id, later still, is not taken for either.
    std::fs::write(
        cb.path("third.eml"),
        letter.replace("Can we meet on Thursday?", "Or on Friday?"),
    )
    .expect("write");
    let third = cb.ok(&["import", "third.eml", "--me", ME, "--all"]);
    assert!(third.contains("Imported 1 emails"), "{third}");
    assert!(
        third.contains("two different messages share this Message-ID"),
        "{third}"
    );
}

/// Every message is imported, already there, or skipped with its place and reason:
/// a stray file named .eml, a folder inside a Maildir that holds no mail, a message
/// over the limit, an envelope without a date, and two messages run together.
#[test]
fn nothing_in_a_mailbox_is_passed_over_in_silence() {
    let cb = demo();
    std::fs::write(cb.path("notes.eml"), "shopping list: milk, bread\n").expect("write");
    std::fs::write(
        cb.path("real.eml"),
        "Message-ID: <r1@millbrook.example>\nDate: Mon, 21 Sep 2026 10:00:00 +0100\nFrom: senco@millbrook.example\nTo: jo@example.org\nSubject: Meeting\n\nThursday?\n",
    )
    .expect("write");
    let said = cb.ok(&["import", "notes.eml", "real.eml", "--me", ME, "--all"]);
    assert!(said.contains("Imported 1 emails"), "{said}");
    assert!(
        said.contains(
            "notes.eml: it is not an email (it has no From, To, Date, Subject or Message-ID header)"
        ),
        "{said}"
    );

    // Nested Maildir folders ("School/Replies/cur") are read; a folder of photos is named.
    for folder in ["Mail/cur", "Mail/School/Replies/cur", "Mail/Photos"] {
        std::fs::create_dir_all(cb.path(folder)).expect("folders");
    }
    std::fs::write(
        cb.path("Mail/School/Replies/cur/1757923200.M1P2.host:2,S"),
        "Message-ID: <n1@millbrook.example>\nFrom: head@millbrook.example\nTo: jo@example.org\nSubject: Nested\n\nNo Date header: the file's name says when it came.\n",
    )
    .expect("write");
    let said = cb.ok(&["import", "Mail", "--me", ME, "--all"]);
    assert!(said.contains("Imported 1 emails"), "{said}");
    assert!(
        said.contains("Photos: the folder has no cur or new folder inside"),
        "{said}"
    );
    assert!(
        said.contains("date from when the mail folder received it"),
        "{said}"
    );
    let nested = timeline(&cb)
        .into_iter()
        .find(|e| e["facts"]["message_id"] == "n1@millbrook.example")
        .expect("the nested message");
    // 1757923200 is 08:00 UTC on 15 September 2025: 09:00 in England.
    assert_eq!(nested["occurred"], "2025-09-15T09:00");
    assert!(
        nested["sources"]
            .to_string()
            .contains("mail folder: School/Replies")
    );

    // An undated envelope, two messages run together, and one over a 1 MB limit.
    let big = "x".repeat(2 << 20);
    std::fs::write(
        cb.path("odd.mbox"),
        format!(
            "From -\nMessage-ID: <u1@millbrook.example>\nDate: Tue, 22 Sep 2026 09:00:00 +0100\nFrom: head@millbrook.example\nTo: jo@example.org\nSubject: Undated envelope\n\nOne.\nFrom head@millbrook.example Tue Sep 22 10:00:00 2026\nMessage-ID: <u2@millbrook.example>\nDate: Tue, 22 Sep 2026 10:00:00 +0100\nFrom: head@millbrook.example\nTo: jo@example.org\nSubject: Run together\n\nTwo.\n\nFrom head@millbrook.example Tue Sep 22 11:00:00 2026\nMessage-ID: <u3@millbrook.example>\nDate: Tue, 22 Sep 2026 11:00:00 +0100\nFrom: head@millbrook.example\nTo: jo@example.org\nSubject: Huge\n\n{big}\n"
        ),
    )
    .expect("write");
    let refused = cb.refused(&[
        "import",
        "odd.mbox",
        "--me",
        ME,
        "--all",
        "--message-limit",
        "0",
    ]);
    assert!(refused.contains("from 1 to 100"), "{refused}");
    let said = cb.ok(&[
        "import",
        "odd.mbox",
        "--me",
        ME,
        "--all",
        "--message-limit",
        "1",
    ]);
    assert!(
        said.contains("Imported 2 emails (0 sent, 2 received) of 3 messages read."),
        "{said}"
    );
    assert!(
        said.contains("1 run together with the message before them in the mbox, and split apart."),
        "{said}"
    );
    assert!(said.contains("odd.mbox, message 3"), "{said}");
    assert!(
        said.contains("it is 3 MB, larger than the 1 MB casebook reads in one message"),
        "{said}"
    );
}
