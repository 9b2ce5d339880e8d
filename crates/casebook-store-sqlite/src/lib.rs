//! The embedded store: one SQLite file, encrypted as a whole by SQLCipher when the
//! family sets a passphrase. Entries are append-only in the database itself (see
//! `schema.sql`), not only in this code.

mod accounts;
mod checkpoint;
mod key;
mod readers;
mod rows;
mod writer;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use casebook_domain::{Case, CaseId, Head, Person, Record, StoredEntry};
use casebook_store::{Append, CaseStore, Push, StoreError, StoreResult, search_words};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use zeroize::Zeroizing;

const SCHEMA: &str = include_str!("schema.sql");
/// Each later schema as the change from the one before, applied in order to older
/// stores when they are opened.
const MIGRATIONS: &[(i64, &str)] = &[
    (2, include_str!("accounts.sql")),
    (3, include_str!("search.sql")),
    (4, include_str!("search_in_batches.sql")),
];
const SCHEMA_VERSION: i64 = 4;
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

pub struct SqliteStore {
    // Declared first so it is dropped first: see its Drop.
    checkpointer: checkpoint::Checkpointer,
    writer: writer::Writer,
    readers: readers::Readers,
    path: PathBuf,
    encrypted: bool,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("encrypted", &self.encrypted)
            .finish()
    }
}

/// Whether an existing store file is encrypted: a plain SQLite file starts with a fixed
/// header, an SQLCipher file with random bytes.
pub fn is_encrypted(path: &Path) -> StoreResult<bool> {
    let mut header = [0u8; 100];
    let mut file = fs::File::open(path).map_err(|e| io_error(path, e))?;
    match file.read_exact(&mut header) {
        Ok(()) if header.starts_with(SQLITE_HEADER) => Ok(false),
        // An encrypted store's first bytes are random, and the rest of its first page is
        // encrypted; a plain store keeps the fixed fields after its name. Those fields
        // with a changed name are a plain store that was damaged, not an encrypted one.
        Ok(()) if plain_fields(&header) => Err(damaged(path)),
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            Err(StoreError::Refused(format!(
                "{} is not a casebook store: it is too short to be a database.",
                path.display()
            )))
        }
        Err(e) => Err(io_error(path, e)),
    }
}

impl SqliteStore {
    /// Runs `write` in one immediate transaction that starts from the head the caller
    /// expects; anything but `Ok` rolls it all back.
    fn extend_log(
        &self,
        case: CaseId,
        expected: Option<Head>,
        write: impl FnOnce(&rusqlite::Transaction<'_>) -> StoreResult<()>,
    ) -> StoreResult<()> {
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        if rows::head(&tx, case)? != expected {
            return Err(StoreError::Conflict);
        }
        write(&tx)?;
        tx.commit().map_err(backend)?;
        self.checkpointer.committed();
        Ok(())
    }

    /// Creates a new store. With a passphrase the whole file is encrypted.
    pub fn create(path: &Path, passphrase: Option<&str>) -> StoreResult<Self> {
        if path.exists() {
            return Err(StoreError::Refused(format!(
                "{} already exists.",
                path.display()
            )));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        }
        let conn = Connection::open(path).map_err(backend)?;
        let key = match passphrase {
            Some(passphrase) => Some(apply_key(&conn, passphrase, &key::random_salt()?)?),
            None => None,
        };
        let created = conn
            .execute_batch(SCHEMA)
            .and_then(|()| {
                MIGRATIONS
                    .iter()
                    .try_for_each(|(_, sql)| conn.execute_batch(sql))
            })
            .and_then(|()| {
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema', ?1)",
                    params![SCHEMA_VERSION.to_string()],
                )
            })
            .map_err(backend);
        if let Err(e) = created {
            drop(conn);
            let _ = fs::remove_file(path);
            return Err(e);
        }
        Self::ready(conn, path, key)
    }

    /// Opens an existing store; an encrypted one needs its passphrase.
    pub fn open(path: &Path, passphrase: Option<&str>) -> StoreResult<Self> {
        if !path.exists() {
            return Err(StoreError::Refused(format!(
                "There is no casebook store at {}: start one with `casebook case new`.",
                path.display()
            )));
        }
        let encrypted = is_encrypted(path)?;
        let conn = Connection::open(path).map_err(backend)?;
        let key = if encrypted {
            let passphrase = passphrase.ok_or(StoreError::PassphraseNeeded)?;
            let mut salt = [0u8; key::SALT_LEN];
            fs::File::open(path)
                .and_then(|mut f| f.read_exact(&mut salt))
                .map_err(|e| io_error(path, e))?;
            Some(apply_key(&conn, passphrase, &salt)?)
        } else {
            None
        };
        let schema: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| match e {
                // SQLCipher cannot tell a wrong key from a damaged first page: both fail
                // its check of that page.
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::NotADatabase && encrypted =>
                {
                    StoreError::WrongPassphrase
                }
                rusqlite::Error::SqliteFailure(f, _)
                    if matches!(
                        f.code,
                        rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
                    ) =>
                {
                    damaged(path)
                }
                _ => not_a_store(path),
            })?;
        match schema.and_then(|s| s.parse::<i64>().ok()) {
            Some(SCHEMA_VERSION) => Self::ready(conn, path, key),
            Some(older) if (1..SCHEMA_VERSION).contains(&older) => {
                upgrade(&conn, older)?;
                Self::ready(conn, path, key)
            }
            Some(newer) if newer > SCHEMA_VERSION => Err(StoreError::Refused(format!(
                "{} was written by a newer casebook (store schema {newer}): upgrade casebook to open it.",
                path.display()
            ))),
            _ => Err(not_a_store(path)),
        }
    }

    fn ready(conn: Connection, path: &Path, key: Option<Zeroizing<String>>) -> StoreResult<Self> {
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;")
            .map_err(backend)?;
        // A write-ahead log: each commit is one sync of the log rather than several of
        // the journal and the file, and readers in other processes (a second server,
        // the command line) never wait for a writer. FULL keeps every commit durable.
        // When the last connection closes, the log is folded back into the file.
        conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            .map_err(backend)?;
        conn.execute_batch("PRAGMA synchronous = FULL;")
            .map_err(backend)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(backend)?;
        Ok(SqliteStore {
            encrypted: key.is_some(),
            readers: readers::Readers::new(path.to_owned(), key.clone()),
            checkpointer: checkpoint::Checkpointer::new(path.to_owned(), key),
            writer: writer::Writer::new(conn),
            path: path.to_owned(),
        })
    }

    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A setting kept inside the (possibly encrypted) file, such as the attachment key.
    pub fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        self.reader()?
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(backend)
    }

    /// Stores a setting unless one is already there; returns the value in force.
    pub fn setting_or_insert(&self, key: &str, value: &str) -> StoreResult<String> {
        let conn = self.conn()?;
        conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES (?1, ?2)",
            params![key, value],
        )
        .map_err(backend)?;
        conn.query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
            r.get(0)
        })
        .map_err(backend)
    }

    pub(crate) fn conn(&self) -> StoreResult<writer::Held<'_>> {
        self.writer.conn()
    }

    /// A connection for reading only: it sees the last commit.
    pub(crate) fn reader(&self) -> StoreResult<readers::Reader<'_>> {
        self.readers.get()
    }
}

/// Brings a store written by an older casebook up to this schema, in one transaction.
fn upgrade(conn: &Connection, from: i64) -> StoreResult<()> {
    conn.execute_batch("BEGIN IMMEDIATE").map_err(backend)?;
    let applied = MIGRATIONS
        .iter()
        .filter(|(version, _)| *version > from)
        .try_for_each(|(_, sql)| conn.execute_batch(sql))
        .and_then(|()| {
            conn.execute(
                "UPDATE meta SET value = ?1 WHERE key = 'schema'",
                params![SCHEMA_VERSION.to_string()],
            )
            .map(|_| ())
        })
        .and_then(|()| conn.execute_batch("COMMIT"));
    if let Err(e) = applied {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(backend(e));
    }
    Ok(())
}

/// Keys the connection; returns the raw key, for the store's other connection.
fn apply_key(
    conn: &Connection,
    passphrase: &str,
    salt: &[u8; key::SALT_LEN],
) -> StoreResult<Zeroizing<String>> {
    // Without this SQLCipher prints its own error lines to stderr on a wrong key.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")
        .map_err(backend)?;
    let pragma = key::pragma_key(passphrase, salt)?;
    conn.execute_batch(&format!("PRAGMA key = \"{}\";", pragma.as_str()))
        .map_err(backend)?;
    Ok(pragma)
}

/// The fields of a plain SQLite header after its name: the leaf payload fractions
/// (64, 32, 32), always, and a page size that is a power of two from 512 to 65,536.
fn plain_fields(header: &[u8; 100]) -> bool {
    let page_size = u32::from(u16::from_be_bytes([header[16], header[17]]));
    let page_size = if page_size == 1 { 65_536 } else { page_size };
    header[21..24] == [64, 32, 32] && page_size.is_power_of_two() && page_size >= 512
}

fn damaged(path: &Path) -> StoreError {
    StoreError::Refused(format!(
        "{} is a casebook store that is damaged (its own structure no longer reads): nothing was changed. Copy it somewhere safe and restore the store from a backup.",
        path.display()
    ))
}

fn not_a_store(path: &Path) -> StoreError {
    StoreError::Refused(format!("{} is not a casebook store.", path.display()))
}

fn io_error(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Refused(format!("{} cannot be read: {e}.", path.display()))
}

pub(crate) fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(format!("the store refused the operation: {e}"))
}

fn json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Backend(format!("cannot encode a record: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

impl CaseStore for SqliteStore {
    fn create_case(&self, case: &Case) -> StoreResult<()> {
        insert_case(&*self.conn()?, case)
    }

    fn cases(&self) -> StoreResult<Vec<Case>> {
        let conn = self.reader()?;
        let mut stmt = conn
            .prepare("SELECT record FROM cases ORDER BY slug")
            .map_err(backend)?;
        let rows = stmt
            .query_map([], |r| from_json(&r.get::<_, String>(0)?))
            .map_err(backend)?;
        rows.collect::<Result<_, _>>().map_err(backend)
    }

    fn case_by_slug(&self, slug: &str) -> StoreResult<Option<Case>> {
        self.reader()?
            .query_row(
                "SELECT record FROM cases WHERE slug = ?1",
                params![slug],
                |r| from_json(&r.get::<_, String>(0)?),
            )
            .optional()
            .map_err(backend)
    }

    fn add_person(&self, case: CaseId, person: &Person) -> StoreResult<()> {
        insert_person(&*self.conn()?, case, person)
    }

    fn people(&self, case: CaseId) -> StoreResult<Vec<Person>> {
        let conn = self.reader()?;
        let mut stmt = conn
            .prepare("SELECT record FROM people WHERE case_id = ?1 ORDER BY id")
            .map_err(backend)?;
        let rows = stmt
            .query_map(params![case.to_string()], |r| {
                from_json(&r.get::<_, String>(0)?)
            })
            .map_err(backend)?;
        rows.collect::<Result<_, _>>().map_err(backend)
    }

    fn head(&self, case: CaseId) -> StoreResult<Option<Head>> {
        rows::head(&*self.reader()?, case)
    }

    fn append(&self, case: CaseId, expected: Option<Head>, append: &Append) -> StoreResult<()> {
        self.extend_log(case, expected, |tx| write_append(tx, case, append))
    }

    fn append_next(
        &self,
        case: CaseId,
        seal: &mut dyn FnMut(Option<Head>) -> Append,
    ) -> StoreResult<Record> {
        // The head cannot move while this entry is sealed: the group holds the one
        // connection, and entries join it one after another.
        self.writer.grouped(
            |conn| {
                let append = seal(rows::head(conn, case)?);
                write_append(conn, case, &append)?;
                Ok(append.entry.record)
            },
            || self.checkpointer.committed(),
        )
    }

    fn append_all(
        &self,
        case: CaseId,
        expected: Option<Head>,
        fill: &mut dyn FnMut(Push<'_>) -> StoreResult<()>,
    ) -> StoreResult<()> {
        self.extend_log(case, expected, |tx| {
            fill(&mut |entry| rows::insert_entry(tx, &entry))?;
            rows::index_contents(tx, case, expected.map_or(0, |h| h.seq))
        })
    }

    fn each_entry(
        &self,
        case: CaseId,
        visit: &mut dyn FnMut(StoredEntry) -> bool,
    ) -> StoreResult<()> {
        rows::each_entry(&*self.reader()?, case, visit)
    }

    fn entry(&self, case: CaseId, seq: u64) -> StoreResult<Option<StoredEntry>> {
        rows::entry(&*self.reader()?, case, seq)
    }

    fn search(&self, case: CaseId, words: &str, limit: usize) -> StoreResult<Vec<u64>> {
        let words = search_words(words);
        if words.is_empty() {
            return Ok(vec![]);
        }
        // Each word quoted (so nothing typed is read as FTS5's own language) and
        // matched as the start of a word.
        let query: Vec<String> = words.iter().map(|w| format!("\"{w}\"*")).collect();
        let reader = self.reader()?;
        let mut stmt = reader
            .prepare_cached(
                "SELECT seq FROM search WHERE search MATCH ?1 AND case_id = ?2
                 ORDER BY seq LIMIT ?3",
            )
            .map_err(backend)?;
        let rows = stmt
            .query_map(
                params![query.join(" "), case.to_string(), limit as i64],
                |r| r.get::<_, i64>(0),
            )
            .map_err(backend)?;
        rows.map(|r| r.map(|seq| seq as u64))
            .collect::<Result<_, _>>()
            .map_err(backend)
    }

    fn case_setting(&self, case: CaseId, key: &str) -> StoreResult<Option<String>> {
        self.reader()?
            .query_row(
                "SELECT value FROM case_settings WHERE case_id = ?1 AND key = ?2",
                params![case.to_string(), key],
                |r| r.get(0),
            )
            .optional()
            .map_err(backend)
    }

    fn set_case_setting(&self, case: CaseId, key: &str, value: &str) -> StoreResult<()> {
        self.conn()?
            .execute(
                "INSERT INTO case_settings (case_id, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (case_id, key) DO UPDATE SET value = excluded.value",
                params![case.to_string(), key, value],
            )
            .map_err(backend)?;
        Ok(())
    }

    /// SQLite's quick_check: every page of every table and index read and its structure
    /// checked, in one pass over the file.
    fn check_storage(&self) -> StoreResult<Vec<String>> {
        let reader = self.reader()?;
        let mut stmt = reader.prepare("PRAGMA quick_check").map_err(backend)?;
        let found: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .map_err(backend)?
            .collect::<Result<_, _>>()
            .map_err(backend)?;
        // A row may hold several lines, under a "*** in database main ***" heading.
        Ok(found
            .iter()
            .flat_map(|row| row.lines())
            .map(str::trim)
            .filter(|line| *line != "ok" && !line.is_empty() && !line.starts_with("***"))
            .map(str::to_owned)
            .collect())
    }

    fn case_settings(&self, case: CaseId) -> StoreResult<Vec<(String, String)>> {
        let reader = self.reader()?;
        let mut stmt = reader
            .prepare("SELECT key, value FROM case_settings WHERE case_id = ?1 ORDER BY key")
            .map_err(backend)?;
        let rows = stmt
            .query_map(params![case.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(backend)?;
        rows.collect::<Result<_, _>>().map_err(backend)
    }

    fn import_case(
        &self,
        case: &Case,
        people: &[Person],
        entries: &[StoredEntry],
    ) -> StoreResult<()> {
        // One lock and one transaction: all of it lands or none of it does.
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        insert_case(&tx, case)?;
        for person in people {
            insert_person(&tx, case.id, person)?;
        }
        for entry in entries {
            rows::insert_entry(&tx, entry)?;
        }
        rows::index_contents(&tx, case.id, 0)?;
        tx.commit().map_err(backend)?;
        self.checkpointer.committed();
        Ok(())
    }
}

/// One entry, and for a redaction the removal of the content it redacts.
fn write_append(tx: &Connection, case: CaseId, append: &Append) -> StoreResult<()> {
    rows::insert_entry(tx, &append.entry)?;
    rows::index_contents(tx, case, append.entry.record.seq - 1)?;
    if let Some(seq) = append.erase_content_of {
        tx.execute(
            "DELETE FROM contents WHERE case_id = ?1 AND seq = ?2",
            params![case.to_string(), seq as i64],
        )
        .map_err(backend)?;
    }
    Ok(())
}

fn insert_case(conn: &Connection, case: &Case) -> StoreResult<()> {
    let taken: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM cases WHERE slug = ?1)",
            params![case.slug],
            |r| r.get(0),
        )
        .map_err(backend)?;
    if taken {
        return Err(StoreError::Refused(format!(
            "There is already a case called \"{}\" in this store: choose another --slug.",
            case.slug
        )));
    }
    conn.execute(
        "INSERT INTO cases (id, slug, record) VALUES (?1, ?2, ?3)",
        params![case.id.to_string(), case.slug, json(case)?],
    )
    .map_err(backend)?;
    Ok(())
}

fn insert_person(conn: &Connection, case: CaseId, person: &Person) -> StoreResult<()> {
    let inserted = conn
        .execute(
            "INSERT OR IGNORE INTO people (case_id, id, record) VALUES (?1, ?2, ?3)",
            params![case.to_string(), person.id.0, json(person)?],
        )
        .map_err(backend)?;
    if inserted == 0 {
        Err(StoreError::Conflict)
    } else {
        Ok(())
    }
}
