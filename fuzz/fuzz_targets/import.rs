//! Any bytes as an .eml file, imported into a real store: the import must either take
//! the message in or skip it with a reason, never panic, and leave a log that verifies
//! and that every reader reads: the timeline finds no entry it cannot read, what to do
//! now is worked out, and the JSON Lines export reads back and verifies.
#![no_main]

use std::sync::OnceLock;

use casebook_app::{CaseFile, Filter, FixedClock, MailImport, read_jsonl, write_jsonl};
use casebook_blobs::LocalBlobs;
use casebook_mail::Mailbox;
use casebook_store::CaseStore;
use casebook_store::conformance::sample_case;
use casebook_store_sqlite::SqliteStore;
use libfuzzer_sys::fuzz_target;

struct Setup {
    dir: tempfile::TempDir,
    store: SqliteStore,
    blobs: LocalBlobs,
    case: casebook_domain::Case,
}

fn setup() -> &'static std::sync::Mutex<Setup> {
    static SETUP: OnceLock<std::sync::Mutex<Setup>> = OnceLock::new();
    SETUP.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::create(&dir.path().join("fuzz.db"), None).expect("store");
        let blobs = LocalBlobs::new(dir.path().join("fuzz.db.attachments"), None).expect("blobs");
        let case = sample_case("fuzz");
        store.create_case(&case).expect("case");
        std::sync::Mutex::new(Setup { dir, store, blobs, case })
    })
}

fuzz_target!(|data: &[u8]| {
    let setup = setup().lock().expect("one run at a time");
    let path = setup.dir.path().join("message.eml");
    std::fs::write(&path, data).expect("write");
    let clock = FixedClock(jiff::Timestamp::UNIX_EPOCH);
    let file = CaseFile {
        store: &setup.store,
        blobs: &setup.blobs,
        clock: &clock,
        case: setup.case.clone(),
    };
    let request = MailImport {
        mailboxes: vec![Mailbox::Eml(path)],
        family: vec!["jo@example.org".into()],
        all: true,
        ..MailImport::default()
    };
    let _ = file.import_mail(&request, "fuzz", &mut |_, _| true);
    let report = file.verify().expect("verify runs");
    assert!(report.failure.is_none(), "the log stopped verifying");
    assert!(report.unreadable.is_empty(), "the store accepted what it cannot read");
    let everything = Filter {
        corrections: true,
        unreadable: true,
        ..Filter::default()
    };
    let items = file.timeline(&everything).expect("the timeline reads");
    assert!(items.iter().all(|i| i.unreadable.is_none()), "an entry cannot be read");
    file.what_to_do_now().expect("what to do now is worked out");
    let mut export = Vec::new();
    write_jsonl(
        &mut export,
        &file.case,
        &setup.store.people(file.case.id).expect("people"),
        &file.entries().expect("entries"),
        &setup.blobs,
        true,
        &file.signing_key().expect("the case's key"),
    )
    .expect("the export is written");
    let read = read_jsonl(&export[..], "export").expect("the export reads back");
    assert!(read.verify().failure.is_none(), "the export does not verify");
});
