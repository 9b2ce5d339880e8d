//! What only the PostgreSQL backend promises.

use casebook_domain::{Content, Facts, Occurred, StoredEntry};
use casebook_store::conformance::sample_case;
use casebook_store::{Append, CaseStore, StoreError};
use casebook_store_postgres::PgStore;

use crate::harness::{new_database, raw, server};

fn note(
    case: &casebook_domain::Case,
    head: Option<casebook_domain::Head>,
    text: &str,
) -> StoredEntry {
    StoredEntry::seal(
        case.id,
        head,
        Occurred::parse("2026-03-03").expect("date"),
        jiff::Timestamp::from_second(1_772_530_000).expect("instant"),
        "parent",
        vec![],
        &Content {
            summary: text.into(),
            details: None,
            sources: vec![],
            attachments: vec![],
            facts: Facts::Note,
        },
    )
    .expect("a readable entry")
}

/// Appends a note after `head` and returns the new head.
fn append_note(
    store: &PgStore,
    case: &casebook_domain::Case,
    head: Option<casebook_domain::Head>,
    text: &str,
) -> casebook_domain::Head {
    let entry = note(case, head, text);
    let next = entry.head();
    store
        .append(
            case.id,
            head,
            &Append {
                entry,
                erase_content_of: None,
            },
        )
        .expect("append");
    next
}

#[test]
fn the_database_itself_refuses_to_change_or_remove_the_log() {
    let url = new_database();
    let store = PgStore::connect(&url, None).expect("store");
    let case = sample_case("kept");
    store.create_case(&case).expect("case");
    let head = append_note(&store, &case, None, "Pushed near the lockers");
    // Adding to the access log is allowed; changing it is not.
    raw(
        &url,
        "INSERT INTO access_log (case_id, record) SELECT id, '{}' FROM cases",
    )
    .expect("an access is recorded");
    for sql in [
        "UPDATE entries SET author = 'someone else'",
        "DELETE FROM entries",
        "TRUNCATE entries CASCADE",
        "UPDATE contents SET body = '\\x00'",
        "DELETE FROM contents",
        "TRUNCATE contents",
        "UPDATE heads SET seq = 7",
        "DELETE FROM heads",
        "DELETE FROM access_log",
        "UPDATE access_log SET record = ''",
        "TRUNCATE access_log",
    ] {
        let refused = raw(&url, sql).expect_err(sql);
        assert!(
            refused.contains("append-only")
                || refused.contains("cannot")
                || refused.contains("only")
                || refused.contains("must"),
            "{sql}: {refused}"
        );
    }
    let refused_with = |sql: &str, words: &str| {
        let refused = raw(&url, sql).expect_err(sql);
        assert!(refused.contains(words), "{sql}: {refused}");
    };
    // A gap in the chain, and an entry that does not follow the one before.
    refused_with(
        "INSERT INTO entries SELECT case_id, seq + 5, version, kind, occurred, recorded, author, links, content_hash, attachments, prev_hash, '\\x01' FROM entries",
        "extend",
    );
    refused_with(
        "INSERT INTO entries SELECT case_id, seq + 1, version, kind, occurred, recorded, author, links, content_hash, attachments, '\\x01', '\\x02' FROM entries",
        "extend",
    );
    // The head names an entry of its case and never goes back to an earlier one.
    append_note(
        &store,
        &case,
        Some(head),
        "Told to keep away from the lockers",
    );
    raw(
        &url,
        "INSERT INTO cases (id, slug, record) VALUES ('00000000-0000-0000-0000-000000000001', 'other', '{}')",
    )
    .expect("another case");
    refused_with(
        "UPDATE heads SET seq = 1, hash = (SELECT hash FROM entries WHERE seq = 1)",
        "only moves forward",
    );
    refused_with(
        "INSERT INTO heads VALUES ('00000000-0000-0000-0000-000000000001', 1, '\\x01')",
        "must name an entry",
    );
    assert_eq!(store.entries(case.id).expect("entries").len(), 2);
}

#[test]
fn a_large_import_goes_in_whole_and_leaves_the_planner_statistics_of_it() {
    const ENTRIES: usize = 10_000;
    let url = new_database();
    let store = PgStore::connect(&url, None).expect("store");
    let case = sample_case("moved-in");
    let mut head = None;
    let entries: Vec<StoredEntry> = (0..ENTRIES)
        .map(|i| {
            let entry = note(&case, head, &format!("Note {i} from the home-school book"));
            head = Some(entry.head());
            entry
        })
        .collect();
    store.import_case(&case, &[], &entries).expect("import");
    assert_eq!(store.head(case.id).expect("head"), head);
    assert_eq!(store.entries(case.id).expect("entries").len(), ENTRIES);
    assert_eq!(
        store.search(case.id, "home school", 5).expect("search"),
        vec![1, 2, 3, 4, 5]
    );
    // A table never analysed says -1 rows; the import analysed both of the log's.
    raw(
        &url,
        "DO $$ BEGIN
             IF (SELECT min(reltuples) FROM pg_class WHERE relname IN ('entries', 'contents')) < 10000 THEN
                 RAISE EXCEPTION 'not analysed';
             END IF;
         END $$",
    )
    .expect("the tables were analysed after the import");
}

#[test]
fn writers_on_several_servers_keep_one_valid_chain() {
    const SERVERS: usize = 4;
    const EACH: usize = 25;
    let url = new_database();
    let servers: Vec<PgStore> = (0..SERVERS)
        .map(|_| PgStore::connect(&url, None).expect("a server"))
        .collect();
    let case = sample_case("shared");
    servers[0].create_case(&case).expect("case");
    std::thread::scope(|scope| {
        for (n, store) in servers.iter().enumerate() {
            let case = &case;
            scope.spawn(move || {
                for i in 0..EACH {
                    store
                        .append_next(case.id, &mut |head| Append {
                            entry: note(case, head, &format!("server {n}, entry {i}")),
                            erase_content_of: None,
                        })
                        .expect("kept");
                }
            });
        }
    });
    let entries = servers[3].entries(case.id).expect("entries");
    assert_eq!(entries.len(), SERVERS * EACH);
    let report = casebook_domain::verify_chain(
        case.id,
        &entries,
        servers[1].head(case.id).expect("head"),
        |_| casebook_domain::AttachmentState::Intact,
    );
    assert!(report.failure.is_none(), "{report:?}");
}

#[test]
fn an_unreachable_server_wrong_credentials_and_a_newer_schema_are_refused_plainly() {
    let unreachable = PgStore::connect("postgres://casebook@127.0.0.1:1/casebook", None)
        .expect_err("nobody listens on port 1");
    assert!(
        unreachable.to_string().contains("cannot be reached"),
        "{unreachable}"
    );
    let base = server();
    let (user_part, host_part) = base
        .trim_start_matches("postgres://")
        .split_once('@')
        .expect("user@host");
    let user = user_part.split(':').next().expect("user");
    let wrong = PgStore::connect(
        &format!("postgres://{user}@{host_part}/postgres"),
        Some("not the password"),
    )
    .expect_err("wrong password");
    assert!(
        wrong
            .to_string()
            .contains("refused the user name or password"),
        "{wrong}"
    );
    let missing =
        PgStore::connect(&format!("{base}/no_such_database_here"), None).expect_err("no database");
    assert!(
        missing.to_string().contains("There is no such database"),
        "{missing}"
    );
    let nonsense = PgStore::connect("postgres://[not an address", None).expect_err("nonsense");
    assert!(
        nonsense.to_string().contains("not a PostgreSQL address"),
        "{nonsense}"
    );

    let url = new_database();
    drop(PgStore::connect(&url, None).expect("set up"));
    raw(
        &url,
        "UPDATE casebook_meta SET value = '99' WHERE key = 'schema'",
    )
    .expect("made newer");
    let newer = PgStore::connect(&url, None).expect_err("newer schema");
    assert!(newer.to_string().contains("newer casebook"), "{newer}");
    assert!(matches!(newer, StoreError::Refused(_)));
}

#[test]
fn a_database_with_other_tables_is_not_taken_for_a_store() {
    let url = new_database();
    raw(&url, "CREATE TABLE casebook_meta (key TEXT, value TEXT)").expect("something else");
    let refused = PgStore::connect(&url, None).expect_err("not a store");
    assert!(
        refused.to_string().contains("other than a casebook store"),
        "{refused}"
    );
}
