//! `casebook serve --demo`, the README's main command, as a user starts it.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

use crate::harness::Casebook;

#[test]
fn serve_demo_starts_the_web_app_on_loopback_and_stops_on_ctrl_c() {
    let mut cb = Casebook::new();
    cb.today = "2026-11-20";
    let mut server = cb
        .command(&["serve", "--demo", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("casebook serve starts");
    let (said, address) = address(&mut server);
    assert!(address.starts_with("127.0.0.1:"), "{said}");
    // Another user of the computer, without the key in the printed address, gets nothing.
    for path in [
        "/",
        "/cases/demo/",
        "/cases/demo/bundle/download?format=html",
    ] {
        let refused = String::from_utf8_lossy(&get(&address, path)).into_owned();
        assert!(refused.starts_with("HTTP/1.1 403"), "{path}: {refused}");
        assert!(!refused.contains("Alex"), "{path}");
    }
    let key = printed_key(&said);
    let opened = String::from_utf8_lossy(&get(&address, &format!("/?key={key}"))).into_owned();
    assert!(opened.starts_with("HTTP/1.1 303"), "{opened}");
    assert!(opened.contains("location: /\r\n"), "{opened}");
    assert!(
        opened.contains(&format!(
            "set-cookie: casebook_key={key}; Path=/; HttpOnly; SameSite=Strict"
        )),
        "{opened}"
    );
    // An address with more in it than the key keeps the rest, without the key.
    let deeper = String::from_utf8_lossy(&get(
        &address,
        &format!("/cases/demo/letters/request-meeting?to=p3&key={key}&cc=p1"),
    ))
    .into_owned();
    assert!(
        deeper.contains("location: /cases/demo/letters/request-meeting?to=p3&cc=p1\r\n"),
        "{deeper}"
    );
    let get = |address: &str, path: &str| get_with_key(address, key, path);
    let start = String::from_utf8_lossy(&get(&address, "/")).into_owned();
    assert!(start.starts_with("HTTP/1.1 303"), "{start}");
    assert!(start.contains("location: /cases/demo/"), "{start}");
    let page = get(&address, "/cases/demo/");
    let page = String::from_utf8_lossy(&page);
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("What to do now") && page.contains("Alex Morgan"));
    // The binary gives the web app typst: letters and the bundle come as PDF.
    let letter = get(
        &address,
        "/cases/demo/letters/report-bullying/download?format=pdf&to=p1",
    );
    assert!(letter.windows(5).any(|w| w == b"%PDF-"), "a PDF letter");
    let bundle = get(&address, "/cases/demo/bundle/download?format=pdf");
    let start = bundle
        .windows(4)
        .position(|w| w == b"%PDF")
        .expect("a PDF in the answer");
    std::fs::write(cb.path("bundle.pdf"), &bundle[start..]).expect("write");
    assert!(cb.ok(&["verify", "bundle.pdf"]).contains("is intact"));
    let interrupted = Command::new("kill")
        .args(["-INT", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(interrupted.success());
    let status = server.wait().expect("casebook stops");
    assert!(status.success(), "{status}");
    // The demonstration case was added once, and is there for the next start.
    assert!(cb.ok(&["case", "list"]).contains("demo"));
}

/// `casebook serve` on the test's store, as a family's browser reaches it: the server,
/// its address, the key it printed and the token of the case's forms.
pub(crate) fn serving(cb: &Casebook) -> (Server, String, String, String) {
    let mut child = cb
        .command(&["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("casebook serve starts");
    let (said, address) = address(&mut child);
    let server = Server(child);
    let key = printed_key(&said).to_owned();
    let token = form_token(&address, &key, "/cases/sam/log/incident");
    (server, address, key, token)
}

/// The server stops when the test ends, passed or failed.
pub(crate) struct Server(pub(crate) std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The answer to a form posted from the server's own page, as a browser sends it.
pub(crate) fn post(address: &str, key: &str, path: &str, fields: &[(&str, &str)]) -> String {
    try_post(address, key, path, fields).expect("the server answers")
}

/// The same, or why the server gave no answer (it was stopped).
pub(crate) fn try_post(
    address: &str,
    key: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> std::io::Result<String> {
    let body = fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    let mut stream = std::net::TcpStream::connect(address)?;
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nCookie: casebook_key={key}\r\nOrigin: http://{address}\r\nSec-Fetch-Site: same-origin\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    // The page as a reader sees it: the quotation marks the template escaped, put back.
    Ok(String::from_utf8_lossy(&answer)
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'"))
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The token a page's form carries, as a browser sends it back.
pub(crate) fn form_token(address: &str, key: &str, path: &str) -> String {
    let page = String::from_utf8_lossy(&get_with_key(address, key, path)).into_owned();
    page.split("name=\"token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form's token")
        .to_owned()
}

/// The line the server prints when it starts, and the address in it.
pub(crate) fn address(server: &mut std::process::Child) -> (String, String) {
    let mut said = String::new();
    BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut said)
        .expect("the address line");
    let address = text_after(&said, "http://", &['/']).to_owned();
    (said, address)
}

/// The text after `marker` in `text`, up to any of `end` or white space.
fn text_after<'a>(text: &'a str, marker: &str, end: &[char]) -> &'a str {
    text.split(marker)
        .nth(1)
        .and_then(|rest| {
            rest.split(|c: char| end.contains(&c) || c.is_whitespace())
                .next()
        })
        .unwrap_or_else(|| panic!("nothing after {marker:?} in {text}"))
}

/// The key at the end of the address `casebook serve` printed.
pub(crate) fn printed_key(said: &str) -> &str {
    text_after(said, "?key=", &[])
}

/// The whole answer to a GET from the family's browser, which holds the local key.
pub(crate) fn get_with_key(address: &str, key: &str, path: &str) -> Vec<u8> {
    get_with(address, &format!("Cookie: casebook_key={key}\r\n"), path)
}

/// The whole answer to a GET, headers and all.
fn get(address: &str, path: &str) -> Vec<u8> {
    get_with(address, "", path)
}

/// The whole answer to a GET with more `headers` (each ending in CRLF).
fn get_with(address: &str, headers: &str, path: &str) -> Vec<u8> {
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\n{headers}Connection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("read");
    answer
}

#[test]
fn without_org_casebook_listens_only_on_loopback() {
    let cb = Casebook::new().with_case();
    let refused = cb.refused(&["serve", "--addr", "0.0.0.0:7979"]);
    assert!(refused.contains("listens only on 127.0.0.1"), "{refused}");
}

#[test]
fn an_organisation_s_first_account_is_opened_and_given_its_case_from_the_command_line() {
    let cb = Casebook::new().with_case();
    let without = cb.refused(&[
        "account",
        "add",
        "--email",
        "ms.shah@sendiass.example",
        "--name",
        "Priya Shah",
    ]);
    assert!(without.contains("CASEBOOK_PASSWORD"), "{without}");
    let before = cb.snapshot();
    let short = cb
        .command(&[
            "account",
            "add",
            "--email",
            "ms.shah@sendiass.example",
            "--name",
            "Priya Shah",
        ])
        .env("CASEBOOK_PASSWORD", "short")
        .output()
        .expect("runs");
    assert_eq!(short.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&short.stderr).contains("too short"));
    assert!(
        cb.snapshot() == before,
        "a refused account changed the store"
    );
    let opened = cb
        .command(&[
            "account",
            "add",
            "--email",
            "Ms.Shah@SENDIASS.example",
            "--name",
            "Priya Shah",
        ])
        .env("CASEBOOK_PASSWORD", "a long enough password")
        .output()
        .expect("runs");
    assert!(
        opened.status.success(),
        "{}",
        String::from_utf8_lossy(&opened.stderr)
    );
    assert!(String::from_utf8_lossy(&opened.stdout).contains("ms.shah@sendiass.example"));
    let unknown = cb.refused(&[
        "account",
        "grant",
        "--email",
        "nobody@example.org",
        "--to-case",
        "sam",
    ]);
    assert!(
        unknown.contains("There is no account for nobody@example.org"),
        "{unknown}"
    );
    let role = cb.refused(&[
        "account",
        "grant",
        "--email",
        "ms.shah@sendiass.example",
        "--to-case",
        "sam",
        "--role",
        "admin",
    ]);
    assert!(role.contains("not a role"), "{role}");
    assert!(
        cb.ok(&[
            "account",
            "grant",
            "--email",
            "ms.shah@sendiass.example",
            "--to-case",
            "sam"
        ])
        .contains("is now owner on sam")
    );
    // The server for an organisation asks everyone to sign in.
    let mut server = cb
        .command(&["serve", "--org", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("casebook serve --org starts");
    let (_, address) = address(&mut server);
    let start = String::from_utf8_lossy(&get(&address, "/cases/sam/")).into_owned();
    assert!(start.starts_with("HTTP/1.1 303"), "{start}");
    assert!(start.contains("location: /login"), "{start}");
    let login = String::from_utf8_lossy(&get(&address, "/login")).into_owned();
    assert!(login.contains("<h1>Sign in</h1>"), "{login}");
    server.kill().expect("stop");
    let _ = server.wait();
}

/// A server for an organisation with one account, and its sign-in form's cookie and token.
fn organisation_with_an_account(
    cb: &Casebook,
    serve: &[&str],
) -> (std::process::Child, String, String, String) {
    let opened = cb
        .command(&[
            "account",
            "add",
            "--email",
            "staff@sendiass.example",
            "--name",
            "Staff",
        ])
        .env("CASEBOOK_PASSWORD", "a long enough password")
        .output()
        .expect("runs");
    assert!(opened.status.success());
    let mut server = cb
        .command(serve)
        .stdout(Stdio::piped())
        .spawn()
        .expect("casebook serve --org starts");
    let (_, address) = address(&mut server);
    let login = String::from_utf8_lossy(&get(&address, "/login")).into_owned();
    let cookie = format!(
        "casebook_form={}",
        text_after(&login, "set-cookie: casebook_form=", &[';'])
    );
    let token = text_after(&login, "name=\"token\" value=\"", &['"']).to_owned();
    (server, address, cookie, token)
}

/// A sign-in sent as a browser sends it, claiming to be forwarded for `forwarded_for`;
/// `cookie` is what its Cookie header says.
fn sign_in(
    address: &str,
    cookie: &str,
    token: &str,
    password: &str,
    forwarded_for: &str,
) -> String {
    let body = format!(
        "token={token}&email=staff%40sendiass.example&password={}&then=%2F",
        password.replace(' ', "+")
    );
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "POST /login HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nX-Forwarded-For: {forwarded_for}\r\nSec-Fetch-Site: same-origin\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("read");
    String::from_utf8_lossy(&answer).into_owned()
}

/// Argon2id takes 19 MiB a password: three bursts of 64 sign-ins at once must not take
/// the server's memory past a few hashes' worth (it once reached 3.5 GB).
#[test]
fn bursts_of_sign_ins_take_a_few_hashes_worth_of_memory() {
    let cb = Casebook::new().with_case();
    let (mut server, address, cookie, token) = organisation_with_an_account(
        &cb,
        &["serve", "--org", "--port", "0", "--proxy", "127.0.0.1"],
    );
    let peak = |pid: u32| -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
            .expect("peak memory")
    };
    // Signed in once, this browser is known to the account: the sign-ins below are not
    // held back as guesses from browsers it does not know would be.
    let first = sign_in(
        &address,
        &cookie,
        &token,
        "a long enough password",
        "192.0.2.1",
    );
    let cookie = format!(
        "{cookie}; casebook_browser={}",
        text_after(&first, "set-cookie: casebook_browser=", &[';'])
    );
    let before = peak(server.id());
    for _ in 0..3 {
        std::thread::scope(|scope| {
            // 64 people at once, through the proxy the server was told of.
            for n in 0..64 {
                let (address, cookie, token) = (&address, &cookie, &token);
                scope.spawn(move || {
                    let answer = sign_in(
                        address,
                        cookie,
                        token,
                        "a long enough password",
                        &format!("192.0.2.{n}"),
                    );
                    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
                });
            }
        });
    }
    let grew = peak(server.id()).saturating_sub(before) / 1024;
    server.kill().expect("stop");
    let _ = server.wait();
    // Two hashes at once are 38 MiB; 64 at once would be over 1,200.
    assert!(grew < 100, "the server grew by {grew} MiB at its peak");
}

/// X-Forwarded-For is believed only from a proxy the operator named: otherwise one
/// client could claim a new address for every guess and never reach the limit.
#[test]
fn a_forwarded_address_is_believed_only_from_a_named_proxy() {
    let cb = Casebook::new().with_case();
    let (mut server, address, cookie, token) =
        organisation_with_an_account(&cb, &["serve", "--org", "--port", "0"]);
    let answers: Vec<String> = (0..6)
        .map(|n| {
            sign_in(
                &address,
                &cookie,
                &token,
                "a wrong guess",
                &format!("198.51.100.{n}"),
            )
        })
        .collect();
    server.kill().expect("stop");
    let _ = server.wait();
    assert!(
        answers[..5]
            .iter()
            .all(|a| a.contains("the password is wrong"))
    );
    assert!(
        answers[5].contains("Too many sign-ins have failed"),
        "{}",
        answers[5]
    );
}

/// Clients that connect and send nothing, or stop part of the way through a form, must
/// not leave the server answering nobody: with its open files used up by idle
/// connections it once never answered again. Here it has 200 files and is sent 300 idle
/// connections; it must answer again once their time is up.
#[test]
fn idle_and_stalled_connections_never_stop_the_server_answering() {
    let cb = Casebook::new().with_case();
    let casebook = cb.command(&["serve", "--port", "0"]);
    let mut server = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -n 200 && exec {} --store {} serve --port 0",
            casebook.get_program().to_string_lossy(),
            cb.store.display()
        ))
        .envs(casebook.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .stdout(Stdio::piped())
        .spawn()
        .expect("casebook serve starts");
    let (said, address) = address(&mut server);
    let key = printed_key(&said);
    // A form that stops arriving after its first bytes.
    let mut stalled = std::net::TcpStream::connect(&address).expect("connect");
    write!(
        stalled,
        "POST /cases/sam/log/incident HTTP/1.1\r\nHost: {address}\r\nCookie: casebook_key={key}\r\nSec-Fetch-Site: same-origin\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nsummary=Pushed"
    )
    .expect("send the start");
    let idle: Vec<std::net::TcpStream> = (0..300)
        .filter_map(|_| std::net::TcpStream::connect(&address).ok())
        .collect();
    let opened = idle.len();
    assert!(opened > 150, "only {opened} connections opened");
    // Each idle connection is closed by the server (at once past its limit, or when its
    // time to send a request is up): reading one ends then, or fails after 40 seconds.
    let closed = idle
        .iter()
        .filter(|connection| {
            let mut stream: &std::net::TcpStream = connection;
            stream
                .set_read_timeout(Some(std::time::Duration::from_secs(40)))
                .is_ok()
                && stream.read(&mut [0u8; 1]).is_ok_and(|n| n == 0)
        })
        .count();
    let answer = get(&address, "/style.css");
    stalled
        .set_read_timeout(Some(std::time::Duration::from_secs(40)))
        .expect("timeout");
    let mut refused = Vec::new();
    let _ = stalled.read_to_end(&mut refused);
    drop(idle);
    server.kill().expect("stop");
    let _ = server.wait();
    assert_eq!(closed, opened, "idle connections were kept open");
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "the server stopped answering"
    );
    let refused = String::from_utf8_lossy(&refused);
    assert!(refused.starts_with("HTTP/1.1 408"), "{refused}");
    assert!(refused.contains("nothing was saved"), "{refused}");
}
