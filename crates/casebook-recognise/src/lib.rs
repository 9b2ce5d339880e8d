//! Decisions found in what the family receives: a council's refusal to assess, a draft
//! plan, a suspension, a complaint not upheld, a meeting invitation. Each recogniser of
//! the rule pack (`rules.rs` reads `rules/england/recognise.toml`) is run on the
//! sentences of a message (`letter.rs`: the sender's words, forwarded messages and
//! attached letters, never what a reply quotes) from a sender on the right side; a
//! match becomes a suggestion with the sentence that says it and the day its clock
//! starts (`when.rs`). Nothing here logs anything: the family accepts or dismisses.

mod invitation;
mod letter;
mod rules;
mod when;

pub use letter::{Event, Letter, Part, Place};
pub use rules::{DateBasis, Logs, Phrase, Recogniser, Recognisers};

use std::collections::HashSet;

use casebook_documents::phrases::{is_number, number, starts_at, words};
use casebook_domain::Side;
use jiff::civil::{Date, Time};
use serde::Serialize;
use thiserror::Error;

/// Why the recognisers could not be read, in one sentence.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{0}")]
pub struct RecogniseError(pub String);

/// Someone the case knows: an address, or a whole domain, and their side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub address: String,
    pub side: Side,
}

/// How a suggestion's date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dated {
    /// Written at the head of the letter.
    LetterHead,
    /// The date of the forwarded message.
    Forwarded,
    /// The day the message arrived (or, for a logged document, the day it was logged as).
    Arrived,
    /// The day the message says the request was received.
    Stated,
    /// The meeting's own day.
    Meeting,
    /// The day the letter was posted, as written at its head.
    Posted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub kind: String,
    /// The sentence that says it, as written.
    pub quote: String,
    /// Where the sentence is.
    pub found_in: String,
    pub date: Date,
    pub dated: Dated,
    /// A meeting's time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<Time>,
    /// A suspension's length in school days.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// The letter went by post and `date` is the day it was posted: a notice counted
    /// from service is treated as given later (the rule pack says when).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub posted: bool,
}

/// The longest quote kept: a sentence, not a page.
const QUOTE_LIMIT: usize = 400;
/// The most words "..." stands for in a phrase.
const GAP: usize = 8;
/// What is read of each part of a message: a letter is a few pages, and a stranger's
/// message of megabytes must cost no more than one of them.
const PART_LIMIT: usize = 256 << 10;
/// The words of a sentence looked at: past this it is not a sentence but a wall of
/// text, and a phrase with gaps is looked for in at most this many words.
const SENTENCE_WORDS: usize = 200;

/// What the recognisers find in one message.
pub fn recognise(letter: &Letter, known: &[Known], pack: &Recognisers) -> Vec<Suggestion> {
    let side = |address: &Option<String>| -> Option<Option<Side>> {
        address.as_ref().map(|a| side_of(a, known, pack))
    };
    // What the family sent is never a decision made about them.
    if side(&letter.from) == Some(Some(Side::Family)) {
        return vec![];
    }
    // Attachments of a forward came with the message forwarded.
    let forwarded = letter.parts.iter().find(|p| p.place == Place::Forwarded);
    let part_sender = |part: &Part| -> Option<Option<Side>> {
        match (&part.place, forwarded) {
            (Place::Forwarded, _) if part.from.is_some() => side(&part.from),
            (Place::Attachment(_), Some(f)) if f.from.is_some() => side(&f.from),
            _ => side(&letter.from),
        }
    };
    let may_send = |r: &Recogniser, part: &Part| match part_sender(part) {
        None => true,
        Some(Some(s)) => r.from.contains(&s),
        Some(None) => false,
    };
    // Each part is split into sentences and words once, for every recogniser; a part no
    // recogniser may come from, or without the words of any phrase, is not split at all.
    let read: Vec<Read<'_>> = letter
        .parts
        .iter()
        .map(|part| {
            Read::of(part, |text| {
                pack.recognisers.iter().any(|r| may_send(r, part)) && pack.could_say(text)
            })
        })
        .collect();
    let mut out = Vec::new();
    for r in &pack.recognisers {
        if r.date == DateBasis::Meeting {
            out.extend(meetings(letter, &read, r, pack, &|p| may_send(r, p)));
            continue;
        }
        let mut found: Vec<(&Read<'_>, &str)> = Vec::new();
        for part in read.iter().filter(|p| may_send(r, p.part)) {
            if r.unless_in_letter
                .iter()
                .chain(&pack.unless_in_letter)
                .any(|p| has(&part.whole, p))
            {
                continue;
            }
            let context = r.needs_in_letter.iter().any(|p| has(&part.whole, p));
            if let Some((sentence, _)) = part
                .sentences
                .iter()
                .find(|(_, w)| says(r, pack, w) || context && says_weakly(r, pack, w))
            {
                found.push((part, sentence));
            }
        }
        // A letter's own date, where one of the parts saying it has one, dates it.
        let heads: Vec<Option<Date>> = found
            .iter()
            .map(|(p, sentence)| head_date(p.text, sentence, letter.arrived))
            .collect();
        let chosen = heads.iter().position(Option::is_some).unwrap_or(0);
        let Some((read_part, sentence)) = found.get(chosen) else {
            continue;
        };
        let part = read_part.part;
        let sent = match &part.place {
            Place::Forwarded => part.sent,
            Place::Attachment(_) => forwarded.and_then(|f| f.sent),
            Place::Body => None,
        };
        let arrived = sent
            .map(|d| (d, Dated::Forwarded))
            .or(letter.arrived.map(|d| (d, Dated::Arrived)));
        // A letter the family logged (no email around it) that went by post is served
        // by post, counted from the day it was posted.
        let by_post = r.date == DateBasis::Served
            && letter.from.is_none()
            && pack.posted.iter().any(|p| has(&read_part.whole, p));
        let dated = match r.date {
            DateBasis::Letter => heads[chosen].map(|d| (d, Dated::LetterHead)).or(arrived),
            DateBasis::Received => stated_receipt(letter, &read).or(arrived),
            DateBasis::Served if by_post => heads[chosen].map(|d| (d, Dated::Posted)).or(arrived),
            _ => arrived,
        };
        let Some((date, dated)) = dated else {
            continue;
        };
        out.push(Suggestion {
            kind: r.kind.clone(),
            quote: quote(sentence),
            found_in: place(&part.place),
            date,
            dated,
            time: None,
            days: r
                .days
                .then(|| days_in(sentence).or_else(|| days_in(read_part.text)))
                .flatten(),
            posted: dated == Dated::Posted,
        });
    }
    let found: Vec<String> = out.iter().map(|s| s.kind.clone()).collect();
    out.retain(|s| {
        pack.get(&s.kind)
            .is_none_or(|r| !r.overridden_by.iter().any(|k| found.contains(k)))
    });
    out
}

/// A part of a message read once: its words, and its sentences with theirs.
struct Read<'a> {
    part: &'a Part,
    /// The part's text up to the limit.
    text: &'a str,
    whole: Words,
    sentences: Vec<(String, Words)>,
}

impl Read<'_> {
    /// The part read up to the limit, split only when `worth` says so of that text.
    fn of(part: &Part, worth: impl Fn(&str) -> bool) -> Read<'_> {
        let mut end = part.text.len().min(PART_LIMIT);
        while !part.text.is_char_boundary(end) {
            end -= 1;
        }
        let text = &part.text[..end];
        let sentences: Vec<(String, Words)> = (if worth(text) { sentences(text) } else { vec![] })
            .into_iter()
            .map(|s| {
                let w = Words::of(&s);
                (s, w)
            })
            .collect();
        // The whole part's words are its sentences' words, in order: read once.
        let list: Vec<String> = sentences
            .iter()
            .flat_map(|(_, w)| w.list.iter().cloned())
            .collect();
        let set = sentences
            .iter()
            .flat_map(|(_, w)| w.set.iter().cloned())
            .collect();
        Read {
            part,
            text,
            whole: Words { list, set },
            sentences,
        }
    }
}

/// A text's words in order, and the set of them: a phrase with a word the text lacks
/// is passed over at once, so a long message costs a look-up a phrase, not a scan.
struct Words {
    list: Vec<String>,
    set: HashSet<String>,
}

impl Words {
    fn of(text: &str) -> Words {
        let mut list = words(text);
        list.truncate(SENTENCE_WORDS);
        let set = list.iter().cloned().collect();
        Words { list, set }
    }
}

/// Whether a sentence (its words) says what the recogniser looks for, and nothing that
/// makes it something else.
fn says(r: &Recogniser, pack: &Recognisers, sentence: &Words) -> bool {
    r.phrases.iter().any(|p| has(sentence, p))
        && !r
            .unless
            .iter()
            .chain(&pack.unless)
            .any(|p| has(sentence, p))
}

/// Whether a sentence says it in words that need the letter around them ("we have
/// decided not to agree to your request", in a letter about an assessment).
fn says_weakly(r: &Recogniser, pack: &Recognisers, sentence: &Words) -> bool {
    r.weak_phrases.iter().any(|p| has(sentence, p))
        && !r
            .unless
            .iter()
            .chain(&pack.unless)
            .any(|p| has(sentence, p))
}

/// Whether the phrase is in the words, "..." standing for up to eight words.
fn has(text: &Words, phrase: &Phrase) -> bool {
    let possible = phrase
        .pieces
        .iter()
        .flatten()
        .all(|w| w.starts_with('#') || text.set.contains(w));
    possible && (0..text.list.len()).any(|at| matches_from(&text.list, &phrase.pieces, at, 0))
}

fn matches_from(text: &[String], pieces: &[Vec<String>], at: usize, slack: usize) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return true;
    };
    if first.is_empty() {
        return matches_from(text, rest, at, GAP);
    }
    (at..=(at + slack).min(text.len())).any(|start| {
        starts_at(text, start, first) && matches_from(text, rest, start + first.len(), GAP)
    })
}

/// The sentences of a text: the lines of a paragraph joined (letters and PDFs wrap
/// sentences anywhere), split after ".", "!" or "?"; a line ending with ":" or ",", a
/// greeting, or a bulleted line ends one too.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim) {
        let bullet = line.starts_with(['*', '•', '·', '-', '–']);
        if bullet && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        if !line.is_empty() {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
        let ends = line.is_empty()
            || bullet
            || line.ends_with([':', ','])
            || line
                .get(..5)
                .is_some_and(|p| p.eq_ignore_ascii_case("dear "));
        if ends && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.iter().flat_map(|s| split_sentences(s)).collect()
}

fn split_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?')
            && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
            && !abbreviation(&text[start..i])
        {
            out.push(text[start..=i].trim().to_owned());
            start = i + 1;
        }
    }
    out.push(text[start..].trim().to_owned());
    out.retain(|s| !s.is_empty());
    out
}

/// "Dr.", "Mrs.", "e.g.", "No.": a full stop that ends no sentence.
fn abbreviation(before: &str) -> bool {
    let last = before.rsplit(' ').next().unwrap_or("").to_lowercase();
    matches!(
        last.as_str(),
        "dr" | "mr" | "mrs" | "ms" | "e.g" | "i.e" | "no" | "ref" | "st" | "cllr" | "approx"
    )
}

/// The date written at the head of the letter that holds `sentence`: a line that is a
/// date, or "Date: ...", with its year, above the greeting ("Dear ...") that opens that
/// letter. A covering note may come first, with a greeting of its own: the letter is
/// the one whose greeting is the last before the sentence, or the one set out after it.
fn head_date(text: &str, sentence: &str, near: Option<Date>) -> Option<Date> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let opening: Vec<&str> = sentence.split_whitespace().take(4).collect();
    let at = lines
        .iter()
        .position(|l| {
            l.split_whitespace()
                .collect::<Vec<_>>()
                .windows(opening.len())
                .any(|w| w == opening.as_slice())
        })
        .unwrap_or(lines.len());
    let greeting = |l: &&str| l.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("dear "));
    let before = &lines[..at.min(lines.len())];
    let dated = |from: usize, to: usize| {
        lines[from..to]
            .iter()
            .filter(|l| !l.is_empty())
            .filter_map(|line| date_line(line, near))
            .next_back()
    };
    match before.iter().rposition(greeting) {
        // A letter's head set out after a covering note's greeting ("Please read the
        // notice below." then the council's heading and date), else the head above
        // the greeting before the sentence, back to the greeting before that.
        Some(g) => dated(g + 1, before.len()).or_else(|| {
            dated(
                before[..g].iter().rposition(greeting).map_or(0, |p| p + 1),
                g,
            )
        }),
        // No greeting before it: the head of the text.
        None => dated(0, before.len().max(lines.len().min(25))),
    }
}

/// The date of a line that is only a date ("Tuesday 3rd March 2026"), or "Date: ...";
/// never "Date received: ...".
fn date_line(line: &str, near: Option<Date>) -> Option<Date> {
    let found = when::dates(line, near);
    let first = found.iter().find(|f| f.with_year)?;
    let rest = words(&format!(
        "{}{}",
        &line[..first.at.start],
        &line[first.at.end..]
    ));
    let weekdays = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let extra = rest
        .iter()
        .filter(|w| !weekdays.contains(&w.as_str()) && !matches!(w.as_str(), "date" | "dated"))
        .count();
    let labelled = rest.first().is_some_and(|w| w == "date") && rest.len() == 1;
    (extra == 0 || labelled).then_some(first.date)
}

/// "We received your request on 2 March 2026": the date written after "received" (or
/// "reached"), on or before the message.
fn stated_receipt(letter: &Letter, read: &[Read<'_>]) -> Option<(Date, Dated)> {
    read.iter().find_map(|part| {
        sentences(part.text).into_iter().find_map(|s| {
            let lower = s.to_lowercase();
            let said = lower.find("receiv").or_else(|| lower.find("reached"))?;
            let dates = when::dates(&s, letter.arrived);
            let on_or_before = |f: &&when::Found| letter.arrived.is_none_or(|a| f.date <= a);
            dates
                .iter()
                .filter(on_or_before)
                .find(|f| f.at.start > said)
                .or_else(|| dates.iter().rev().find(on_or_before))
                .map(|f| (f.date, Dated::Stated))
        })
    })
}

/// "for 3 school days", "a fixed period of two days", "for one day".
fn days_in(text: &str) -> Option<u32> {
    let text = words(text);
    text.iter().enumerate().find_map(|(at, w)| {
        if !is_number(w) {
            return None;
        }
        let next: Vec<&str> = text[at + 1..].iter().take(3).map(String::as_str).collect();
        let unit = next.iter().position(|w| matches!(*w, "day" | "days"))?;
        next[..unit]
            .iter()
            .all(|w| matches!(*w, "school" | "full" | "whole" | "working"))
            .then(|| number(w))
            .flatten()
    })
}

/// Meetings the message invites the family to: each event of an attached invitation,
/// and each sentence with an invitation, a day and a time; never one before the message.
fn meetings(
    letter: &Letter,
    read: &[Read<'_>],
    r: &Recogniser,
    pack: &Recognisers,
    may_send: &dyn Fn(&Part) -> bool,
) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = Vec::new();
    let after = |d: Date| letter.arrived.is_none_or(|a| d >= a);
    let sender_ok = letter.parts.first().is_none_or(may_send);
    if sender_ok {
        for event in letter.events.iter().filter(|e| after(e.start.date())) {
            // The same invitation inline and attached is one meeting.
            if out
                .iter()
                .any(|s| s.date == event.start.date() && s.time == Some(event.start.time()))
            {
                continue;
            }
            out.push(Suggestion {
                kind: r.kind.clone(),
                quote: quote(&event.summary),
                found_in: "the calendar invitation".into(),
                date: event.start.date(),
                dated: Dated::Meeting,
                time: Some(event.start.time()),
                days: None,
                posted: false,
            });
        }
    }
    for part in read.iter().filter(|p| may_send(p.part)) {
        let all = &part.sentences;
        for (i, (sentence, sentence_words)) in all.iter().enumerate() {
            if !says(r, pack, sentence_words) {
                continue;
            }
            // The day and time are in the sentence (the time perhaps in the next), or
            // set out in short lines just below it ("Date", "Tuesday 8 September").
            let set_out = all[i + 1..]
                .iter()
                .take(6)
                .map(|(s, _)| s.as_str())
                .take_while(|s| s.len() <= 60);
            let said_here = !when::dates(sentence, letter.arrived).is_empty();
            let next = all
                .get(i + 1)
                .map(|(s, _)| s.as_str())
                .filter(|_| said_here);
            let nearby = || {
                std::iter::once(sentence.as_str())
                    .chain(next)
                    .chain(set_out.clone().filter(|_| !said_here))
            };
            let Some(day) = nearby()
                .flat_map(|s| when::dates(s, letter.arrived))
                .map(|f| f.date)
                .find(|d| after(*d))
            else {
                continue;
            };
            let time = nearby().find_map(|s| when::times(s).first().copied());
            let Some(time) = time else {
                continue;
            };
            if out.iter().any(|s| s.date == day && s.time == Some(time)) {
                continue;
            }
            out.push(Suggestion {
                kind: r.kind.clone(),
                quote: quote(sentence),
                found_in: place(&part.part.place),
                date: day,
                dated: Dated::Meeting,
                time: Some(time),
                days: None,
                posted: false,
            });
        }
    }
    out
}

/// The side of a sender: the case's people by address, their organisations by domain
/// (a domain the case knows covers its subdomains), then the pack's domains for
/// senders the case does not know. A family address is
/// known only as itself: families write from shared mail services.
fn side_of(address: &str, known: &[Known], pack: &Recognisers) -> Option<Side> {
    let domain = address.rsplit_once('@').map(|(_, d)| d)?;
    known
        .iter()
        .find(|k| k.address == address)
        .or_else(|| {
            known.iter().find(|k| {
                let within = |d: &str| domain == d || domain.ends_with(&format!(".{d}"));
                k.side != Side::Family
                    && match k.address.rsplit_once('@') {
                        // A person's organisation: the same domain.
                        Some((_, d)) => d == domain,
                        // A domain the case knows, and its subdomains.
                        None => within(&k.address),
                    }
            })
        })
        .map(|k| k.side)
        .or_else(|| pack.side_of_domain(domain))
}

fn place(place: &Place) -> String {
    match place {
        Place::Body => "the message".into(),
        Place::Forwarded => "the forwarded message".into(),
        Place::Attachment(name) => format!("the attached {name}"),
    }
}

fn quote(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.len() <= QUOTE_LIMIT {
        return flat;
    }
    let mut end = QUOTE_LIMIT;
    while !flat.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &flat[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_with_gaps_and_sentences_across_lines() {
        let text = Words::of("We have decided that we will not carry out an EHC needs assessment");
        assert!(has(
            &text,
            &"will not carry out ... assessment".to_owned().into()
        ));
        assert!(!has(
            &text,
            &"will not carry out ... plan".to_owned().into()
        ));
        assert!(has(&text, &"decided ... not carry out".to_owned().into()));
        assert_eq!(
            sentences(
                "Dear Jo,\n\nWe have decided not to carry out an\nEHC needs assessment. You may appeal.\n"
            ),
            [
                "Dear Jo,",
                "We have decided not to carry out an EHC needs assessment.",
                "You may appeal."
            ]
        );
        assert_eq!(
            days_in("suspended for a fixed period of two school days"),
            Some(2)
        );
        assert_eq!(days_in("for 3 days from 4 March"), Some(3));
        assert_eq!(days_in("on 4 March 2026"), None);
    }

    /// Most mail says nothing a recogniser looks for: such a part costs one pass over
    /// its words, whatever the case of the words that are there.
    #[test]
    fn a_part_without_the_words_of_any_phrase_is_not_split_into_sentences() {
        let pack = Recognisers::england().expect("the recognisers");
        let part = |text: &str| Part {
            place: Place::Body,
            text: text.to_owned(),
            from: None,
            sent: None,
        };
        let newsletter = part("Dear parents,\nThe summer fair is on Saturday. Thank you.");
        let refusal =
            part("Dear Ms Morgan,\nWe have DECIDED not to carry out an EHC needs assessment.");
        assert!(
            Read::of(&newsletter, |t| pack.could_say(t))
                .sentences
                .is_empty()
        );
        assert_eq!(Read::of(&refusal, |t| pack.could_say(t)).sentences.len(), 2);
    }

    /// A stranger's message of megabytes, one sentence without a full stop, is read up
    /// to the limits and no further: the decision at its start is still found.
    #[test]
    fn a_wall_of_text_is_read_within_the_limits() {
        let pack = Recognisers::england().expect("the recognisers");
        let wall = "we have decided not to carry out an ehc needs assessment and ".repeat(40_000);
        let letter = Letter {
            from: None,
            subject: String::new(),
            arrived: Some(jiff::civil::date(2026, 3, 3)),
            parts: vec![Part {
                place: Place::Body,
                text: wall,
                from: None,
                sent: None,
            }],
            events: vec![],
        };
        let read = Read::of(&letter.parts[0], |_| true);
        assert!(read.whole.list.len() <= PART_LIMIT / 2);
        assert!(
            read.sentences
                .iter()
                .all(|(_, w)| w.list.len() <= SENTENCE_WORDS)
        );
        let found = recognise(&letter, &[], &pack);
        assert!(
            found.iter().any(|s| s.kind == "refusal-to-assess"),
            "{found:?}"
        );
    }

    #[test]
    fn a_letter_is_dated_by_its_head() {
        let near = Some(jiff::civil::date(2026, 3, 5));
        let decided = "We have decided not to assess.";
        let day = |d| Some(jiff::civil::date(2026, 3, d));
        let head = |text: &str| head_date(&format!("{text}\n{decided}\n"), decided, near);
        assert_eq!(
            head("Northshire County Council\nTuesday 3rd March 2026\nDear Mrs Carter"),
            day(3)
        );
        assert_eq!(head("Dear Mrs Carter"), None);
        assert_eq!(head("Date: 03/03/2026"), day(3));
        assert_eq!(head("Date received: 01/03/2026"), None);
        assert_eq!(head("The meeting on 3 March 2026 went well"), None);
        // A covering note, then the letter with its own date and greeting.
        assert_eq!(
            head(
                "Dear Mrs Carter,\nPlease see the letter below.\n4 March 2026\n----\nCOUNCIL\n2 March 2026\nDear Mrs Carter,"
            ),
            day(2)
        );
    }
}
