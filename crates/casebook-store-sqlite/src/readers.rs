//! Connections for reading. With a write-ahead log, readers see the last commit and
//! neither wait for the writer nor hold it up, so pages that only read never queue
//! behind a busy writer's lock.

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use casebook_store::StoreResult;
use rusqlite::Connection;
use zeroize::Zeroizing;

use crate::backend;

/// Idle reading connections kept open for the next read.
const KEPT: usize = 8;

pub(crate) struct Readers {
    path: PathBuf,
    key: Option<Zeroizing<String>>,
    idle: Mutex<Vec<Connection>>,
}

/// A reading connection, back to the pool when dropped.
pub(crate) struct Reader<'a> {
    conn: Option<Connection>,
    readers: &'a Readers,
}

impl Deref for Reader<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        // Present from creation until drop.
        self.conn.as_ref().unwrap_or_else(|| unreachable!())
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let (Some(conn), Ok(mut idle)) = (self.conn.take(), self.readers.idle.lock())
            && idle.len() < KEPT
        {
            idle.push(conn);
        }
    }
}

impl Readers {
    pub fn new(path: PathBuf, key: Option<Zeroizing<String>>) -> Self {
        Readers {
            path,
            key,
            idle: Mutex::new(Vec::new()),
        }
    }

    pub fn get(&self) -> StoreResult<Reader<'_>> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match idle {
            Some(conn) => conn,
            None => {
                let conn =
                    open(&self.path, self.key.as_ref().map(|k| k.as_str())).map_err(backend)?;
                conn.execute_batch("PRAGMA query_only = ON;")
                    .map_err(backend)?;
                conn
            }
        };
        Ok(Reader {
            conn: Some(conn),
            readers: self,
        })
    }
}

/// Another connection to the store, keyed with the raw key when it is encrypted.
pub(crate) fn open(path: &Path, key: Option<&str>) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    if let Some(key) = key {
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        conn.execute_batch(&format!("PRAGMA key = \"{key}\";"))?;
    }
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    Ok(conn)
}
