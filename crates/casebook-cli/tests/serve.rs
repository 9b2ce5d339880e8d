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
    let mut said = String::new();
    BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut said)
        .expect("the address line");
    let address = said
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("an address")
        .to_owned();
    assert!(address.starts_with("127.0.0.1:"), "{said}");
    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut page = String::new();
    stream.read_to_string(&mut page).expect("read");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("What to do now") && page.contains("Alex Morgan"));
    // The binary gives the web app typst: the bundle comes as a signed PDF.
    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    write!(
        stream,
        "GET /bundle/download?format=pdf HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut bundle = Vec::new();
    stream.read_to_end(&mut bundle).expect("read");
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
