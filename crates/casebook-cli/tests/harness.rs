use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A store in a temporary folder and the environment to run `casebook` against it.
pub struct Casebook {
    pub dir: tempfile::TempDir,
    pub store: PathBuf,
    pub passphrase: Option<String>,
    /// What CASEBOOK_TODAY says.
    pub today: &'static str,
}

impl Casebook {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = dir.path().join("case.db");
        Casebook {
            dir,
            store,
            passphrase: None,
            today: "2026-04-20",
        }
    }

    /// A store in a new PostgreSQL database on the server CASEBOOK_TEST_POSTGRES names.
    pub fn postgres() -> Self {
        let server = std::env::var("CASEBOOK_TEST_POSTGRES").expect(
            "CASEBOOK_TEST_POSTGRES names the test server: run scripts/test.sh, which starts one",
        );
        let server = server.trim_end_matches('/').to_owned();
        let name = format!("casebook_cli_{}", uuid::Uuid::new_v4().simple());
        casebook_store_postgres::PgStore::create_database(&format!("{server}/postgres"), &name)
            .expect("a new database");
        Casebook {
            store: PathBuf::from(format!("{server}/{name}")),
            ..Self::new()
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.store.to_string_lossy().starts_with("postgres://")
    }

    pub fn encrypted(passphrase: &str) -> Self {
        Casebook {
            passphrase: Some(passphrase.to_owned()),
            ..Self::new()
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `contents` to a file in the test's folder and gives its path, to pass to
    /// a command.
    pub fn file(&self, name: &str, contents: &str) -> String {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("a test file");
        path.display().to_string()
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_casebook"));
        cmd.args(args)
            .env("CASEBOOK_STORE", &self.store)
            .env("CASEBOOK_ATTACHMENTS", self.dir.path().join("attachments"))
            .env_remove("CASEBOOK_STORE_PASSWORD_FILE")
            .env("CASEBOOK_TODAY", self.today)
            .env_remove("CASEBOOK_CASE")
            .env_remove("CASEBOOK_AUTHOR")
            .current_dir(self.dir.path());
        match &self.passphrase {
            Some(p) => cmd.env("CASEBOOK_PASSPHRASE", p),
            None => cmd.env_remove("CASEBOOK_PASSPHRASE"),
        };
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("casebook runs")
    }

    /// Runs a command that must succeed; returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "casebook {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .expect("UTF-8 output")
            .trim_end()
            .to_owned()
    }

    /// Runs a command that must be refused with exit code 1 and one line on stderr,
    /// and checks the store and its files are exactly as they were. Returns the line.
    pub fn refused(&self, args: &[&str]) -> String {
        let before = self.snapshot();
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).trim_end().to_owned();
        assert_eq!(out.status.code(), Some(1), "casebook {args:?}: {stderr}");
        assert_eq!(
            stderr.lines().count(),
            1,
            "one plain sentence expected, got: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            self.snapshot() == before,
            "casebook {args:?} changed the store: {stderr}"
        );
        stderr
    }

    /// Every file of the store and its attachments, by path, with their bytes.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        if self.is_postgres() {
            // A database has no file to compare: what it holds, read back, stands in.
            for args in [
                &["--json", "case", "list"][..],
                &["--json", "timeline", "--all"],
            ] {
                let out = self.command(args).output().expect("casebook runs");
                files.insert(PathBuf::from(args.join(" ")), out.stdout);
            }
            collect(&self.dir.path().join("attachments"), &mut files);
            return files;
        }
        collect(self.dir.path(), &mut files);
        files.retain(|path, _| {
            path.starts_with(&self.store) || path.to_string_lossy().contains("case.db")
        });
        files
    }

    /// A case with people, ready to log into.
    pub fn with_case(self) -> Self {
        self.with_case_of(&[])
    }

    /// The same, with more of `casebook case new`'s options (`--governance neither`).
    pub fn with_case_of(self, more: &[&str]) -> Self {
        let mut new = vec![
            "case",
            "new",
            "--slug",
            "sam",
            "--child",
            "Sam Taylor",
            "--setting",
            "Oakfield Primary",
            "--setting-kind",
            "maintained",
            "--authority",
            "Exampleshire",
        ];
        new.extend(more);
        self.ok(&new);
        self.ok(&[
            "person",
            "add",
            "--name",
            "Mrs Patel",
            "--role",
            "head-teacher",
            "--email",
            "head@oakfield.example",
        ]);
        self.ok(&[
            "person",
            "add",
            "--name",
            "Jordan Smith",
            "--role",
            "other-child",
        ]);
        self.ok(&[
            "person",
            "add",
            "--name",
            "Mr Jones",
            "--role",
            "class-teacher",
        ]);
        self
    }

    /// F0's meeting on 20 April 2026 with the council's senior education officer, Mr
    /// Hale (added to the case), the only one there besides the family, with the points
    /// the family raised.
    pub fn council_meeting(&self, points: &[&str]) {
        self.ok(&[
            "person",
            "add",
            "--name",
            "Mr Hale",
            "--role",
            "la-education-officer",
        ]);
        let mut meeting = vec![
            "log",
            "meeting",
            "--occurred",
            "2026-04-20",
            "--summary",
            "Meeting with the council's senior education officer",
            "--attendee",
            "Mr Hale",
        ];
        for point in points {
            meeting.extend(["--point", point]);
        }
        self.ok(&meeting);
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).expect("JSON output")
    }
}

fn collect(dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.insert(path.clone(), std::fs::read(&path).expect("read file"));
        }
    }
}
