//! The SEND Tribunal limits the pages of a party's evidence and of each expert report
//! (the limits live in the rule pack with their source). A bundle over a limit is
//! still written: the family decides what to cut, so the warning says by how much and
//! which parts are longest.

use casebook_rules::PageLimit;

use crate::bundle::Bundle;
use crate::exhibits::Shown;

/// Warnings for every limit the rendered bundle exceeds. `parts` is each part's title
/// and first page; `pages` the bundle's length.
pub fn check_page_limits(
    limits: &[&PageLimit],
    bundle: &Bundle,
    pages: usize,
    parts: &[(String, usize)],
) -> Vec<String> {
    let mut warnings = Vec::new();
    let flag = |l: &PageLimit| if l.verify { " [verify]" } else { "" };
    for limit in limits.iter().filter(|l| l.applies_to == "bundle") {
        if pages > limit.pages {
            let mut lengths: Vec<(usize, &str)> = parts
                .iter()
                .enumerate()
                .map(|(i, (title, start))| {
                    let end = parts.get(i + 1).map_or(pages + 1, |next| next.1);
                    (end.saturating_sub(*start), title.as_str())
                })
                .collect();
            lengths.sort_by_key(|l| std::cmp::Reverse(l.0));
            let longest: Vec<String> = lengths
                .iter()
                .take(3)
                .map(|(n, title)| format!("{title} {n} pages"))
                .collect();
            warnings.push(format!(
                "The bundle runs to {pages} pages; the limit for {} is {} pages, so it is {} pages over ({}{}). The longest parts: {}.",
                limit.name,
                limit.pages,
                pages - limit.pages,
                limit.source,
                flag(limit),
                longest.join(", ")
            ));
        }
    }
    for limit in limits.iter().filter(|l| l.applies_to == "report") {
        for exhibit in bundle.exhibits.iter().filter(|e| e.report) {
            if let Shown::PdfPages(n) = exhibit.shown
                && n > limit.pages
            {
                warnings.push(format!(
                    "Exhibit {} \"{}\" is a report of {n} pages; the limit for {} is {} pages, so it is {} pages over ({}{}).",
                    exhibit.reference,
                    exhibit.attachment.name,
                    limit.name,
                    limit.pages,
                    n - limit.pages,
                    limit.source,
                    flag(limit)
                ));
            }
        }
    }
    warnings
}
