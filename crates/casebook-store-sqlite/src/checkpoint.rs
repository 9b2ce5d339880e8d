//! Folding the write-ahead log back into the store file on a thread and a connection
//! of its own, so that no writer waits while it happens. SQLite's own automatic
//! checkpoint runs inside whichever commit crosses its threshold, and under load that
//! commit, and everyone queued behind it, waits for the file to be written; run often
//! enough from here, the log never reaches the threshold, which stays as a safety net.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};
use std::thread::JoinHandle;

use zeroize::Zeroizing;

/// A checkpoint after this many commits: a few megabytes of log at most.
const EVERY: u64 = 200;

pub(crate) struct Checkpointer {
    path: PathBuf,
    /// The raw key of an encrypted store, for the checkpoint's own connection.
    key: Option<Zeroizing<String>>,
    commits: AtomicU64,
    worker: Mutex<Option<(mpsc::Sender<()>, JoinHandle<()>)>>,
}

impl Checkpointer {
    pub fn new(path: PathBuf, key: Option<Zeroizing<String>>) -> Self {
        Checkpointer {
            path,
            key,
            commits: AtomicU64::new(0),
            worker: Mutex::new(None),
        }
    }

    /// After a commit that wrote to the log.
    pub fn committed(&self) {
        if self.commits.fetch_add(1, Ordering::Relaxed) % EVERY != EVERY - 1 {
            return;
        }
        let Ok(mut worker) = self.worker.lock() else {
            return;
        };
        if worker.is_none() {
            let (wake, woken) = mpsc::channel::<()>();
            let path = self.path.clone();
            let key = self.key.clone();
            let spawned = std::thread::Builder::new()
                .name("casebook-checkpoint".into())
                .spawn(move || {
                    let Ok(conn) = crate::readers::open(&path, key.as_ref().map(|k| k.as_str()))
                    else {
                        return;
                    };
                    while woken.recv().is_ok() {
                        // PASSIVE copies what it can without waiting for anyone; a
                        // checkpoint that could not finish is taken up by the next.
                        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                    }
                });
            if let Ok(handle) = spawned {
                *worker = Some((wake, handle));
            }
        }
        if let Some((wake, _)) = worker.as_ref() {
            let _ = wake.send(());
        }
    }
}

/// The checkpoint thread finishes and closes its connection before the store's own
/// connection closes, so the last one out folds the log into the file and removes it.
impl Drop for Checkpointer {
    fn drop(&mut self) {
        let worker = self.worker.get_mut().ok().and_then(Option::take);
        if let Some((wake, handle)) = worker {
            drop(wake);
            let _ = handle.join();
        }
    }
}
