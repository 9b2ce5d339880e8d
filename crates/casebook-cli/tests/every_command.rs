//! Drawn entries, valid by their types and nothing more, written to a case file through
//! the use cases, then read back by every command a family types: whatever the store
//! accepts, every command reads. Each seed's case also goes out as JSON Lines and in
//! again, and the copy is read the same way.

use casebook_app::checks::{Draw, seeded};
use casebook_app::{CaseFile, FixedClock, choose_case};
use casebook_blobs::LocalBlobs;
use casebook_domain::PersonId;
use casebook_store::CaseStore;
use casebook_store_sqlite::SqliteStore;

use crate::harness::Casebook;

/// Appends drawn entries straight onto the case file, as the web app or an import
/// would; returns how many were accepted.
fn append_drawn(cb: &Casebook, seed: u64) -> usize {
    let store = SqliteStore::open(&cb.store, None).expect("the case file");
    let blobs = LocalBlobs::new(LocalBlobs::beside(&cb.store), None).expect("its files");
    let clock = FixedClock(jiff::Timestamp::from_second(1_796_299_200).expect("an instant"));
    let case = choose_case(&store, None).expect("the case");
    let people: Vec<PersonId> = store
        .people(case.id)
        .expect("people")
        .iter()
        .map(|p| p.id)
        .collect();
    let file = CaseFile {
        store: &store,
        blobs: &blobs,
        clock: &clock,
        case,
    };
    let source = seeded(seed, 64 * 1024);
    let mut draw = Draw::new(&source);
    (0..80)
        .filter(|_| {
            let in_log = store.head(file.case.id).expect("head").map_or(0, |h| h.seq);
            file.log(draw.entry(&people, in_log)).is_ok()
        })
        .count()
}

/// Every command that reads the case succeeds on it.
fn every_command_reads(cb: &Casebook, seed: u64) {
    let out = |name: &str| cb.path(name).to_string_lossy().into_owned();
    let verified = cb.ok(&["verify"]);
    assert!(verified.contains("is intact"), "seed {seed}: {verified}");
    let mut commands: Vec<Vec<String>> = [
        vec!["timeline"],
        vec!["timeline", "--json"],
        vec!["timeline", "--all"],
        vec!["next"],
        vec!["next", "--json"],
        vec!["recognise"],
        vec!["attendance"],
        vec!["attendance", "--json"],
        vec!["person", "list"],
        vec!["letter", "--list"],
        vec!["export", "--format", "csv"],
        vec!["export", "--format", "ics"],
        vec!["export", "--format", "jsonl", "--pseudonymise"],
    ]
    .iter()
    .map(|c| c.iter().map(|s| s.to_string()).collect())
    .collect();
    for format in ["pdf", "html"] {
        commands.push(
            [
                "bundle",
                "--format",
                format,
                "--skip-unreadable",
                "--out",
                &out(&format!("bundle.{format}")),
            ]
            .map(String::from)
            .to_vec(),
        );
    }
    let templates = casebook_letters::Templates::load(None).expect("templates");
    for template in templates.list() {
        // A letter that needs someone to write to, or something the case lacks, says
        // so in a sentence (exit 1); anything else is a command that cannot read.
        let answer = cb.run(&[
            "letter",
            &template.id,
            "--format",
            "docx",
            "--out",
            &out("letter.docx"),
        ]);
        let said = String::from_utf8_lossy(&answer.stderr);
        assert!(
            answer.status.code() != Some(101) && !said.contains("panicked"),
            "seed {seed}: letter {}: {said}",
            template.id
        );
    }
    for command in &commands {
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        cb.ok(&args);
    }
}

#[test]
fn a_case_of_drawn_entries_is_read_by_every_command() {
    for seed in 0..2 {
        let mut cb = Casebook::new();
        cb.today = "2026-12-03";
        cb.ok(&["demo"]);
        let accepted = append_drawn(&cb, seed);
        assert!(
            accepted > 5,
            "seed {seed}: only {accepted} entries were accepted"
        );
        every_command_reads(&cb, seed);

        let export = cb.path("case.jsonl").to_string_lossy().into_owned();
        cb.ok(&["export", "--format", "jsonl", "--out", &export]);
        let mut copy = Casebook::new();
        copy.today = cb.today;
        copy.ok(&["import", &export]);
        every_command_reads(&copy, seed);
    }
}
