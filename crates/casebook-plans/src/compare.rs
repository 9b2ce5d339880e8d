//! What an amendment takes away: the items of two versions of a plan paired section by
//! section (the same words first, then the most alike, as the minutes check compares
//! words), and each pair sorted into what was weakened, what changed in an outcome,
//! what was merely reworded, and what was harmless (a typo mended, a date moved on),
//! with what was removed and added.

use casebook_documents::words::{content_words, coverage};
use serde::{Deserialize, Serialize};

use crate::checks::PlanChecks;
use crate::findings::vague_words;
use crate::sections::{Item, ReadPlan};
use casebook_documents::phrases::{any_in, dates_or_names, is_year, number, positions, words};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// In the old plan, not in the new.
    Removed,
    /// Less time, a professional or a quantity gone, or vague words added.
    Weakened,
    /// An outcome in Section E said differently.
    OutcomeChanged,
    /// Said differently, nothing obviously lost: read both.
    Reworded,
    /// A spelling mended, a date moved on, a change of case or punctuation.
    Harmless,
    /// In the new plan, not in the old.
    Added,
}

impl Change {
    pub fn all() -> [Change; 6] {
        [
            Change::Removed,
            Change::Weakened,
            Change::OutcomeChanged,
            Change::Reworded,
            Change::Harmless,
            Change::Added,
        ]
    }

    /// Its heading in a comparison.
    pub fn name(self) -> &'static str {
        match self {
            Change::Removed => "Removed",
            Change::Weakened => "Weakened",
            Change::OutcomeChanged => "Outcome changed",
            Change::Reworded => "Reworded",
            Change::Harmless => "Harmless edit",
            Change::Added => "Added",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemChange {
    pub change: Change,
    pub section: char,
    /// The item's place in the old plan's section (0 if it is new).
    pub old_item: usize,
    /// Its place in the new plan's section (0 if it was removed).
    pub new_item: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// What exactly was lost or changed.
    pub details: Vec<String>,
}

/// At or above this likeness (the share of each item's content words in the other,
/// averaged), two items are the same item said differently.
const SAME_ITEM: f64 = 0.5;

pub fn compare(old: &ReadPlan, new: &ReadPlan, checks: &PlanChecks) -> (Vec<ItemChange>, usize) {
    let mut changes = Vec::new();
    let mut unchanged = 0;
    for section in 'A'..='K' {
        let before: Vec<&Item> = old.items_of(section).collect();
        let after: Vec<&Item> = new.items_of(section).collect();
        let pairs = pair(&before, &after);
        for (at, item) in before.iter().enumerate() {
            match pairs.iter().find(|(b, _)| *b == at) {
                Some(&(_, a)) => match judge(item, after[a], checks) {
                    Some(change) => changes.push(change),
                    None => unchanged += 1,
                },
                None => changes.push(ItemChange {
                    change: Change::Removed,
                    section,
                    old_item: item.number,
                    new_item: 0,
                    before: Some(said(item)),
                    after: None,
                    details: Vec::new(),
                }),
            }
        }
        for (at, item) in after.iter().enumerate() {
            if !pairs.iter().any(|(_, a)| *a == at) {
                changes.push(ItemChange {
                    change: Change::Added,
                    section,
                    old_item: 0,
                    new_item: item.number,
                    before: None,
                    after: Some(said(item)),
                    details: Vec::new(),
                });
            }
        }
    }
    (changes, unchanged)
}

/// The item with its area, as the family reads it: "Reading: Alex's reading age ...".
fn said(item: &Item) -> String {
    match &item.area {
        Some(area) => format!("{area}: {}", item.text),
        None => item.text.clone(),
    }
}

/// Old and new items paired, most alike first, each used once.
fn pair(before: &[&Item], after: &[&Item]) -> Vec<(usize, usize)> {
    let before_words: Vec<Vec<String>> = before
        .iter()
        .map(|i| content_words(&said(i), &[]))
        .collect();
    let after_words: Vec<Vec<String>> =
        after.iter().map(|i| content_words(&said(i), &[])).collect();
    let mut likeness = Vec::new();
    for (b, bw) in before_words.iter().enumerate() {
        for (a, aw) in after_words.iter().enumerate() {
            let same = normalised(&before[b].text) == normalised(&after[a].text);
            let score = if same {
                2.0
            } else {
                (coverage(bw, aw) + coverage(aw, bw)) / 2.0
            };
            if score >= SAME_ITEM {
                likeness.push((score, b, a));
            }
        }
    }
    likeness.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (_, b, a) in likeness {
        if !pairs.iter().any(|(pb, pa)| *pb == b || *pa == a) {
            pairs.push((b, a));
        }
    }
    pairs
}

fn normalised(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What became of one item; `None` if it reads the same.
fn judge(before: &Item, after: &Item, checks: &PlanChecks) -> Option<ItemChange> {
    if normalised(&before.text) == normalised(&after.text) {
        return None;
    }
    let old = words(&before.text);
    let new = words(&after.text);
    let mut lost = lost_amounts(&old, &new);
    if let (Some((was, said_was)), Some((now, said_now))) = (per_week(&old), per_week(&new))
        && now < was
    {
        lost.push(format!("\"{said_was}\" became \"{said_now}\""));
    }
    for quantity in &checks.quantities.needed {
        if any_in(&old, &quantity.cues) && !any_in(&new, &quantity.cues) {
            lost.push(format!("No longer says {}", quantity.name));
        }
    }
    let named = checks
        .quantities
        .needed
        .iter()
        .filter(|q| q.compare_each)
        .flat_map(|q| &q.cues)
        .chain(&checks.advice.roles);
    for role in named {
        let role = std::slice::from_ref(role);
        if any_in(&old, role) && !any_in(&new, role) {
            lost.push(format!("No longer names \"{}\"", role[0]));
        }
    }
    let was_vague = vague_words(&old, checks);
    for added in vague_words(&new, checks) {
        if !was_vague.contains(&added) {
            lost.push(format!("Adds \"{added}\""));
        }
    }
    let change = if before.section == 'E' && !harmless(&old, &new) {
        Change::OutcomeChanged
    } else if !lost.is_empty() {
        Change::Weakened
    } else if harmless(&old, &new) {
        Change::Harmless
    } else {
        Change::Reworded
    };
    Some(ItemChange {
        change,
        section: before.section,
        old_item: before.number,
        new_item: after.number,
        before: Some(said(before)),
        after: Some(said(after)),
        details: lost,
    })
}

/// Amounts with the word after them ("45 minute") or a percentage ("95 %"), not dates
/// or school years.
fn amounts(text: &[String]) -> Vec<(u32, String)> {
    (0..text.len())
        .filter(|&at| !dates_or_names(text, at))
        .filter_map(|at| {
            let value = number(&text[at])?;
            let unit = if text[at].ends_with('%') {
                "%".to_owned()
            } else {
                text.get(at + 1)?.trim_end_matches('s').to_owned()
            };
            Some((value, unit))
        })
        .collect()
}

/// Time or sessions reduced, groups made larger, or an amount gone.
fn lost_amounts(old: &[String], new: &[String]) -> Vec<String> {
    let now = amounts(new);
    let mut lost = Vec::new();
    // "3 times" is how often: per_week compares that.
    for (value, unit) in amounts(old).into_iter().filter(|(_, u)| u != "time") {
        if now.contains(&(value, unit.clone())) {
            continue;
        }
        let said = |n: u32| match (n, unit.as_str()) {
            (_, "%") => format!("{n}%"),
            (1, _) => format!("{n} {unit}"),
            _ => format!("{n} {unit}s"),
        };
        let larger_is_less = matches!(unit.as_str(), "pupil" | "child" | "student");
        match now.iter().find(|(_, u)| *u == unit) {
            Some(&(to, _)) if (to < value) != larger_is_less => {
                lost.push(format!("{} became {}", said(value), said(to)));
            }
            Some(_) => {}
            None => lost.push(format!("No longer says {}", said(value))),
        }
    }
    lost
}

/// Whether the words differ only by mended spellings (a word of up to 40 letters one or
/// two letters from the other: longer words are not compared, so the work is bounded) and
/// dates (a year, a month, the day of a date). A changed number is never harmless.
fn harmless(old: &[String], new: &[String]) -> bool {
    if old.len() != new.len() {
        return false;
    }
    let in_a_date = |text: &[String], at: usize| {
        let word = &text[at];
        is_year(word)
            || is_month(word)
            || (number(word).is_some()
                && (text.get(at + 1).is_some_and(|w| is_month(w))
                    || at.checked_sub(1).is_some_and(|b| is_month(&text[b]))))
    };
    old.iter().zip(new).enumerate().all(|(at, (o, n))| {
        o == n
            || (in_a_date(old, at) && in_a_date(new, at))
            || (o.len() >= 4
                && o.len() <= 40
                && o.len().abs_diff(n.len()) <= 2
                && number(o).is_none()
                && number(n).is_none()
                && letters_apart(o, n) <= 2)
    })
}

/// How many times a week an item's provision comes, where it says: "daily" is the five
/// days of a school week, "every 2 weeks" half a time, "termly" once in about 13 weeks.
fn per_week(text: &[String]) -> Option<(f64, String)> {
    enum Rate {
        Times(f64),
        NumberTimes,
        EveryNumberWeeks,
    }
    const RATES: &[(&str, Rate)] = &[
        ("#number times a week", Rate::NumberTimes),
        ("#number times per week", Rate::NumberTimes),
        ("#number times each week", Rate::NumberTimes),
        ("#number sessions a week", Rate::NumberTimes),
        ("#number sessions per week", Rate::NumberTimes),
        ("twice a week", Rate::Times(2.0)),
        ("twice weekly", Rate::Times(2.0)),
        ("every #number weeks", Rate::EveryNumberWeeks),
        ("daily", Rate::Times(5.0)),
        ("each day", Rate::Times(5.0)),
        ("every day", Rate::Times(5.0)),
        ("once a week", Rate::Times(1.0)),
        ("weekly", Rate::Times(1.0)),
        ("each week", Rate::Times(1.0)),
        ("every week", Rate::Times(1.0)),
        ("per week", Rate::Times(1.0)),
        ("a week", Rate::Times(1.0)),
        ("fortnightly", Rate::Times(0.5)),
        ("every other week", Rate::Times(0.5)),
        ("monthly", Rate::Times(0.25)),
        ("each month", Rate::Times(0.25)),
        ("half-termly", Rate::Times(1.0 / 6.0)),
        ("each half term", Rate::Times(1.0 / 6.0)),
        ("termly", Rate::Times(1.0 / 13.0)),
        ("each term", Rate::Times(1.0 / 13.0)),
        ("every term", Rate::Times(1.0 / 13.0)),
    ];
    RATES.iter().find_map(|(pattern, rate)| {
        let pattern_words = words(pattern);
        let at = *positions(text, &pattern_words).first()?;
        let said = text[at..at + pattern_words.len()].join(" ");
        let n = || number(&text[at + usize::from(pattern.starts_with("every"))]).map(f64::from);
        let times = match rate {
            Rate::Times(t) => *t,
            Rate::NumberTimes => n()?,
            Rate::EveryNumberWeeks => 1.0 / n()?.max(1.0),
        };
        Some((times, said))
    })
}

fn is_month(word: &str) -> bool {
    casebook_documents::phrases::MONTHS.contains(&word)
}

/// How many letters must change to turn one word into the other (Levenshtein).
fn letters_apart(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}
