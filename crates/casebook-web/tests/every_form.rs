//! Every form of the family's web app filled with drawn words, valid by nothing but
//! their types: each form on each page is found in the page itself, as a browser finds
//! it, and sent with every field filled from seeded random bytes. Whatever the store
//! accepts, every page must still open and every reader still read the case.

use casebook_app::CaseFile;
use casebook_app::checks::{Draw, every_reader_reads, seeded};
use casebook_store::CaseStore;
use jiff::civil::Date;

use crate::harness::{App, app, blocking};

/// A field of a form as the page wrote it.
struct Field {
    name: String,
    kind: String,
    value: String,
    /// A choice's options, or the names a field suggests (its datalist).
    options: Vec<String>,
}

struct PageForm {
    action: String,
    fields: Vec<Field>,
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value of `attribute` in a tag's text.
fn attribute(tag: &str, attribute: &str) -> Option<String> {
    let at = tag.find(&format!(" {attribute}=\""))?;
    let rest = &tag[at + attribute.len() + 3..];
    rest.split('"').next().map(unescape)
}

/// Every form that posts, with its fields: inputs, text areas and choices.
fn forms(html: &str) -> Vec<PageForm> {
    let mut found = Vec::new();
    for part in html.split("<form").skip(1) {
        let form = part.split("</form>").next().unwrap_or_default();
        let head = form.split('>').next().unwrap_or_default();
        if attribute(head, "method").as_deref() != Some("post") {
            continue;
        }
        let Some(action) = attribute(head, "action") else {
            continue;
        };
        let mut fields = Vec::new();
        for (at, _) in form.match_indices('<') {
            let tag = form[at..].split('>').next().unwrap_or_default();
            let kind = match tag.split_whitespace().next().unwrap_or_default() {
                "<input" => attribute(tag, "type").unwrap_or_else(|| "text".into()),
                "<textarea" => "textarea".into(),
                "<select" => "select".into(),
                _ => continue,
            };
            let Some(name) = attribute(tag, "name") else {
                continue;
            };
            let listed = |within: &str, end: &str| -> Vec<String> {
                within
                    .split(end)
                    .next()
                    .unwrap_or_default()
                    .split("<option")
                    .skip(1)
                    .filter_map(|o| attribute(o.split('>').next().unwrap_or_default(), "value"))
                    .collect()
            };
            let options = match (kind.as_str(), attribute(tag, "list")) {
                ("select", _) => listed(&form[at..], "</select>"),
                (_, Some(list)) => html
                    .split(&format!("<datalist id=\"{list}\">"))
                    .nth(1)
                    .map(|rest| listed(rest, "</datalist>"))
                    .unwrap_or_default(),
                _ => vec![],
            };
            fields.push(Field {
                name,
                value: attribute(tag, "value").unwrap_or_default(),
                kind,
                options,
            });
        }
        found.push(PageForm { action, fields });
    }
    found
}

/// What a person might put in a field of this kind; in an `odd` form, anything at all.
fn fill(field: &Field, odd: bool, draw: &mut Draw<'_>) -> Option<String> {
    if field.name == "token" {
        return Some(field.value.clone());
    }
    if odd && field.kind != "file" && draw.below(3) > 0 {
        return Some(draw.text());
    }
    Some(match field.kind.as_str() {
        "hidden" | "submit" => field.value.clone(),
        "checkbox" | "radio" if !draw.chance() => return None,
        "checkbox" | "radio" if field.value.is_empty() => "on".into(),
        "checkbox" | "radio" => field.value.clone(),
        "file" => return None,
        _ if !field.options.is_empty() => field.options[draw.below(field.options.len())].clone(),
        "date" => draw.date().get().to_string(),
        "time" => format!("{:02}:{:02}", draw.below(24), draw.below(60)),
        "number" => draw.below(1000).to_string(),
        _ if draw.below(4) > 0 => draw.line(),
        _ => draw.text(),
    })
}

/// Every page of the case opens: none answers with a failure.
async fn every_page_opens(app: &App, entries: u64, seed: u64) {
    let mut pages: Vec<String> = [
        "",
        "timeline",
        "timeline?q=Sam",
        "people",
        "requests",
        "deadlines",
        "letters",
        "minutes",
        "bundle",
        "bundle/download?format=html",
        "settings",
    ]
    .iter()
    .map(|p| format!("/cases/demo/{p}"))
    .collect();
    pages.extend((1..=entries).map(|n| format!("/cases/demo/entries/e{n}")));
    for page in pages {
        let answer = app.get(&page).await;
        assert!(
            answer.status.is_success(),
            "seed {seed}: {page} answered {}",
            answer.status
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whatever_any_form_accepts_every_page_opens_and_every_reader_reads() {
    let app = app();
    let templates = casebook_letters::Templates::load(None).expect("templates");
    let letters: Vec<String> = templates.list().map(|t| t.id.clone()).collect();
    let mut accepted = 0;
    let mut sent = 0;
    for seed in 0..6 {
        let source = seeded(seed, 64 * 1024);
        let mut draw = Draw::new(&source);
        let head = |app: &App| {
            blocking(|| {
                let case = app.web.store.cases().expect("cases")[0].clone();
                app.web
                    .store
                    .head(case.id)
                    .expect("head")
                    .map_or(0, |h| h.seq)
            })
        };
        let before = head(&app);
        let mut pages: Vec<String> = casebook_web::log_kinds()
            .map(|k| format!("/cases/demo/log/{k}"))
            .collect();
        pages.extend(
            ["people", "requests", "minutes", "settings"]
                .iter()
                .map(|p| format!("/cases/demo/{p}")),
        );
        pages.push(format!(
            "/cases/demo/entries/e{}",
            1 + draw.below(before as usize)
        ));
        pages.push(format!(
            "/cases/demo/letters/{}",
            letters[draw.below(letters.len())]
        ));
        for page in &pages {
            let html = app.get(page).await.body;
            for form in forms(&html) {
                let odd = draw.below(4) == 0;
                let filled: Vec<(String, String)> = form
                    .fields
                    .iter()
                    .filter_map(|f| fill(f, odd, &mut draw).map(|v| (f.name.clone(), v)))
                    .collect();
                let pairs: Vec<(&str, &str)> = filled
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                let answer = app.post(&form.action, &pairs, "same-origin").await;
                sent += 1;
                assert!(
                    !answer.status.is_server_error(),
                    "seed {seed}: {} answered {}: {}",
                    form.action,
                    answer.status,
                    answer.body
                );
                accepted += usize::from(answer.status.is_redirection());
            }
        }
        let entries = head(&app);
        every_page_opens(&app, entries, seed).await;
        blocking(|| {
            let case = app.web.store.cases().expect("cases")[0].clone();
            let file = CaseFile {
                store: &app.web.store,
                blobs: &app.web.blobs,
                clock: app.web.clock.as_ref(),
                case,
            };
            every_reader_reads(&file, Date::constant(2026, 11, 20))
                .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        });
    }
    // The draw reaches the store, not only the forms' refusals. (A fifth: the form of
    // term dates asks for twenty-odd dates in order at once, and is seldom right by
    // chance.)
    assert!(sent > 60, "only {sent} forms were sent");
    assert!(
        accepted * 5 > sent,
        "only {accepted} of {sent} forms were accepted"
    );
}
