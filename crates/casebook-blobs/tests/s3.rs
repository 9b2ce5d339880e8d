//! Attached files on an S3-compatible bucket (scripts/test.sh starts one locally with
//! moto's server and names it in CASEBOOK_TEST_S3; the AWS_ variables say where it is).

use casebook_blobs::{S3Blobs, new_attachment_key};
use casebook_domain::{AttachmentState, Digest};
use casebook_store::BlobStore;
use object_store::aws::AmazonS3Builder;
use object_store::{ObjectStore, ObjectStoreExt};

const PHOTO: &[u8] = b"\xFF\xD8\xFF\xE0 a photo of a torn school jumper";

fn bucket() -> String {
    std::env::var("CASEBOOK_TEST_S3").expect(
        "CASEBOOK_TEST_S3 names the test bucket (s3://NAME): run scripts/test.sh, which starts one",
    )
}

/// A folder of the test bucket of its own for each test.
fn place() -> String {
    format!("{}/{}", bucket(), uuid::Uuid::new_v4().simple())
}

/// Everything in the bucket under `folder`, as the bucket's owner sees it.
fn raw_objects(folder: &str) -> Vec<(String, Vec<u8>)> {
    let name = bucket().trim_start_matches("s3://").to_owned();
    let store = AmazonS3Builder::from_env()
        .with_bucket_name(name)
        .build()
        .expect("the bucket");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        use futures_util::TryStreamExt;
        let prefix = object_store::path::Path::from(folder);
        let listed: Vec<_> = store
            .list(Some(&prefix))
            .try_collect()
            .await
            .expect("listing");
        let mut objects = Vec::new();
        for meta in listed {
            let bytes = store
                .get(&meta.location)
                .await
                .expect("object")
                .bytes()
                .await
                .expect("bytes");
            objects.push((meta.location.to_string(), bytes.to_vec()));
        }
        objects
    })
}

#[test]
fn files_in_a_bucket_are_encrypted_and_named_so_the_bucket_cannot_tell_what_they_are() {
    let place = place();
    let folder = place
        .trim_start_matches(&format!("{}/", bucket()))
        .to_owned();
    let key = new_attachment_key();
    let blobs = S3Blobs::new(&place, &key).expect("the bucket");
    let digest = blobs.put(PHOTO).expect("put");
    assert_eq!(digest, Digest::of(PHOTO));
    assert_eq!(blobs.put(PHOTO).expect("again"), digest, "stored once");
    assert!(blobs.contains(&digest).expect("contains"));
    assert_eq!(blobs.get(&digest).expect("get").as_deref(), Some(PHOTO));
    assert_eq!(blobs.check(&digest), AttachmentState::Intact);
    let objects = raw_objects(&folder);
    assert_eq!(objects.len(), 1);
    let (name, bytes) = &objects[0];
    assert!(bytes.starts_with(b"age-encryption.org/v1"), "encrypted");
    assert!(!bytes.windows(6).any(|w| w == b"jumper"), "no plain text");
    assert!(
        !name.contains(&digest.to_hex()),
        "the name is not the file's SHA-256, which anyone with the file could work out"
    );
    // Another store's key names the same file differently.
    let other = S3Blobs::new(&place, &new_attachment_key()).expect("bucket");
    assert!(!other.contains(&digest).expect("contains"));
    blobs.remove(&digest).expect("remove");
    assert_eq!(blobs.check(&digest), AttachmentState::Missing);
    assert_eq!(blobs.get(&digest).expect("get"), None);
}

#[test]
fn a_bucket_that_refuses_writes_is_named_in_one_sentence() {
    let key = new_attachment_key();
    let missing = S3Blobs::new("s3://no-such-bucket-for-casebook", &key).expect("configured");
    let refused = missing.put(PHOTO).expect_err("no bucket");
    let said = refused.to_string();
    assert!(
        said.starts_with("The attachment store s3://no-such-bucket-for-casebook refused to"),
        "{said}"
    );
    assert_eq!(said.lines().count(), 1, "{said}");
    let bad = S3Blobs::new("https://example.org/bucket", &key).expect_err("not s3");
    assert!(bad.to_string().contains("is not an S3 address"));
}
