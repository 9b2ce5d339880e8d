//! Attached files on S3-compatible object storage, for an organisation's servers.
//! Every file is encrypted with age before it leaves the server, and is named not by
//! the SHA-256 of its bytes (which anyone holding the same file could work out) but by
//! an HMAC of it under a secret kept in the store: whoever runs the bucket can neither
//! read a family's files nor confirm that a family holds a given one.
//!
//! An import's files wait under `incoming/HOST.PID/` until the import is about to commit,
//! then are copied into place; a waiting folder whose process has ended (on this host),
//! or whose newest file the bucket has held for a day (from any host), was left by an
//! import that was killed, and is removed.

use age::x25519::Identity;
use casebook_domain::Digest;
use casebook_store::{Abandoned, BlobStore, StoreError, StoreResult};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use sha2::{Digest as _, Sha256};

pub struct S3Blobs {
    bucket: AmazonS3,
    prefix: String,
    /// "s3://bucket/prefix", for sentences.
    place: String,
    key: Identity,
    /// The secret object names are made with, derived from the attachment key.
    names: [u8; 32],
    /// This process's waiting folder, under `incoming/`.
    waiting: String,
    runtime: Option<tokio::runtime::Runtime>,
}

/// Where waiting folders are, under the store's prefix.
const INCOMING: &str = "incoming";
/// A waiting folder from another host is taken for abandoned after a day: no import
/// runs that long.
const ABANDONED_AFTER_SECONDS: i64 = 24 * 60 * 60;

/// This machine's name, so that a waiting folder's process is looked for only here.
fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().replace(['.', '/'], "-"))
        .unwrap_or_default()
}

impl std::fmt::Debug for S3Blobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Blobs")
            .field("place", &self.place)
            .finish()
    }
}

impl Drop for S3Blobs {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Whether a waiting folder named `HOST.PID` was left by a process here that has ended.
fn ended_here(folder: &str, here: &str) -> bool {
    folder
        .rsplit_once('.')
        .is_some_and(|(host, pid)| host == here && crate::left_by_an_ended_process(pid, ""))
}

impl S3Blobs {
    /// The bucket at `url` (`s3://bucket/prefix`); its endpoint, region and credentials
    /// come from the usual AWS_ variables (AWS_ENDPOINT, AWS_ACCESS_KEY_ID,
    /// AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, AWS_ALLOW_HTTP). `key` is the store's
    /// attachment key, from `new_attachment_key`.
    pub fn new(url: &str, key: &str) -> StoreResult<Self> {
        let rest = url.strip_prefix("s3://").ok_or_else(|| {
            StoreError::Refused(format!(
                "\"{url}\" is not an S3 address: write it as s3://BUCKET or s3://BUCKET/FOLDER."
            ))
        })?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(StoreError::Refused(format!(
                "\"{url}\" names no bucket: write it as s3://BUCKET or s3://BUCKET/FOLDER."
            )));
        }
        let key: Identity = key.parse().map_err(|_| {
            StoreError::Backend("the attachment key in the store is damaged".into())
        })?;
        let names: [u8; 32] = Sha256::new()
            .chain_update(b"casebook/object-names/v1\0")
            .chain_update(age::secrecy::ExposeSecret::expose_secret(&key.to_string()).as_bytes())
            .finalize()
            .into();
        let built = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()
            .map_err(|e| {
                StoreError::Refused(format!(
                    "The attachment store {url} cannot be used ({e}): check AWS_ENDPOINT, AWS_DEFAULT_REGION and the credentials."
                ))
            })?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("casebook-s3")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Backend(format!("cannot start the storage runtime: {e}")))?;
        Ok(S3Blobs {
            bucket: built,
            prefix: prefix.trim_matches('/').to_owned(),
            place: format!("s3://{bucket}"),
            key,
            names,
            waiting: format!("{}.{}", host(), std::process::id()),
            runtime: Some(runtime),
        })
    }

    /// `rest` under the store's prefix.
    fn under_prefix(&self, rest: &str) -> Path {
        match self.prefix.is_empty() {
            true => Path::from(rest),
            false => Path::from(format!("{}/{rest}", self.prefix)),
        }
    }

    fn name(&self, digest: &Digest) -> Path {
        self.under_prefix(&Digest::hmac(&self.names, &digest.0).to_hex())
    }

    /// Where a file this process stored waits until it is synced.
    fn waiting(&self, digest: &Digest) -> Path {
        let name = Digest::hmac(&self.names, &digest.0).to_hex();
        self.under_prefix(&format!("{INCOMING}/{}/{name}", self.waiting))
    }

    fn run<T>(&self, work: impl Future<Output = T>) -> StoreResult<T> {
        match &self.runtime {
            Some(runtime) => Ok(runtime.block_on(work)),
            None => Err(StoreError::Backend("the attachment store is closed".into())),
        }
    }

    fn refused(&self, doing: &str, e: &object_store::Error) -> StoreError {
        // The first line only: the rest is the HTTP exchange.
        let why = e.to_string();
        let why = why.lines().next().unwrap_or_default();
        StoreError::Refused(format!(
            "The attachment store {} refused to {doing} a file ({why}): check the bucket, its permissions and the credentials.",
            self.place
        ))
    }
}

impl BlobStore for S3Blobs {
    fn put(&self, bytes: &[u8]) -> StoreResult<Digest> {
        let digest = Digest::of(bytes);
        if self.contains(&digest)? {
            return Ok(digest);
        }
        // An object appears whole or not at all, so there is nothing to sync later.
        self.put_at(&self.name(&digest), bytes)?;
        Ok(digest)
    }

    /// Waits in this process's folder until [`sync`](BlobStore::sync).
    fn put_unsynced(&self, bytes: &[u8]) -> StoreResult<Digest> {
        let digest = Digest::of(bytes);
        if !self.contains(&digest)? {
            self.put_at(&self.waiting(&digest), bytes)?;
        }
        Ok(digest)
    }

    /// Copies each waiting file into place and removes it from the waiting folder,
    /// sixteen at a time.
    fn sync(&self, digests: &[Digest]) -> StoreResult<()> {
        use futures_util::{StreamExt, TryStreamExt};
        let mut digests = digests.to_vec();
        digests.sort_unstable();
        digests.dedup();
        let moved = self.run(
            futures_util::stream::iter(digests)
                .map(|digest| async move {
                    let waiting = self.waiting(&digest);
                    match self.bucket.copy(&waiting, &self.name(&digest)).await {
                        Ok(()) => self.bucket.delete(&waiting).await,
                        // Already in place before this process stored it.
                        Err(object_store::Error::NotFound { .. }) => {
                            self.bucket.head(&self.name(&digest)).await.map(|_| ())
                        }
                        Err(e) => Err(e),
                    }
                })
                .buffer_unordered(16)
                .try_collect::<Vec<()>>(),
        )?;
        moved.map(|_| ()).map_err(|e| self.refused("keep", &e))
    }

    fn remove_abandoned(&self, now: jiff::Timestamp) -> StoreResult<Abandoned> {
        use futures_util::TryStreamExt;
        let here = host();
        let incoming = self.under_prefix(INCOMING);
        let found = self.run(async {
            let folders = self.bucket.list_with_delimiter(Some(&incoming)).await?;
            let mut found = Abandoned::default();
            for folder in folders.common_prefixes {
                let Some(name) = folder.filename() else {
                    continue;
                };
                let files: Vec<_> = self.bucket.list(Some(&folder)).try_collect().await?;
                // The bucket's own times, so this machine's clock is not needed to be right.
                let newest = files
                    .iter()
                    .map(|f| f.last_modified.timestamp())
                    .max()
                    .unwrap_or(i64::MIN);
                let old = now.as_second().saturating_sub(newest) > ABANDONED_AFTER_SECONDS;
                if !ended_here(name, &here) && !old {
                    continue;
                }
                for file in files {
                    self.bucket.delete(&file.location).await?;
                    found.files += 1;
                    found.bytes += file.size;
                }
            }
            Ok::<_, object_store::Error>(found)
        })?;
        found.map_err(|e| self.refused("remove", &e))
    }

    fn get(&self, digest: &Digest) -> StoreResult<Option<Vec<u8>>> {
        let got = self.run(async {
            match self.bucket.get(&self.name(digest)).await {
                Ok(found) => found.bytes().await.map(Some),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(e),
            }
        })?;
        let Some(sealed) = got.map_err(|e| self.refused("give back", &e))? else {
            return Ok(None);
        };
        age::decrypt(&self.key, &sealed).map(Some).map_err(|_| {
            StoreError::Refused(format!(
                "The attachment {} cannot be decrypted: it was altered.",
                digest.short()
            ))
        })
    }

    fn contains(&self, digest: &Digest) -> StoreResult<bool> {
        self.run(self.bucket.head(&self.name(digest)))?
            .map(|_| true)
            .or_else(|e| match e {
                object_store::Error::NotFound { .. } => Ok(false),
                e => Err(self.refused("look up", &e)),
            })
    }

    fn remove(&self, digest: &Digest) -> StoreResult<()> {
        for place in [self.name(digest), self.waiting(digest)] {
            self.run(self.bucket.delete(&place))?.or_else(|e| match e {
                object_store::Error::NotFound { .. } => Ok(()),
                e => Err(self.refused("remove", &e)),
            })?;
        }
        Ok(())
    }
}

impl S3Blobs {
    fn put_at(&self, place: &Path, bytes: &[u8]) -> StoreResult<()> {
        let sealed = age::encrypt(&self.key.to_public(), bytes)
            .map_err(|e| StoreError::Backend(format!("cannot encrypt an attachment: {e}")))?;
        self.run(self.bucket.put(place, PutPayload::from(sealed)))?
            .map(|_| ())
            .map_err(|e| self.refused("keep", &e))
    }
}

#[cfg(test)]
mod tests {
    use super::ended_here;

    #[test]
    fn a_waiting_folder_s_process_is_taken_for_ended_only_when_it_ran_here() {
        let mine = format!("host-a.{}", std::process::id());
        assert!(!ended_here(&mine, "host-a"), "this process is running");
        // No process has the largest id there can be.
        assert!(ended_here("host-a.4294967295", "host-a"));
        assert!(
            !ended_here("host-b.4294967295", "host-a"),
            "another host's process cannot be seen from here"
        );
        assert!(!ended_here("not a waiting folder", "host-a"));
    }
}
