//! The minutes check (SPEC section 6): each point the family raised, looked for in the
//! minutes the school sent. Minutes paraphrase, so points are compared on their content
//! words, lightly stemmed, with a few groups of words schools and parents use for the
//! same thing; the best sentence (or pair of sentences) decides.

use serde::Serialize;

use casebook_documents::words::{content_words as terms, coverage, sentences};

use crate::error::{LetterError, invalid};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Match {
    Found,
    /// Something like it is there, in words that may change its meaning.
    CheckWording,
    Missing,
}

#[derive(Debug, Clone, Serialize)]
pub struct PointCheck {
    pub point: String,
    pub result: Match,
    /// How much of the point's content the best sentence carries, 0 to 100.
    pub score: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentence: Option<String>,
}

/// At or above this share of a point's content words, it is recorded.
const FOUND: f64 = 0.6;
/// At or above this, something like it is there: check the wording.
const WEAK: f64 = 0.3;

/// Checks each point against the minutes. `names` are the names of the people in the
/// case, the child's among them: a sentence sharing only a name with a point does not
/// record it, so names are not counted as the point's content.
pub fn check_minutes(points: &[String], minutes: &str, names: &[String]) -> Vec<PointCheck> {
    let names: Vec<String> = names.iter().flat_map(|n| terms(n, &[])).collect();
    let terms = |text: &str| terms(text, &names);
    let sentences = sentences(minutes);
    // Single sentences first, then neighbouring pairs, so a pair only wins when it
    // carries more of the point than any one sentence.
    let pairs = sentences.windows(2).map(|w| format!("{} {}", w[0], w[1]));
    let windows: Vec<String> = sentences.iter().cloned().chain(pairs).collect();
    points
        .iter()
        .map(|point| {
            let wanted = terms(point);
            // The first best window wins: a single sentence before a pair.
            let best = windows
                .iter()
                .map(|w| (coverage(&wanted, &terms(w)), w))
                .fold(
                    None,
                    |best: Option<(f64, &String)>, (score, w)| match best {
                        Some((top, _)) if top >= score => best,
                        _ => Some((score, w)),
                    },
                );
            let (score, sentence) = best.map_or((0.0, None), |(s, w)| (s, Some(w.clone())));
            let result = if score >= FOUND {
                Match::Found
            } else if score >= WEAK {
                Match::CheckWording
            } else {
                Match::Missing
            };
            PointCheck {
                point: point.clone(),
                result,
                score: (score * 100.0).round() as u8,
                sentence: (result != Match::Missing).then_some(sentence).flatten(),
            }
        })
        .collect()
}

/// The text of minutes from a text file, a Word document (.docx) or a PDF, at most
/// [`casebook_domain::LONG_TEXT_LIMIT`] bytes of it: the check's work grows with the
/// text, and no meeting's minutes run to more.
pub fn minutes_text(name: &str, bytes: &[u8]) -> Result<String, LetterError> {
    let text = casebook_documents::read_document(name, bytes)
        .map_err(|e| LetterError::Invalid(e.0))?
        .text();
    if text.len() > casebook_domain::LONG_TEXT_LIMIT {
        return invalid(format!(
            "{name} holds more text than any minutes casebook checks (over 1 MB): check the minutes of one meeting at a time."
        ));
    }
    Ok(text)
}
