//! The minutes check (SPEC section 6): each point the family raised, looked for in the
//! minutes the school sent. Minutes paraphrase, so points are compared on their content
//! words, lightly stemmed, with a few groups of words schools and parents use for the
//! same thing; the best sentence (or pair of sentences) decides.

use std::io::Read;

use serde::Serialize;

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

/// The share of the point's content words (or their synonyms) the sentence has.
fn coverage(point: &[String], sentence: &[String]) -> f64 {
    if point.is_empty() {
        return 0.0;
    }
    let hits = point.iter().filter(|t| sentence.contains(t)).count();
    hits as f64 / point.len() as f64
}

fn sentences(text: &str) -> Vec<String> {
    text.split(['.', '!', '?', '\n', ';', '•'])
        .map(|s| {
            s.trim()
                .trim_start_matches(['-', '*', ' '])
                .trim()
                .to_owned()
        })
        .filter(|s| s.split_whitespace().count() >= 2)
        .collect()
}

const STOP: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by",
    "from", "as", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "that",
    "this", "these", "those", "it", "its", "he", "she", "they", "them", "his", "her", "their",
    "we", "us", "our", "i", "me", "my", "you", "your", "will", "would", "should", "could", "can",
    "may", "might", "do", "does", "did", "not", "no", "so", "if", "than", "then", "also", "some",
    "any", "all", "about", "into", "since", "there", "which", "who", "what", "when", "where",
    "said", "asked", "raised", "noted", "mum", "dad", "parent", "parents", "mr", "mrs", "ms",
    "miss", "dr", "school",
];

/// Words that mean the same in a school meeting, mapped to one term.
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "add",
        &[
            "add",
            "adding",
            "added",
            "put",
            "putting",
            "place",
            "placing",
            "include",
            "including",
        ],
    ),
    (
        "write",
        &[
            "write", "writing", "draft", "drafting", "drafted", "prepare", "produce",
        ],
    ),
    (
        "scared",
        &[
            "afraid",
            "frightened",
            "anxious",
            "anxiety",
            "worried",
            "fearful",
            "nervous",
            "scared",
        ],
    ),
    (
        "hurt",
        &[
            "push", "pushed", "hit", "kicked", "shoved", "hurt", "injured", "physical",
        ],
    ),
    (
        "bully",
        &[
            "bullied", "bullying", "bully", "targeted", "picked", "teased", "taunted",
        ],
    ),
    (
        "name",
        &[
            "name",
            "names",
            "name-calling",
            "called",
            "verbal",
            "insults",
            "insulted",
        ],
    ),
    (
        "lunch",
        &["lunch", "lunchtime", "lunchtimes", "dinner", "midday"],
    ),
    ("safe", &["safe", "safety", "secure", "protected"]),
    ("space", &["space", "room", "area", "place", "base"]),
    ("plan", &["plan", "plans", "programme", "strategy"]),
    (
        "sen",
        &["sen", "send", "special", "needs", "register", "senco"],
    ),
    (
        "absent",
        &["absent", "absence", "attend", "attendance", "missed", "off"],
    ),
    (
        "doctor",
        &["gp", "doctor", "medical", "clinician", "paediatrician"],
    ),
    (
        "support",
        &[
            "support",
            "help",
            "provision",
            "intervention",
            "interventions",
        ],
    ),
    (
        "pupil",
        &[
            "pupil", "pupils", "child", "children", "student", "students", "boy", "girl",
        ],
    ),
];

/// Content words, stemmed and folded into their synonym group.
/// The content words of `text`, stemmed and with synonyms made one, leaving out
/// `names` (already terms).
fn terms(text: &str, names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = text
        .to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty() && !STOP.contains(w))
        .map(|w| {
            let stemmed = stem(w);
            SYNONYMS
                .iter()
                .find(|(_, group)| group.contains(&w) || group.contains(&stemmed.as_str()))
                .map_or(stemmed.clone(), |(head, _)| (*head).to_owned())
        })
        .filter(|t| !names.contains(t))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn stem(word: &str) -> String {
    for suffix in ["ing", "ed", "es", "ly", "s"] {
        if let Some(base) = word.strip_suffix(suffix).filter(|b| b.len() >= 3) {
            return base.to_owned();
        }
    }
    word.to_owned()
}

/// The text of minutes from a text file, a Word document (.docx) or a PDF, at most
/// [`casebook_domain::LONG_TEXT_LIMIT`] bytes of it: the check's work grows with the
/// text, and no meeting's minutes run to more.
pub fn minutes_text(name: &str, bytes: &[u8]) -> Result<String, LetterError> {
    let text = any_text(name, bytes)?;
    if text.len() > casebook_domain::LONG_TEXT_LIMIT {
        return invalid(format!(
            "{name} holds more text than any minutes casebook checks (over 1 MB): check the minutes of one meeting at a time."
        ));
    }
    Ok(text)
}

fn any_text(name: &str, bytes: &[u8]) -> Result<String, LetterError> {
    if bytes.starts_with(b"PK") {
        return docx_text(name, bytes);
    }
    if bytes.starts_with(b"%PDF") {
        return crate::pdf_text::pdf_text(name, bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) if !text.trim().is_empty() => Ok(text.to_owned()),
        Ok(_) => invalid(format!("{name} is empty.")),
        Err(_) => invalid(format!(
            "{name} is not a text file or a Word document casebook can read."
        )),
    }
}

/// Paragraphs of a .docx: the text of each `<w:p>`, one a line.
fn docx_text(name: &str, bytes: &[u8]) -> Result<String, LetterError> {
    let unreadable =
        || LetterError::Invalid(format!("{name} is not a Word document casebook can read."));
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|_| unreadable())?
        .take(50 * 1024 * 1024)
        .read_to_string(&mut xml)
        .map_err(|_| unreadable())?;
    let mut text = String::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start + 1..start + end];
        let after = &rest[start + end + 1..];
        if tag.starts_with("w:t") && !tag.starts_with("w:tab") && !tag.ends_with('/') {
            let close = after.find("</w:t>").unwrap_or(after.len());
            text.push_str(&unescape_xml(&after[..close]));
            rest = &after[close..];
            continue;
        }
        if tag == "/w:p" || tag.starts_with("w:br") {
            text.push('\n');
        } else if tag.starts_with("w:tab") {
            text.push(' ');
        }
        rest = after;
    }
    if text.trim().is_empty() {
        return invalid(format!("{name} has no text in it."));
    }
    Ok(text)
}

fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_synonyms_meet() {
        assert_eq!(
            terms("Alex was pushed at lunchtime", &[]),
            terms("alex hurt at lunch", &[])
        );
        assert_eq!(stem("monitoring"), "monitor");
    }
}
