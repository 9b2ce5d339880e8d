//! The web app in a real browser: Debian's Chromium, headless, driven through
//! chromedriver. A parent logs an incident on a phone-sized screen, finds it in the
//! timeline and downloads a letter; an advocate invited to a case sees it and one not
//! invited gets nothing; axe-core finds no serious or critical accessibility problem
//! on any page. Screenshots of the main pages go to target/screenshots/.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use casebook_store::CaseStore;
use casebook_web::{Web, router};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::harness::{PASSWORD, TestWeb, accounts, blocking, clock, store};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// A phone: the width of an iPhone SE or a small Android.
const PHONE: (u32, u32) = (375, 812);

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Chromium through chromedriver, each with a profile and a downloads folder of its own.
struct Browser {
    client: Client,
    driver: Child,
    downloads: tempfile::TempDir,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A phone's screen, or a desktop window of the given size.
enum Screen {
    Phone,
    Desktop(u32, u32),
}

async fn browser(screen: Screen) -> Browser {
    for program in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            Path::new(program).exists(),
            "{program} is missing: install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver), as .ci/run does"
        );
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut driver = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    // chromedriver says on its first lines when it is listening.
    let mut out = std::io::BufReader::new(driver.stdout.take().expect("stdout"));
    let mut said = String::new();
    while !said.contains("started successfully") {
        let mut line = String::new();
        let read = std::io::BufRead::read_line(&mut out, &mut line).expect("chromedriver output");
        assert!(read > 0, "chromedriver stopped: {said}");
        said.push_str(&line);
    }
    let profile = tempfile::tempdir().expect("profile");
    let downloads = tempfile::tempdir().expect("downloads");
    let (width, height) = match screen {
        Screen::Phone => PHONE,
        Screen::Desktop(width, height) => (width, height),
    };
    let mut options = json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--force-device-scale-factor=1",
                format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": {
                "download.default_directory": downloads.path(),
                "download.prompt_for_download": false,
            },
    });
    // A desktop window cannot be narrower than 500 pixels: a phone is emulated.
    if let Screen::Phone = screen {
        options["mobileEmulation"] = json!({ "deviceMetrics": { "width": width, "height": height, "pixelRatio": 2.0, "touch": true } });
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a browser session");
    Browser {
        client,
        driver,
        downloads,
        _profile: profile,
    }
}

/// A server on a real loopback port, as `casebook serve` runs it: its address, and the
/// address it prints (with a local server's key) for the browser to open first.
async fn serve(make: impl FnOnce(u16) -> TestWeb) -> (String, String) {
    let (site, printed, _) = serve_counting(make).await;
    (site, printed)
}

/// The same, with a count of the forms the browser has sent (POST requests).
async fn serve_counting(make: impl FnOnce(u16) -> TestWeb) -> (String, String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let web = make(port);
    let site = format!("http://127.0.0.1:{port}");
    let printed = web.first_address(&format!("{site}/"));
    let sent = Arc::new(AtomicUsize::new(0));
    let counted = sent.clone();
    let app = router(Arc::new(web)).layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            if request.method() == axum::http::Method::POST {
                counted.fetch_add(1, Ordering::SeqCst);
            }
            next.run(request)
        },
    ));
    tokio::spawn(casebook_web::serve(listener, app));
    (site, printed, sent)
}

impl Browser {
    async fn open(&self, url: &str) {
        self.client.goto(url).await.expect("the page opens");
    }

    async fn text(&self, css: &str) -> String {
        // An element found just before the page it was on gave way to the next one is
        // stale: look for it again on the page now shown.
        for _ in 0..5 {
            match self.find(css).await.text().await {
                Err(e) if e.is_stale_element_reference() => {}
                read => return read.expect("text"),
            }
        }
        panic!("{css}: the element went stale five times")
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        let mut tries = 0;
        loop {
            tries += 1;
            match self
                .client
                .wait()
                .at_most(Duration::from_secs(10))
                .for_element(Locator::Css(css))
                .await
            {
                Ok(found) => return found,
                // A form just sent: ChromeDriver abandons a command that a navigation
                // interrupts, rather than waiting for the new page. Ask again.
                Err(e) if tries < 5 && e.to_string().contains("aborted by navigation") => {
                    continue;
                }
                Err(e) => {
                    let url = self.client.current_url().await.map(|u| u.to_string());
                    let page = self.client.source().await.unwrap_or_default();
                    panic!("{css}: {e} at {url:?}:\n{page}")
                }
            }
        }
    }

    async fn type_into(&self, css: &str, text: &str) {
        self.find(css).await.send_keys(text).await.expect("typed");
    }

    async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("clicked");
    }

    /// Waits for the browser to arrive at a page whose address contains `part`.
    async fn arrive(&self, part: &str) -> String {
        let url = self.address_until(|url| url.contains(part)).await;
        assert!(
            url.contains(part),
            "expected to arrive at {part}, but the browser is at {url}"
        );
        url
    }

    /// Waits for the browser to leave the page whose address contains `part`.
    async fn leave(&self, part: &str) {
        let url = self.address_until(|url| !url.contains(part)).await;
        assert!(
            !url.contains(part),
            "expected to leave {part}, but the browser is still at {url}"
        );
    }

    /// The browser's address once `wanted` holds of it, or after 500 looks.
    async fn address_until(&self, wanted: impl Fn(&str) -> bool) -> String {
        // Each look is a round trip to the browser, which answers once the page loads.
        let mut url = String::new();
        for _ in 0..500 {
            url = self.client.current_url().await.expect("url").to_string();
            if wanted(&url) {
                break;
            }
        }
        url
    }

    async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        // Under target/, so a test run never changes the committed set in
        // docs/screenshots, which scripts/screenshots.sh refreshes from here.
        let dir = repository().join("target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshots folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot saved");
    }

    /// The page fits the screen: nothing to scroll sideways.
    async fn fits(&self, width: u32) {
        let sizes = self
            .client
            .execute(
                "return [window.innerWidth, document.documentElement.scrollWidth];",
                vec![],
            )
            .await
            .expect("sizes");
        let url = self.client.current_url().await.expect("url");
        assert_eq!(
            sizes[0],
            json!(width),
            "{url} is wider than the phone, which zoomed out to show it"
        );
        let scroll = sizes[1].as_u64().unwrap_or(u64::MAX);
        assert!(
            scroll <= u64::from(width),
            "{url} scrolls sideways ({scroll} px on a {width} px screen)"
        );
    }

    /// axe-core's serious and critical findings against WCAG 2.2 A and AA.
    async fn accessibility_problems(&self) -> Vec<String> {
        let axe = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/axe/node_modules/axe-core/axe.min.js"),
        )
        .expect("axe-core is missing: run `npm ci` in crates/casebook-web/tests/axe (scripts/test.sh does)");
        self.client
            .execute(&format!("{axe}\n;window.axe = axe; return true;"), vec![])
            .await
            .expect("axe loads");
        let found = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] })
                  .then(r => done(r.violations
                      .filter(v => v.impact === "serious" || v.impact === "critical")
                      .map(v => v.id + ": " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).join(", "))))
                  .catch(e => done(["axe failed: " + e]));"#,
                vec![],
            )
            .await
            .expect("axe runs");
        let url = self.client.current_url().await.expect("url");
        match found {
            Value::Array(items) => items
                .into_iter()
                .map(|v| format!("{url}: {}", v.as_str().unwrap_or_default()))
                .collect(),
            other => vec![format!("{url}: axe answered {other}")],
        }
    }

    /// Waits until the browser has finished writing a downloaded file.
    async fn downloaded(&self, name: &str) -> Vec<u8> {
        let path = self.downloads.path().join(name);
        for _ in 0..200 {
            if let Ok(bytes) = std::fs::read(&path) {
                return bytes;
            }
            // Chromium writes a .crdownload file first and renames it when done;
            // there is no event to wait on from here, so look again shortly.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{name} was not downloaded");
    }
}

fn local(port: u16) -> TestWeb {
    let (dir, _, store, blobs) = store(&["demo"]);
    // The folder must outlive the server, which runs until the test process ends.
    let _ = dir.keep();
    Web::local(store, blobs, Box::new(clock()), port, "Jo Morgan".into()).expect("web")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_logs_an_incident_on_a_phone_finds_it_and_downloads_a_letter() {
    let (site, printed) = serve(local).await;
    let b = browser(Screen::Phone).await;
    // Without the key in the address it printed, the server shows nothing of the case.
    b.open(&format!("{site}/")).await;
    assert!(!b.text("body").await.contains("Alex"));
    b.open(&printed).await;
    b.arrive("/cases/demo/").await;
    assert_eq!(b.text("h1").await, "What to do now");
    b.fits(PHONE.0).await;
    b.screenshot("home").await;
    // Keyboard first: the first Tab reaches the skip link, and focus is visible.
    b.find("body")
        .await
        .send_keys("\u{E004}")
        .await
        .expect("tab");
    let focused = b
        .client
        .execute(
            "const e = document.activeElement; return [e.className, getComputedStyle(e).outlineStyle];",
            vec![],
        )
        .await
        .expect("focus");
    assert_eq!(focused, json!(["skip", "solid"]));

    b.click("a[href='/cases/demo/log/incident']").await;
    b.arrive("/log/incident").await;
    b.fits(PHONE.0).await;
    b.type_into("#summary", "Pushed off the bench at lunch")
        .await;
    b.type_into("#details", "He came home quiet and said his arm hurt.")
        .await;
    b.type_into("#child_words", "Nobody helped me").await;
    b.type_into("#place", "playground").await;
    b.type_into("#witnesses", "Mr Osei").await;
    b.click("#category-physical").await;
    b.screenshot("something-happened").await;
    b.click("main form button[type=submit]").await;
    let saved = b.arrive("/entries/e20").await;
    assert!(saved.contains("/cases/demo/entries/e20?saved=1"), "{saved}");
    assert!(
        b.text("[role=status]")
            .await
            .contains("Saved. It is in the log for good")
    );
    assert!(b.text("blockquote").await.contains("Nobody helped me"));
    b.fits(PHONE.0).await;
    b.screenshot("entry").await;

    b.open(&format!("{site}/cases/demo/timeline")).await;
    b.type_into("#q", "bench").await;
    b.click("form.filters button[type=submit]").await;
    b.arrive("q=bench").await;
    assert!(
        b.text("ol.timeline")
            .await
            .contains("Pushed off the bench at lunch")
    );
    b.open(&format!("{site}/cases/demo/timeline")).await;
    b.fits(PHONE.0).await;
    b.screenshot("timeline").await;

    b.open(&format!("{site}/cases/demo/letters/report-bullying"))
        .await;
    b.find("#to")
        .await
        .select_by_value("p1")
        .await
        .expect("chosen");
    b.click("main form button[type=submit]").await;
    b.arrive("to=p1").await;
    assert!(
        b.text("main")
            .await
            .contains("The tone check found nothing to change.")
    );
    b.fits(PHONE.0).await;
    b.screenshot("letter").await;
    b.click("#download-txt").await;
    let letter = String::from_utf8(b.downloaded("report-bullying.txt").await).expect("text");
    assert!(letter.starts_with("20 November 2026"), "{letter}");
    assert!(letter.contains("Subject: ") && letter.contains("Alex"));
    assert!(
        !letter.contains("Tyler"),
        "another child is named only by pseudonym"
    );

    // A refused form: the error summary links to the field and the words stay.
    b.open(&format!("{site}/cases/demo/log/incident")).await;
    b.type_into("#details", "Everything I remember").await;
    b.client
        .execute("document.getElementById('summary').removeAttribute('required'); document.getElementById('date').value = '';document.getElementById('date').removeAttribute('required');", vec![])
        .await
        .expect("the browser's own checks stood aside");
    b.click("main form button[type=submit]").await;
    assert!(b.text(".error-summary").await.contains("Enter the date"));
    assert_eq!(
        b.find("#details")
            .await
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some("Everything I remember")
    );
    b.click(".error-summary a[href='#summary']").await;
    let active = b
        .client
        .execute("return document.activeElement.id;", vec![])
        .await
        .expect("focus");
    assert_eq!(
        active,
        json!("summary"),
        "the summary's link takes you to the field"
    );
    b.screenshot("error-summary").await;
}

/// A parent's evening on a phone: an incident naming a witness the case does not know
/// yet, with a photo, and a date slipped a year ahead; the date fixed; a detail
/// corrected; a letter about it drafted, changed, copied and recorded as sent. Every
/// form the browser sends is counted: the incident takes no more than two.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parents_evening_on_a_phone_takes_two_submissions_for_an_incident_with_someone_new() {
    let (_, printed, sent) = serve_counting(local).await;
    let b = browser(Screen::Phone).await;
    let photo = repository()
        .join("crates/casebook-app/demo/torn-sleeve.jpg")
        .canonicalize()
        .expect("the demonstration photo");
    let photo = photo.to_str().expect("a path");
    b.open(&printed).await;
    b.arrive("/cases/demo/").await;
    b.click("a[href='/cases/demo/log/incident']").await;
    b.arrive("/log/incident").await;
    b.type_into("#summary", "Coat pulled off his peg and stamped on")
        .await;
    b.type_into("#place", "cloakroom").await;
    b.type_into("#witnesses", "Mrs Okafor").await;
    b.find("#reported_to")
        .await
        .select_by_value("p2")
        .await
        .expect("Mr Osei chosen");
    b.find("#files")
        .await
        .send_keys(photo)
        .await
        .expect("photo");
    // A slip of the thumb on the date picker: a year ahead.
    let set_date = |day: &'static str| format!("document.getElementById('date').value = '{day}';");
    b.client
        .execute(&set_date("2027-11-19"), vec![])
        .await
        .expect("date");
    b.click("main form button[type=submit]").await;
    let asked = b.text(".error-summary").await;
    assert!(
        asked.contains("The date is after today, 20 November 2026"),
        "{asked}"
    );
    assert!(
        asked.contains("Choose the photos or files again"),
        "{asked}"
    );
    // Every word is kept, and each problem is shown at its field too.
    assert_eq!(
        b.find("#witnesses")
            .await
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some("Mrs Okafor")
    );
    assert!(b.text("label[for=date]").await.contains("after today"));
    b.fits(PHONE.0).await;
    b.screenshot("date-asked-about").await;
    b.client
        .execute(&set_date("2026-11-19"), vec![])
        .await
        .expect("date");
    b.find("#files")
        .await
        .send_keys(photo)
        .await
        .expect("photo");
    b.click("main form button[type=submit]").await;
    let saved = b.arrive("saved=1").await;
    assert_eq!(
        sent.load(Ordering::SeqCst),
        2,
        "the incident with someone new took more than two submissions"
    );
    let status = b.text("[role=status]").await;
    assert!(status.contains("Mrs Okafor (witness)"), "{status}");
    let page = b.text("main").await;
    for shown in [
        "cloakroom",
        "Mrs Okafor",
        "Mr David Osei",
        "torn-sleeve.jpg",
        "19 November 2026",
    ] {
        assert!(page.contains(shown), "{shown} is not on {saved}:\n{page}");
    }

    // A detail corrected, in the incident's own form, shown beside what was written.
    b.click("#correct").await;
    b.arrive("/correct").await;
    b.find("#place").await.clear().await.expect("cleared");
    b.type_into("#place", "cloakroom by the hall").await;
    b.type_into("#why", "Alex told me exactly where").await;
    b.fits(PHONE.0).await;
    b.screenshot("correction").await;
    b.click("main form button[type=submit]").await;
    b.arrive("saved=1").await;
    let page = b.text("main").await;
    for shown in [
        "Why: Alex told me exactly where",
        "Before: cloakroom",
        "After: cloakroom by the hall",
    ] {
        assert!(page.contains(shown), "{shown}:\n{page}");
    }
    b.screenshot("corrected").await;
    assert_eq!(sent.load(Ordering::SeqCst), 3);

    // The letter about it goes to the teacher it was reported to, with no choosing.
    b.click("#write-about").await;
    b.arrive("/letters/report-bullying").await;
    let letter = b.text("#letter-text").await;
    assert!(letter.contains("Coat pulled off his peg"), "{letter}");
    assert!(
        b.text("main").await.contains("Open it in your mail app"),
        "a mailto link"
    );
    // The copy button appears where scripts run and says what happened.
    b.click("button[data-copy]").await;
    let copied = b
        .client
        .wait()
        .at_most(Duration::from_secs(5))
        .for_element(Locator::Css("#copied:not(:empty)"))
        .await
        .expect("the copy button answers")
        .text()
        .await
        .expect("text");
    assert!(
        copied.contains("Copied") || copied.contains("select the letter"),
        "{copied}"
    );
    b.fits(PHONE.0).await;
    b.screenshot("letter-about-an-incident").await;
    b.type_into("#body", "\n\nPS: Alex's coat is now torn at the hood.")
        .await;
    b.click("form[action$='/sent'] button[type=submit]").await;
    b.arrive("saved=1").await;
    let page = b.text("main").await;
    assert!(
        page.contains("Alex's coat is now torn at the hood."),
        "the letter recorded as sent is the one the parent changed:\n{page}"
    );
    assert_eq!(
        sent.load(Ordering::SeqCst),
        4,
        "four forms in the whole evening"
    );
}

/// The council's draft EHC plan arrives; on her phone the parent logs it with the file,
/// reads what the plan check found beside each section, and opens the comments letter,
/// which quotes the first vague item with the wording she asks for.
/// The demonstration case (on 20 November 2026) with the council's SEN officer, and
/// the council's refusal to assess, dated 13 November, imported from a mailbox.
fn a_refusal_in_the_mail(port: u16) -> TestWeb {
    let (dir, _, store, blobs) = store(&["demo"]);
    let mailbox = dir.path().join("mail.mbox");
    std::fs::write(
        &mailbox,
        "From sen.team@northshire.gov.uk Fri Nov 13 15:00:00 2026\n\
From: Priya Shah <sen.team@northshire.gov.uk>\n\
To: Jo Morgan <jo@example.org>\n\
Subject: Alex Morgan - request for an EHC needs assessment\n\
Date: Fri, 13 Nov 2026 15:00:00 +0000\n\
Message-ID: <refusal@northshire.gov.uk>\n\n\
Dear Ms Morgan,\n\n\
The panel considered your request on 11 November. We have decided not to carry out\n\
an Education, Health and Care needs assessment for Alex at this time.\n\n\
Priya Shah\n",
    )
    .expect("the mailbox");
    blocking(|| {
        let case = store
            .case_by_slug("demo")
            .expect("the store")
            .expect("the case");
        casebook_app::add_person(
            &store,
            &case,
            casebook_app::NewPerson {
                name: "Priya Shah".into(),
                role: casebook_domain::Role::LaSenOfficer,
                organisation: Some("Northshire County Council".into()),
                email: Some("sen.team@northshire.gov.uk".into()),
                phone: None,
            },
        )
        .expect("the officer");
        let file = casebook_app::CaseFile {
            store: &store,
            blobs: &blobs,
            clock: &clock(),
            case,
        };
        let request = casebook_app::MailImport {
            mailboxes: vec![casebook_mail::Mailbox::detect(&mailbox, None).expect("an mbox")],
            family: vec!["jo@example.org".into()],
            ..Default::default()
        };
        file.import_mail(&request, "Jo Morgan", &mut |_, _| true)
            .expect("imported");
    });
    let _ = dir.keep();
    Web::local(store, blobs, Box::new(clock()), port, "Jo Morgan".into()).expect("web")
}

/// A parent who imported the council's refusal sees it first on the home page, on a
/// phone, with the appeal date, and after one confirmation the appeal is a step open
/// with that date: 2 months from Friday 13 November 2026 is Wednesday 13 January 2027,
/// a working day outside August and the Christmas days (HESC Rules r.20, r.12).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_found_in_the_mail_becomes_the_appeal_date_after_one_confirmation() {
    let (_site, printed) = serve(a_refusal_in_the_mail).await;
    let b = browser(Screen::Phone).await;
    b.open(&printed).await;
    b.arrive("/cases/demo/").await;
    let home = b.text("main").await;
    for shown in [
        "Found in your mail and letters",
        "The council's decision not to carry out an EHC needs assessment, 13 November 2026",
        "We have decided not to carry out an Education, Health and Care needs assessment for Alex at this time.",
        "Lodge the appeal with the First-tier Tribunal (SEND) on form SEND35. By Wednesday 13 January 2027.",
    ] {
        assert!(home.contains(shown), "{shown} is not on the page:\n{home}");
    }
    assert!(
        home.find("Found in your mail") < home.find("Late"),
        "what was found comes first:\n{home}"
    );
    b.fits(PHONE.0).await;
    let problems = b.accessibility_problems().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    b.screenshot("found-in-mail").await;
    b.click("form[action$='/suggestions/accept'] button").await;
    b.arrive("answered=written").await;
    let home = b.text("main").await;
    assert!(home.contains("Written down."), "{home}");
    assert!(!home.contains("Found in your mail"), "{home}");
    let steps = &home[home.find("Steps open now").expect("steps")..];
    assert!(
        steps.contains("Lodge the appeal with the First-tier Tribunal (SEND) on form SEND35.\nBy Wednesday 13 January 2027"),
        "{steps}"
    );
    b.fits(PHONE.0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_plan_logged_on_a_phone_shows_its_findings_and_the_comments_letter() {
    let (site, printed) = serve(local).await;
    let b = browser(Screen::Phone).await;
    let plan = repository()
        .join("crates/casebook-plans/tests/plans/northshire-draft.txt")
        .canonicalize()
        .expect("the test plan");
    b.open(&printed).await;
    b.arrive("/cases/demo/").await;
    b.open(&format!("{site}/cases/demo/log/document")).await;
    b.type_into("#summary", "Draft EHC plan from the council")
        .await;
    b.find("#document_type")
        .await
        .select_by_value("plan:ehc-draft")
        .await
        .expect("a draft plan chosen");
    b.client
        .execute(
            "document.getElementById('date').value = '2026-11-18';",
            vec![],
        )
        .await
        .expect("date");
    b.find("#files")
        .await
        .send_keys(plan.to_str().expect("a path"))
        .await
        .expect("the plan attached");
    b.click("main form button[type=submit]").await;
    b.arrive("saved=1").await;
    let found = b.text("main").await;
    for shown in [
        "What the plan check found",
        "casebook read this draft EHC plan as an adviser would.",
        "Item 1: vague wording",
        "Alex will have access to speech and language therapy.",
        "Vague words: \"access to\".",
        "Not yet confirmed against the published text",
        "Item 1: placement",
        "A draft plan names a school.",
    ] {
        assert!(
            found.contains(shown),
            "{shown} is not on the page:\n{found}"
        );
    }
    b.fits(PHONE.0).await;
    let problems = b.accessibility_problems().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    b.client
        .execute(
            "document.getElementById('plan-check').scrollIntoView();",
            vec![],
        )
        .await
        .expect("scrolled");
    b.screenshot("plan-check").await;
    b.click("#write-about").await;
    b.arrive("/letters/comment-draft-ehc-plan").await;
    // Addressed to someone in the case (the demonstration case has no council officer).
    b.find("#to")
        .await
        .select_by_value("p1")
        .await
        .expect("someone to write to");
    b.click("main form button[type=submit]").await;
    let letter = b
        .find("#body")
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    assert!(
        letter.contains(
            "I ask that it says: \"Alex will have speech and language therapy, [who delivers it], [how often], [for how long].\""
        ),
        "{letter}"
    );
    b.fits(PHONE.0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_passes_axe_core_with_no_serious_or_critical_problem() {
    let (site, printed) = serve(local).await;
    let b = browser(Screen::Phone).await;
    b.open(&printed).await;
    let mut problems = Vec::new();
    for path in [
        "/",
        "/log/incident",
        "/log/call",
        "/log/meeting",
        "/log/observation",
        "/log/absence",
        "/log/document",
        "/timeline",
        "/timeline?kind=incident&q=lunch",
        "/entries/e2",
        "/entries/e4/correct",
        "/people",
        "/requests",
        "/deadlines",
        "/deadlines?rule=subject-access&from=2026-03-06",
        "/attendance",
        "/letters",
        "/letters/report-bullying?to=p1",
        "/minutes",
        "/bundle",
        "/settings",
    ] {
        b.open(&format!("{site}/cases/demo{path}")).await;
        problems.extend(b.accessibility_problems().await);
        b.fits(PHONE.0).await;
    }
    // A page in its error state.
    b.open(&format!("{site}/cases/demo/people")).await;
    b.client
        .execute(
            "document.getElementById('name').removeAttribute('required');",
            vec![],
        )
        .await
        .expect("script");
    b.click("main form button[type=submit]").await;
    b.find(".error-summary").await;
    problems.extend(b.accessibility_problems().await);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The check itself can fail: a field without a label is reported.
    b.client
        .execute(
            "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>');",
            vec![],
        )
        .await
        .expect("script");
    let unlabelled = b.accessibility_problems().await;
    assert!(
        unlabelled.iter().any(|p| p.contains("label")),
        "axe-core missed an unlabelled field: {unlabelled:?}"
    );
    b.open(&format!("{site}/cases/demo/requests")).await;
    b.screenshot("requests").await;
    b.open(&format!(
        "{site}/cases/demo/deadlines?rule=subject-access&from=2026-03-06"
    ))
    .await;
    b.screenshot("deadline").await;
}

fn organisation(port: u16) -> TestWeb {
    let (dir, _, store, blobs) = store(&["morgan", "other-family"]);
    let _ = dir.keep();
    accounts(
        &store,
        &[
            ("jo@example.org", "Jo Morgan", Some("morgan")),
            ("second@advocacy.example", "Sam Second", None),
        ],
    );
    Web::organisation(
        store,
        blobs,
        Box::new(clock()),
        vec![format!("127.0.0.1:{port}")],
        false,
    )
}

async fn sign_in(b: &Browser, site: &str, email: &str) {
    b.open(&format!("{site}/login")).await;
    b.type_into("#email", email).await;
    b.type_into("#password", PASSWORD).await;
    b.click("main form button[type=submit]").await;
    b.leave("/login").await;
}

async fn sign_out(b: &Browser) {
    b.click("form[action='/logout'] button").await;
    b.arrive("/login").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_advocate_sees_the_case_and_one_not_invited_gets_nothing() {
    let (site, _) = serve(organisation).await;
    let b = browser(Screen::Desktop(1024, 900)).await;
    let mut problems = Vec::new();
    b.open(&format!("{site}/cases/morgan/")).await;
    b.arrive("/login").await;
    problems.extend(b.accessibility_problems().await);
    sign_in(&b, &site, "jo@example.org").await;
    assert!(b.text("main").await.contains("Alex Morgan"));
    problems.extend(b.accessibility_problems().await);
    b.open(&format!("{site}/cases/morgan/sharing")).await;
    b.type_into("#for_whom", "Ms Shah, SENDIASS").await;
    b.click("#role-viewer").await;
    b.click("form[action='/cases/morgan/sharing/invite'] button")
        .await;
    let link = b.text("#invitation-link").await;
    assert!(link.starts_with(&format!("{site}/invitations/")), "{link}");
    problems.extend(b.accessibility_problems().await);
    sign_out(&b).await;

    // The advocate opens the link and makes an account on the way.
    b.open(&link).await;
    assert!(
        b.text("h1")
            .await
            .contains("You are invited to Alex Morgan")
    );
    problems.extend(b.accessibility_problems().await);
    b.screenshot("invitation").await;
    b.type_into("#name", "Priya Shah").await;
    b.type_into("#new-email", "priya@sendiass.example").await;
    b.type_into("#new-password", PASSWORD).await;
    b.click("form:last-of-type button[type=submit]").await;
    b.arrive("/cases/morgan/").await;
    assert_eq!(b.text("h1").await, "What to do now");
    assert!(b.text("header").await.contains("Signed in as Priya Shah"));
    b.open(&format!("{site}/cases/morgan/timeline")).await;
    assert!(b.text("main").await.contains("entries."));
    sign_out(&b).await;

    // Another advocate, not invited: nothing, whatever address is typed.
    sign_in(&b, &site, "second@advocacy.example").await;
    assert!(
        b.text("main")
            .await
            .contains("No case has been shared with you yet")
    );
    for path in [
        "/cases/morgan/",
        "/cases/morgan/timeline",
        "/cases/morgan/entries/e1",
    ] {
        b.open(&format!("{site}{path}")).await;
        assert_eq!(
            b.text("main p").await,
            "There is no case here that you can open.",
            "{path}"
        );
        assert!(!b.text("body").await.contains("Alex"), "{path}");
    }
    b.open(&format!("{site}/")).await;
    sign_out(&b).await;

    // The owner's access log shows who looked.
    sign_in(&b, &site, "jo@example.org").await;
    b.open(&format!("{site}/cases/morgan/sharing")).await;
    let page = b.text("main").await;
    assert!(
        page.contains("Priya Shah (priya@sendiass.example)"),
        "{page}"
    );
    assert!(page.contains("viewed the timeline"));
    b.screenshot("sharing").await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
