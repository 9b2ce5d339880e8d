//! The command line on an organisation's PostgreSQL store, and moving a case between
//! the two kinds of store.

use crate::harness::Casebook;

#[test]
fn every_kind_of_work_runs_on_a_postgresql_store() {
    let mut cb = Casebook::postgres();
    cb.today = "2026-11-22";
    assert!(cb.ok(&["demo"]).contains("Added the demonstration case"));
    // The address is shown without its password.
    assert!(
        !cb.ok(&["demo", "--slug", "second"])
            .contains("casebook-test@")
    );
    let cb = {
        let mut cb = cb;
        cb.today = "2026-11-22";
        cb
    };
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../casebook-app/demo/torn-sleeve.jpg"
        ),
        cb.path("hat.jpg"),
    )
    .expect("photo");
    let logged = cb.ok(&[
        "--case",
        "demo",
        "log",
        "incident",
        "--occurred",
        "2026-11-18T12:30",
        "--summary",
        "Hat taken and thrown on the roof",
        "--involved",
        "Child A",
        "--attach",
        cb.path("hat.jpg").to_str().expect("path"),
    ]);
    assert_eq!(logged, "e20");
    cb.ok(&[
        "--case",
        "demo",
        "amend",
        "e20",
        "--summary",
        "Hat thrown over the fence",
        "--reason",
        "Alex told me more",
    ]);
    let timeline = cb.json(&["--case", "demo", "timeline"]);
    let last = timeline.as_array().and_then(|t| t.last()).expect("entries");
    assert_eq!(last["summary"], "Hat thrown over the fence");
    assert!(
        cb.ok(&["--case", "demo", "verify"])
            .contains("is intact: 21 entries")
    );
    let next = cb.json(&["--case", "demo", "next"]);
    assert!(!next["late"].as_array().expect("late").is_empty());
    let letter = cb.ok(&[
        "--case",
        "demo",
        "letter",
        "report-bullying",
        "--to",
        "Mrs Carter",
        "--format",
        "txt",
    ]);
    assert!(letter.contains("Subject:") && !letter.contains("Tyler"));
    let bundle = cb.path("bundle.html");
    cb.ok(&[
        "--case",
        "demo",
        "bundle",
        "--format",
        "html",
        "--out",
        bundle.to_str().expect("path"),
    ]);
    assert!(
        cb.ok(&["verify", bundle.to_str().expect("path")])
            .contains("intact")
    );
    // An export from the database imports into a file and verifies there.
    let export = cb.path("demo.jsonl");
    cb.ok(&[
        "--case",
        "demo",
        "export",
        "--format",
        "jsonl",
        "--out",
        export.to_str().expect("path"),
    ]);
    let file = cb.path("copy.db");
    let copy = cb
        .command(&[
            "--store",
            file.to_str().expect("path"),
            "import",
            export.to_str().expect("path"),
        ])
        .output()
        .expect("runs");
    assert!(
        copy.status.success(),
        "{}",
        String::from_utf8_lossy(&copy.stderr)
    );
    // A caseworker's account with no case yet goes into the backup too.
    let added = cb
        .command(&[
            "account",
            "add",
            "--email",
            "new.worker@sendiass.example",
            "--name",
            "New Worker",
        ])
        .env("CASEBOOK_PASSWORD", "three unrelated words")
        .output()
        .expect("runs");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    // A backup of the whole database is refused unencrypted, then taken encrypted with
    // the passphrase given for it, and restores into a file that verifies.
    let said = cb.refused(&["backup", "--out", "org-backup.db"]);
    assert!(said.contains("CASEBOOK_PASSPHRASE"), "{said}");
    let out = cb
        .command(&["backup", "--out", "org-backup.db"])
        .env("CASEBOOK_PASSPHRASE", "organisation backup key")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Backed up 2 cases"));
    let restored = cb.path("restored.db");
    let out = cb
        .command(&[
            "--store",
            restored.to_str().expect("path"),
            "restore",
            "org-backup.db",
        ])
        .env("CASEBOOK_PASSPHRASE", "organisation backup key")
        .output()
        .expect("runs");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Restored 2 cases"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The account with no case is there: it can be given one.
    let granted = cb
        .command(&[
            "--store",
            restored.to_str().expect("path"),
            "account",
            "grant",
            "--email",
            "new.worker@sendiass.example",
            "--to-case",
            "demo",
        ])
        .env("CASEBOOK_PASSPHRASE", "organisation backup key")
        .output()
        .expect("runs");
    assert!(
        granted.status.success(),
        "{}",
        String::from_utf8_lossy(&granted.stderr)
    );
}

#[test]
fn a_case_moved_to_postgresql_and_back_verifies_with_an_identical_timeline() {
    let mut file = Casebook::new();
    file.today = "2026-11-22";
    file.ok(&["demo"]);
    let original = file.ok(&["--json", "timeline", "--all"]);
    let database = Casebook::postgres();
    let url = database.store.to_str().expect("url").to_owned();
    // The database's files go where its own CASEBOOK_ATTACHMENTS says.
    let migrated = file
        .command(&["migrate", "--to", &url])
        .env("CASEBOOK_ATTACHMENTS", database.path("attachments"))
        .output()
        .expect("runs");
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    let moved = String::from_utf8_lossy(&migrated.stdout).into_owned();
    assert!(moved.contains("Moved case \"demo\""), "{moved}");
    assert!(moved.contains("It verifies there") && moved.contains("2 attached files"));
    assert!(
        !moved.contains("casebook-test@"),
        "no password in what is printed"
    );
    assert!(database.ok(&["verify"]).contains("is intact: 19 entries"));
    // The same case again is refused and changes nothing.
    let again = file.refused(&["migrate", "--to", &url]);
    assert!(
        again.contains("already holds a case called \"demo\""),
        "{again}"
    );
    // And back into a new file.
    let back = file.path("back.db");
    let home = database.ok(&["migrate", "--to", back.to_str().expect("path")]);
    assert!(home.contains("timeline is the same"), "{home}");
    let returned = file
        .command(&[
            "--store",
            back.to_str().expect("path"),
            "--json",
            "timeline",
            "--all",
        ])
        .output()
        .expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&returned.stdout).trim_end(),
        original
    );
    let to_itself = file.refused(&["migrate", "--to", file.store.to_str().expect("path")]);
    assert!(
        to_itself.contains("is the store the case is in"),
        "{to_itself}"
    );
}

#[test]
fn an_unreachable_database_a_wrong_password_and_a_missing_password_file_are_refused() {
    let cb = Casebook::postgres();
    cb.ok(&["demo"]);
    let url = cb.store.to_str().expect("url").to_owned();
    let refused = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = cb.command(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("runs");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr).trim_end().to_owned();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        stderr
    };
    let nowhere = refused(
        &[
            "--store",
            "postgres://casebook@127.0.0.1:1/cases",
            "timeline",
        ],
        &[],
    );
    assert!(nowhere.contains("cannot be reached"), "{nowhere}");
    let (scheme_user, host) = url.split_once('@').expect("user@host");
    let user = scheme_user.rsplit_once(':').map_or(scheme_user, |(u, _)| u);
    let bare = format!("{user}@{host}");
    let asked = refused(&["--store", &bare, "timeline"], &[]);
    assert!(asked.contains("asks for a password"), "{asked}");
    std::fs::write(cb.path("password"), "not the password\n").expect("file");
    let from_file = refused(
        &["--store", &bare, "timeline"],
        &[(
            "CASEBOOK_STORE_PASSWORD_FILE",
            cb.path("password").to_str().expect("path"),
        )],
    );
    assert!(
        from_file.contains("refused the user name or password"),
        "{from_file}"
    );
    let missing = refused(
        &["--store", &bare, "timeline"],
        &[("CASEBOOK_STORE_PASSWORD_FILE", "/nonexistent/password")],
    );
    assert!(
        missing.contains("The password file /nonexistent/password cannot be read"),
        "{missing}"
    );
    // The right password from the file works.
    let password = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .map(|(_, p)| p.to_owned())
        .expect("the test address has a password");
    std::fs::write(cb.path("password"), format!("{password}\n")).expect("file");
    let out = cb
        .command(&["--store", &bare, "timeline"])
        .env("CASEBOOK_STORE_PASSWORD_FILE", cb.path("password"))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(feature = "s3")]
#[test]
fn an_organisation_keeps_its_files_in_a_bucket_and_a_moved_case_verifies_there() {
    let bucket = std::env::var("CASEBOOK_TEST_S3")
        .expect("CASEBOOK_TEST_S3 names the test bucket: run scripts/test.sh, which starts one");
    let place = format!("{bucket}/{}", uuid::Uuid::new_v4().simple());
    let mut file = Casebook::new();
    file.today = "2026-11-22";
    file.ok(&["demo"]);
    let database = Casebook::postgres();
    let url = database.store.to_str().expect("url").to_owned();
    let in_bucket = |cb: &Casebook, args: &[&str]| in_bucket(cb, &place, args);
    let moved = in_bucket(&file, &["migrate", "--to", &url]);
    assert!(moved.contains("2 attached files"), "{moved}");
    assert!(in_bucket(&database, &["verify"]).contains("is intact"));
    let bundle = database.path("bundle.html");
    in_bucket(
        &database,
        &[
            "bundle",
            "--format",
            "html",
            "--out",
            bundle.to_str().expect("path"),
        ],
    );
    let html = std::fs::read_to_string(&bundle).expect("bundle");
    assert!(
        html.contains("data:image/jpeg;base64,"),
        "the photo came back from the bucket"
    );
    // Nothing was written to a folder on this machine.
    assert!(!database.path("attachments").exists());
}

/// Runs a command that must succeed with its attached files in the bucket at `place`;
/// returns its standard output.
#[cfg(feature = "s3")]
fn in_bucket(cb: &Casebook, place: &str, args: &[&str]) -> String {
    let out = cb
        .command(args)
        .env("CASEBOOK_ATTACHMENTS", place)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// An import killed outright (kill -9) while its files wait in the bucket: the next
/// verify removes them and says how many, and the case is as it was.
#[cfg(feature = "s3")]
#[test]
fn files_an_import_killed_outright_left_in_a_bucket_are_removed_and_reported() {
    use crate::mail::import_held_at_a_long_message;
    let bucket = std::env::var("CASEBOOK_TEST_S3")
        .expect("CASEBOOK_TEST_S3 names the test bucket: run scripts/test.sh, which starts one");
    let place = format!("{bucket}/{}", uuid::Uuid::new_v4().simple());
    let mut database = Casebook::postgres();
    database.today = "2026-11-20";
    let in_bucket = |args: &[&str]| in_bucket(&database, &place, args);
    in_bucket(&["demo"]);
    let before = in_bucket(&["timeline", "--json"]);
    import_held_at_a_long_message(&database, &[("CASEBOOK_ATTACHMENTS", &place)]).kill();
    let verified = in_bucket(&["verify"]);
    assert!(
        // The two messages as received, and the reply's PDF.
        verified.contains("Removed 3 attached files") && verified.contains("is intact"),
        "{verified}"
    );
    let again = in_bucket(&["verify"]);
    assert!(!again.contains("Removed"), "{again}");
    assert_eq!(in_bucket(&["timeline", "--json"]), before);
}
