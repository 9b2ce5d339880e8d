//! Trusted timestamps from a real authority on loopback: OpenSSL's `openssl ts -reply`
//! behind an HTTP listener, with its own CA and time-stamping certificate. The tokens
//! casebook keeps are checked by casebook and by `openssl ts -verify` alone.

use std::process::Command;

use casebook_timestamps::loopback::{Answer, Authority, Kind};

use crate::harness::Casebook;

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// A case with two notes, and an authority to ask.
fn case() -> (Casebook, Authority) {
    let cb = Casebook::new().with_case();
    for (day, summary) in [("2026-04-14", "First note"), ("2026-04-15", "Second note")] {
        cb.ok(&["log", "note", "--occurred", day, "--summary", summary]);
    }
    let authority = Authority::new(Kind::Honest);
    std::fs::copy(authority.root_path(), cb.path("tsa-root.pem")).expect("copy the root");
    (cb, authority)
}

fn timestamp(cb: &Casebook, server: &casebook_timestamps::loopback::Server) -> String {
    cb.ok(&[
        "timestamp",
        "--authority",
        &server.url,
        "--trust",
        "tsa-root.pem",
    ])
}

/// The chain hash of an entry, as `casebook timeline --json` gives it.
fn hash_of(cb: &Casebook, entry: &str) -> String {
    let all = cb.json(&["timeline", "--all"]);
    all.as_array()
        .expect("a list")
        .iter()
        .find(|e| e["id"] == entry)
        .and_then(|e| e["hash"].as_str())
        .unwrap_or_else(|| panic!("{entry} in {all}"))
        .to_owned()
}

#[test]
fn a_timestamped_case_verifies_exports_and_bundles_with_its_token() {
    let (cb, authority) = case();
    let server = authority.serve(Answer::Honest);
    let said = timestamp(&cb, &server);
    assert!(
        said.starts_with("Kept the timestamp as e3: entries up to e2 existed by "),
        "{said}"
    );
    assert!(
        said.contains(
            "authority: Loopback Time-Stamping Authority, trusted through Loopback Root CA"
        )
    );

    // The store: the chain, then the token over e2 as it is now.
    let verified = cb.ok(&["verify"]);
    assert!(
        verified.contains("is intact: 3 entries checked"),
        "{verified}"
    );
    assert!(
        verified.contains("Token e3: entries up to e2 existed by "),
        "{verified}"
    );

    // The export carries the token; it checks with the authority's root given...
    cb.ok(&["export", "--format", "jsonl", "--out", "case.jsonl"]);
    let exported = cb.ok(&["verify", "case.jsonl", "--trust", "tsa-root.pem"]);
    assert!(
        exported.contains("Token e3: entries up to e2 existed by "),
        "{exported}"
    );
    // ...and not against the system's list, which does not hold the loopback root.
    if std::path::Path::new(casebook_app::SYSTEM_TRUST).exists() {
        let refused = cb.refused(&["verify", "case.jsonl"]);
        assert!(
            refused.contains("The trusted timestamp in e3 does not check"),
            "{refused}"
        );
        assert!(
            refused.contains("neither is an authority trusted here"),
            "{refused}"
        );
        assert!(
            refused.ends_with("give its root certificate with --trust FILE."),
            "{refused}"
        );
    }

    // OpenSSL alone, as docs/VERIFY.md shows: the token is over e2's hash.
    let out = Command::new(format!("{REPO}/scripts/verify-timestamp.sh"))
        .arg(cb.path("case.jsonl"))
        .arg(cb.path("tsa-root.pem"))
        .output()
        .expect("the script runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!(
            "e3: the token covers e2 ({}): Verification: OK",
            hash_of(&cb, "e2")
        )),
        "{stdout}"
    );

    // The bundle states the token on its cover and carries it in its manifest.
    cb.ok(&["bundle", "--format", "pdf", "--out", "bundle.pdf"]);
    let text = Command::new("pdftotext")
        .args(["-l", "1", "-layout"])
        .arg(cb.path("bundle.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let cover = String::from_utf8_lossy(&text.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(cover.contains("Trusted timestamp"), "{cover}");
    assert!(cover.contains("The log up to e2 existed by"), "{cover}");
    assert!(
        cover.contains("(Loopback Time-Stamping Authority)"),
        "{cover}"
    );
    let bundled = cb.ok(&["verify", "bundle.pdf", "--trust", "tsa-root.pem"]);
    assert!(
        bundled.contains("Token e3: entries up to e2 existed by "),
        "{bundled}"
    );
    cb.ok(&["bundle", "--format", "html", "--out", "bundle.html"]);
    let html = std::fs::read_to_string(cb.path("bundle.html")).expect("html");
    assert!(html.contains("<dt>Trusted timestamp</dt><dd>The log up to e2 existed by"));

    // Nothing new since: nothing to timestamp, and nothing changes.
    let refused = cb.refused(&["timestamp"]);
    assert!(
        refused.contains("Nothing has been written since the last timestamp"),
        "{refused}"
    );
    // The remembered authority is used for the next.
    cb.ok(&[
        "log",
        "note",
        "--occurred",
        "2026-04-16",
        "--summary",
        "Third note",
    ]);
    let again = cb.ok(&["timestamp"]);
    assert!(
        again.starts_with("Kept the timestamp as e5: entries up to e4 existed by "),
        "{again}"
    );
}

#[test]
fn a_chain_rebuilt_after_a_timestamp_fails_naming_the_token() {
    let (cb, authority) = case();
    let server = authority.serve(Answer::Honest);
    timestamp(&cb, &server);
    cb.ok(&[
        "log",
        "note",
        "--occurred",
        "2026-04-16",
        "--summary",
        "After the token",
    ]);
    cb.ok(&["export", "--format", "jsonl", "--out", "case.jsonl"]);

    // Someone holding the file changes e1 and recomputes every hash after it, as the
    // independent checker computes them, so the chain itself checks again.
    rebuild(&cb, "change", "rebuilt.jsonl");
    let refused = cb.refused(&["verify", "rebuilt.jsonl", "--trust", "tsa-root.pem"]);
    assert!(
        refused.starts_with(
            "The export rebuilt.jsonl fails verification. The trusted timestamp in e3 was given on "
        ),
        "{refused}"
    );
    assert!(refused.contains("for entry e2 with the hash"), "{refused}");
    assert!(
        refused.contains("the log was rebuilt after the timestamp was taken"),
        "{refused}"
    );

    // Imported into a store of its own, the rebuilt case fails there too.
    let elsewhere = Casebook::new();
    std::fs::copy(cb.path("rebuilt.jsonl"), elsewhere.path("rebuilt.jsonl")).expect("copy");
    std::fs::copy(cb.path("tsa-root.pem"), elsewhere.path("tsa-root.pem")).expect("copy");
    elsewhere.ok(&["import", "rebuilt.jsonl"]);
    let refused = elsewhere.refused(&["verify", "--trust", "tsa-root.pem"]);
    assert!(
        refused.contains("The trusted timestamp in e3 was given on "),
        "{refused}"
    );

    // Or cuts e1 out and renumbers what follows: the token, now e2, fails too.
    rebuild(&cb, "cut", "cut.jsonl");
    let refused = cb.refused(&["verify", "cut.jsonl", "--trust", "tsa-root.pem"]);
    assert!(
        refused.starts_with(
            "The export cut.jsonl fails verification. The trusted timestamp in e2 was given on "
        ),
        "{refused}"
    );
    assert!(refused.contains("for entry e1 with the hash"), "{refused}");
}

/// Rewrites case.jsonl as someone holding the file would ("change" e1's words, or
/// "cut" e1 out and renumber), recomputing every hash with the independent checker's
/// encoding and dropping the signature; the chain of the result checks on its own.
fn rebuild(cb: &Casebook, how: &str, to: &str) {
    let script = r#"
import hashlib, json, sys
sys.path.insert(0, sys.argv[4] + "/scripts")
from verify_entry import encode, canonical
how = sys.argv[3]
prev = "0" * 64
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    item = json.loads(line)
    if item["type"] == "signature":
        continue
    if item["type"] == "header":
        item["signed"] = False
        header = item
    if item["type"] == "entry":
        record = item["record"]
        if record["seq"] == 1:
            if how == "cut":
                header["entries"] -= 1
                continue
            item["content"]["summary"] = "A different first note"
            record["content_hash"] = hashlib.sha256(canonical(item["content"])).hexdigest()
        if how == "cut":
            record["seq"] -= 1
            for link in record["links"]:
                link["target"] = "e%d" % (int(link["target"][1:]) - 1)
        record["prev_hash"] = prev
        record["hash"] = hashlib.sha256(encode(record)).hexdigest()
        prev = record["hash"]
        header["head"] = {"seq": record["seq"], "hash": prev}
    out.append(item)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for item in out:
        f.write(json.dumps(item, ensure_ascii=False) + "\n")
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(cb.path("case.jsonl"))
        .arg(cb.path(to))
        .arg(how)
        .arg(REPO)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let checker = Command::new("python3")
        .arg(format!("{REPO}/scripts/verify_entry.py"))
        .arg(cb.path(to))
        .output()
        .expect("python3 runs");
    assert!(
        checker.status.success(),
        "the rebuilt chain checks on its own"
    );
}

#[test]
fn a_request_written_to_a_file_and_its_answer_brought_back() {
    let (cb, authority) = case();
    let said = cb.ok(&["timestamp", "--request-out", "case.tsq"]);
    assert!(
        said.contains("Wrote a request for a timestamp of the log up to e2"),
        "{said}"
    );
    // OpenSSL reads the request: SHA-256 of e2, with a nonce and the certificate asked for.
    let read = Command::new("openssl")
        .args(["ts", "-query", "-text", "-in"])
        .arg(cb.path("case.tsq"))
        .output()
        .expect("openssl runs");
    let text = String::from_utf8_lossy(&read.stdout);
    // "    0000 - 0a ec e7 1a dd b1 26 2a-48 83 fe 7a c8 df 30 fa   ......&*H..z..0."
    let message: String = text
        .lines()
        .skip_while(|l| !l.starts_with("Message data:"))
        .skip(1)
        .take(2)
        .filter_map(|l| {
            l.split_once(" - ")
                .map(|(_, bytes)| bytes[..47].replace(['-', ' '], ""))
        })
        .collect();
    assert!(text.contains("Hash Algorithm: sha256"), "{text}");
    assert!(text.contains("Certificate required: yes"), "{text}");
    assert!(!text.contains("Nonce: unspecified"), "{text}");
    assert_eq!(message, hash_of(&cb, "e2"), "{text}");

    let answer = authority.reply(&std::fs::read(cb.path("case.tsq")).expect("request"));
    std::fs::write(cb.path("case.tsr"), answer).expect("answer");
    let kept = cb.ok(&["timestamp", "add", "case.tsr", "--trust", "tsa-root.pem"]);
    assert!(
        kept.starts_with("Kept the timestamp as e3: entries up to e2 existed by "),
        "{kept}"
    );
    // The list given with the answer is remembered for the case.
    assert!(
        cb.ok(&["verify"])
            .contains("Token e3: entries up to e2 existed by ")
    );
}

#[test]
fn bad_answers_and_bad_input_are_refused_and_change_nothing() {
    let (cb, authority) = case();
    let refused = cb.refused(&["timestamp"]);
    assert!(
        refused.starts_with("No time-stamping authority is set for this case"),
        "{refused}"
    );
    let refused = cb.refused(&["timestamp", "--authority", "https://tsa.example.org"]);
    assert!(refused.contains("plain http"), "{refused}");
    cb.file("not-pem.pem", "not a certificate");
    let refused = cb.refused(&[
        "timestamp",
        "--authority",
        "http://127.0.0.1:9/",
        "--trust",
        "not-pem.pem",
    ]);
    assert!(refused.contains("holds no certificate"), "{refused}");

    // An answer cut short on the way.
    let cut = authority.serve(Answer::Truncated);
    let refused = cb.refused(&[
        "timestamp",
        "--authority",
        &cut.url,
        "--trust",
        "tsa-root.pem",
    ]);
    assert!(refused.contains("cut short"), "{refused}");

    // An old answer over this very log sent again for a new request: the nonce tells.
    let head = hash_of(&cb, "e2");
    let head: [u8; 32] =
        std::array::from_fn(|i| u8::from_str_radix(&head[2 * i..2 * i + 2], 16).expect("hex"));
    let old = casebook_timestamps::Request::new(&head, [1; 16]).expect("request");
    let replay = authority.serve(Answer::Replayed(authority.reply(&old.der)));
    let refused = cb.refused(&[
        "timestamp",
        "--authority",
        &replay.url,
        "--trust",
        "tsa-root.pem",
    ]);
    assert!(refused.contains("old answer sent again"), "{refused}");

    // A token from an authority nobody here trusts.
    let stranger = Authority::new(Kind::Honest);
    let other = stranger.serve(Answer::Honest);
    let refused = cb.refused(&[
        "timestamp",
        "--authority",
        &other.url,
        "--trust",
        "tsa-root.pem",
    ]);
    assert!(
        refused.contains("neither is an authority trusted here"),
        "{refused}"
    );

    // A certificate that had expired when the token was made.
    let expired = Authority::new(Kind::Expired);
    std::fs::copy(expired.root_path(), cb.path("expired-root.pem")).expect("copy");
    let stale = expired.serve(Answer::Honest);
    let refused = cb.refused(&[
        "timestamp",
        "--authority",
        &stale.url,
        "--trust",
        "expired-root.pem",
    ]);
    assert!(refused.contains("was not valid at"), "{refused}");

    // An answer for a hash no entry of this case has.
    let elsewhere = casebook_timestamps::Request::new(&[7; 32], [2; 16]).expect("request");
    std::fs::write(cb.path("other.tsr"), authority.reply(&elsewhere.der)).expect("write");
    let refused = cb.refused(&["timestamp", "add", "other.tsr", "--trust", "tsa-root.pem"]);
    assert!(
        refused.contains("not the hash of any entry in this case"),
        "{refused}"
    );
    cb.file("garbage.tsr", "this is not an answer");
    let refused = cb.refused(&["timestamp", "add", "garbage.tsr", "--trust", "tsa-root.pem"]);
    assert!(
        refused.contains("cannot be read as a trusted timestamp"),
        "{refused}"
    );

    // A daily timestamp with no authority to ask.
    let refused = cb.refused(&["timestamp", "--daily", "on"]);
    assert!(refused.contains("needs an authority"), "{refused}");
}

/// A case brought in with a token from an authority this store does not trust fails
/// verification; the token cannot be changed, but it can be redacted, and the case then
/// verifies, the redaction showing in the log.
#[test]
fn a_token_that_does_not_check_here_can_be_redacted_not_amended() {
    let (cb, authority) = case();
    let server = authority.serve(Answer::Honest);
    timestamp(&cb, &server);
    cb.ok(&["export", "--format", "jsonl", "--out", "case.jsonl"]);
    let elsewhere = Casebook::new();
    std::fs::copy(cb.path("case.jsonl"), elsewhere.path("case.jsonl")).expect("copy");
    elsewhere.ok(&["import", "case.jsonl"]);
    if std::path::Path::new(casebook_app::SYSTEM_TRUST).exists() {
        let refused = elsewhere.refused(&["verify"]);
        assert!(
            refused.contains("The trusted timestamp in e3 does not check"),
            "{refused}"
        );
    }
    let refused = elsewhere.refused(&["amend", "e3", "--summary", "Changed", "--reason", "Tidy"]);
    assert!(refused.contains("cannot be amended"), "{refused}");
    elsewhere.ok(&[
        "redact",
        "e3",
        "--reason",
        "A token from an authority we do not use",
    ]);
    let verified = elsewhere.ok(&["verify"]);
    assert!(
        verified.contains("is intact: 4 entries checked"),
        "{verified}"
    );
}
