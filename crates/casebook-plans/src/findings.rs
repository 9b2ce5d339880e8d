//! The checks applied to a read plan. Each finding is one item and one kind, with the
//! item's words, what exactly was found, why it matters and the source.

use casebook_documents::words::{content_words, coverage};
use serde::{Deserialize, Serialize};

use crate::checks::PlanChecks;
use crate::sections::{Item, ReadPlan};
use casebook_documents::phrases::{
    any_in, ends_at, first_in, is_number, number, positions, starts_at, words,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Section F wording that leaves the council free to provide little.
    Hedge,
    /// Section F provision that does not say who, how often or for how long.
    Unquantified,
    /// A need in Section B with no provision in Section F.
    NeedWithoutProvision,
    /// An outcome in Section E without a measure or a timescale.
    Outcome,
    /// A recommendation in the advice (Section K) not in Section F.
    AdviceMissing,
    /// A recommendation in Section F with less time or without the professional.
    AdviceWeakened,
    /// Provision that educates or trains, placed in Section G or H.
    Misplaced,
    /// A school named in a draft plan's Section I, or none in a final plan's.
    Placement,
}

impl Kind {
    pub fn all() -> [Kind; 8] {
        [
            Kind::Hedge,
            Kind::Unquantified,
            Kind::NeedWithoutProvision,
            Kind::Outcome,
            Kind::AdviceMissing,
            Kind::AdviceWeakened,
            Kind::Misplaced,
            Kind::Placement,
        ]
    }

    /// What it is called in a report.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Hedge => "vague wording",
            Kind::Unquantified => "not quantified",
            Kind::NeedWithoutProvision => "need without provision",
            Kind::Outcome => "outcome hard to measure",
            Kind::AdviceMissing => "advice left out",
            Kind::AdviceWeakened => "advice watered down",
            Kind::Misplaced => "in the wrong section",
            Kind::Placement => "placement",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub kind: Kind,
    pub section: char,
    /// The item's place in its section, from 1; 0 for the section as a whole.
    pub item: usize,
    /// The item's words.
    pub quote: String,
    /// What exactly: the vague words, the quantities missing, the advice's words.
    pub detail: String,
    pub why: String,
    pub source: String,
    pub verify: bool,
    /// What the detail names, one by one: the vague words, the quantities not said; for
    /// advice, the recommendation as the report words it.
    pub words: Vec<String>,
    /// For advice watered down, the item of Section F that carries it (else 0).
    pub provision_item: usize,
}

pub fn check(plan: &ReadPlan, checks: &PlanChecks, draft: bool) -> Vec<Finding> {
    let mut found = Vec::new();
    let provision: Vec<&Item> = plan.items_of('F').collect();
    for item in &provision {
        hedges(item, checks, &mut found);
        quantities(item, checks, &mut found);
    }
    needs(plan, &provision, checks, &mut found);
    for item in plan.items_of('E') {
        outcome(item, checks, &mut found);
    }
    for item in plan.items_of('K') {
        advice(item, &provision, checks, &mut found);
    }
    for item in plan.items.iter().filter(|i| matches!(i.section, 'G' | 'H')) {
        let text = words(&item.text);
        if let Some(what) = first_in(&text, &checks.misplaced.educational) {
            let m = &checks.misplaced;
            found.push(finding(
                Kind::Misplaced,
                item,
                format!("\"{what}\" educates or trains, so it belongs in Section F."),
                (&m.why, &m.source, m.verify),
            ));
        }
    }
    placement(plan, checks, draft, &mut found);
    // In the plan's order, as a reader goes through it.
    found.sort_by_key(|f| (f.section, f.item, f.kind));
    found
}

/// "a", "a or b", "a, b or c".
pub(crate) fn in_words<S: AsRef<str>>(list: &[S], last: &str) -> String {
    match list {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [rest @ .., end] => format!(
            "{} {last} {}",
            rest.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            end.as_ref()
        ),
    }
}

fn finding(
    kind: Kind,
    item: &Item,
    detail: String,
    (why, source, verify): (&str, &str, bool),
) -> Finding {
    Finding {
        kind,
        section: item.section,
        item: item.number,
        quote: item.text.clone(),
        detail,
        why: why.to_owned(),
        source: source.to_owned(),
        verify,
        words: Vec::new(),
        provision_item: 0,
    }
}

/// Where vague phrases stand in a text (first word, number of words, the phrase),
/// but for those their neighbours make precise.
pub(crate) fn vague_at<'a>(
    text: &[String],
    checks: &'a PlanChecks,
) -> Vec<(usize, usize, &'a str)> {
    let mut at_places = Vec::new();
    for hedge in &checks.hedges.phrase {
        let phrase = words(&hedge.words);
        let unless_before: Vec<Vec<String>> =
            hedge.unless_before.iter().map(|p| words(p)).collect();
        let unless_after: Vec<Vec<String>> = hedge.unless_after.iter().map(|p| words(p)).collect();
        for at in positions(text, &phrase) {
            let precise = unless_before.iter().any(|p| ends_at(text, at, p))
                || unless_after
                    .iter()
                    .any(|p| starts_at(text, at + phrase.len(), p));
            if !precise {
                at_places.push((at, phrase.len(), hedge.words.as_str()));
            }
        }
    }
    at_places
}

/// The vague words in a text, each once.
pub(crate) fn vague_words<'a>(text: &[String], checks: &'a PlanChecks) -> Vec<&'a str> {
    let mut vague: Vec<&str> = Vec::new();
    for (_, _, phrase) in vague_at(text, checks) {
        if !vague.contains(&phrase) {
            vague.push(phrase);
        }
    }
    vague
}

fn hedges(item: &Item, checks: &PlanChecks, found: &mut Vec<Finding>) {
    let vague = vague_words(&words(&item.text), checks);
    if !vague.is_empty() {
        let h = &checks.hedges;
        let quoted: Vec<String> = vague.iter().map(|v| format!("\"{v}\"")).collect();
        let detail = format!("Vague words: {}.", in_words(&quoted, "and"));
        let mut f = finding(Kind::Hedge, item, detail, (&h.why, &h.source, h.verify));
        f.words = vague.iter().map(|v| (*v).to_owned()).collect();
        found.push(f);
    }
}

fn quantities(item: &Item, checks: &PlanChecks, found: &mut Vec<Finding>) {
    let q = &checks.quantities;
    let text = words(&item.text);
    if !any_in(&text, &q.provision) {
        return;
    }
    let missing: Vec<&str> = q
        .needed
        .iter()
        .filter(|n| n.only_for.is_empty() || any_in(&text, &n.only_for))
        .filter(|n| !any_in(&text, &n.cues))
        .map(|n| n.name.as_str())
        .collect();
    if !missing.is_empty() {
        let mut f = finding(
            Kind::Unquantified,
            item,
            format!("Does not say {}.", in_words(&missing, "or")),
            (&q.why, &q.source, q.verify),
        );
        f.words = missing.iter().map(|m| (*m).to_owned()).collect();
        found.push(f);
    }
}

/// The words a need is known by: its area, or failing that the item itself.
fn need_words(item: &Item) -> Vec<String> {
    let known_by = item.area.as_deref().unwrap_or(&item.text);
    content_words(known_by, &[])
        .into_iter()
        .filter(|w| !is_number(w))
        .collect()
}

fn needs(plan: &ReadPlan, provision: &[&Item], checks: &PlanChecks, found: &mut Vec<Finding>) {
    let n = &checks.needs;
    let provided: Vec<Vec<String>> = provision
        .iter()
        .map(|p| {
            content_words(
                &format!("{} {}", p.area.as_deref().unwrap_or_default(), p.text),
                &[],
            )
        })
        .collect();
    let mut areas_seen: Vec<String> = Vec::new();
    // Health and care needs count too where they educate or train ("Hearing: ... help
    // with listening and communication in class"), when they name their area.
    let educates = |i: &&Item| {
        matches!(i.section, 'C' | 'D')
            && i.area.is_some()
            && any_in(&words(&i.text), &checks.misplaced.educational)
    };
    let needs = plan
        .items
        .iter()
        .filter(|i| i.section == 'B' || educates(i));
    for item in needs {
        // One finding for an area however many items it has.
        if let Some(area) = &item.area {
            if areas_seen.contains(area) {
                continue;
            }
            areas_seen.push(area.clone());
        }
        let need = need_words(item);
        if need.is_empty() || provision.is_empty() {
            continue;
        }
        let best = provided
            .iter()
            .map(|p| coverage(&need, p))
            .fold(0.0, f64::max);
        if best < n.covered {
            let what = item.area.clone().unwrap_or_else(|| item.text.clone());
            let mut f = finding(
                Kind::NeedWithoutProvision,
                item,
                format!("No provision in Section F for \"{what}\"."),
                (&n.why, &n.source, n.verify),
            );
            f.words = vec![what];
            found.push(f);
        }
    }
}

fn outcome(item: &Item, checks: &PlanChecks, found: &mut Vec<Finding>) {
    let o = &checks.outcomes;
    let text = words(&item.text);
    let mut missing = Vec::new();
    if !any_in(&text, &o.measures) {
        missing.push("how it will be measured");
    }
    if !any_in(&text, &o.timescales) {
        missing.push("by when");
    }
    if !missing.is_empty() {
        let mut f = finding(
            Kind::Outcome,
            item,
            format!("Does not say {}.", in_words(&missing, "or")),
            (&o.why, &o.source, o.verify),
        );
        f.words = missing.iter().map(|m| (*m).to_owned()).collect();
        found.push(f);
    }
}

/// The numbers in a text, each with the word after it ("30 minutes"), to compare
/// the advice's amounts with Section F's.
fn amounts(text: &[String]) -> Vec<(u32, String)> {
    text.iter()
        .enumerate()
        .filter_map(|(at, word)| {
            let value = number(word)?;
            let unit = text.get(at + 1).map_or("", String::as_str);
            Some((value, format!("{word} {unit}").trim_end().to_owned()))
        })
        .collect()
}

fn advice(item: &Item, provision: &[&Item], checks: &PlanChecks, found: &mut Vec<Finding>) {
    let a = &checks.advice;
    let text = words(&item.text);
    // What is recommended: the words after "recommends" (or the like), so the report's
    // title, author and date are not taken for the provision.
    let Some((start, cue)) = a
        .recommends
        .iter()
        .filter_map(|r| {
            let cue = words(r);
            positions(&text, &cue).first().map(|at| (at + cue.len(), r))
        })
        .min_by_key(|(at, _)| *at)
    else {
        return;
    };
    let recommended = &text[start..];
    let as_written = vec![written_after(&item.text, cue, recommended)];
    let ignored = content_words(&a.ignore.join(" "), &[]);
    let wanted: Vec<String> = content_words(&recommended.join(" "), &ignored)
        .into_iter()
        .filter(|w| !is_number(w))
        .collect();
    if wanted.is_empty() {
        return;
    }
    let best = provision
        .iter()
        .map(|p| (coverage(&wanted, &content_words(&p.text, &ignored)), p))
        .fold(None, |best: Option<(f64, &&Item)>, (score, p)| match best {
            Some((top, _)) if top >= score => best,
            _ => Some((score, p)),
        });
    let why = (a.why.as_str(), a.source.as_str(), a.verify);
    let Some((_, matched)) = best.filter(|(score, _)| *score >= a.found) else {
        let mut f = finding(
            Kind::AdviceMissing,
            item,
            format!("Section F has nothing like \"{}\".", as_written[0]),
            why,
        );
        f.words = as_written;
        found.push(f);
        return;
    };
    let in_f = words(&matched.text);
    let mut less = Vec::new();
    let provided: Vec<u32> = amounts(&in_f).into_iter().map(|(n, _)| n).collect();
    for (value, said) in amounts(recommended) {
        if !provided.contains(&value) {
            less.push(said);
        }
    }
    if let Some(role) = first_in(recommended, &a.roles)
        && !any_in(&in_f, std::slice::from_ref(role))
    {
        let article = if role.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        less.push(format!("{article} {role}"));
    }
    if !less.is_empty() {
        let mut f = finding(
            Kind::AdviceWeakened,
            item,
            format!(
                "The advice asks for {}; item {} of Section F does not.",
                in_words(&less, "and"),
                matched.number
            ),
            why,
        );
        f.words = as_written;
        f.provision_item = matched.number;
        found.push(f);
    }
}

/// What `text` says after `cue`, as it writes it (case, punctuation), without a closing
/// full stop; the words `after` if the text cannot be cut there.
fn written_after(text: &str, cue: &str, after: &[String]) -> String {
    let lower = text.to_lowercase();
    lower
        .find(&cue.to_lowercase())
        .map(|at| at + cue.len())
        .filter(|&at| lower.len() == text.len() && text.is_char_boundary(at))
        .map_or_else(
            || after.join(" "),
            |at| text[at..].trim().trim_end_matches('.').to_owned(),
        )
}

fn placement(plan: &ReadPlan, checks: &PlanChecks, draft: bool, found: &mut Vec<Finding>) {
    if !plan.found.contains(&'I') {
        return;
    }
    let p = &checks.placement;
    let named: Vec<&Item> = plan
        .items_of('I')
        .filter(|i| {
            let text = words(&i.text);
            !p.blank.iter().any(|b| words(b) == text) && !any_in(&text, &p.blank)
        })
        .collect();
    let whole = Item {
        section: 'I',
        number: 0,
        area: None,
        text: String::new(),
    };
    match (draft, named.first()) {
        (true, Some(item)) => found.push(finding(
            Kind::Placement,
            item,
            "A draft plan names a school.".to_owned(),
            (&p.why_draft, &p.source_draft, p.verify_draft),
        )),
        (false, None) => found.push(finding(
            Kind::Placement,
            &whole,
            "The final plan names no school or type of school.".to_owned(),
            (&p.why_final, &p.source_final, p.verify_final),
        )),
        _ => {}
    }
}
