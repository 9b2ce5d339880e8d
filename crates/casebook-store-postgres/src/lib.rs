//! The store for organisations: PostgreSQL, through tokio-postgres and a pool of
//! connections. The rules of the log are held by the database itself (`schema.sql`),
//! as in the embedded store. The store traits are synchronous, so the store drives its
//! connections on a small runtime of its own; callers in an async program call it
//! from blocking threads, as the web app does.

mod accounts;
mod entries;

use std::future::Future;
use std::str::FromStr;

use casebook_domain::{Case, CaseId, Head, Person, Record, StoredEntry};
use casebook_store::{Append, CaseStore, Push, StoreError, StoreResult, search_words};
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;

const SCHEMA: &str = include_str!("schema.sql");
const SCHEMA_VERSION: i64 = 1;

pub struct PgStore {
    pool: Pool,
    /// Where the store's connections run; shut down without waiting when dropped, so
    /// a store may be dropped anywhere, an async program's own threads included.
    runtime: Option<tokio::runtime::Runtime>,
    /// "host:port/database", for sentences; never the password.
    place: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("place", &self.place)
            .finish()
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// The key of the per-case lock that makes appends to one case wait their turn, across
/// every server of the service.
fn lock_key(case: CaseId) -> i64 {
    let bytes = case.0.as_bytes();
    i64::from_be_bytes([
        bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
    ])
}

pub(crate) fn backend(e: tokio_postgres::Error) -> StoreError {
    match e.code() {
        Some(code) if *code == SqlState::UNIQUE_VIOLATION => StoreError::Conflict,
        Some(code) if *code == SqlState::INTEGRITY_CONSTRAINT_VIOLATION => {
            StoreError::Backend(format!(
                "the store refused the operation: {}",
                e.as_db_error()
                    .map_or_else(|| e.to_string(), |d| d.message().to_owned())
            ))
        }
        _ => StoreError::Backend(format!("the store refused the operation: {e}")),
    }
}

pub(crate) fn json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Backend(format!("cannot encode a record: {e}")))
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| {
        StoreError::Backend(format!(
            "a record in the store cannot be read (it may have been edited by hand): {e}"
        ))
    })
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user@host:port/database`),
    /// setting up casebook's tables in an empty database. `password`, when given,
    /// is used instead of one in the address (read from a file by the caller).
    pub fn connect(url: &str, password: Option<&str>) -> StoreResult<Self> {
        let mut config = tokio_postgres::Config::from_str(url).map_err(|_| {
            StoreError::Refused(
                "The store's address is not a PostgreSQL address: write it as postgres://USER@HOST:PORT/DATABASE.".into(),
            )
        })?;
        if let Some(password) = password {
            config.password(password);
        }
        config.application_name("casebook");
        let place = describe(&config);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("casebook-postgres")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Backend(format!("cannot start the database runtime: {e}")))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(16)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(std::time::Duration::from_secs(30)))
            .create_timeout(Some(std::time::Duration::from_secs(10)))
            .build()
            .map_err(|e| StoreError::Backend(format!("cannot set up the connections: {e}")))?;
        let store = PgStore {
            pool,
            runtime: Some(runtime),
            place,
        };
        store.run(store.set_up())?;
        Ok(store)
    }

    /// Runs database work on the store's runtime and waits for it.
    pub(crate) fn run<T>(&self, work: impl Future<Output = StoreResult<T>>) -> StoreResult<T> {
        match &self.runtime {
            Some(runtime) => runtime.block_on(work),
            None => Err(StoreError::Backend("the store is closed".into())),
        }
    }

    pub(crate) async fn client(&self) -> StoreResult<Object> {
        self.pool.get().await.map_err(|e| {
            let code = match &e {
                deadpool_postgres::PoolError::Backend(b) => b.code().cloned(),
                _ => None,
            };
            StoreError::Refused(match code {
                Some(c) if c == SqlState::INVALID_PASSWORD || c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => format!(
                    "PostgreSQL at {} refused the user name or password: check the store's address and its password file.",
                    self.place
                ),
                Some(c) if c == SqlState::INVALID_CATALOG_NAME => format!(
                    "There is no such database at {}: create it first (createdb), then run casebook again.",
                    self.place
                ),
                // Said by the client before it sends anything, so it has no code.
                _ if said(&e).contains("password missing") => format!(
                    "PostgreSQL at {} asks for a password: put it in a file and name the file in CASEBOOK_STORE_PASSWORD_FILE.",
                    self.place
                ),
                _ => format!(
                    "The PostgreSQL server at {} cannot be reached: check that it is running and that the address is right.",
                    self.place
                ),
            })
        })
    }

    /// Creates casebook's tables in an empty database, once, however many servers
    /// start at the same moment; refuses a schema from a newer casebook.
    async fn set_up(&self) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(backend)?;
        tx.execute("SELECT pg_advisory_xact_lock(7071963)", &[])
            .await
            .map_err(backend)?;
        let exists: Option<String> = tx
            .query_one("SELECT to_regclass('casebook_meta')::text", &[])
            .await
            .map_err(backend)?
            .get(0);
        if exists.is_none() {
            tx.batch_execute(SCHEMA).await.map_err(backend)?;
        } else {
            let version: Option<String> = tx
                .query_opt("SELECT value FROM casebook_meta WHERE key = 'schema'", &[])
                .await
                .map_err(backend)?
                .map(|r| r.get(0));
            match version.unwrap_or_default().parse::<i64>() {
                Ok(SCHEMA_VERSION) => {}
                Ok(newer) if newer > SCHEMA_VERSION => {
                    return Err(StoreError::Refused(format!(
                        "The database at {} was set up by a newer casebook (store schema {newer}): upgrade casebook to use it.",
                        self.place
                    )));
                }
                _ => {
                    return Err(StoreError::Refused(format!(
                        "The database at {} holds something other than a casebook store.",
                        self.place
                    )));
                }
            }
        }
        tx.commit().await.map_err(backend)
    }

    /// A setting kept inside the store, such as the attachment key.
    pub fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        self.run(async {
            let client = self.client().await?;
            let row = client
                .query_opt("SELECT value FROM casebook_meta WHERE key = $1", &[&key])
                .await
                .map_err(backend)?;
            Ok(row.map(|r| r.get(0)))
        })
    }

    /// Stores a setting unless one is already there; returns the value in force.
    pub fn setting_or_insert(&self, key: &str, value: &str) -> StoreResult<String> {
        self.run(async {
            let client = self.client().await?;
            client
                .execute(
                    "INSERT INTO casebook_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                    &[&key, &value],
                )
                .await
                .map_err(backend)?;
            let row = client
                .query_one("SELECT value FROM casebook_meta WHERE key = $1", &[&key])
                .await
                .map_err(backend)?;
            Ok(row.get(0))
        })
    }

    pub fn place(&self) -> &str {
        &self.place
    }

    /// Creates an empty database `name` on the server at `server` (an address without
    /// a database, or with the one to connect to for it), for a new deployment or a test.
    pub fn create_database(server: &str, name: &str) -> StoreResult<()> {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(StoreError::Refused(format!(
                "\"{name}\" cannot be a database's name here: use letters, digits and underscores."
            )));
        }
        let store_free = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Backend(format!("cannot start the database runtime: {e}")))?;
        store_free.block_on(async {
            let config = tokio_postgres::Config::from_str(server).map_err(|_| {
                StoreError::Refused("The server's address is not a PostgreSQL address.".into())
            })?;
            let (client, connection) = config.connect(NoTls).await.map_err(backend)?;
            let running = tokio::spawn(connection);
            let made = client
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .await
                .map_err(backend);
            drop(client);
            let _ = running.await;
            made
        })
    }
}

/// An error with everything that caused it, as text.
fn said(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// "host:port/database" of a configuration, for sentences.
fn describe(config: &tokio_postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(name)) => name.clone(),
        #[cfg(unix)]
        Some(tokio_postgres::config::Host::Unix(path)) => path.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let database = config.get_dbname().unwrap_or("postgres");
    format!("{host}:{port}/{database}")
}

/// Matches of a search fetched in any order and sorted here before it is asked for in
/// log order instead (see `search`).
const RARE_MATCHES: i64 = 5_000;

/// Entries in one import past which the tables are vacuumed and analysed afterwards.
const LARGE_IMPORT: usize = 10_000;

/// Takes the case's append lock and reads its head, inside `tx`.
async fn held_head(
    tx: &deadpool_postgres::Transaction<'_>,
    case: CaseId,
) -> StoreResult<Option<Head>> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&lock_key(case)])
        .await
        .map_err(backend)?;
    entries::head(tx, case).await
}

impl CaseStore for PgStore {
    fn create_case(&self, case: &Case) -> StoreResult<()> {
        self.run(async {
            let client = self.client().await?;
            let inserted = client
                .execute(
                    "INSERT INTO cases (id, slug, record) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[&case.id.0, &case.slug, &json(case)?],
                )
                .await
                .map_err(backend)?;
            if inserted == 0 {
                return Err(StoreError::Refused(format!(
                    "There is already a case called \"{}\" in this store: choose another --slug.",
                    case.slug
                )));
            }
            Ok(())
        })
    }

    fn cases(&self) -> StoreResult<Vec<Case>> {
        self.run(async {
            let client = self.client().await?;
            let rows = client
                .query("SELECT record FROM cases ORDER BY slug", &[])
                .await
                .map_err(backend)?;
            rows.iter().map(|r| from_json(r.get(0))).collect()
        })
    }

    fn case_by_slug(&self, slug: &str) -> StoreResult<Option<Case>> {
        self.run(async {
            let client = self.client().await?;
            let row = client
                .query_opt("SELECT record FROM cases WHERE slug = $1", &[&slug])
                .await
                .map_err(backend)?;
            row.map(|r| from_json(r.get(0))).transpose()
        })
    }

    fn add_person(&self, case: CaseId, person: &Person) -> StoreResult<()> {
        self.run(async {
            let client = self.client().await?;
            let inserted = client
                .execute(
                    "INSERT INTO people (case_id, id, record) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[&case.0, &(person.id.0 as i32), &json(person)?],
                )
                .await
                .map_err(backend)?;
            if inserted == 0 {
                return Err(StoreError::Conflict);
            }
            Ok(())
        })
    }

    fn people(&self, case: CaseId) -> StoreResult<Vec<Person>> {
        self.run(async {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT record FROM people WHERE case_id = $1 ORDER BY id",
                    &[&case.0],
                )
                .await
                .map_err(backend)?;
            rows.iter().map(|r| from_json(r.get(0))).collect()
        })
    }

    fn head(&self, case: CaseId) -> StoreResult<Option<Head>> {
        self.run(async {
            let client = self.client().await?;
            entries::head(&client, case).await
        })
    }

    fn append(&self, case: CaseId, expected: Option<Head>, append: &Append) -> StoreResult<()> {
        self.run(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(backend)?;
            if held_head(&tx, case).await? != expected {
                return Err(StoreError::Conflict);
            }
            entries::write_append(&tx, case, append).await?;
            tx.commit().await.map_err(backend)
        })
    }

    fn append_next(
        &self,
        case: CaseId,
        seal: &mut dyn FnMut(Option<Head>) -> Append,
    ) -> StoreResult<Record> {
        self.run(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(backend)?;
            // The case's lock is held until the commit: no other server can move the
            // head while this entry is sealed.
            let append = seal(held_head(&tx, case).await?);
            entries::write_append(&tx, case, &append).await?;
            tx.commit().await.map_err(backend)?;
            Ok(append.entry.record)
        })
    }

    fn append_all(
        &self,
        case: CaseId,
        expected: Option<Head>,
        fill: &mut dyn FnMut(Push<'_>) -> StoreResult<()>,
    ) -> StoreResult<()> {
        // `fill` hands entries over one at a time from ordinary code; they go to the
        // database a batch at a time, on one connection inside one transaction.
        let client = self.run(self.client())?;
        let mut batch = Vec::with_capacity(entries::BATCH);
        self.run(async {
            client.batch_execute("BEGIN").await.map_err(backend)?;
            client
                .execute("SELECT pg_advisory_xact_lock($1)", &[&lock_key(case)])
                .await
                .map_err(backend)?;
            if entries::head(&client, case).await? != expected {
                return Err(StoreError::Conflict);
            }
            Ok(())
        })
        .and_then(|()| {
            fill(&mut |entry| {
                batch.push(entry);
                if batch.len() < entries::BATCH {
                    return Ok(());
                }
                let sent = self.run(entries::insert_entries(&client, &batch));
                batch.clear();
                sent
            })
        })
        .and_then(|()| {
            self.run(async {
                entries::insert_entries(&client, &batch).await?;
                client.batch_execute("COMMIT").await.map_err(backend)
            })
        })
        .inspect_err(|_| {
            let _ = self.run(async { client.batch_execute("ROLLBACK").await.map_err(backend) });
        })
    }

    fn each_entry(
        &self,
        case: CaseId,
        visit: &mut dyn FnMut(StoredEntry) -> bool,
    ) -> StoreResult<()> {
        // A page at a time, so a long log is never held whole.
        let mut after = 0u64;
        loop {
            let page = self.run(async {
                let client = self.client().await?;
                entries::page(&client, case, after, 1024).await
            })?;
            let Some(last) = page.last().map(|e| e.record.seq) else {
                return Ok(());
            };
            for entry in page {
                if !visit(entry) {
                    return Ok(());
                }
            }
            after = last;
        }
    }

    fn entry(&self, case: CaseId, seq: u64) -> StoreResult<Option<StoredEntry>> {
        self.run(async {
            let client = self.client().await?;
            Ok(entries::page(&client, case, seq.saturating_sub(1), 1)
                .await?
                .into_iter()
                .find(|e| e.record.seq == seq))
        })
    }

    fn search(&self, case: CaseId, words: &str, limit: usize) -> StoreResult<Vec<u64>> {
        let words = search_words(words);
        if words.is_empty() {
            return Ok(vec![]);
        }
        // Each word (letters and digits only) as a prefix, all of them required.
        let query = words
            .iter()
            .map(|w| format!("{w}:*"))
            .collect::<Vec<_>>()
            .join(" & ");
        let limit_sql = i64::try_from(limit).unwrap_or(i64::MAX);
        self.run(async {
            let client = self.client().await?;
            // Words this rare are found fastest through the word index and put in log
            // order here; asked for in log order, PostgreSQL reads the case in order
            // and tests every entry until enough match, which for a rare word in a
            // long log is tens of thousands of entries (p99 23 ms against 4 over a
            // million, docs/PERFORMANCE.md). Commoner words match densely enough that
            // reading in order is the quicker way, so they are asked for that way.
            let rare = client
                .query(
                    "SELECT seq FROM contents WHERE case_id = $1 AND words @@ to_tsquery('english', $2)
                     LIMIT $3",
                    &[&case.0, &query, &(RARE_MATCHES + 1)],
                )
                .await
                .map_err(backend)?;
            if rare.len() <= RARE_MATCHES as usize {
                let mut found: Vec<u64> = rare.iter().map(|r| r.get::<_, i64>(0) as u64).collect();
                found.sort_unstable();
                found.truncate(limit);
                return Ok(found);
            }
            let rows = client
                .query(
                    "SELECT seq FROM contents WHERE case_id = $1 AND words @@ to_tsquery('english', $2)
                     ORDER BY seq LIMIT $3",
                    &[&case.0, &query, &limit_sql],
                )
                .await
                .map_err(backend)?;
            Ok(rows.iter().map(|r| r.get::<_, i64>(0) as u64).collect())
        })
    }

    fn case_setting(&self, case: CaseId, key: &str) -> StoreResult<Option<String>> {
        self.run(async {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT value FROM case_settings WHERE case_id = $1 AND key = $2",
                    &[&case.0, &key],
                )
                .await
                .map_err(backend)?;
            Ok(row.map(|r| r.get(0)))
        })
    }

    fn set_case_setting(&self, case: CaseId, key: &str, value: &str) -> StoreResult<()> {
        self.run(async {
            let client = self.client().await?;
            client
                .execute(
                    "INSERT INTO case_settings (case_id, key, value) VALUES ($1, $2, $3)
                     ON CONFLICT (case_id, key) DO UPDATE SET value = EXCLUDED.value",
                    &[&case.0, &key, &value],
                )
                .await
                .map_err(backend)?;
            Ok(())
        })
    }

    fn case_settings(&self, case: CaseId) -> StoreResult<Vec<(String, String)>> {
        self.run(async {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT key, value FROM case_settings WHERE case_id = $1 ORDER BY key",
                    &[&case.0],
                )
                .await
                .map_err(backend)?;
            Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
        })
    }

    fn import_case(
        &self,
        case: &Case,
        people: &[Person],
        entries: &[StoredEntry],
    ) -> StoreResult<()> {
        self.run(async {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(backend)?;
            let inserted = tx
                .execute(
                    "INSERT INTO cases (id, slug, record) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[&case.id.0, &case.slug, &json(case)?],
                )
                .await
                .map_err(backend)?;
            if inserted == 0 {
                return Err(StoreError::Refused(format!(
                    "There is already a case called \"{}\" in this store: choose another --slug.",
                    case.slug
                )));
            }
            for person in people {
                tx.execute(
                    "INSERT INTO people (case_id, id, record) VALUES ($1, $2, $3)",
                    &[&case.id.0, &(person.id.0 as i32), &json(person)?],
                )
                .await
                .map_err(backend)?;
            }
            for batch in entries.chunks(entries::BATCH) {
                entries::insert_entries(&tx, batch).await?;
            }
            tx.commit().await.map_err(backend)?;
            // After a large import (a store migrated in) the planner's statistics still
            // describe the tables before it, and search picks poor plans until autovacuum
            // comes by; the vacuum also sets the new rows' hint bits, which the first
            // searches would otherwise each write back. The import has committed by
            // now, so a vacuum that fails only leaves the tables to autovacuum.
            if entries.len() >= LARGE_IMPORT {
                let _ = client
                    .batch_execute("VACUUM (ANALYZE) entries, contents")
                    .await;
            }
            Ok(())
        })
    }
}
