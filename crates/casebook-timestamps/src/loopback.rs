//! A real time-stamping authority for tests: OpenSSL makes a certificate authority and
//! a time-stamping certificate, `openssl ts -reply` answers each request, and a small
//! HTTP listener on 127.0.0.1 carries requests and answers as an authority's server does.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// How the authority's certificate is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An RSA root and an ECDSA P-256 signing certificate valid for a year.
    Honest,
    /// A signing certificate that expired in 2021.
    Expired,
}

/// What the HTTP listener sends back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// OpenSSL's answer to the request received.
    Honest,
    /// OpenSSL's answer, cut to its first half.
    Truncated,
    /// This answer, whatever was asked (an old answer replayed).
    Replayed(Vec<u8>),
}

/// A certificate authority and the time-stamping authority it certified, in a
/// directory of their own.
#[derive(Debug)]
pub struct Authority {
    dir: tempfile::TempDir,
}

impl Authority {
    pub fn new(kind: Kind) -> Self {
        let dir = tempfile::tempdir().expect("a directory for the authority");
        let d = dir.path();
        std::fs::write(d.join("openssl.cnf"), config(d)).expect("config");
        std::fs::write(d.join("index.txt"), "").expect("index");
        std::fs::write(d.join("tsa-serial"), "01\n").expect("serial");
        openssl(
            d,
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-days",
                "3650",
                "-subj",
                "/O=Loopback Trust/CN=Loopback Root CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        );
        openssl(
            d,
            &[
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "tsa.key",
                "-out",
                "tsa.csr",
                "-subj",
                "/O=Loopback Trust/CN=Loopback Time-Stamping Authority",
            ],
        );
        let dates: &[&str] = match kind {
            Kind::Honest => &["-days", "365"],
            Kind::Expired => &[
                "-startdate",
                "20200101000000Z",
                "-enddate",
                "20210101000000Z",
            ],
        };
        let mut args = vec![
            "ca",
            "-batch",
            "-config",
            "openssl.cnf",
            "-notext",
            "-in",
            "tsa.csr",
            "-out",
            "tsa.crt",
            "-extensions",
            "tsa_certificate",
        ];
        args.extend_from_slice(dates);
        openssl(d, &args);
        Authority { dir }
    }

    /// The root certificate, PEM: what a user who trusts this authority gives casebook.
    pub fn root_pem(&self) -> Vec<u8> {
        std::fs::read(self.root_path()).expect("root certificate")
    }

    pub fn root_path(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }

    /// OpenSSL's answer (a `.tsr`) to a request (a `.tsq`).
    pub fn reply(&self, request: &[u8]) -> Vec<u8> {
        reply(self.dir.path(), request)
    }

    /// Serves requests on loopback until dropped; returns the server with its URL.
    pub fn serve(&self, answer: Answer) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let address = listener.local_addr().expect("its address");
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let dir = self.dir.path().to_owned();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let _ = answer_one(stream, &dir, &answer);
                }
            }
        });
        Server {
            url: format!("http://{address}/tsa"),
            address: address.to_string(),
            stop,
        }
    }
}

/// A listener answering on loopback; it stops when dropped.
#[derive(Debug)]
pub struct Server {
    pub url: String,
    address: String,
    stop: Arc<AtomicBool>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the listener so it sees it is to stop.
        let _ = TcpStream::connect(&self.address);
    }
}

fn answer_one(stream: TcpStream, dir: &Path, answer: &Answer) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut request = vec![0; length];
    reader.read_exact(&mut request)?;
    let body = match answer {
        Answer::Honest => reply(dir, &request),
        Answer::Truncated => {
            let mut whole = reply(dir, &request);
            whole.truncate(whole.len() / 2);
            whole
        }
        Answer::Replayed(old) => old.clone(),
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}

fn reply(dir: &Path, request: &[u8]) -> Vec<u8> {
    let query = tempfile::NamedTempFile::new_in(dir).expect("a request file");
    std::fs::write(query.path(), request).expect("the request");
    let answer = dir.join(format!("{}.tsr", uuid_like(query.path())));
    let query_path = query.path().to_string_lossy().into_owned();
    let answer_path = answer.to_string_lossy().into_owned();
    openssl(
        dir,
        &[
            "ts",
            "-reply",
            "-config",
            "openssl.cnf",
            "-queryfile",
            &query_path,
            "-out",
            &answer_path,
        ],
    );
    std::fs::read(&answer).expect("OpenSSL's answer")
}

fn uuid_like(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn config(dir: &Path) -> String {
    let d = dir.display();
    format!(
        "[ ca ]
default_ca = loopback_ca

[ loopback_ca ]
dir = {d}
database = {d}/index.txt
new_certs_dir = {d}
certificate = {d}/ca.crt
private_key = {d}/ca.key
serial = {d}/ca-serial
rand_serial = yes
default_md = sha256
policy = anything
copy_extensions = none
unique_subject = no

[ anything ]
organizationName = optional
commonName = supplied

[ tsa_certificate ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ tsa ]
default_tsa = loopback_tsa

[ loopback_tsa ]
dir = {d}
serial = {d}/tsa-serial
crypto_device = builtin
signer_cert = {d}/tsa.crt
certs = {d}/ca.crt
signer_key = {d}/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"
    )
}
