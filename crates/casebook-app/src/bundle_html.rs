//! The bundle as one HTML file that opens in any browser, offline: the same parts as the
//! PDF, charts inline, pictures and PDFs carried inside the file, the manifest in a
//! script block that a program can read.

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::bundle::{Bundle, ExhibitRef, Part, Row};
use crate::charts::escape;
use crate::error::AppResult;

const STYLE: &str = "body{font-family:'Libertinus Serif',Georgia,serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}\
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #bbb;padding:.3rem;vertical-align:top;text-align:left}\
.cover dt,.facts dt{font-weight:bold}.cover dd{margin:0 0 .5rem 0}.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}.facts dd{margin:0}.hash{font-family:monospace;font-size:.8rem;word-break:break-all}\
.entry{border-top:1px solid #ddd;padding:.5rem 0}.meta{font-style:italic;color:#444}pre{white-space:pre-wrap;font-size:.85rem;background:#f6f6f6;padding:.5rem}\
img{max-width:100%}svg{max-width:100%;height:auto}@media print{h2{break-before:page}}";

pub fn bundle_html(bundle: &Bundle) -> AppResult<Vec<u8>> {
    let layout = &bundle.layout;
    let mut html = String::new();
    let _ = writeln!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body>",
        escape(&layout.title)
    );
    let _ = writeln!(
        html,
        "<header class=\"cover\"><h1>{}</h1><p>{}</p><dl><dt>Child</dt><dd>{}</dd><dt>Setting</dt><dd>{}</dd><dt>Entries</dt><dd>{}</dd><dt>Produced</dt><dd>{}</dd><dt>Record fingerprint (up to {})</dt><dd class=\"hash\">{}</dd><dt>Signature key fingerprint</dt><dd class=\"hash\">{}</dd><dt>Trusted timestamp</dt><dd>{}</dd></dl><h2>How to check this document has not been changed</h2><p class=\"meta\">{}</p></header>",
        escape(&layout.title),
        escape(&layout.purpose),
        escape(&layout.child),
        escape(&layout.setting),
        layout.entries,
        escape(&layout.produced),
        escape(&layout.head_entry),
        escape(&layout.head),
        escape(&layout.key),
        escape(&layout.timestamp),
        escape(&layout.notice),
    );
    html.push_str("<nav><h2>Index</h2><ol>");
    for (n, part) in layout.parts.iter().enumerate() {
        let _ = write!(
            html,
            "<li><a href=\"#part-{}\">{}</a></li>",
            n + 1,
            escape(part.title())
        );
    }
    html.push_str("</ol></nav>\n");
    for (n, part) in layout.parts.iter().enumerate() {
        let _ = writeln!(
            html,
            "<section id=\"part-{}\"><h2>{}. {}</h2>",
            n + 1,
            n + 1,
            escape(part.title())
        );
        match part {
            Part::Chronology { rows, .. } => chronology(&mut html, rows),
            Part::Entries { rows, .. } => rows.iter().for_each(|r| entry(&mut html, r)),
            Part::Charts { charts, .. } => {
                for (chart, drawn) in charts.iter().zip(&bundle.charts) {
                    let _ = writeln!(
                        html,
                        "<figure><figcaption><strong>{}</strong>. {}</figcaption>{}</figure>",
                        escape(&chart.title),
                        escape(&chart.caption),
                        drawn.svg
                    );
                }
            }
            Part::Exhibits { exhibits, .. } => {
                for (shown, exhibit) in exhibits.iter().zip(&bundle.exhibits) {
                    exhibit_html(&mut html, shown, &exhibit.bytes);
                }
            }
        }
        html.push_str("</section>\n");
    }
    // A program finds the manifest here; `</` cannot end the block early.
    let manifest = String::from_utf8_lossy(&bundle.manifest_json()?).replace("</", "<\\/");
    let _ = write!(
        html,
        "<script type=\"application/json\" id=\"casebook-manifest\">{manifest}</script>\n</body></html>\n"
    );
    Ok(html.into_bytes())
}

fn chronology(html: &mut String, rows: &[Row]) {
    html.push_str("<table><thead><tr><th>Date</th><th>Kind</th><th>What happened</th><th>Who</th><th>Source</th><th>Ref</th></tr></thead><tbody>");
    for r in rows {
        let reference = if r.exhibits.is_empty() {
            r.id.clone()
        } else {
            format!("{} ({})", r.id, r.exhibits)
        };
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&r.date),
            escape(&r.kind),
            escape(&r.id),
            escape(&r.summary),
            escape(&r.who),
            escape(&r.source),
            escape(&reference)
        );
    }
    html.push_str("</tbody></table>\n");
}

fn entry(html: &mut String, r: &Row) {
    let _ = write!(
        html,
        "<div class=\"entry\" id=\"{}\"><h3>{} · {} · {}</h3><p><strong>{}</strong></p>",
        escape(&r.id),
        escape(&r.id),
        escape(&r.date),
        escape(&r.kind),
        escape(&r.summary)
    );
    if !r.facts.is_empty() {
        html.push_str("<dl class=\"facts\">");
        for fact in &r.facts {
            let lines: Vec<String> = fact.lines.iter().map(|l| escape(l)).collect();
            let _ = write!(
                html,
                "<dt>{}</dt><dd>{}</dd>",
                escape(&fact.label),
                lines.join("<br>")
            );
        }
        html.push_str("</dl>");
    }
    for paragraph in r.details.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let _ = write!(html, "<p>{}</p>", escape(paragraph).replace('\n', "<br>"));
    }
    for correction in &r.corrections {
        let _ = write!(html, "<p class=\"meta\">{}</p>", escape(correction));
    }
    for (label, value) in [("Source", &r.source), ("Exhibits", &r.exhibits)] {
        if !value.is_empty() {
            let _ = write!(html, "<p class=\"meta\">{label}: {}</p>", escape(value));
        }
    }
    html.push_str("</div>\n");
}

fn exhibit_html(html: &mut String, e: &ExhibitRef, bytes: &[u8]) {
    let _ = write!(
        html,
        "<div class=\"entry\" id=\"{}\"><h3>Exhibit {}: {}</h3><p class=\"meta\">From {}, {}. {}. SHA-256 <span class=\"hash\">{}</span></p>",
        escape(&e.reference),
        escape(&e.reference),
        escape(&e.name),
        escape(&e.entry),
        escape(&e.date),
        escape(&e.size),
        escape(&e.sha256)
    );
    match e.shown {
        "pdf" => {
            let _ = write!(
                html,
                "<p>A PDF of {} page{}: <a download=\"{}.pdf\" href=\"data:application/pdf;base64,{}\">open or save it</a>.</p>",
                e.pages,
                if e.pages == 1 { "" } else { "s" },
                escape(&e.reference),
                STANDARD.encode(bytes)
            );
        }
        "picture" => {
            let kind = e.path.rsplit('.').next().unwrap_or("png");
            let kind = if kind == "jpg" { "jpeg" } else { kind };
            let _ = write!(
                html,
                "<img alt=\"Exhibit {}\" src=\"data:image/{kind};base64,{}\">",
                escape(&e.reference),
                STANDARD.encode(bytes)
            );
        }
        "text" => {
            let _ = write!(html, "<pre>{}</pre>", escape(&e.text));
        }
        _ => {
            let _ = write!(html, "<p>{}</p>", escape(&e.text));
        }
    }
    html.push_str("</div>\n");
}
