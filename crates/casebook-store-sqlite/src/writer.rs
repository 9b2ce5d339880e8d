//! The store's one connection, and group commit. Entries appended from several threads
//! at once (a busy web server) join one transaction and share its commit: the first
//! writer begins it, each writer adds its entry after the head as it then stands, and
//! whoever finds nobody else waiting commits for everyone, so one sync of the log
//! makes a whole group durable. Nobody is told their entry is saved before the commit
//! that holds it has returned. Anything else that needs the connection commits the
//! open group first, so it never reads or writes inside someone else's transaction.

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

use casebook_store::{StoreError, StoreResult};
use rusqlite::Connection;

use crate::backend;

/// The most entries one commit carries.
const GROUP_LIMIT: usize = 64;

pub(crate) struct Writer {
    inner: Mutex<Inner>,
    /// Signalled whenever a group is committed or rolled back.
    finished: Condvar,
    /// Threads waiting for the connection: while any are, a group stays open for them.
    waiting: AtomicUsize,
}

struct Inner {
    conn: Connection,
    /// The group whose transaction is open, and how many entries it holds.
    open: Option<(u64, usize)>,
    next_group: u64,
    /// Every group up to this one has finished.
    done_through: u64,
    /// Groups whose commit failed, with why (the latest few).
    failed: Vec<(u64, String)>,
}

/// The connection, held, with no group open on it.
pub(crate) struct Held<'a>(MutexGuard<'a, Inner>);

impl Deref for Held<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.0.conn
    }
}

impl DerefMut for Held<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.0.conn
    }
}

fn poisoned<T>(_: T) -> StoreError {
    StoreError::Backend("the store's connection was poisoned".into())
}

impl Writer {
    pub fn new(conn: Connection) -> Self {
        Writer {
            inner: Mutex::new(Inner {
                conn,
                open: None,
                next_group: 1,
                done_through: 0,
                failed: Vec::new(),
            }),
            finished: Condvar::new(),
            waiting: AtomicUsize::new(0),
        }
    }

    fn lock(&self) -> StoreResult<MutexGuard<'_, Inner>> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let locked = self.inner.lock().map_err(poisoned);
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        locked
    }

    /// The connection for anything but a grouped append; an open group is committed
    /// first (and its writers told).
    pub fn conn(&self) -> StoreResult<Held<'_>> {
        let mut inner = self.lock()?;
        self.finish(&mut inner);
        Ok(Held(inner))
    }

    /// Runs `write` inside the open group (beginning one if none is open), in a
    /// savepoint of its own so a refused entry takes only itself back; returns once the
    /// group holding it has been committed.
    pub fn grouped<T>(
        &self,
        write: impl FnOnce(&Connection) -> StoreResult<T>,
        after_commit: impl FnOnce(),
    ) -> StoreResult<T> {
        let mut inner = self.lock()?;
        let group = match inner.open {
            Some((group, _)) => group,
            None => {
                inner
                    .conn
                    .execute_batch("BEGIN IMMEDIATE")
                    .map_err(backend)?;
                let group = inner.next_group;
                inner.next_group += 1;
                inner.open = Some((group, 0));
                group
            }
        };
        inner
            .conn
            .execute_batch("SAVEPOINT entry")
            .map_err(backend)?;
        let written = write(&inner.conn);
        let kept = match &written {
            Ok(_) => inner.conn.execute_batch("RELEASE entry"),
            Err(_) => inner.conn.execute_batch("ROLLBACK TO entry; RELEASE entry"),
        };
        if let Err(e) = kept {
            // The transaction is in doubt: end it for everyone in it.
            self.abandon(&mut inner, &e.to_string());
            return Err(backend(e));
        }
        let mine = written.is_ok();
        if let Some((_, entries)) = inner.open.as_mut() {
            *entries += usize::from(mine);
        }
        let entries = inner.open.map_or(0, |(_, n)| n);
        let others_coming = self.waiting.load(Ordering::SeqCst) > 0 && entries < GROUP_LIMIT;
        if !others_coming {
            self.finish(&mut inner);
        }
        let value = written?;
        while inner.done_through < group {
            inner = self.finished.wait(inner).map_err(poisoned)?;
        }
        match inner.failed.iter().find(|(g, _)| *g == group) {
            Some((_, why)) => Err(StoreError::Backend(format!(
                "the store could not save the entry: {why}"
            ))),
            None => {
                after_commit();
                Ok(value)
            }
        }
    }

    /// Commits the open group, if any, and wakes its writers.
    fn finish(&self, inner: &mut Inner) {
        let Some((group, _)) = inner.open.take() else {
            return;
        };
        if let Err(e) = inner.conn.execute_batch("COMMIT") {
            let _ = inner.conn.execute_batch("ROLLBACK");
            inner.failed.push((group, e.to_string()));
        }
        self.close(inner, group);
    }

    fn abandon(&self, inner: &mut Inner, why: &str) {
        if let Some((group, _)) = inner.open.take() {
            let _ = inner.conn.execute_batch("ROLLBACK");
            inner.failed.push((group, why.to_owned()));
            self.close(inner, group);
        }
    }

    fn close(&self, inner: &mut Inner, group: u64) {
        inner.done_through = group;
        if inner.failed.len() > 16 {
            inner.failed.remove(0);
        }
        self.finished.notify_all();
    }
}
