//! Attached files on local disk, next to the store, addressed by the SHA-256 of their
//! plain bytes. When the store is encrypted the files are encrypted too, with age, to a
//! key kept inside the encrypted store: `age -d -i key.txt` opens one by hand.
//!
//! Files for many entries at once (an email import) wait in a folder of their own,
//! named for the process writing them, and move into place only when they are synced,
//! just before the entries naming them are committed. A process killed before then
//! leaves its folder behind, and [`BlobStore::remove_abandoned`] takes it away.

#[cfg(feature = "s3")]
mod s3;
#[cfg(feature = "s3")]
pub use s3::S3Blobs;

use std::fs;
use std::path::{Path, PathBuf};

use age::secrecy::ExposeSecret;
use casebook_domain::Digest;
use casebook_store::{Abandoned, BlobStore, StoreError, StoreResult};

pub struct LocalBlobs {
    dir: PathBuf,
    key: Option<age::x25519::Identity>,
}

/// The start of a waiting folder's name; the writing process's id follows.
const WAITING: &str = ".incoming-";

/// Whether the process a file or folder is named for has ended: it is named
/// "<prefix><process id>..." and no such process runs. Where processes cannot be seen
/// (no /proc), nothing is taken for ended.
pub fn left_by_an_ended_process(name: &str, prefix: &str) -> bool {
    let Some(pid) = name
        .strip_prefix(prefix)
        .and_then(|rest| rest.split('-').next())
        .filter(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
    else {
        return false;
    };
    Path::new("/proc/self").exists() && !Path::new("/proc").join(pid).exists()
}

impl std::fmt::Debug for LocalBlobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalBlobs")
            .field("dir", &self.dir)
            .field("encrypted", &self.key.is_some())
            .finish()
    }
}

/// A new attachment key, as text to keep inside the encrypted store.
pub fn new_attachment_key() -> String {
    age::x25519::Identity::generate()
        .to_string()
        .expose_secret()
        .to_owned()
}

impl LocalBlobs {
    /// `key` is the text from [`new_attachment_key`]; `None` stores files as they are.
    pub fn new(dir: impl Into<PathBuf>, key: Option<&str>) -> StoreResult<Self> {
        let key = key
            .map(|k| {
                k.parse::<age::x25519::Identity>().map_err(|_| {
                    StoreError::Backend("the attachment key in the store is damaged".into())
                })
            })
            .transpose()?;
        Ok(LocalBlobs {
            dir: dir.into(),
            key,
        })
    }

    /// The folder beside a store file: `case.db` keeps its files in `case.db.attachments/`.
    pub fn beside(store: &Path) -> PathBuf {
        let mut name = store.as_os_str().to_owned();
        name.push(".attachments");
        PathBuf::from(name)
    }

    fn path(&self, digest: &Digest) -> PathBuf {
        let hex = digest.to_hex();
        self.dir.join(&hex[..2]).join(hex)
    }

    /// Where this process's files wait until they are synced.
    fn waiting(&self, digest: &Digest) -> PathBuf {
        self.dir
            .join(format!("{WAITING}{}", std::process::id()))
            .join(digest.to_hex())
    }

    /// Writes a waiting file. No file beside it is needed for a crash: the waiting
    /// folder is this process's own, and taken away whole once the process has ended.
    fn write_waiting(path: &Path, stored: &[u8]) -> StoreResult<()> {
        let folder = path.parent().unwrap_or(path);
        fs::create_dir_all(folder).map_err(|e| io(folder, e))?;
        fs::write(path, stored).map_err(|e| io(path, e))
    }

    /// Makes every file written under the folder durable with one sync of its whole
    /// filesystem, where the system has one (Linux's `syncfs`, as OSTree syncs its many
    /// small objects): the disk then commits them together, where a sync of each of
    /// thousands of files costs a journal commit each. False where it cannot, or where
    /// the sync reported an error, for the caller to sync each file and find which.
    fn synced_at_once(&self, files: usize) -> bool {
        #[cfg(target_os = "linux")]
        if files > 1 {
            return fs::File::open(&self.dir)
                .is_ok_and(|folder| rustix::fs::syncfs(&folder).is_ok());
        }
        let _ = files;
        false
    }
}

/// Does `one` for every item, once each, on up to sixteen threads, so the disk can
/// commit many files' syncs together instead of one after another.
fn at_once<T: Ord + Clone + Sync>(
    items: &[T],
    one: impl Fn(&T) -> StoreResult<()> + Sync,
) -> StoreResult<()> {
    const THREADS: usize = 16;
    // A file brought in twice by one import is handled once: two threads moving it at
    // once would find it gone.
    let mut items = items.to_vec();
    items.sort_unstable();
    items.dedup();
    if items.len() < 2 {
        return items.iter().try_for_each(one);
    }
    let chunk = items.len().div_ceil(THREADS);
    let one = &one;
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().try_for_each(one)))
            .collect();
        workers.into_iter().try_for_each(|w| {
            w.join()
                .unwrap_or_else(|_| Err(StoreError::Backend("syncing attachments failed".into())))
        })
    })
}

fn io(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Refused(format!(
        "The attachment file {} cannot be used: {e}.",
        path.display()
    ))
}

impl BlobStore for LocalBlobs {
    fn put(&self, bytes: &[u8]) -> StoreResult<Digest> {
        let digest = self.put_unsynced(bytes)?;
        self.settle(&[digest])?;
        self.sync(&[digest])?;
        Ok(digest)
    }

    /// Waits in this process's own folder until [`sync`](BlobStore::sync).
    fn put_unsynced(&self, bytes: &[u8]) -> StoreResult<Digest> {
        let digest = Digest::of(bytes);
        if self.path(&digest).exists() {
            return Ok(digest);
        }
        let stored = match &self.key {
            Some(key) => age::encrypt(&key.to_public(), bytes)
                .map_err(|e| StoreError::Backend(format!("cannot encrypt an attachment: {e}")))?,
            None => bytes.to_vec(),
        };
        Self::write_waiting(&self.waiting(&digest), &stored)?;
        Ok(digest)
    }

    /// Syncs each waiting file where it waits.
    fn settle(&self, digests: &[Digest]) -> StoreResult<()> {
        if self.synced_at_once(digests.len()) {
            return Ok(());
        }
        at_once(digests, |digest| {
            let waiting = self.waiting(digest);
            match fs::File::open(&waiting) {
                Ok(file) => file.sync_all().map_err(|e| io(&waiting, e)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(io(&waiting, e)),
            }
        })
    }

    /// Moves each settled file into place, then syncs each folder that received one,
    /// once: the files' own bytes were synced by `settle`, before any transaction.
    fn sync(&self, digests: &[Digest]) -> StoreResult<()> {
        let mut folders: Vec<PathBuf> = digests
            .iter()
            .filter_map(|d| self.path(d).parent().map(Path::to_path_buf))
            .collect();
        folders.sort_unstable();
        folders.dedup();
        for folder in &folders {
            fs::create_dir_all(folder).map_err(|e| io(folder, e))?;
        }
        at_once(digests, |digest| {
            let waiting = self.waiting(digest);
            match fs::rename(&waiting, self.path(digest)) {
                Ok(()) => Ok(()),
                // Already in place: stored before, by this import or another.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(io(&waiting, e)),
            }
        })?;
        if self.synced_at_once(folders.len()) {
            return Ok(());
        }
        at_once(&folders, |folder| {
            fs::File::open(folder)
                .and_then(|f| f.sync_all())
                .map_err(|e| io(folder, e))
        })
    }

    fn get(&self, digest: &Digest) -> StoreResult<Option<Vec<u8>>> {
        let path = self.path(digest);
        let stored = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(&path, e)),
        };
        match &self.key {
            Some(key) => age::decrypt(key, &stored).map(Some).map_err(|_| {
                StoreError::Refused(format!(
                    "The attachment {} cannot be decrypted: it was altered.",
                    digest.short()
                ))
            }),
            None => Ok(Some(stored)),
        }
    }

    fn contains(&self, digest: &Digest) -> StoreResult<bool> {
        Ok(self.path(digest).exists())
    }

    fn remove(&self, digest: &Digest) -> StoreResult<()> {
        for path in [self.path(digest), self.waiting(digest)] {
            match fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&path, e)),
                _ => {}
            }
        }
        Ok(())
    }

    fn remove_abandoned(&self, _now: jiff::Timestamp) -> StoreResult<Abandoned> {
        let mut found = Abandoned::default();
        let Ok(folders) = fs::read_dir(&self.dir) else {
            return Ok(found);
        };
        for folder in folders.flatten() {
            let name = folder.file_name();
            if !name
                .to_str()
                .is_some_and(|n| left_by_an_ended_process(n, WAITING))
            {
                continue;
            }
            for file in fs::read_dir(folder.path()).into_iter().flatten().flatten() {
                found.files += 1;
                found.bytes += file.metadata().map_or(0, |m| m.len());
            }
            fs::remove_dir_all(folder.path()).map_err(|e| io(&folder.path(), e))?;
        }
        Ok(found)
    }
}
