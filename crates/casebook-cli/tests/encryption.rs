use crate::harness::Casebook;

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn an_encrypted_store_and_its_files_are_unreadable_without_the_passphrase() {
    let cb = Casebook::encrypted("lantern quietly orchard seven").with_case();
    std::fs::write(
        cb.path("letter.txt"),
        "Letter about the lunch queue incident",
    )
    .expect("write");
    cb.ok(&[
        "log",
        "incident",
        "--occurred",
        "2026-03-03",
        "--summary",
        "Pushed in the corridor",
        "--attach",
        "letter.txt",
    ]);
    let bytes = std::fs::read(&cb.store).expect("read");
    assert!(!bytes.starts_with(b"SQLite format 3"));
    for secret in ["corridor", "Sam Taylor", "Oakfield", "Patel", "incident"] {
        assert!(
            !contains(&bytes, secret),
            "{secret} is readable in the store"
        );
    }
    for (path, file) in cb.snapshot() {
        if path != cb.store {
            assert!(
                file.starts_with(b"age-encryption.org/v1"),
                "{} is not encrypted",
                path.display()
            );
            assert!(!contains(&file, "lunch queue"));
        }
    }

    let wrong = Casebook {
        passphrase: Some("guess".into()),
        ..cb
    };
    assert!(
        wrong
            .refused(&["timeline"])
            .starts_with("The passphrase is wrong")
    );
    let none = Casebook {
        passphrase: None,
        ..wrong
    };
    assert!(
        none.refused(&["timeline"])
            .contains("is encrypted: set CASEBOOK_PASSPHRASE")
    );
    let right = Casebook {
        passphrase: Some("lantern quietly orchard seven".into()),
        ..none
    };
    assert!(right.ok(&["verify"]).contains("intact"));
}

#[test]
fn a_plain_store_says_so_once_when_it_is_created() {
    let cb = Casebook::new();
    let out = cb.run(&[
        "case",
        "new",
        "--slug",
        "a",
        "--child",
        "A",
        "--setting",
        "B",
        "--setting-kind",
        "academy",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not encrypted"));
    let out = cb.run(&[
        "case",
        "new",
        "--slug",
        "b",
        "--child",
        "A",
        "--setting",
        "B",
        "--setting-kind",
        "academy",
    ]);
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "told only once");
}
