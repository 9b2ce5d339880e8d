//! Phrases found on whole words, without regard to case: "may" is not in "Maya". In a
//! phrase, "#number" stands for any number, "#year" for a year, and "#amount" for a
//! number that is not part of a date or a school year ("30", not "Year 7" or "3 May").

use std::ops::Range;

/// The words of a text, lowercased; hyphens, slashes and a percent sign stay inside a
/// word ("full-time", "n/a", "95%"), but a number is a word of its own ("30-minute" is
/// "30 minute", "1:1" is "1 1").
pub fn words(text: &str) -> Vec<String> {
    spans(text).into_iter().map(|(_, word)| word).collect()
}

/// The words of [`words`], each with where it stands in the text (bytes), so what is
/// found among the words can be marked in the text as written.
pub fn spans(text: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    each_word(text, |at, word| out.push((at, word.to_owned())));
    out
}

/// Each word of [`words`] with where it stands, lent rather than collected: a reader
/// that only asks whether a text has certain words allocates nothing for the rest.
pub fn each_word(text: &str, mut word: impl FnMut(Range<usize>, &str)) {
    let inside = |c: char| c.is_alphanumeric() || matches!(c, '-' | '/' | '%' | '\'' | '#');
    let mut lower = String::new();
    let mut piece = |piece: Range<usize>| {
        let raw = &text[piece.clone()];
        let trimmed = raw.trim_start_matches(['-', '/', '\'']);
        let from = piece.start + (raw.len() - trimmed.len());
        let trimmed = trimmed.trim_end_matches(['-', '/', '\'']);
        if trimmed.is_empty() {
            return;
        }
        let at = from..from + trimmed.len();
        if !trimmed
            .bytes()
            .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
        {
            word(at, trimmed);
        } else if trimmed.is_ascii() {
            lower.clear();
            lower.push_str(trimmed);
            lower.make_ascii_lowercase();
            word(at, &lower);
        } else {
            word(at, &trimmed.to_lowercase());
        }
    };
    let mut start = None;
    for (at, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (inside(c), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                start = None;
                let run = &text[from..at];
                match run.split_once('-') {
                    Some((number, _)) if is_number(number) => {
                        piece(from..from + number.len());
                        piece(from + number.len() + 1..at);
                    }
                    _ => piece(from..at),
                }
            }
            _ => {}
        }
    }
}

const NUMBER_WORDS: &[(&str, u32)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("fifteen", 15),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("ninety", 90),
];

/// A number's value, in digits or in words.
pub fn number(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches('%');
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return digits.parse().ok();
    }
    NUMBER_WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, n)| *n)
}

pub fn is_number(word: &str) -> bool {
    number(word).is_some()
}

pub fn is_year(word: &str) -> bool {
    word.len() == 4 && (word.starts_with("19") || word.starts_with("20")) && is_number(word)
}

pub const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Whether the number at `at` is part of a date, names a school year or stage, or counts
/// a period of time ("Year 7", "Key Stage 2", "3 May", "2027", "within 12 months")
/// rather than an amount of something.
pub fn dates_or_names(text: &[String], at: usize) -> bool {
    let before = at.checked_sub(1).map(|b| text[b].as_str());
    let after = text.get(at + 1).map(String::as_str);
    is_year(&text[at])
        || before
            .is_some_and(|w| matches!(w, "year" | "stage" | "ks" | "age") || MONTHS.contains(&w))
        || after.is_some_and(|w| {
            MONTHS.contains(&w) || matches!(w, "months" | "years" | "terms" | "weeks")
        })
}

fn word_matches(pattern: &str, text: &[String], at: usize) -> bool {
    let word = text[at].as_str();
    match pattern {
        "#number" => is_number(word),
        "#amount" => is_number(word) && !dates_or_names(text, at),
        "#year" => is_year(word),
        "%" => word.ends_with('%'),
        _ => pattern == word,
    }
}

/// Where `pattern` (already split into words) starts in `text`.
pub fn positions(text: &[String], pattern: &[String]) -> Vec<usize> {
    if pattern.is_empty() || pattern.len() > text.len() {
        return Vec::new();
    }
    (0..=text.len() - pattern.len())
        .filter(|&at| starts_at(text, at, pattern))
        .collect()
}

pub fn starts_at(text: &[String], at: usize, pattern: &[String]) -> bool {
    at + pattern.len() <= text.len()
        && pattern
            .iter()
            .enumerate()
            .all(|(i, p)| word_matches(p, text, at + i))
}

/// Whether `pattern` ends just before word `at`.
pub fn ends_at(text: &[String], at: usize, pattern: &[String]) -> bool {
    at >= pattern.len() && starts_at(text, at - pattern.len(), pattern)
}

/// Whether any of the phrases is in the text.
pub fn any_in(text: &[String], phrases: &[String]) -> bool {
    phrases
        .iter()
        .any(|p| !positions(text, &words(p)).is_empty())
}

/// The first of the phrases found in the text.
pub fn first_in<'a>(text: &[String], phrases: &'a [String]) -> Option<&'a String> {
    phrases
        .iter()
        .find(|p| !positions(text, &words(p)).is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_numbers_and_years() {
        let text = words("Maya may see a therapist 3 times a week from May 2027 (95%).");
        assert_eq!(positions(&text, &words("may")), vec![1, 10]);
        assert!(any_in(&text, &["#number times".to_owned()]));
        assert!(any_in(&text, &["#year".to_owned()]));
        assert!(any_in(&text, &["%".to_owned()]));
        assert!(!any_in(
            &words("By the end of Year 7 (3 July 2027)"),
            &["#amount".to_owned()]
        ));
        assert!(!any_in(&text, &["therapy".to_owned()]));
        assert!(ends_at(&text, 11, &words("may")));
        assert_eq!(
            words("three 30-minute sessions, 1:1"),
            ["three", "30", "minute", "sessions", "1", "1"]
        );
    }

    /// Words are lowercased whether they are plain ASCII, capitals, or another script,
    /// and each keeps where it stands in the text as written.
    #[test]
    fn each_word_lowercased_where_it_stands() {
        let text = "'ÉCOLE' Straße, SEN-support 'n' 5-day";
        assert_eq!(
            spans(text),
            [
                (1..7, "école".to_owned()),
                (9..16, "straße".to_owned()),
                (18..29, "sen-support".to_owned()),
                (31..32, "n".to_owned()),
                (34..35, "5".to_owned()),
                (36..39, "day".to_owned()),
            ]
        );
    }
}
