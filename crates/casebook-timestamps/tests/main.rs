//! Tests against OpenSSL's own time-stamping authority (`openssl ts -reply`), on
//! loopback, with OpenSSL's reading of each token as the expected values.

use std::process::Command;

use casebook_timestamps::loopback::{Answer, Authority, Kind};
use casebook_timestamps::{Request, Trust, ask, check, token_from_response};

fn hash(seed: u8) -> [u8; 32] {
    std::array::from_fn(|i| seed.wrapping_mul(31).wrapping_add(i as u8))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn trust(authority: &Authority) -> Trust {
    Trust::from_pem(&authority.root_pem()).expect("the root reads")
}

/// What `openssl ts -reply -text` says a token holds.
fn openssl_reads(token: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("token.der");
    std::fs::write(&path, token).expect("write");
    let out = Command::new("openssl")
        .args(["ts", "-reply", "-in"])
        .arg(&path)
        .args(["-token_in", "-token_out", "-text"])
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn line<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no {label} in {text}"))
}

#[test]
fn a_token_from_openssl_checks_and_says_what_openssl_reads() {
    let authority = Authority::new(Kind::Honest);
    let request = Request::new(&hash(1), [7; 16]).expect("request");
    let token = token_from_response(&authority.reply(&request.der)).expect("token");
    let stamp = request.check(&token, &trust(&authority)).expect("checks");

    let read = openssl_reads(&token);
    // "Time stamp: Dec  3 19:40:01 2026 GMT"
    let time = jiff::fmt::strtime::parse("%b %e %H:%M:%S %Y GMT", line(&read, "Time stamp:"))
        .and_then(|t| t.to_datetime())
        .expect("OpenSSL's time reads");
    assert_eq!(
        stamp.time,
        time.to_zoned(jiff::tz::TimeZone::UTC)
            .expect("utc")
            .timestamp()
    );
    let serial = line(&read, "Serial number:")
        .trim_start_matches("0x")
        .to_ascii_lowercase();
    assert_eq!(
        stamp.serial.trim_start_matches('0'),
        serial.trim_start_matches('0')
    );
    assert_eq!(stamp.hash, hash(1));
    assert_eq!(stamp.authority, "Loopback Time-Stamping Authority");
    assert_eq!(stamp.trusted, "Loopback Root CA");
    assert_eq!(stamp.nonce.as_deref(), Some(&request.nonce[..]));
}

#[test]
fn openssl_verifies_the_request_casebook_makes() {
    let authority = Authority::new(Kind::Honest);
    let request = Request::new(&hash(2), [0xff; 16]).expect("request");
    let dir = tempfile::tempdir().expect("dir");
    let (query, token_file) = (dir.path().join("q.tsq"), dir.path().join("t.der"));
    std::fs::write(&query, &request.der).expect("write");
    let token = token_from_response(&authority.reply(&request.der)).expect("token");
    std::fs::write(&token_file, &token).expect("write");
    let verify = |extra: &[&str]| {
        Command::new("openssl")
            .args(["ts", "-verify", "-in"])
            .arg(&token_file)
            .arg("-token_in")
            .args(extra)
            .arg("-CAfile")
            .arg(authority.root_path())
            .output()
            .expect("openssl")
    };
    let by_query = verify(&["-queryfile", &query.to_string_lossy()]);
    assert!(String::from_utf8_lossy(&by_query.stdout).contains("Verification: OK"));
    let by_digest = verify(&["-digest", &hex(&hash(2))]);
    assert!(String::from_utf8_lossy(&by_digest.stdout).contains("Verification: OK"));
    let other = verify(&["-digest", &hex(&hash(3))]);
    assert!(!other.status.success());
}

#[test]
fn a_token_asked_for_over_http_checks() {
    let authority = Authority::new(Kind::Honest);
    let server = authority.serve(Answer::Honest);
    let request = Request::new(&hash(4), [9; 16]).expect("request");
    let token = ask(&server.url, &request).expect("answered");
    let stamp = request.check(&token, &trust(&authority)).expect("checks");
    assert_eq!(stamp.hash, hash(4));
}

#[test]
fn a_truncated_answer_is_refused() {
    let authority = Authority::new(Kind::Honest);
    let server = authority.serve(Answer::Truncated);
    let request = Request::new(&hash(5), [1; 16]).expect("request");
    let refused = ask(&server.url, &request).expect_err("refused");
    assert!(refused.0.contains("cut short"), "{refused}");
}

#[test]
fn an_old_answer_sent_again_is_refused_for_its_nonce() {
    let authority = Authority::new(Kind::Honest);
    let old = Request::new(&hash(6), [1; 16]).expect("request");
    let server = authority.serve(Answer::Replayed(authority.reply(&old.der)));
    // The same hash asked about again: only the nonce tells the answers apart.
    let request = Request::new(&hash(6), [2; 16]).expect("request");
    let token = ask(&server.url, &request).expect("answered");
    let refused = request
        .check(&token, &trust(&authority))
        .expect_err("refused");
    assert!(refused.0.contains("nonce"), "{refused}");
}

#[test]
fn a_token_for_another_hash_is_refused() {
    let authority = Authority::new(Kind::Honest);
    let other = Request::new(&hash(8), [3; 16]).expect("request");
    let token = token_from_response(&authority.reply(&other.der)).expect("token");
    let request = Request {
        hash: hash(9),
        ..other
    };
    let refused = request
        .check(&token, &trust(&authority))
        .expect_err("refused");
    assert!(refused.0.contains("another hash"), "{refused}");
}

#[test]
fn a_token_from_an_authority_not_trusted_is_refused() {
    let authority = Authority::new(Kind::Honest);
    let stranger = Authority::new(Kind::Honest);
    let request = Request::new(&hash(10), [4; 16]).expect("request");
    let token = token_from_response(&authority.reply(&request.der)).expect("token");
    let refused = check(&token, &trust(&stranger)).expect_err("refused");
    assert!(
        refused.0.contains("neither is an authority trusted here"),
        "{refused}"
    );
}

#[test]
fn a_token_signed_with_an_expired_certificate_is_refused() {
    let authority = Authority::new(Kind::Expired);
    let request = Request::new(&hash(11), [5; 16]).expect("request");
    let token = token_from_response(&authority.reply(&request.der)).expect("token");
    let refused = check(&token, &trust(&authority)).expect_err("refused");
    assert!(refused.0.contains("was not valid at"), "{refused}");
    assert!(refused.0.contains("1 January 2021"), "{refused}");
}

#[test]
fn a_token_altered_after_signing_is_refused() {
    let authority = Authority::new(Kind::Honest);
    let request = Request::new(&hash(12), [6; 16]).expect("request");
    let mut token = token_from_response(&authority.reply(&request.der)).expect("token");
    let at = token
        .windows(32)
        .position(|w| w == hash(12))
        .expect("the hash is in the token");
    token[at] ^= 1;
    let refused = check(&token, &trust(&authority)).expect_err("refused");
    assert!(refused.0.contains("altered"), "{refused}");
}

#[test]
fn a_refusal_from_the_authority_is_reported() {
    let authority = Authority::new(Kind::Honest);
    // OpenSSL refuses a digest its configuration does not list (SHA-1 here): it
    // answers with a status of rejection and its reason.
    let dir = tempfile::tempdir().expect("dir");
    let query = dir.path().join("q.tsq");
    let data = dir.path().join("data");
    std::fs::write(&data, b"anything").expect("write");
    let made = Command::new("openssl")
        .args(["ts", "-query", "-sha1", "-cert", "-data"])
        .arg(&data)
        .arg("-out")
        .arg(&query)
        .output()
        .expect("openssl");
    assert!(made.status.success());
    let answer = authority.reply(&std::fs::read(&query).expect("read"));
    let refused = token_from_response(&answer).expect_err("refused");
    assert!(refused.0.contains("refused the request"), "{refused}");
}

#[test]
fn a_trust_list_that_is_not_pem_is_refused() {
    assert!(Trust::from_pem(b"not a certificate").is_err());
    assert!(Trust::from_pem(b"").is_err());
}

#[test]
fn the_systems_certificate_bundle_reads() {
    let path = "/etc/ssl/certs/ca-certificates.crt";
    let Ok(pem) = std::fs::read(path) else {
        return;
    };
    let count = String::from_utf8_lossy(&pem)
        .matches("BEGIN CERTIFICATE")
        .count();
    assert_eq!(Trust::from_pem(&pem).expect("reads").len(), count);
}
