//! The plan check's report as a page of its own (`casebook plan check --html`), for the
//! family's adviser: readable offline and printable, nothing loaded from elsewhere, and
//! every word from the plan escaped (a plan is written by strangers).

use casebook_plans::PlanReport;

use crate::charts::escape;

pub fn plan_report_html(name: &str, report: &PlanReport) -> String {
    let letters = |list: &[char]| {
        list.iter()
            .map(char::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut html = String::from(
        "<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>EHC plan check</title><style>\
         body{font-family:sans-serif;max-width:48em;margin:1em auto;padding:0 1em;line-height:1.5}\
         blockquote{border-left:4px solid #8a8a8a;margin:0.5em 0;padding-left:1em}\
         li{margin-bottom:1.25em}ul{list-style:none;padding-left:0}.source{color:#444}\
         </style></head><body>\n<h1>EHC plan check</h1>\n",
    );
    html.push_str(&format!(
        "<p>{} ({}). Sections found: {}.",
        escape(name),
        if report.draft {
            "a draft plan"
        } else {
            "the final plan"
        },
        letters(&report.sections)
    ));
    if !report.not_found.is_empty() {
        html.push_str(&format!(
            " Not found under a heading casebook knows: {}, so points about them may be missing.",
            letters(&report.not_found)
        ));
    }
    html.push_str("</p>\n");
    if report.findings.is_empty() {
        html.push_str("<p>Nothing found to question.</p>\n");
    }
    let mut section = None;
    for f in &report.findings {
        if section != Some(f.section) {
            if section.is_some() {
                html.push_str("</ul>\n");
            }
            html.push_str(&format!("<h2>Section {}</h2>\n<ul>\n", f.section));
            section = Some(f.section);
        }
        let what = match f.item {
            0 => format!("The section as a whole: {}", f.kind.name()),
            n => format!("Item {n}: {}", f.kind.name()),
        };
        html.push_str(&format!("<li><strong>{}</strong>", escape(&what)));
        if !f.quote.is_empty() {
            html.push_str(&format!("<blockquote>{}</blockquote>", escape(&f.quote)));
        }
        html.push_str(&format!(
            "<p>{} {}</p><p class=\"source\">Source: {}{}</p></li>\n",
            escape(&f.detail),
            escape(&f.why),
            escape(&f.source),
            if f.verify {
                ". Not yet confirmed against the published text: check it with IPSEA or your local SENDIASS"
            } else {
                ""
            }
        ));
    }
    if section.is_some() {
        html.push_str("</ul>\n");
    }
    html.push_str("<p>These are the checks advisers make, not legal advice.</p>\n</body></html>\n");
    html
}
