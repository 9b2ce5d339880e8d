//! The import benchmark of SPEC section 9. `mailbox` writes a mailbox of a given size
//! as an mbox and as a Maildir of the same messages: one message in twenty is between
//! the family and the school, the rest is everyday mail, one in ten carries an
//! attachment. `import` times `casebook import` on the mbox against `sha256sum` over the
//! same file and `notmuch new` over the same messages, with peak memory for each.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

pub const SCHOOL: &str = "millbrook.example";
pub const FAMILY: &str = "jo@example.org";

/// A small deterministic generator: the same size gives the same mailbox.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: &[&str] = &[
    "the",
    "school",
    "meeting",
    "thank",
    "you",
    "for",
    "your",
    "email",
    "about",
    "lunch",
    "playground",
    "teacher",
    "week",
    "support",
    "plan",
    "homework",
    "trip",
    "letter",
    "today",
    "tomorrow",
    "please",
    "could",
    "we",
    "talk",
    "class",
    "reading",
    "report",
    "football",
    "club",
    "appointment",
    "after",
    "before",
    "morning",
    "kind",
    "regards",
];

fn message(dice: &mut Dice, n: u64) -> String {
    let school = dice.below(20) == 0;
    let sent = dice.below(3) == 0;
    let other = match dice.below(4) {
        0 => "news@shop.example".to_owned(),
        1 => format!("friend{}@mail.example", dice.below(50)),
        2 => "club@sports.example".to_owned(),
        _ => format!("team{}@work.example", dice.below(20)),
    };
    let them = if school {
        format!("head@{SCHOOL}")
    } else {
        other
    };
    let (from, to) = if sent {
        (FAMILY.to_owned(), them)
    } else {
        (them, FAMILY.to_owned())
    };
    let day = 1 + dice.below(28);
    let month = 1 + dice.below(12);
    let words = 300 + dice.below(900);
    let mut body = String::new();
    for i in 0..words {
        body.push_str(WORDS[dice.below(WORDS.len() as u64) as usize]);
        body.push(if i % 14 == 13 { '\n' } else { ' ' });
    }
    let subject = format!(
        "{} {} {n}",
        WORDS[dice.below(20) as usize],
        WORDS[dice.below(20) as usize]
    );
    let head = format!(
        "Message-ID: <{n}.bench@{}>\nDate: Mon, {day} {} 2026 10:{:02}:00 +0000\nFrom: {from}\nTo: {to}\nSubject: {subject}\nMIME-Version: 1.0\n",
        if sent {
            "example.org"
        } else {
            "sender.example"
        },
        [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
        ][month as usize - 1],
        n % 60,
    );
    if dice.below(10) == 0 {
        let mut data = String::new();
        for _ in 0..(300 + dice.below(600)) {
            data.push_str("JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0Zp\n");
        }
        format!(
            "{head}Content-Type: multipart/mixed; boundary=\"b{n}\"\n\n--b{n}\nContent-Type: text/plain; charset=utf-8\n\n{body}\n--b{n}\nContent-Type: application/pdf; name=\"scan-{n}.pdf\"\nContent-Disposition: attachment; filename=\"scan-{n}.pdf\"\nContent-Transfer-Encoding: base64\n\n{data}--b{n}--\n"
        )
    } else {
        format!("{head}Content-Type: text/plain; charset=utf-8\n\n{body}\n")
    }
}

/// Writes `megabytes` of mail to `dir/mail.mbox` and the same messages to
/// `dir/maildir/cur`. Returns the number of messages.
pub fn write_mailbox(megabytes: u64, dir: &Path) -> Result<u64> {
    let cur = dir.join("maildir/cur");
    std::fs::create_dir_all(&cur)?;
    std::fs::create_dir_all(dir.join("maildir/new"))?;
    std::fs::create_dir_all(dir.join("maildir/tmp"))?;
    let mut mbox = BufWriter::new(std::fs::File::create(dir.join("mail.mbox"))?);
    let mut dice = Dice(0x5EED_CA5E_B00C);
    let (mut written, mut n) = (0u64, 0u64);
    while written < megabytes * 1024 * 1024 {
        n += 1;
        let text = message(&mut dice, n);
        // mboxrd quoting for any body line that starts "From ".
        writeln!(mbox, "From {FAMILY} Mon Sep 14 12:00:00 2026")?;
        for line in text.lines() {
            if line.trim_start_matches('>').starts_with("From ") {
                mbox.write_all(b">")?;
            }
            writeln!(mbox, "{line}")?;
        }
        writeln!(mbox)?;
        std::fs::write(cur.join(format!("{n}.bench:2,S")), &text)?;
        written += text.len() as u64;
    }
    mbox.flush()?;
    Ok(n)
}

/// Runs a command under GNU time: wall seconds and peak resident MiB.
fn measure(command: &mut Command) -> Result<(f64, u64, String)> {
    let mut timed = Command::new("/usr/bin/time");
    timed
        .args(["-f", "peak-kb %M"])
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        if let Some(value) = value {
            timed.env(key, value);
        }
    }
    let start = Instant::now();
    let out = timed
        .output()
        .context("GNU time (/usr/bin/time, Debian package time) runs")?;
    let seconds = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        bail!("{:?} failed: {stderr}", command.get_program());
    }
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak-kb "))
        .and_then(|kb| kb.trim().parse::<u64>().ok())
        .unwrap_or(0);
    Ok((
        seconds,
        peak / 1024,
        String::from_utf8_lossy(&out.stdout).into_owned(),
    ))
}

pub fn import(megabytes: u64) -> Result<()> {
    let casebook = std::env::current_exe()?.with_file_name("casebook");
    if !casebook.exists() {
        bail!("build the command first: cargo build --release -p casebook-cli");
    }
    let dir = tempfile::tempdir()?;
    let messages = write_mailbox(megabytes, dir.path())?;
    let mbox = dir.path().join("mail.mbox");
    let size = std::fs::metadata(&mbox)?.len() as f64 / (1024.0 * 1024.0);
    let store = dir.path().join("store.db");
    let run = |store: &Path, args: &[&str]| -> Result<()> {
        let out = Command::new(&casebook)
            .arg("--store")
            .arg(store)
            .args(args)
            .output()?;
        if !out.status.success() {
            bail!(
                "casebook {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(())
    };
    let new_case = |store: &Path| -> Result<()> {
        run(
            store,
            &[
                "case",
                "new",
                "--slug",
                "bench",
                "--child",
                "Alex Morgan",
                "--setting",
                "Millbrook Primary",
                "--setting-kind",
                "maintained",
            ],
        )?;
        run(
            store,
            &[
                "person",
                "add",
                "--name",
                "Mrs Carter",
                "--role",
                "head-teacher",
                "--email",
                &format!("head@{SCHOOL}"),
            ],
        )
    };
    new_case(&store)?;

    let (openssl_s, openssl_mib, _) =
        measure(Command::new("openssl").args(["dgst", "-sha256"]).arg(&mbox))?;
    let (sha_s, sha_mib, _) = measure(Command::new("sha256sum").arg(&mbox))?;
    let config = dir.path().join("notmuch-config");
    std::fs::write(
        &config,
        format!(
            "[database]\npath={}\n[user]\nname=Bench\nprimary_email={FAMILY}\n[new]\ntags=inbox;\n[maildir]\nsynchronize_flags=false\n",
            dir.path().join("maildir").display()
        ),
    )?;
    let (notmuch_s, notmuch_mib, _) = measure(
        Command::new("notmuch")
            .arg(format!("--config={}", config.display()))
            .arg("new"),
    )?;
    let (import_s, import_mib, said) = measure(
        Command::new(&casebook)
            .arg("--store")
            .arg(&store)
            .args(["--json", "import", "--me", FAMILY])
            .arg(&mbox)
            .env("CASEBOOK_TODAY", "2026-12-31"),
    )?;
    let report: serde_json::Value = serde_json::from_str(&said)?;
    let imported = report["imported"].as_array().map_or(0, Vec::len);
    // notmuch indexes every message; the same work from casebook is storing every one.
    let every = dir.path().join("every.db");
    new_case(&every)?;
    let (all_s, all_mib, said) = measure(
        Command::new(&casebook)
            .arg("--store")
            .arg(&every)
            .args(["--json", "import", "--me", FAMILY, "--all"])
            .arg(&mbox)
            .env("CASEBOOK_TODAY", "2026-12-31"),
    )?;
    let report: serde_json::Value = serde_json::from_str(&said)?;
    let stored_all = report["imported"].as_array().map_or(0, Vec::len);
    let rate = |s: f64| size / s;
    println!(
        "| import: {size:.0} MiB mbox, {messages} messages, {imported} about the case | seconds | MiB/s | peak memory |"
    );
    println!("|---|---|---|---|");
    println!(
        "| reference: openssl dgst -sha256 over the mbox | {openssl_s:.2} | {:.0} | {openssl_mib} MiB |",
        rate(openssl_s)
    );
    println!(
        "| reference: sha256sum over the mbox | {sha_s:.2} | {:.0} | {sha_mib} MiB |",
        rate(sha_s)
    );
    println!(
        "| reference: notmuch new over the same messages (Maildir) | {notmuch_s:.2} | {:.0} | {notmuch_mib} MiB |",
        rate(notmuch_s)
    );
    println!(
        "| casebook import (read, parse, filter; store {imported}) | {import_s:.2} | {:.0} | {import_mib} MiB |",
        rate(import_s)
    );
    println!(
        "| casebook import --all (read, parse; store every one: {stored_all}), the same work as notmuch's | {all_s:.2} | {:.0} | {all_mib} MiB |",
        rate(all_s)
    );

    // The same import into a second case file while the family writes to it: one note
    // after another, each a whole `casebook log` command, for as long as the import runs.
    let second = dir.path().join("second.db");
    new_case(&second)?;
    let mut importing = Command::new(&casebook)
        .arg("--store")
        .arg(&second)
        .args(["import", "--me", FAMILY])
        .arg(&mbox)
        .env("CASEBOOK_TODAY", "2026-12-31")
        .stdout(std::process::Stdio::null())
        .spawn()?;
    let mut waits = Vec::new();
    while importing.try_wait()?.is_none() {
        let started = Instant::now();
        run(
            &second,
            &[
                "log",
                "note",
                "--occurred",
                "2026-12-01",
                "--summary",
                "Phoned the office about the trip",
            ],
        )?;
        waits.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    if !importing.wait()?.success() {
        bail!("the import beside the notes failed");
    }
    waits.sort_by(f64::total_cmp);
    let median = waits.get(waits.len() / 2).copied().unwrap_or(0.0);
    let longest = waits.last().copied().unwrap_or(0.0);
    println!();
    println!(
        "Notes written during the same import into a second case: {}, each a whole `casebook log note`; median {median:.0} ms, longest {longest:.0} ms.",
        waits.len()
    );
    Ok(())
}
