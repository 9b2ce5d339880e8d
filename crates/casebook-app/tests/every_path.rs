//! The property behind issue 13's critical bug: whatever the store accepts, every
//! reader reads. Entries drawn from seeded random bytes, valid by their types and
//! nothing more, go in through each way the use cases offer (logging, requests,
//! corrections, redactions, a letter recorded as sent), through JSON Lines (an export
//! imported, and damaged copies of it) and through mail; after each, every reader must
//! read the case. A refusal is fine; a case some reader cannot read is not.

use casebook_app::checks::{Draw, every_reader_reads, seeded};
use casebook_app::{
    CaseFile, Correction, FixedClock, MailImport, NewRequest, SentLetter, demonstration_case,
    import, read_jsonl, write_jsonl,
};
use casebook_blobs::LocalBlobs;
use casebook_domain::{Channel, EntryId, PersonId};
use casebook_mail::Mailbox;
use casebook_store::CaseStore;
use casebook_store_sqlite::SqliteStore;
use jiff::Timestamp;
use jiff::civil::Date;

const TODAY: Date = Date::constant(2026, 12, 3);
/// Seeds tried; CASEBOOK_SEEDS=N tries more, for a longer search.
const SEEDS: u64 = 24;
/// Writes tried on each seed's case.
const ATTEMPTS: usize = 6;

struct Place {
    dir: tempfile::TempDir,
    store: SqliteStore,
    blobs: LocalBlobs,
}

fn place() -> Place {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("case.db");
    let store = SqliteStore::create(&path, None).expect("store");
    let blobs = LocalBlobs::new(LocalBlobs::beside(&path), None).expect("blobs");
    Place { dir, store, blobs }
}

fn clock() -> FixedClock {
    FixedClock(Timestamp::from_second(1_796_299_200).expect("3 December 2026"))
}

/// Appends drawn entries to a demonstration case by every use case that writes, and
/// returns how many were accepted.
fn append_through_the_use_cases(
    file: &CaseFile<'_, SqliteStore, LocalBlobs>,
    draw: &mut Draw<'_>,
) -> usize {
    let people: Vec<PersonId> = file
        .store
        .people(file.case.id)
        .expect("people")
        .iter()
        .map(|p| p.id)
        .collect();
    let rules: Vec<String> = casebook_rules::builtin_pack("england")
        .expect("the England pack")
        .rules
        .iter()
        .map(|r| r.id.clone())
        .collect();
    let mut accepted = 0;
    for _ in 0..ATTEMPTS {
        let in_log = file
            .store
            .head(file.case.id)
            .expect("head")
            .map_or(0, |h| h.seq);
        let target = EntryId(1 + draw.below(in_log as usize + 1) as u64);
        let written = match draw.below(10) {
            0 => file
                .amend(
                    target,
                    Correction {
                        summary: draw.text(),
                        reason: draw.text(),
                        occurred: draw.maybe(Draw::occurred),
                        details: draw.maybe(Draw::text),
                        facts: None,
                    },
                    "Jo",
                )
                .map(|_| ()),
            1 => file.redact(target, draw.text(), "Jo").map(|_| ()),
            2 => file
                .record_request(NewRequest {
                    rule: match draw.below(8) {
                        0 => draw.text(),
                        _ => rules[draw.below(rules.len())].clone(),
                    },
                    sent: draw.date().get(),
                    to: draw.person(&people),
                    summary: draw.maybe(Draw::text),
                    inputs: Default::default(),
                    author: "Jo".into(),
                })
                .map(|_| ()),
            3 => {
                let templates = casebook_letters::Templates::load(None).expect("templates");
                let all: Vec<_> = templates.list().collect();
                let template = all[draw.below(all.len())];
                let people_here = file.store.people(file.case.id).expect("people");
                let to = people_here.get(draw.below(people_here.len() + 1));
                let about = [target];
                let request = casebook_app::LetterRequest {
                    to,
                    about: &about,
                    family: "Jo Morgan",
                    missing: &[],
                    weak: &[],
                    wants_mediation: draw.chance(),
                    ..Default::default()
                };
                file.draft(template, &request, TODAY).and_then(|draft| {
                    file.record_letter_sent(&SentLetter {
                        draft: &draft,
                        to,
                        about: &about,
                        date: draw.date().get(),
                        channel: draw.pick(Channel::ALL),
                        author: "Jo",
                    })
                    .map(|_| ())
                })
            }
            _ => file.log(draw.entry(&people, in_log)).map(|_| ()),
        };
        accepted += usize::from(written.is_ok());
    }
    accepted
}

/// A message whose every header and line is drawn.
fn drawn_email(draw: &mut Draw<'_>) -> Vec<u8> {
    // Mostly a date mail could have been sent on (the reader refuses the rest), now
    // and then any date a case can hold, or any text.
    let day = |date: Date| format!("{} 10:00:00 +0000", date.strftime("%a, %d %b %Y"));
    let date = match draw.below(4) {
        0 => draw.text(),
        1 => day(draw.date().get()),
        _ => day(Date::constant(2000, 1, 1)
            .checked_add(jiff::Span::new().days(draw.below(9000) as i64))
            .expect("a date before 2025")),
    };
    format!(
        "Message-ID: <{}@example.org>\r\nDate: {date}\r\nFrom: {} <head@millbrook.example>\r\nTo: jo@example.org\r\nSubject: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n",
        draw.below(1_000_000),
        draw.text(),
        draw.text(),
        draw.text()
    )
    .into_bytes()
}

#[test]
fn whatever_any_way_in_accepts_every_reader_reads() {
    let mut accepted = 0;
    let mut imported = 0;
    let seeds = std::env::var("CASEBOOK_SEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(SEEDS);
    for seed in 0..seeds {
        let source = seeded(seed, 64 * 1024);
        let mut draw = Draw::new(&source);
        let here = place();
        let clock = clock();
        let case = demonstration_case(&here.store, &here.blobs, &clock, "morgan").expect("demo");
        let file = CaseFile {
            store: &here.store,
            blobs: &here.blobs,
            clock: &clock,
            case,
        };
        accepted += append_through_the_use_cases(&file, &mut draw);
        let eml = here.dir.path().join("message.eml");
        std::fs::write(&eml, drawn_email(&mut draw)).expect("write");
        let mail = MailImport {
            mailboxes: vec![Mailbox::Eml(eml)],
            family: vec!["jo@example.org".into()],
            all: true,
            ..MailImport::default()
        };
        if let Ok(report) = file.import_mail(&mail, "Jo", &mut |_, _| true) {
            imported += report.imported.len();
        }
        every_reader_reads(&file, TODAY).unwrap_or_else(|e| panic!("seed {seed}: {e}"));

        // The case exported and imported into another store, then damaged copies.
        let mut export = Vec::new();
        let people = here.store.people(file.case.id).expect("people");
        write_jsonl(
            &mut export,
            &file.case,
            &people,
            &file.entries().expect("entries"),
            &here.blobs,
            false,
            &file.signing_key().expect("key"),
        )
        .expect("export");
        for damage in 0..3 {
            let mut bytes = export.clone();
            if damage > 0 && !bytes.is_empty() {
                let at = draw.below(bytes.len());
                bytes[at] = draw.byte();
            }
            let Ok(read) = read_jsonl(&bytes[..], "export") else {
                continue;
            };
            let there = place();
            let Ok(case) = import(&there.store, &there.blobs, read, None) else {
                continue;
            };
            let moved = CaseFile {
                store: &there.store,
                blobs: &there.blobs,
                clock: &clock,
                case,
            };
            every_reader_reads(&moved, TODAY)
                .unwrap_or_else(|e| panic!("seed {seed}, imported with damage {damage}: {e}"));
        }
    }
    // The draw reaches the store, not only its refusals.
    let tried = seeds as usize * ATTEMPTS;
    assert!(
        accepted * 4 > tried,
        "only {accepted} of {tried} writes were accepted"
    );
    assert!(imported > 5, "only {imported} emails were imported");
}
