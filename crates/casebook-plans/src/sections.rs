//! A plan's Sections A to K found under the headings councils use, and each section
//! split into its items: numbered or bulleted paragraphs, table rows, or paragraphs.
//! A PDF or text file has lines, not paragraphs, so a line that does not end a
//! sentence runs on into the next; a short line that ends nothing is a sub-heading (an
//! area of need, "Outcome 1") and labels the items under it.

use casebook_documents::{Block, Document};
use serde::Serialize;

use crate::checks::SectionTitles;

/// One item of a section, as the plan words it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub section: char,
    /// Its place in the section, from 1.
    pub number: usize,
    /// The area it is under: a sub-heading, an "Area: ..." start, or a table's first
    /// column headed "need" or "area".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct ReadPlan {
    /// What comes before the first section (the title page).
    pub front: String,
    pub found: Vec<char>,
    pub items: Vec<Item>,
}

impl ReadPlan {
    pub fn items_of(&self, section: char) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(move |i| i.section == section)
    }
}

pub fn read_plan(document: &Document, titles: &[SectionTitles]) -> ReadPlan {
    let mut reader = Reader {
        titles,
        plan: ReadPlan::default(),
        section: None,
        area: None,
        open: false,
    };
    for block in &document.blocks {
        match block {
            Block::Paragraph(text) => {
                for line in text.lines() {
                    reader.line(line);
                }
            }
            Block::Table(rows) => reader.table(rows),
        }
    }
    reader.plan
}

struct Reader<'a> {
    titles: &'a [SectionTitles],
    plan: ReadPlan,
    section: Option<char>,
    area: Option<String>,
    /// The last item has not ended its sentence: a plain line runs on into it.
    open: bool,
}

impl Reader<'_> {
    fn line(&mut self, line: &str) {
        let line = line.trim();
        if line.is_empty() {
            self.open = false;
            return;
        }
        if let Some(letter) = self.heading(line, true) {
            self.start(letter);
            return;
        }
        let Some(section) = self.section else {
            self.plan.front.push_str(line);
            self.plan.front.push('\n');
            return;
        };
        let (marked, text) = strip_marker(line, section);
        if !marked
            && self.open
            && let Some(last) = self.plan.items.last_mut()
        {
            last.text.push(' ');
            last.text.push_str(text);
            self.open = !ends_sentence(&last.text);
            return;
        }
        let words = text.split_whitespace().count();
        if !marked && words <= 6 && (text.ends_with(':') || !ends_sentence(text)) {
            self.area = Some(text.trim_end_matches(':').trim().to_owned());
            return;
        }
        let (area, text) = match labelled(text) {
            Some((label, rest)) => (Some(label.to_owned()), rest),
            None => (self.area.clone(), text),
        };
        self.push(section, area, text.to_owned());
        self.open = !ends_sentence(text);
    }

    fn table(&mut self, rows: &[Vec<String>]) {
        self.open = false;
        let mut header: Option<&Vec<String>> = None;
        for (at, row) in rows.iter().enumerate() {
            let cells: Vec<&str> = row
                .iter()
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            if cells.is_empty() {
                continue;
            }
            if let Some(letter) = self.heading(cells[0], false) {
                self.start(letter);
                header = None;
                continue;
            }
            let Some(section) = self.section else {
                self.plan.front.push_str(&cells.join(" "));
                self.plan.front.push('\n');
                continue;
            };
            if at == 0 && rows.len() > 1 && is_header(&cells) {
                header = Some(row);
                continue;
            }
            let by_area = header.is_some_and(|h| {
                h.first().is_some_and(|c| {
                    c.to_lowercase().contains("need") || c.to_lowercase().contains("area")
                })
            });
            let text = match header {
                Some(h) => row
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| !c.trim().is_empty())
                    .map(
                        |(i, c)| match h.get(i).map(|h| h.trim()).filter(|h| !h.is_empty()) {
                            Some(name) => format!("{name}: {}", one_line(c)),
                            None => one_line(c),
                        },
                    )
                    .collect::<Vec<_>>()
                    .join("; "),
                None => cells
                    .iter()
                    .map(|c| one_line(c))
                    .collect::<Vec<_>>()
                    .join("; "),
            };
            let area = if by_area {
                row.first().map(|c| one_line(c))
            } else {
                self.area.clone()
            };
            self.push(section, area, text);
        }
    }

    fn start(&mut self, letter: char) {
        self.section = Some(letter);
        self.area = None;
        self.open = false;
        if !self.plan.found.contains(&letter) {
            self.plan.found.push(letter);
        }
    }

    fn push(&mut self, section: char, area: Option<String>, text: String) {
        let number = self.plan.items_of(section).count() + 1;
        self.plan.items.push(Item {
            section,
            number,
            area,
            text,
        });
    }

    /// The section a heading starts: "Section F", "Part F", "F:" or "F." and the
    /// section's title, or (on a line of its own, for a later section than this one)
    /// the title alone.
    fn heading(&self, line: &str, own_line: bool) -> Option<char> {
        let lower = line.to_lowercase();
        let lower = lower.trim();
        let count = lower.split_whitespace().count();
        // A heading is short, and not a sentence.
        if count > 20 || (lower.ends_with('.') && count > 8) {
            return None;
        }
        for prefix in ["section ", "part "] {
            if let Some(rest) = lower.strip_prefix(prefix) {
                return letter_then(rest).map(|(letter, _)| letter);
            }
        }
        if let Some((letter, rest)) = letter_then(lower)
            && !rest.is_empty()
            && self.titles_of(letter).any(|t| rest.starts_with(t))
        {
            return Some(letter);
        }
        if own_line {
            let bare = lower.trim_end_matches(':').trim();
            let later = |letter: char| self.section.is_none_or(|s| letter > s);
            return self
                .titles
                .iter()
                .find(|s| later(s.letter) && s.titles.iter().any(|t| t == bare))
                .map(|s| s.letter);
        }
        None
    }

    fn titles_of(&self, letter: char) -> impl Iterator<Item = &str> {
        self.titles
            .iter()
            .filter(move |s| s.letter == letter)
            .flat_map(|s| s.titles.iter().map(String::as_str))
    }
}

/// A section letter (A to K, "H1" and "H2" as H) at the start, ending there or at a
/// separator or space, and what follows (which, without "Section" or "Part" before
/// the letter, must be the section's title).
fn letter_then(text: &str) -> Option<(char, &str)> {
    let first = text.chars().next()?;
    if !('a'..='k').contains(&first) {
        return None;
    }
    let mut end = first.len_utf8();
    let rest = &text[end..];
    if let Some(digit) = rest.chars().next().filter(|c| matches!(c, '1' | '2')) {
        end += digit.len_utf8();
    }
    let rest = &text[end..];
    match rest.chars().next() {
        None => Some((first.to_ascii_uppercase(), rest)),
        Some(':' | '.' | ')' | '-' | '–' | '—' | ' ') => Some((
            first.to_ascii_uppercase(),
            rest.trim_start_matches(|c: char| !c.is_alphanumeric()),
        )),
        _ => None,
    }
}

/// A bullet or number at the start ("•", "-", "1.", "2)", "(a)", "F3", "F3."): whether
/// there was one, and the text after it.
fn strip_marker(line: &str, section: char) -> (bool, &str) {
    let line = line.trim_start();
    for bullet in ['•', '-', '*', '–', '·', '▪', '◦'] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return (true, rest.trim_start());
        }
    }
    let first: String = line
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    let token = first.trim_end_matches(['.', ')', ':']);
    let token = token.trim_start_matches('(');
    let numbered = !token.is_empty()
        && token.len() <= 5
        && (first.len() > token.len() || token.starts_with(section))
        && {
            let digits = token
                .trim_start_matches(section)
                .trim_start_matches(section.to_ascii_lowercase());
            (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.'))
                || (token.len() == 1
                    && token.chars().all(|c| c.is_ascii_lowercase())
                    && first.ends_with(')'))
        };
    if numbered {
        (true, line[first.len()..].trim_start())
    } else {
        (false, line)
    }
}

/// "Area: what is said", where the area is a few words.
fn labelled(text: &str) -> Option<(&str, &str)> {
    let (label, rest) = text.split_once(':')?;
    let words = label.split_whitespace().count();
    (1..=5)
        .contains(&words)
        .then(|| (label.trim(), rest.trim()))
        .filter(|(_, r)| !r.is_empty())
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', '!', '?', ';', ')', '"', '”'])
}

/// A table's first row names its columns: every cell a few words, no numbers.
fn is_header(cells: &[&str]) -> bool {
    cells
        .iter()
        .all(|c| c.split_whitespace().count() <= 5 && !c.chars().any(|ch| ch.is_ascii_digit()))
}

fn one_line(cell: &str) -> String {
    cell.split_whitespace().collect::<Vec<_>>().join(" ")
}
