//! The tone check: letters are read by people who decide things, and a calm, factual
//! letter is believed. It flags what undermines that and suggests calmer words. It
//! never blocks: the family decides.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// 1-based line in the text.
    pub line: usize,
    /// The words found.
    pub found: String,
    pub why: String,
    pub suggestion: String,
}

/// Words that judge a child rather than describe what happened.
const LABELS: &[(&str, &str)] = &[
    ("bully", "the pupil involved"),
    ("bullies", "the pupils involved"),
    ("thug", "the pupil involved"),
    ("thugs", "the pupils involved"),
    ("evil", "describe what was done"),
    ("monster", "the pupil involved"),
    ("psycho", "the pupil involved"),
    ("feral", "describe what was done"),
    ("nasty little", "the pupil involved"),
    ("brat", "the pupil involved"),
];

/// Insults aimed at staff or the school.
const INSULTS: &[&str] = &[
    "incompetent",
    "useless",
    "pathetic",
    "disgusting",
    "disgraceful",
    "liar",
    "liars",
    "lying",
    "idiot",
    "idiots",
    "stupid",
    "clueless",
    "negligent",
    "shambles",
    "joke of a",
];

/// Threats that put a reader on the defensive.
const THREATS: &[&str] = &[
    "i will sue",
    "we will sue",
    "see you in court",
    "you will regret",
    "you'll regret",
    "i'll go to the papers",
    "go to the press",
    "i will make sure you",
    "you will pay",
    "or else",
    "get you sacked",
    "have you sacked",
];

/// Capitals that are not shouting.
const ACRONYMS: &[&str] = &[
    "SEN", "SEND", "SENCO", "EHC", "EHCP", "LA", "DFE", "GP", "CAMHS", "SENDIASS", "IPSEA", "ICO",
    "FOI", "SAR", "MP", "ADHD", "ASD", "ASC", "PDA", "OT", "SALT", "EP", "IEP", "PRU", "AP", "UK",
    "GDPR", "LGSCO", "ISI", "INSET", "BSL", "TA", "SLT", "PE", "ICT", "IT", "KS1", "KS2", "KS3",
    "KS4", "GCSE", "SATS", "NHS", "ICB", "IRP", "CPR", "DSL", "SCU",
];

/// Checks `text`. `other_children` are the real names of other children in the case:
/// they should appear only as their pseudonyms in anything sent.
pub fn tone_check(text: &str, other_children: &[(String, String)]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let number = n + 1;
        let lower = line.to_lowercase();
        let words = words(&lower);
        let mut push = |found: &str, why: &str, suggestion: &str| {
            findings.push(Finding {
                line: number,
                found: found.to_owned(),
                why: why.to_owned(),
                suggestion: suggestion.to_owned(),
            });
        };
        for (label, instead) in LABELS {
            if contains_phrase(&words, label) {
                push(
                    label,
                    "This judges a child; panels trust letters that describe what happened.",
                    &format!("Use \"{instead}\" and say what was done, when and where."),
                );
            }
        }
        for insult in INSULTS {
            if contains_phrase(&words, insult) {
                push(
                    insult,
                    "This insults the reader; it gives them a reason to discount the letter.",
                    "Describe what was done or not done, with dates, and what you are asking for.",
                );
            }
        }
        for threat in THREATS {
            if lower.contains(threat) {
                push(
                    threat,
                    "This reads as a threat and puts the reader on the defensive.",
                    "Say calmly what you will do next if there is no reply by the date, e.g. \"If I have not heard by ..., I will take this to stage 2 of the complaints procedure.\"",
                );
            }
        }
        if let Some(shout) = shouting(line) {
            push(
                &shout,
                "Capitals read as shouting.",
                "Write it in ordinary letters; underline or bold one key phrase if you need emphasis.",
            );
        }
        if line.contains("!!") || line.contains("?!") {
            push(
                "!!",
                "Runs of exclamation marks read as anger.",
                "End the sentence with a full stop.",
            );
        }
        for (name, pseudonym) in other_children {
            for part in std::iter::once(name.as_str()).chain(name.split_whitespace().take(1)) {
                if part.chars().count() >= 2 && contains_phrase(&words, &part.to_lowercase()) {
                    push(
                        part,
                        "This names another child.",
                        &format!(
                            "Use \"{pseudonym}\": other children are not named in anything that leaves your home."
                        ),
                    );
                    break;
                }
            }
        }
    }
    findings
}

fn words(lower: &str) -> Vec<&str> {
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect()
}

fn contains_phrase(words: &[&str], phrase: &str) -> bool {
    let wanted: Vec<&str> = phrase.split_whitespace().collect();
    !wanted.is_empty() && words.windows(wanted.len()).any(|w| w == wanted.as_slice())
}

/// Three or more words in capitals in a row, or one long capitalised word that is not
/// an acronym.
fn shouting(line: &str) -> Option<String> {
    let is_caps = |w: &str| {
        let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() >= 2
            && letters.iter().all(|c| c.is_uppercase())
            && !ACRONYMS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric()))
    };
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let mut run: Vec<&str> = Vec::new();
    for token in tokens {
        if is_caps(token) {
            run.push(token);
            if run.len() >= 3 {
                return Some(run.join(" "));
            }
        } else {
            if let Some(long) = run
                .iter()
                .find(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 6)
            {
                return Some((*long).to_owned());
            }
            run.clear();
        }
    }
    run.iter()
        .find(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 6)
        .map(|w| (*w).to_owned())
}
