//! The recognisers measured on the labelled corpus (`corpus/README.md`): messages
//! written for the purpose by people who had not seen the recognisers, each with the
//! suggestion expected of it. A suggestion counts as right only with its kind, its date
//! and (for a meeting) its time and (for a suspension) its length right.

use std::collections::BTreeMap;
use std::path::Path;

use casebook_domain::Side;
use casebook_recognise::{Known, Letter, Recognisers, Suggestion, recognise};
use serde::Deserialize;

#[derive(Deserialize)]
struct Key {
    #[serde(default)]
    person: Vec<Person>,
    message: Vec<Message>,
}

#[derive(Deserialize)]
struct Person {
    email: Option<String>,
    domain: Option<String>,
    side: Side,
}

#[derive(Deserialize)]
struct Message {
    file: String,
    why: String,
    expect: Vec<Expected>,
}

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
struct Expected {
    kind: String,
    date: String,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    days: Option<u32>,
}

impl Expected {
    fn of(s: &Suggestion) -> Expected {
        Expected {
            kind: s.kind.clone(),
            date: s.date.to_string(),
            time: s.time.map(|t| t.strftime("%H:%M").to_string()),
            days: s.days,
        }
    }

    /// Whether a suggestion is this one: a time or a length the key gives must match.
    fn is(&self, found: &Expected) -> bool {
        self.kind == found.kind
            && self.date == found.date
            && (self.time.is_none() || self.time == found.time)
            && (self.days.is_none() || self.days == found.days)
    }
}

#[derive(Default)]
struct Tally {
    right: u32,
    wrong: u32,
    missed: u32,
}

#[test]
fn precision_and_recall_on_the_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let pack = Recognisers::england().expect("the pack's recognisers");
    let mut keys: Vec<_> = std::fs::read_dir(&dir)
        .expect("the corpus")
        .map(|e| e.expect("an entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("key-") && n.ends_with(".toml"))
        })
        .collect();
    keys.sort();
    assert!(!keys.is_empty(), "no key files in {}", dir.display());
    let mut tally: BTreeMap<String, Tally> = pack
        .recognisers
        .iter()
        .map(|r| (r.kind.clone(), Tally::default()))
        .collect();
    let mut messages = 0;
    let mut mistakes = Vec::new();
    for key_path in keys {
        let key: Key = toml::from_str(&std::fs::read_to_string(&key_path).expect("a key"))
            .unwrap_or_else(|e| panic!("{}: {e}", key_path.display()));
        let known: Vec<Known> = key
            .person
            .iter()
            .filter_map(|p| {
                Some(Known {
                    address: p.email.clone().or(p.domain.clone())?.to_lowercase(),
                    side: p.side,
                })
            })
            .collect();
        for message in &key.message {
            messages += 1;
            let raw = std::fs::read(dir.join(&message.file))
                .unwrap_or_else(|e| panic!("{}: {e}", message.file));
            let letter = Letter::from_email(&raw, &pack.history)
                .unwrap_or_else(|e| panic!("{}: {e}", message.file));
            let found: Vec<Expected> = recognise(&letter, &known, &pack)
                .iter()
                .map(Expected::of)
                .collect();
            for f in &found {
                let t = tally.entry(f.kind.clone()).or_default();
                if message.expect.iter().any(|e| e.is(f)) {
                    t.right += 1;
                } else {
                    t.wrong += 1;
                    mistakes.push(format!(
                        "{}: suggested {f:?}; expected {:?} ({})",
                        message.file, message.expect, message.why
                    ));
                }
            }
            for e in &message.expect {
                if !found.iter().any(|f| e.is(f)) {
                    tally.entry(e.kind.clone()).or_default().missed += 1;
                    mistakes.push(format!(
                        "{}: missed {e:?}; found {found:?} ({})",
                        message.file, message.why
                    ));
                }
            }
        }
    }
    println!("{messages} messages");
    println!(
        "{:<22} {:>6} {:>6} {:>6} {:>10} {:>7}",
        "kind", "right", "wrong", "missed", "precision", "recall"
    );
    let mut failing = Vec::new();
    for (kind, t) in &tally {
        let precision = f64::from(t.right) / f64::from((t.right + t.wrong).max(1));
        let recall = f64::from(t.right) / f64::from((t.right + t.missed).max(1));
        println!(
            "{kind:<22} {:>6} {:>6} {:>6} {:>9.1}% {:>6.1}%",
            t.right,
            t.wrong,
            t.missed,
            100.0 * precision,
            100.0 * recall
        );
        if t.right + t.missed < 10 || precision < 0.95 || recall < 0.90 {
            failing.push(kind.clone());
        }
    }
    for m in &mistakes {
        println!("  {m}");
    }
    assert!(
        messages >= 150,
        "the corpus has {messages} messages; 150 at least"
    );
    assert!(
        failing.is_empty(),
        "below 95% precision or 90% recall, or fewer than 10 labelled: {failing:?}"
    );
}

#[test]
fn every_recogniser_finds_its_own_example() {
    let pack = Recognisers::england().expect("the pack's recognisers");
    let known = [Known {
        address: "officer@northshire.gov.uk".into(),
        side: Side::LocalAuthority,
    }];
    for r in &pack.recognisers {
        let from = match r.from.first() {
            Some(Side::School) => "head@oakfield.sch.uk",
            _ => "officer@northshire.gov.uk",
        };
        let raw = format!(
            "From: {from}\r\nTo: jo@example.org\r\nSubject: Alex\r\nDate: Mon, 2 Mar 2026 09:00:00 +0000\r\n\r\nDear Jo,\r\n\r\n{} It starts at 2pm.\r\n",
            r.example
        );
        let letter = Letter::from_email(raw.as_bytes(), &pack.history).expect("a message");
        let found = recognise(&letter, &known, &pack);
        assert!(
            found.iter().any(|s| s.kind == r.kind),
            "{}: its example \"{}\" is not recognised: {found:?}",
            r.kind,
            r.example
        );
    }
}

/// docs/RECOGNISE.md lists every recogniser with its example and the rules it starts,
/// as the pack says them.
#[test]
fn the_documentation_lists_every_recogniser() {
    let pack = Recognisers::england().expect("the pack's recognisers");
    let docs = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/RECOGNISE.md"),
    )
    .expect("docs/RECOGNISE.md");
    for r in &pack.recognisers {
        let heading = format!("### `{}`: {}", r.kind, r.label);
        let section = docs
            .split("\n### ")
            .find(|s| format!("### {s}").starts_with(&heading))
            .unwrap_or_else(|| panic!("docs/RECOGNISE.md has no \"{heading}\""));
        assert!(section.contains(&r.example), "{}: its example", r.kind);
        for rule in &r.starts {
            assert!(section.contains(&format!("`{rule}`")), "{}: {rule}", r.kind);
        }
    }
}
