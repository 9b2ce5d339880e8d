//! The recognisers as the rule pack writes them (`rules/england/recognise.toml`): for
//! each decision, the phrases that say it, the phrases that make a sentence something
//! else, who sends it, the day its clock starts from, and what the family logs when
//! they accept it.

use std::collections::{BTreeMap, HashMap};

use casebook_documents::phrases::{each_word, words};
use casebook_domain::Side;
use serde::Deserialize;

use crate::RecogniseError;

/// A phrase as the pack writes it, split once into its words and the gaps between them
/// ("decided not to ... assessment").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
pub struct Phrase {
    pub text: String,
    pub(crate) pieces: Vec<Vec<String>>,
}

impl From<String> for Phrase {
    fn from(text: String) -> Phrase {
        let pieces = text.split("...").map(words).collect();
        Phrase { text, pieces }
    }
}

/// The day a decision's clock starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateBasis {
    /// The date at the head of the letter; the day the email was sent when none is.
    Letter,
    /// The day the message arrived, in UK time.
    Arrived,
    /// The day the message says the family's request was received; the day it arrived
    /// when it does not say.
    Received,
    /// The day and time of the meeting the message invites the family to.
    Meeting,
    /// The day the notice was given: the day an email arrived; for a letter the family
    /// logged that says it went by post, the day it was posted (the rule pack's
    /// deemed delivery then counts from it).
    Served,
}

/// What accepting a suggestion logs, as the pack names it; `casebook-app` makes the entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Logs {
    /// decision, document, absence, meeting or request.
    pub entry: String,
    /// The entry's summary.
    pub summary: String,
    /// For a decision: who made it and the outcome.
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
    /// For a document: its kind.
    #[serde(default)]
    pub document_type: Option<String>,
    /// For an absence: its reason.
    #[serde(default)]
    pub reason: Option<String>,
    /// For a request: the rule of its reply.
    #[serde(default)]
    pub rule: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recogniser {
    pub kind: String,
    /// What it is, to finish "Log it as ...": "the council's decision not to carry out
    /// an EHC needs assessment".
    pub label: String,
    /// Who sends it: the sides of the case it may come from.
    pub from: Vec<Side>,
    pub date: DateBasis,
    /// Reads the number of school days it is for ("suspended for 3 days").
    #[serde(default)]
    pub days: bool,
    /// Phrases that say it. Words match whole and without regard to case; "..." stands
    /// for up to eight words; "#number" for a number in digits or words.
    pub phrases: Vec<Phrase>,
    /// Phrases that say it only in a letter that also has one of `needs_in_letter`
    /// ("we have decided not to agree to your request", in a letter about an assessment).
    #[serde(default)]
    pub weak_phrases: Vec<Phrase>,
    #[serde(default)]
    pub needs_in_letter: Vec<Phrase>,
    /// Phrases that, in the same sentence, make it something else.
    #[serde(default)]
    pub unless: Vec<Phrase>,
    /// Phrases that, anywhere in the same letter, make it something else (governors
    /// who reinstate a pupil write about the exclusion they overturn).
    #[serde(default)]
    pub unless_in_letter: Vec<Phrase>,
    /// Kinds that, found in the same message, make this one history: a letter that
    /// issues the final plan mentions the draft before it.
    #[serde(default)]
    pub overridden_by: Vec<String>,
    /// The rules whose clocks it starts, shown with their last days.
    #[serde(default)]
    pub starts: Vec<String>,
    /// Rules of the family's requests it answers: an open one is closed by it.
    #[serde(default)]
    pub answers: Vec<String>,
    pub logs: Logs,
    /// A sentence that says it, for the documentation and its test.
    pub example: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recognisers {
    /// Phrases that make any sentence something other than a decision: a decision still
    /// to come, a condition, general information.
    #[serde(default)]
    pub unless: Vec<Phrase>,
    /// Phrases that, anywhere in a message, make none of it a decision (a newsletter).
    #[serde(default)]
    pub unless_in_letter: Vec<Phrase>,
    /// Lines that start what a reply quotes, or a forwarded message, in a message body.
    pub history: History,
    /// Phrases that say a letter was sent by post ("sent by first class post").
    #[serde(default)]
    pub posted: Vec<Phrase>,
    /// For senders the case does not know: domains whose mail is from each side
    /// ("gov.uk" for councils).
    #[serde(default)]
    pub domains: BTreeMap<Side, Vec<String>>,
    #[serde(rename = "recogniser")]
    pub recognisers: Vec<Recogniser>,
    #[serde(skip)]
    vocabulary: Vocabulary,
}

/// The words of every phrase that says a decision, and each such phrase as the words it
/// needs: a text without every word of one of them cannot say anything, so it need not
/// be split into sentences. Most mail says nothing the recognisers look for.
#[derive(Debug, Clone, Default)]
struct Vocabulary {
    /// Looked up once for every word of every message: a fast hash for short keys.
    numbers: HashMap<String, usize, foldhash::fast::RandomState>,
    phrases: Vec<Vec<usize>>,
}

impl Vocabulary {
    fn of(recognisers: &[Recogniser]) -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        for phrase in recognisers
            .iter()
            .flat_map(|r| r.phrases.iter().chain(&r.weak_phrases))
        {
            let needs = phrase
                .pieces
                .iter()
                .flatten()
                .filter(|w| !w.starts_with('#'))
                .map(|w| {
                    let next = vocabulary.numbers.len();
                    *vocabulary.numbers.entry(w.clone()).or_insert(next)
                })
                .collect();
            vocabulary.phrases.push(needs);
        }
        vocabulary
    }

    fn could_say(&self, text: &str) -> bool {
        let mut present = vec![false; self.numbers.len()];
        each_word(text, |_, w| {
            if let Some(&n) = self.numbers.get(w) {
                present[n] = true;
            }
        });
        self.phrases
            .iter()
            .any(|needs| needs.iter().all(|&n| present[n]))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// A line that starts a forwarded message ("---------- Forwarded message ---------").
    pub forwarded: Vec<String>,
    /// A line that starts the earlier message under a reply or a forward
    /// ("-----Original Message-----").
    pub original: Vec<String>,
    /// Subjects that make a message a forward ("fw:", "fwd:").
    pub forward_subjects: Vec<String>,
}

impl Recognisers {
    /// England's recognisers.
    pub fn england() -> Result<Recognisers, RecogniseError> {
        Self::from_toml(include_str!("../../../rules/england/recognise.toml"))
    }

    pub fn from_toml(text: &str) -> Result<Recognisers, RecogniseError> {
        let mut pack: Recognisers = toml::from_str(text)
            .map_err(|e| RecogniseError(format!("The recognisers cannot be read: {e}")))?;
        for r in &pack.recognisers {
            if r.phrases.is_empty() && r.date != DateBasis::Meeting {
                return Err(RecogniseError(format!(
                    "The recogniser {} has no phrases.",
                    r.kind
                )));
            }
            if let Some(p) = r
                .phrases
                .iter()
                .chain(&r.unless)
                .chain(&r.unless_in_letter)
                .chain(&r.weak_phrases)
                .chain(&r.needs_in_letter)
                .find(|p| p.pieces.iter().all(Vec::is_empty))
            {
                return Err(RecogniseError(format!(
                    "The recogniser {} has a phrase with no words: \"{}\".",
                    r.kind, p.text
                )));
            }
        }
        pack.vocabulary = Vocabulary::of(&pack.recognisers);
        Ok(pack)
    }

    /// Whether a text has every word of one of the phrases that say a decision.
    pub(crate) fn could_say(&self, text: &str) -> bool {
        self.vocabulary.could_say(text)
    }

    pub fn get(&self, kind: &str) -> Option<&Recogniser> {
        self.recognisers.iter().find(|r| r.kind == kind)
    }

    /// The side a sender the case does not know writes from, by its domain.
    pub(crate) fn side_of_domain(&self, domain: &str) -> Option<Side> {
        self.domains.iter().find_map(|(side, suffixes)| {
            suffixes
                .iter()
                .any(|s| domain == s || domain.ends_with(&format!(".{s}")))
                .then_some(*side)
        })
    }
}
