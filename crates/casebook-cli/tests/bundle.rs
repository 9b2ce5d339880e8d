//! The evidence bundle, read back by tools that are not casebook's: poppler's pdfinfo,
//! pdftotext, pdfdetach and pdftoppm.

use std::process::Command;

use crate::harness::Casebook;

pub fn tool(name: &str, args: &[&str], cb: &Casebook) -> String {
    let out = Command::new(name)
        .args(args)
        .current_dir(cb.dir.path())
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils) runs: {e}"));
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn page_text(cb: &Casebook, file: &str, page: usize) -> String {
    let page = page.to_string();
    tool(
        "pdftotext",
        &["-f", &page, "-l", &page, "-layout", file, "-"],
        cb,
    )
}

fn pages(cb: &Casebook, file: &str) -> usize {
    tool("pdfinfo", &[file], cb)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count")
}

fn demo() -> Casebook {
    let mut cb = Casebook::new();
    cb.today = "2026-11-20";
    cb.ok(&["demo"]);
    cb
}

/// A plain PDF of `n` pages, each saying which page it is.
fn pdf_of(n: usize) -> Vec<u8> {
    let mut objects: Vec<String> = vec![
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
        String::new(), // the page tree, filled in below
    ];
    let mut kids = Vec::new();
    for page in 1..=n {
        let text = format!("BT /F1 14 Tf 72 770 Td (Report page {page}) Tj ET");
        objects.push(format!(
            "<< /Length {} >>\nstream\n{text}\nendstream",
            text.len()
        ));
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 1 0 R >> >> /Contents {} 0 R >>",
            objects.len()
        ));
        kids.push(format!("{} 0 R", objects.len()));
    }
    objects[1] = format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" "));
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root {} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1,
            objects.len()
        )
        .bytes(),
    );
    out
}

/// The same PDF behind a password nobody gave casebook.
fn protected(pdf: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(pdf).into_owned();
    let encrypt = format!(
        "trailer\n<< /Encrypt << /Filter /Standard /V 2 /R 3 /Length 128 /O <{}> /U <{}> /P -3904 >> /ID [<{}> <{}>] /Size",
        "11".repeat(32),
        "22".repeat(32),
        "33".repeat(16),
        "33".repeat(16)
    );
    text.replacen("trailer\n<< /Size", &encrypt, 1).into_bytes()
}

#[test]
fn a_pdf_bundle_has_numbered_pages_an_index_that_points_right_and_pseudonyms() {
    let cb = demo();
    let said = cb.ok(&[
        "bundle",
        "--format",
        "pdf",
        "--out",
        "bundle.pdf",
        "--purpose",
        "Stage 2 complaint to the governing board",
    ]);
    let total = pages(&cb, "bundle.pdf");
    assert!(said.contains(&format!("{total} pages")), "{said}");
    assert!(tool("pdfinfo", &["bundle.pdf"], &cb).contains("(A4)"));

    let cover = page_text(&cb, "bundle.pdf", 1);
    assert!(cover.contains("Evidence bundle: Alex Morgan"), "{cover}");
    assert!(cover.contains("Stage 2 complaint to the governing board"));
    assert!(cover.contains("20 November 2026"));
    for page in 1..=total {
        let text = page_text(&cb, "bundle.pdf", page);
        assert!(
            text.contains(&format!("Page {page} of {total}")),
            "page {page}: {text}"
        );
    }

    // Every index line ends in a page number, and that page starts the part it names.
    let index = page_text(&cb, "bundle.pdf", 2);
    let mut checked = 0;
    for line in index
        .lines()
        .filter(|l| l.trim_start().starts_with(char::is_numeric))
    {
        let (title, page) = line.trim().rsplit_once(' ').expect("title and page");
        let title = title.trim_end_matches(['.', ' ']);
        // typst joins the number to its leader with an invisible word joiner.
        let page: usize = page
            .trim_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .expect("a page number");
        let there = page_text(&cb, "bundle.pdf", page);
        assert!(
            there.contains(title),
            "the index sends \"{title}\" to page {page}, which reads: {there}"
        );
        checked += 1;
    }
    assert!(checked >= 8, "{index}");
    for part in [
        "1. Chronology",
        "Correspondence",
        "Exhibits",
        "Exhibit X2: gp-letter.pdf",
    ] {
        assert!(index.contains(part), "{part} missing from {index}");
    }

    let all = tool("pdftotext", &["bundle.pdf", "-"], &cb);
    assert!(all.contains("Child A"));
    assert!(!all.contains("Tyler"), "another child is named");
    // The GP letter's own pages are placed in the bundle.
    assert!(all.contains("Riverside Medical Practice"));
    assert!(all.contains("Exhibit X2, page 2 of 2"));
}

#[test]
fn the_manifest_is_attached_and_names_the_log_head() {
    let cb = demo();
    cb.ok(&["bundle", "--format", "pdf", "--out", "bundle.pdf"]);
    assert!(tool("pdfdetach", &["-list", "bundle.pdf"], &cb).contains("manifest.json"));
    tool("pdfdetach", &["-saveall", "bundle.pdf"], &cb);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(cb.path("manifest.json")).expect("saved"))
            .expect("JSON");
    let verified = cb.ok(&["verify"]);
    let head = manifest["head"]["sha256"].as_str().expect("head");
    assert!(verified.contains(head), "{verified} / {head}");
    assert_eq!(manifest["entries"].as_array().map(Vec::len), Some(19));
    let photo = &manifest["exhibits"][0];
    assert_eq!(photo["name"], "torn-sleeve.jpg");
    // The exhibit's hash is the original file's: sha256sum of the attachment.
    let original = std::fs::read(casebook_domain_path(
        &cb,
        photo["sha256"].as_str().expect("hash"),
    ))
    .expect("the attachment is in the store");
    assert!(String::from_utf8_lossy(&original).contains("DemoPhone"));
}

/// Where the store keeps an attachment (unencrypted stores keep the file as it is).
pub fn casebook_domain_path(cb: &Casebook, sha256: &str) -> std::path::PathBuf {
    let mut dir = cb.store.clone().into_os_string();
    dir.push(".attachments");
    std::path::PathBuf::from(dir)
        .join(&sha256[..2])
        .join(sha256)
}

#[test]
fn the_same_case_gives_the_same_bytes_and_pictures_lose_their_metadata() {
    let cb = demo();
    cb.ok(&["bundle", "--format", "pdf", "--out", "a.pdf"]);
    cb.ok(&["bundle", "--format", "pdf", "--out", "b.pdf"]);
    let a = std::fs::read(cb.path("a.pdf")).expect("a");
    assert_eq!(a, std::fs::read(cb.path("b.pdf")).expect("b"));
    assert!(!String::from_utf8_lossy(&a).contains("DemoPhone"));

    cb.ok(&["bundle", "--format", "html", "--out", "b.html"]);
    let html = std::fs::read_to_string(cb.path("b.html")).expect("html");
    let start = html.find("data:image/jpeg;base64,").expect("the photo") + 23;
    let end = start + html[start..].find('"').expect("end of the photo");
    let photo = base64_decode(&html[start..end]);
    assert!(photo.starts_with(&[0xFF, 0xD8]));
    assert!(!String::from_utf8_lossy(&photo).contains("DemoPhone"));
    assert!(html.contains("Child A") && !html.contains("Tyler"));
    assert!(html.contains("id=\"casebook-manifest\""));
}

/// A RIFF chunk, padded to an even length as WebP requires.
fn chunk(tag: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = tag.to_vec();
    out.extend((data.len() as u32).to_le_bytes());
    out.extend(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
    out
}

/// GIF and WebP carry EXIF, XMP and comments in blocks of their own, where a phone
/// writes the place: a 1 by 1 picture of each with a place in such a block keeps its
/// pixels in both bundles and loses the place.
#[test]
fn gif_and_webp_pictures_lose_their_metadata_in_both_bundles() {
    const PLACE: &[u8] = b"GPS 51.5074N 0.1278W SECRETPLACE";
    let cb = Casebook::new().with_case();
    // A GIF with a comment extension (0x21 0xFE) holding the place.
    let mut gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x21\xfe".to_vec();
    gif.push(PLACE.len() as u8);
    gif.extend(PLACE);
    gif.extend(
        b"\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
    );
    // An extended WebP: its header announces EXIF, a lossless 1 by 1 image, the EXIF.
    let mut exif = b"Exif\x00\x00".to_vec();
    exif.extend(PLACE);
    let mut body = b"WEBP".to_vec();
    body.extend(chunk(b"VP8X", &[0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    body.extend(chunk(
        b"VP8L",
        b"\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00",
    ));
    body.extend(chunk(b"EXIF", &exif));
    let mut webp = b"RIFF".to_vec();
    webp.extend((body.len() as u32).to_le_bytes());
    webp.extend(body);
    std::fs::write(cb.path("p.gif"), &gif).expect("gif");
    std::fs::write(cb.path("p.webp"), &webp).expect("webp");
    cb.ok(&[
        "log",
        "incident",
        "--occurred",
        "2026-03-02",
        "--summary",
        "Photos of the damage",
        "--attach",
        "p.gif",
        "--attach",
        "p.webp",
    ]);
    cb.ok(&["bundle", "--format", "html", "--out", "b.html"]);
    cb.ok(&["bundle", "--format", "pdf", "--out", "b.pdf"]);
    let html = std::fs::read_to_string(cb.path("b.html")).expect("html");
    let mut pictures = 0;
    for (at, _) in html.match_indices("data:image/png;base64,") {
        let start = at + "data:image/png;base64,".len();
        let end = start + html[start..].find('"').expect("end of the picture");
        let picture = base64_decode(&html[start..end]);
        assert!(picture.starts_with(b"\x89PNG"), "drawn again as PNG");
        assert!(!String::from_utf8_lossy(&picture).contains("SECRETPLACE"));
        pictures += 1;
    }
    assert_eq!(pictures, 2, "both pictures are in the HTML bundle");
    let pdf = std::fs::read(cb.path("b.pdf")).expect("pdf");
    assert!(!String::from_utf8_lossy(&pdf).contains("SECRETPLACE"));
    assert!(!html.contains("SECRETPLACE"));
}

fn base64_decode(text: &str) -> Vec<u8> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import base64,sys; sys.stdout.buffer.write(base64.b64decode(sys.stdin.read()))",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(text.as_bytes())?;
            child.wait_with_output()
        })
        .expect("python3 runs");
    out.stdout
}

#[test]
fn pages_look_right_when_drawn() {
    let cb = demo();
    cb.ok(&["bundle", "--format", "pdf", "--out", "bundle.pdf"]);
    // The charts page, drawn as a picture: the bars are there in their colour.
    let total = pages(&cb, "bundle.pdf");
    let charts = (1..=total)
        .find(|p| page_text(&cb, "bundle.pdf", *p).contains("Incidents each week"))
        .expect("a charts page");
    let page = charts.to_string();
    tool(
        "pdftoppm",
        &["-f", &page, "-l", &page, "-r", "40", "bundle.pdf", "chart"],
        &cb,
    );
    let drawn = std::fs::read_dir(cb.dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with("chart"))
        .expect("pdftoppm wrote the page");
    let ppm = std::fs::read(drawn.path()).expect("ppm");
    let pixels = ppm_pixels(&ppm);
    let red = pixels
        .iter()
        .filter(|p| p[0] > 150 && p[1] < 100 && p[2] < 80)
        .count();
    let white = pixels.iter().filter(|p| p.iter().all(|c| *c > 240)).count();
    assert!(red > 200, "too few bar pixels: {red}");
    assert!(white > pixels.len() / 2, "the page is not mostly paper");
}

/// The RGB pixels of a binary PPM (P6) as pdftoppm writes it.
fn ppm_pixels(ppm: &[u8]) -> Vec<[u8; 3]> {
    let mut fields = 0;
    let mut at = 0;
    // Four header fields: P6, width, height, maximum; then one byte of white space.
    while fields < 4 {
        while ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        while !ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields += 1;
    }
    ppm[at + 1..]
        .chunks_exact(3)
        .map(|c| [c[0], c[1], c[2]])
        .collect()
}

#[test]
fn a_bundle_verifies_and_a_tampered_copy_does_not() {
    let cb = demo();
    for (format, file) in [("pdf", "bundle.pdf"), ("html", "bundle.html")] {
        cb.ok(&["bundle", "--format", format, "--out", file]);
        let said = cb.ok(&["verify", file]);
        assert!(said.contains("is intact"), "{said}");
        assert!(said.contains("19 entries and 2 exhibits"), "{said}");

        let good = std::fs::read(cb.path(file)).expect("bundle");
        let mut altered = good.clone();
        let middle = altered.len() / 2;
        altered[middle] ^= 0x20;
        std::fs::write(cb.path("altered"), &altered).expect("write");
        std::fs::rename(cb.path("altered"), cb.path(&format!("altered.{format}"))).expect("name");
        assert!(
            cb.refused(&["verify", &format!("altered.{format}")])
                .contains("has been altered since casebook produced it")
        );
        let unsigned = &good[..casebook_app::signature_start(&good).expect("signed")];
        std::fs::write(cb.path(&format!("unsigned.{format}")), unsigned).expect("write");
        assert!(
            cb.refused(&["verify", &format!("unsigned.{format}")])
                .contains("carries no casebook signature")
        );
    }
}

#[test]
fn entries_sections_and_saved_selections_choose_what_goes_in() {
    let cb = demo();
    let said = cb.ok(&[
        "bundle",
        "--format",
        "pdf",
        "--out",
        "incidents.pdf",
        "--kind",
        "incident",
        "--sections",
        "chronology,incidents",
        "--save-selection",
        "incidents",
    ]);
    assert!(said.contains("3 entries, 0 exhibits"), "{said}");
    let text = tool("pdftotext", &["incidents.pdf", "-"], &cb);
    assert!(!text.contains("Correspondence"));
    assert!(text.contains("Incidents and what the family saw at home"));
    let again = cb.ok(&[
        "bundle",
        "--format",
        "html",
        "--out",
        "again.html",
        "--selection",
        "incidents",
    ]);
    assert!(again.contains("3 entries"), "{again}");
    let chosen = cb.ok(&[
        "bundle",
        "--format",
        "pdf",
        "--out",
        "two.pdf",
        "--entries",
        "e1,e10",
    ]);
    assert!(chosen.contains("2 entries, 2 exhibits"), "{chosen}");
}

#[test]
fn a_long_report_and_a_long_bundle_are_flagged_against_the_tribunal_limits() {
    let cb = demo();
    std::fs::write(cb.path("ep-report.pdf"), pdf_of(80)).expect("write");
    cb.ok(&[
        "log",
        "document",
        "--occurred",
        "2026-11-01",
        "--summary",
        "Educational psychologist's report",
        "--document-type",
        "report:educational-psychologist",
        "--attach",
        "ep-report.pdf",
    ]);
    let out = cb.run(&[
        "bundle",
        "--format",
        "pdf",
        "--out",
        "tribunal.pdf",
        "--page-limit",
        "refusal-to-assess",
    ]);
    assert!(out.status.success());
    let warnings = String::from_utf8_lossy(&out.stderr);
    let total = pages(&cb, "tribunal.pdf");
    assert!(
        warnings.contains(&format!(
            "The bundle runs to {total} pages; the limit for a party's evidence in an appeal against a refusal to assess is 75 pages, so it is {} pages over",
            total - 75
        )),
        "{warnings}"
    );
    assert!(warnings.contains("[verify]"));
    assert!(
        warnings.contains("is a report of 80 pages; the limit for each expert report"),
        "{warnings}"
    );
    assert!(warnings.contains("65 pages over"));

    // Within the limits, nothing is said.
    let out = cb.run(&[
        "bundle",
        "--format",
        "pdf",
        "--out",
        "short.pdf",
        "--kind",
        "incident",
        "--page-limit",
        "refusal-to-issue",
    ]);
    assert!(out.status.success() && out.stderr.is_empty());
}

#[test]
fn bad_requests_are_refused_and_leave_no_file() {
    let cb = demo();
    let refused = |args: &[&str], says: &str| {
        let line = cb.refused(args);
        assert!(line.contains(says), "{args:?}: {line}");
        assert!(!cb.path("out.pdf").exists(), "{args:?} left a file");
    };
    let bundle = ["bundle", "--format", "pdf", "--out", "out.pdf"];
    let with = |more: &[&'static str]| [&bundle[..], more].concat();
    refused(
        &with(&["--from", "2030-01-01"]),
        "No entries match the selection",
    );
    refused(&with(&["--from", "31/02/2026"]), "");
    refused(
        &with(&["--sections", "appendix"]),
        "is not a section of the bundle",
    );
    refused(
        &with(&["--page-limit", "appeal"]),
        "There is no page limit \"appeal\"",
    );
    refused(
        &with(&["--selection", "nothing"]),
        "There is no saved selection",
    );
    refused(&with(&["--entries", "12"]), "is not an entry id");
    refused(
        &[
            "bundle",
            "--format",
            "pdf",
            "--out",
            "no/such/folder/out.pdf",
        ],
        "cannot be written",
    );

    std::fs::write(cb.path("protected.pdf"), protected(&pdf_of(2))).expect("write");
    cb.ok(&[
        "log",
        "document",
        "--occurred",
        "2026-11-02",
        "--summary",
        "The school's behaviour log, as sent",
        "--document-type",
        "other",
        "--attach",
        "protected.pdf",
    ]);
    refused(
        &bundle,
        "The file \"protected.pdf\" attached to e20 cannot be placed in the bundle: the PDF is protected by a password",
    );
    let out = cb.run(&[&bundle[..], &["--skip-unreadable"]].concat());
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("Exhibit X3 \"protected.pdf\" (from e20) is listed without its content: the PDF is protected by a password")
    );
    assert!(
        tool("pdftotext", &["out.pdf", "-"], &cb).contains("the PDF is protected by a password")
    );
}

#[test]
fn openssl_alone_checks_every_signed_file() {
    let cb = demo();
    cb.ok(&["bundle", "--format", "pdf", "--out", "bundle.pdf"]);
    cb.ok(&["bundle", "--format", "html", "--out", "bundle.html"]);
    cb.ok(&["export", "--format", "jsonl", "--out", "case.jsonl"]);
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/verify-signature.sh"
    );
    let check = |file: &str| {
        Command::new(script)
            .arg(file)
            .current_dir(cb.dir.path())
            .output()
            .expect("the script runs")
    };
    let fingerprint = cb
        .ok(&["verify", "bundle.pdf"])
        .split("case's key ")
        .nth(1)
        .expect("a fingerprint")[..19]
        .replace(' ', "");
    for file in ["bundle.pdf", "bundle.html", "case.jsonl"] {
        let out = check(file);
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains(&fingerprint));
        let mut bytes = std::fs::read(cb.path(file)).expect("read");
        bytes[100] ^= 1;
        std::fs::write(cb.path("altered"), bytes).expect("write");
        assert!(
            !check("altered").status.success(),
            "{file} altered still checks"
        );
    }
}

#[test]
fn emails_print_readably_and_real_names_only_when_asked() {
    let cb = demo();
    std::fs::write(
        cb.path("reply.eml"),
        "From: Mrs Carter <head@millbrook.example>\r\nTo: Jo Morgan <jo@example.org>\r\nDate: Thu, 12 Nov 2026 16:05:00 +0000\r\nSubject: Your complaint\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDear Mrs Morgan,\r\n\r\nWe have spoken to Tyler about the football game.\r\n",
    )
    .expect("write");
    cb.ok(&[
        "log",
        "email",
        "--occurred",
        "2026-11-12",
        "--summary",
        "Head teacher's reply about the complaint",
        "--from",
        "Mrs Carter",
        "--attach",
        "reply.eml",
    ]);
    cb.ok(&[
        "bundle",
        "--format",
        "html",
        "--out",
        "b.html",
        "--entries",
        "e20",
    ]);
    let html = std::fs::read_to_string(cb.path("b.html")).expect("html");
    assert!(
        html.contains("From: Mrs Carter &lt;head@millbrook.example&gt;"),
        "{html}"
    );
    assert!(html.contains("Subject: Your complaint"));
    assert!(html.contains("We have spoken to Child A about the football game."));

    cb.ok(&[
        "bundle",
        "--format",
        "pdf",
        "--out",
        "named.pdf",
        "--real-names",
    ]);
    let text = tool("pdftotext", &["named.pdf", "-"], &cb);
    assert!(text.contains("Tyler Brooks"));
    assert!(text.contains("Other children are named, at the family's choice."));
}

/// Every picture is decoded whole before layout, by one rule for every format: a damaged
/// GIF or WebP (which once stopped the PDF bundle even with --skip-unreadable) or a PNG
/// whose pixels do not decode is named, or listed with --skip-unreadable.
#[test]
fn damaged_pictures_of_every_format_are_named_or_listed() {
    // A whole 1 by 1 GIF, then the same cut short after its header.
    const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        // The CRC is not checked by every reader; the pixels below are what fail.
        out.extend_from_slice(&[0, 0, 0, 0]);
        out
    };
    png.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
    png.extend(chunk(b"IDAT", b"not compressed pixels"));
    png.extend(chunk(b"IEND", b""));
    let pictures: [(&str, Vec<u8>); 4] = [
        ("whole.gif", GIF.to_vec()),
        ("cut.gif", GIF[..20].to_vec()),
        (
            "broken.webp",
            b"RIFF\x1a\x00\x00\x00WEBPVP8 \x0e\x00\x00\x00garbage garbage".to_vec(),
        ),
        ("broken.png", png),
    ];
    let cb = demo();
    for (name, bytes) in &pictures {
        std::fs::write(cb.path(name), bytes).expect("write");
        cb.ok(&[
            "log",
            "note",
            "--occurred",
            "2026-11-03",
            "--summary",
            name,
            "--attach",
            name,
        ]);
    }
    let bundle = ["bundle", "--format", "pdf", "--out", "out.pdf"];
    let refused = cb.refused(&bundle);
    assert!(
        refused.contains("\"cut.gif\"") && refused.contains("the picture is damaged"),
        "{refused}"
    );
    let out = cb.run(&[&bundle[..], &["--skip-unreadable"]].concat());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    for damaged in ["cut.gif", "broken.webp", "broken.png"] {
        assert!(
            said.contains(&format!("\"{damaged}\"")) && said.contains("the picture is damaged"),
            "{damaged}: {said}"
        );
    }
    assert!(!said.contains("\"whole.gif\""), "{said}");
    assert!(tool("pdftotext", &["out.pdf", "-"], &cb).contains("the picture is damaged"));
}
