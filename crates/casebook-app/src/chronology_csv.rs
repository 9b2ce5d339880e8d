//! The chronology as CSV, for a spreadsheet. Other children appear by pseudonym unless
//! real names are asked for.

use std::io::Write;

use casebook_domain::{Facts, Person, uk_date};

use crate::error::{AppError, AppResult};
use crate::privacy::pseudonymise;
use crate::timeline::{RequestState, TimelineItem, person_name};

const COLUMNS: [&str; 14] = [
    "id",
    "date",
    "occurred",
    "kind",
    "channel",
    "summary",
    "people",
    "categories",
    "status",
    "amended by",
    "redacted by",
    "attachments",
    "recorded",
    "sha256",
];

pub fn write_csv(
    out: &mut impl Write,
    items: &[TimelineItem],
    people: &[Person],
    real_names: bool,
) -> AppResult<()> {
    let fail = |e: std::io::Error| AppError::Invalid(format!("Cannot write the CSV file: {e}."));
    write_row(out, COLUMNS.iter().map(|c| c.to_string())).map_err(fail)?;
    for item in items {
        let private = |text: &str| {
            if real_names {
                text.to_owned()
            } else {
                pseudonymise(text, people)
            }
        };
        let categories = match &item.facts {
            Some(Facts::Incident(i)) => i
                .categories
                .iter()
                .map(|c| c.phrase())
                .collect::<Vec<_>>()
                .join("; "),
            _ => String::new(),
        };
        let status = match item.request {
            Some(RequestState::Open { due: Some(due) }) => format!("open, due {}", uk_date(due)),
            Some(RequestState::Open { due: None }) => "open".into(),
            Some(RequestState::Late { due, days_late }) => {
                format!("late: due {}, {days_late} days ago", uk_date(due))
            }
            Some(RequestState::Answered { by }) => format!("answered by {by}"),
            Some(RequestState::Withdrawn { by }) => format!("withdrawn by {by}"),
            None if item.unconfirmed => "not yet confirmed in writing".into(),
            None => String::new(),
        };
        let row = [
            item.id.to_string(),
            item.occurred_text.clone(),
            item.occurred.canonical(),
            item.kind.phrase().to_owned(),
            item.channel
                .map(|c| c.phrase().to_owned())
                .unwrap_or_default(),
            item.summary
                .as_deref()
                .map_or_else(|| "[redacted]".to_owned(), private),
            item.people
                .iter()
                .map(|p| person_name(people, *p, real_names))
                .collect::<Vec<_>>()
                .join("; "),
            categories,
            status,
            item.amended_by
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
            item.redacted_by.map(|r| r.to_string()).unwrap_or_default(),
            item.attachments
                .iter()
                .map(|a| a.name.clone())
                .collect::<Vec<_>>()
                .join("; "),
            casebook_domain::recorded_text(item.recorded),
            item.hash.to_hex(),
        ];
        write_row(out, row.into_iter()).map_err(fail)?;
    }
    out.flush().map_err(fail)
}

fn write_row(out: &mut impl Write, cells: impl Iterator<Item = String>) -> std::io::Result<()> {
    let cells: Vec<String> = cells.map(|c| cell(&c)).collect();
    out.write_all(cells.join(",").as_bytes())?;
    out.write_all(b"\r\n")
}

/// RFC 4180 quoting, and a leading apostrophe on anything a spreadsheet would run as a
/// formula: an entry's text must never become an instruction to the reader's machine.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }
}
