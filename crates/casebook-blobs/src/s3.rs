//! Attached files on S3-compatible object storage, for an organisation's servers.
//! Every file is encrypted with age before it leaves the server, and is named not by
//! the SHA-256 of its bytes (which anyone holding the same file could work out) but by
//! an HMAC of it under a secret kept in the store: whoever runs the bucket can neither
//! read a family's files nor confirm that a family holds a given one.

use age::x25519::Identity;
use casebook_domain::Digest;
use casebook_store::{BlobStore, StoreError, StoreResult};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{ObjectStoreExt, PutPayload};
use sha2::{Digest as _, Sha256};

pub struct S3Blobs {
    bucket: AmazonS3,
    prefix: String,
    /// "s3://bucket/prefix", for sentences.
    place: String,
    key: Identity,
    /// The secret object names are made with, derived from the attachment key.
    names: [u8; 32],
    runtime: Option<tokio::runtime::Runtime>,
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

/// HMAC-SHA-256 (RFC 2104).
fn hmac(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(key);
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
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
            runtime: Some(runtime),
        })
    }

    fn name(&self, digest: &Digest) -> Path {
        let name = Digest(hmac(&self.names, &digest.0)).to_hex();
        match self.prefix.is_empty() {
            true => Path::from(name),
            false => Path::from(format!("{}/{name}", self.prefix)),
        }
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
        let sealed = age::encrypt(&self.key.to_public(), bytes)
            .map_err(|e| StoreError::Backend(format!("cannot encrypt an attachment: {e}")))?;
        // An object appears whole or not at all, so there is nothing to sync later.
        self.run(
            self.bucket
                .put(&self.name(&digest), PutPayload::from(sealed)),
        )?
        .map_err(|e| self.refused("keep", &e))?;
        Ok(digest)
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
        self.run(self.bucket.delete(&self.name(digest)))?
            .or_else(|e| match e {
                object_store::Error::NotFound { .. } => Ok(()),
                e => Err(self.refused("remove", &e)),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::hmac;

    #[test]
    fn hmac_matches_rfc_4231_test_case_2_shape() {
        // RFC 4231 case 2 uses a 4-byte key; ours are 32 bytes, padded with zeros the same way.
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        let mac = casebook_domain::Digest(hmac(&key, b"what do ya want for nothing?")).to_hex();
        assert_eq!(
            mac,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
