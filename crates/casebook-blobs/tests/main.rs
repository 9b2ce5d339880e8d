#[cfg(feature = "s3")]
mod s3;

use casebook_blobs::{LocalBlobs, new_attachment_key};
use casebook_domain::{AttachmentState, Digest};
use casebook_store::BlobStore;

const PHOTO: &[u8] = b"\x89PNG pretend photo of a torn school jumper";

#[test]
fn files_are_addressed_by_their_sha256_and_stored_once() {
    let dir = tempfile::tempdir().expect("dir");
    let blobs = LocalBlobs::new(dir.path(), None).expect("blobs");
    let digest = blobs.put(PHOTO).expect("put");
    assert_eq!(digest, Digest::of(PHOTO));
    assert_eq!(blobs.put(PHOTO).expect("again"), digest);
    assert_eq!(blobs.get(&digest).expect("get").as_deref(), Some(PHOTO));
    assert_eq!(blobs.check(&digest), AttachmentState::Intact);
    blobs.remove(&digest).expect("remove");
    assert_eq!(blobs.check(&digest), AttachmentState::Missing);
}

#[test]
fn encrypted_files_hide_their_bytes_and_detect_tampering() {
    let dir = tempfile::tempdir().expect("dir");
    let key = new_attachment_key();
    let blobs = LocalBlobs::new(dir.path(), Some(&key)).expect("blobs");
    let digest = blobs.put(PHOTO).expect("put");
    let hex = digest.to_hex();
    let on_disk = dir.path().join(&hex[..2]).join(&hex);
    let stored = std::fs::read(&on_disk).expect("read");
    assert!(stored.starts_with(b"age-encryption.org/v1"));
    assert!(!stored.windows(6).any(|w| w == b"jumper"));
    assert_eq!(blobs.get(&digest).expect("get").as_deref(), Some(PHOTO));

    let mut altered = stored;
    let last = altered.len() - 1;
    altered[last] ^= 1;
    std::fs::write(&on_disk, altered).expect("tamper");
    assert_eq!(blobs.check(&digest), AttachmentState::Altered);
}

#[test]
fn a_plain_file_changed_on_disk_is_reported_altered() {
    let dir = tempfile::tempdir().expect("dir");
    let blobs = LocalBlobs::new(dir.path(), None).expect("blobs");
    let digest = blobs.put(PHOTO).expect("put");
    let hex = digest.to_hex();
    std::fs::write(dir.path().join(&hex[..2]).join(&hex), b"something else").expect("tamper");
    assert_eq!(blobs.check(&digest), AttachmentState::Altered);
}

/// Files put for an import wait out of place until synced, and a file brought in twice
/// (two messages with the same attachment) is moved into place once.
#[test]
fn files_wait_until_synced_and_a_file_brought_twice_is_moved_once() {
    let dir = tempfile::tempdir().expect("dir");
    let blobs = LocalBlobs::new(dir.path(), None).expect("blobs");
    let others: Vec<Vec<u8>> = (0..40).map(|n| format!("file {n}").into_bytes()).collect();
    let mut digests = vec![blobs.put_unsynced(PHOTO).expect("put")];
    for bytes in &others {
        digests.push(blobs.put_unsynced(bytes).expect("put"));
    }
    digests.push(blobs.put_unsynced(PHOTO).expect("again"));
    assert!(
        !blobs.contains(&digests[0]).expect("look"),
        "in place before the sync"
    );
    blobs.sync(&digests).expect("sync");
    for digest in &digests {
        assert_eq!(blobs.check(digest), AttachmentState::Intact);
    }
    // Nothing of this process's is waiting now, and nothing was abandoned by another.
    assert_eq!(
        blobs
            .remove_abandoned(jiff::Timestamp::UNIX_EPOCH)
            .expect("tidy")
            .files,
        0
    );
}
