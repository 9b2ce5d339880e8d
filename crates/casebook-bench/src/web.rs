//! The web benchmark of SPEC section 9: 64 clients on loopback logging incidents
//! through the real `casebook serve`, against the same server answering a static page
//! (its stylesheet). Each client keeps one connection open and sends its next request
//! when the last is answered, as a browser does.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;

const CLIENTS: usize = 64;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What one kind of request did over the run.
struct Run {
    requests: usize,
    errors: usize,
    seconds: f64,
    latencies_ms: Vec<f64>,
}

impl Run {
    fn per_second(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.latencies_ms.clone();
        sorted.sort_by(f64::total_cmp);
        let at = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len().max(1)) - 1;
        sorted.get(at).copied().unwrap_or(f64::NAN)
    }
}

pub fn web(seconds: u64) -> Result<()> {
    let casebook = std::env::current_exe()?.with_file_name("casebook");
    if !casebook.exists() {
        bail!("build the command first: cargo build --release -p casebook-cli");
    }
    let dir = tempfile::tempdir()?;
    let store = dir.path().join("demo.db");
    let mut child = Command::new(&casebook)
        .arg("--store")
        .arg(&store)
        .args(["serve", "--demo", "--port", "0"])
        .env("CASEBOOK_TODAY", "2026-11-20")
        .env_remove("CASEBOOK_PASSPHRASE")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("casebook serve starts")?;
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().context("stdout")?),
        &mut line,
    )?;
    let server = Server(child);
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .context("the address casebook printed")?
        .to_owned();
    // The family's browser holds the key from the printed address in a cookie.
    let cookie = format!(
        "casebook_key={}",
        line.split("?key=")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .context("the key in the address casebook printed")?
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let (stylesheet, incidents) = runtime.block_on(async {
        let form = get(&address, &cookie, "/cases/demo/log/incident").await?;
        let token = form
            .split("name=\"token\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .context("the form's token")?
            .to_owned();
        let duration = Duration::from_secs(seconds);
        // A short warm-up of each, then the measured runs.
        let server = (address.as_str(), cookie.as_str());
        load(server, &token, false, Duration::from_secs(1)).await?;
        let stylesheet = load(server, &token, false, duration).await?;
        let warm = load(server, &token, true, Duration::from_secs(1)).await?;
        let incidents = load(server, &token, true, duration).await?;
        Ok::<_, anyhow::Error>((stylesheet, (warm, incidents)))
    })?;
    let (warm, incidents) = incidents;
    let demo = demo_entries(&casebook)?;
    drop(server);
    // Every incident answered as saved is in the log, and the log verifies: the log
    // holds the demonstration case's entries and one for each "saved" answer (and at
    // most one more for each request whose answer was lost on the way back).
    let saved = warm.requests + incidents.requests;
    let lost = warm.errors + incidents.errors;
    let (entries, said) = verified(&casebook, &store)?;
    if entries < demo + saved || entries > demo + saved + lost {
        bail!(
            "the log holds {entries} entries, but the demonstration case has {demo} and {saved} incidents were answered as saved ({lost} answers were lost)"
        );
    }

    println!(
        "| {CLIENTS} clients on loopback, {seconds} s each | requests/s | p50 ms | p99 ms | errors |"
    );
    println!("|---|---|---|---|---|");
    for (name, run) in [
        (
            "reference: the same server answering its stylesheet",
            &stylesheet,
        ),
        ("casebook: log an incident (POST, saved, 303)", &incidents),
    ] {
        println!(
            "| {name} | {:.0} | {:.1} | {:.1} | {} |",
            run.per_second(),
            run.percentile(0.50),
            run.percentile(0.99),
            run.errors
        );
    }
    println!(
        "\nEvery incident answered as saved ({saved}, warm-up included) is in the log: {entries} entries, the demonstration case's {demo} and {} more. {}",
        entries - demo,
        said.trim()
    );
    Ok(())
}

/// The demonstration case's entries, counted in a second copy made the same way.
fn demo_entries(casebook: &std::path::Path) -> Result<usize> {
    let dir = tempfile::tempdir()?;
    let fresh = dir.path().join("demo.db");
    let made = Command::new(casebook)
        .arg("--store")
        .arg(&fresh)
        .arg("demo")
        .env("CASEBOOK_TODAY", "2026-11-20")
        .env_remove("CASEBOOK_PASSPHRASE")
        .output()?;
    if !made.status.success() {
        bail!(
            "the demonstration case cannot be made: {}",
            String::from_utf8_lossy(&made.stderr)
        );
    }
    Ok(verified(casebook, &fresh)?.0)
}

/// The number of entries `casebook verify` checked, and what it said.
fn verified(casebook: &std::path::Path, store: &std::path::Path) -> Result<(usize, String)> {
    let out = Command::new(casebook)
        .arg("--store")
        .arg(store)
        .args(["--case", "demo", "verify"])
        .env_remove("CASEBOOK_PASSPHRASE")
        .output()?;
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!("the log does not verify after the run: {said}");
    }
    let entries = said
        .split(" entries checked")
        .next()
        .and_then(|before| before.rsplit(' ').next())
        .and_then(|n| n.replace(',', "").parse().ok())
        .with_context(|| format!("how many entries verify checked: {said}"))?;
    Ok((entries, said))
}

async fn connect(address: &str) -> Result<hyper::client::conn::http1::SendRequest<Full<Bytes>>> {
    let stream = tokio::net::TcpStream::connect(address).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

async fn get(address: &str, cookie: &str, path: &str) -> Result<String> {
    let mut sender = connect(address).await?;
    let answer = sender
        .send_request(
            Request::get(path)
                .header("host", address)
                .header("cookie", cookie)
                .body(Full::new(Bytes::new()))?,
        )
        .await?;
    let body = answer.into_body().collect().await?.to_bytes();
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// `CLIENTS` connections sending requests back to back for `duration`.
/// `(address, key cookie)` of the server, and the form token.
async fn load(
    (address, cookie): (&str, &str),
    token: &str,
    incidents: bool,
    duration: Duration,
) -> Result<Run> {
    let start = Instant::now();
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let mut sender = connect(address).await?;
        let address = address.to_owned();
        let cookie = cookie.to_owned();
        let token = token.to_owned();
        clients.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            let mut n = 0;
            while start.elapsed() < duration {
                n += 1;
                let request = if incidents {
                    let body = form_body(&token, client, n);
                    Request::post("/cases/demo/log/incident")
                        .header("host", &address)
                        .header("cookie", &cookie)
                        .header("sec-fetch-site", "same-origin")
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(Full::new(Bytes::from(body)))
                } else {
                    Request::get("/style.css")
                        .header("host", &address)
                        .body(Full::new(Bytes::new()))
                };
                let Ok(request) = request else {
                    errors += 1;
                    continue;
                };
                let sent = Instant::now();
                let answered = match sender.send_request(request).await {
                    Ok(answer) => {
                        let ok = if incidents {
                            answer.status() == 303
                        } else {
                            answer.status() == 200
                        };
                        ok && answer.into_body().collect().await.is_ok()
                    }
                    Err(_) => false,
                };
                latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
                if !answered {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let mut run = Run {
        requests: 0,
        errors: 0,
        seconds: 0.0,
        latencies_ms: Vec::new(),
    };
    for client in clients {
        let (latencies, errors) = client.await?;
        run.requests += latencies.len() - errors;
        run.errors += errors;
        run.latencies_ms.extend(latencies);
    }
    run.seconds = start.elapsed().as_secs_f64();
    Ok(run)
}

/// An incident as the form sends it, a little different each time.
fn form_body(token: &str, client: usize, n: usize) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("token", token),
            ("date", "2026-11-19"),
            ("time", "12:35"),
            (
                "summary",
                &format!("Pushed in the lunch queue (client {client}, request {n})"),
            ),
            (
                "details",
                "He came home quiet and said his arm hurt. Nobody on duty saw it.",
            ),
            ("child_words", "Nobody helped me"),
            ("place", "lunch hall"),
            ("category", "physical"),
        ])
        .finish()
}
