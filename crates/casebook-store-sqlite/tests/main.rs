//! The SQLite store: the shared conformance suite on plain and encrypted files, and
//! what only this backend promises (encryption at rest, triggers).

mod conformance_plain {
    casebook_store::conformance_tests!(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = casebook_store_sqlite::SqliteStore::create(&dir.path().join("plain.db"), None)
            .expect("create");
        let _ = dir.keep(); // the directory must outlive the store
        store
    });
}

mod conformance_encrypted {
    casebook_store::conformance_tests!(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = casebook_store_sqlite::SqliteStore::create(
            &dir.path().join("secret.db"),
            Some("correct horse battery staple"),
        )
        .expect("create");
        let _ = dir.keep();
        store
    });
}

mod encryption;
mod schema;
