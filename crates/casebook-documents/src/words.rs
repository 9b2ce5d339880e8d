//! Content words: what two texts are compared on when one may paraphrase the other
//! (the minutes check's points against the minutes, a plan's needs against its
//! provision). Words are lowercased, stop words dropped, lightly stemmed, and a few
//! groups of words schools and parents use for the same thing made one.

/// The share of the point's content words (or their synonyms) the sentence has.
pub fn coverage(point: &[String], sentence: &[String]) -> f64 {
    if point.is_empty() {
        return 0.0;
    }
    let hits = point.iter().filter(|t| sentence.contains(t)).count();
    hits as f64 / point.len() as f64
}

pub fn sentences(text: &str) -> Vec<String> {
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

/// The content words of `text`, stemmed and with synonyms made one, leaving out
/// `names` (already terms).
pub fn content_words(text: &str, names: &[String]) -> Vec<String> {
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

pub fn stem(word: &str) -> String {
    for suffix in ["ing", "ed", "es", "ly", "s"] {
        if let Some(base) = word.strip_suffix(suffix).filter(|b| b.len() >= 3) {
            return base.to_owned();
        }
    }
    word.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_synonyms_meet() {
        assert_eq!(
            content_words("Alex was pushed at lunchtime", &[]),
            content_words("alex hurt at lunch", &[])
        );
        assert_eq!(stem("monitoring"), "monitor");
    }
}
