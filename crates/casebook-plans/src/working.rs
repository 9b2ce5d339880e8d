//! The working document the SEND Tribunal asks for in an appeal about a plan's
//! contents: each disputed item with the council's wording, the family's wording
//! (what to delete struck through, what to add marked), the reason and the evidence.
//! The family's wording starts from the findings: vague words struck out, a gap for
//! each quantity the item does not give, the professional's recommendation where the
//! advice was watered down or left out. It is a first draft for the family to finish.

use serde::Serialize;

use crate::PlanReport;
use crate::checks::PlanChecks;
use crate::findings::{Finding, Kind, vague_at};
use casebook_documents::phrases::spans;

/// A piece of the family's wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "is", content = "text")]
pub enum Piece {
    Kept(String),
    Deleted(String),
    Added(String),
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub section: char,
    /// The item's place in its section; 0 for an item to add.
    pub item: usize,
    /// "Section F, item 3", or "Section F (new)".
    pub place: String,
    pub council: String,
    pub family: Vec<Piece>,
    pub reason: String,
    pub evidence: String,
}

/// The rows for a checked plan, in the plan's order: every item with a finding that
/// the working document can answer (a draft's Section I is for the comments, not here).
pub fn working_rows(report: &PlanReport, checks: &PlanChecks) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut places: Vec<(char, usize)> = Vec::new();
    for f in &report.findings {
        let (section, item) = match f.kind {
            Kind::AdviceWeakened => ('F', f.provision_item),
            Kind::AdviceMissing | Kind::NeedWithoutProvision => ('F', 0),
            Kind::Placement if report.draft => continue,
            _ => (f.section, f.item),
        };
        if item != 0 && places.contains(&(section, item)) {
            continue;
        }
        places.push((section, item));
        let about: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|g| {
                item != 0
                    && ((g.section == section && g.item == item)
                        || (g.kind == Kind::AdviceWeakened
                            && section == 'F'
                            && g.provision_item == item))
            })
            .collect();
        let about = if about.is_empty() { vec![f] } else { about };
        let council = match item {
            0 => String::new(),
            n => report
                .items
                .iter()
                .find(|i| i.section == section && i.number == n)
                .map_or_else(String::new, |i| i.text.clone()),
        };
        rows.push(Row {
            section,
            item,
            place: match (item, section) {
                (0, 'F') => "Section F (new)".to_owned(),
                (0, _) => format!("Section {section}"),
                (n, _) => format!("Section {section}, item {n}"),
            },
            family: wording(&council, &about, checks),
            reason: about
                .iter()
                .map(|g| format!("{} {}", g.detail, g.why))
                .collect::<Vec<_>>()
                .join(" "),
            evidence: about
                .iter()
                .filter(|g| matches!(g.kind, Kind::AdviceWeakened | Kind::AdviceMissing))
                .map(|g| report_name(&g.quote))
                .collect::<Vec<_>>()
                .join("; "),
            council,
        });
    }
    // In the plan's order; new items at the end of their section.
    rows.sort_by_key(|r| (r.section, r.item == 0, r.item));
    rows
}

/// The family's wording for one item.
fn wording(council: &str, about: &[&Finding], checks: &PlanChecks) -> Vec<Piece> {
    // Where the advice asks for more, its recommendation replaces the item.
    if let Some(advice) = about
        .iter()
        .find(|f| matches!(f.kind, Kind::AdviceWeakened | Kind::AdviceMissing))
    {
        let mut pieces = Vec::new();
        if !council.is_empty() {
            pieces.push(Piece::Deleted(council.to_owned()));
            pieces.push(Piece::Kept(" ".to_owned()));
        }
        let recommended = advice.words.first().map_or("", String::as_str);
        pieces.push(Piece::Added(format!(
            "{}, as recommended in {}.",
            capital(recommended),
            report_name(&advice.quote)
        )));
        return pieces;
    }
    let mut pieces = Vec::new();
    if let Some(need) = about.iter().find(|f| f.kind == Kind::NeedWithoutProvision) {
        let area = need.words.first().unwrap_or(&need.quote);
        pieces.push(Piece::Added(format!(
            "[Provision for {area}: what, who delivers it, how often and for how long.]"
        )));
        return pieces;
    }
    if about.iter().any(|f| f.kind == Kind::Misplaced) {
        pieces.push(Piece::Deleted(council.to_owned()));
        pieces.push(Piece::Added(format!(" Move to Section F: {council}")));
        return pieces;
    }
    if about.iter().any(|f| f.kind == Kind::Placement) {
        pieces.push(Piece::Added(
            "[The school or type of school you ask for.]".to_owned(),
        ));
        return pieces;
    }
    // Vague words struck out where they stand; the rest kept.
    let found = spans(council);
    let text_words: Vec<String> = found.iter().map(|(_, w)| w.clone()).collect();
    let mut strike: Vec<std::ops::Range<usize>> = if about.iter().any(|f| f.kind == Kind::Hedge) {
        vague_at(&text_words, checks)
            .into_iter()
            .map(|(at, len, _)| found[at].0.start..found[at + len - 1].0.end)
            .collect()
    } else {
        Vec::new()
    };
    strike.sort_by_key(|r| r.start);
    let mut at = 0;
    for range in strike {
        if range.start < at {
            continue;
        }
        if range.start > at {
            pieces.push(Piece::Kept(council[at..range.start].to_owned()));
        }
        pieces.push(Piece::Deleted(council[range.clone()].to_owned()));
        at = range.end;
    }
    let rest = council[at..].trim_end().trim_end_matches('.');
    if !rest.is_empty() {
        pieces.push(Piece::Kept(rest.to_owned()));
    }
    let gaps: Vec<String> = about
        .iter()
        .filter(|f| matches!(f.kind, Kind::Unquantified | Kind::Outcome))
        .flat_map(|f| f.words.iter().map(|w| format!("[{w}]")))
        .collect();
    if !gaps.is_empty() {
        pieces.push(Piece::Added(format!(", {}", gaps.join(", "))));
    }
    if council.trim_end().ends_with('.') {
        pieces.push(Piece::Kept(".".to_owned()));
    }
    pieces
}

/// The report an item of Section K names: the words before its first colon.
fn report_name(advice: &str) -> String {
    advice
        .split_once(':')
        .map_or(advice, |(name, _)| name)
        .trim()
        .to_owned()
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The family's wording as plain text, for a letter: deletions left out, spaces made
/// one, a capital to start (striking the first words may leave it in lower case).
pub fn as_asked(pieces: &[Piece]) -> String {
    let text: String = pieces
        .iter()
        .map(|piece| match piece {
            Piece::Kept(text) | Piece::Added(text) => text.as_str(),
            Piece::Deleted(_) => "",
        })
        .collect();
    capital(
        &text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace(" ,", ","),
    )
}
