use std::path::PathBuf;

use casebook_plans::{Change, PlanChecks, compare_plans};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Key {
    old: String,
    new: String,
    change: Vec<Expected>,
    unchanged: Vec<Unchanged>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    change: Change,
    section: char,
    quote: String,
    #[serde(default)]
    detail: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Unchanged {
    quote: String,
}

fn amendments() -> PathBuf {
    crate::keys::folder("amendments")
}

fn has(text: Option<&String>, piece: &str) -> bool {
    text.is_some_and(|t| t.to_lowercase().contains(&piece.to_lowercase()))
}

/// Each pair of plans compared item by item: every change in its key found as the key
/// says (every weakening with what was lost, typo and date fixes harmless), nothing else
/// reported, and what reads the same left out.
#[test]
fn an_amended_plan_shows_every_weakening_and_calls_typo_fixes_harmless() {
    let checks = PlanChecks::england().expect("the built-in checks read");
    let keys: Vec<(PathBuf, Key)> = crate::keys::keys("amendments");
    assert!(keys.len() >= 2, "at least two pairs of plans");
    for (path, key) in keys {
        let read = |name: &str| std::fs::read(amendments().join(name)).expect("plan");
        let (old, new) = (read(&key.old), read(&key.new));
        let compared =
            compare_plans((&key.old, &old), (&key.new, &new), &checks).expect("compares");
        let mut wrong = Vec::new();
        for expected in &key.change {
            let text = |c: &casebook_plans::ItemChange| match expected.change {
                Change::Added => c.after.clone(),
                _ => c.before.clone(),
            };
            let found = compared.changes.iter().any(|c| {
                c.change == expected.change
                    && c.section == expected.section
                    && has(text(c).as_ref(), &expected.quote)
                    && (expected.detail.is_empty()
                        || c.details.iter().any(|d| d.contains(&expected.detail)))
            });
            if !found {
                wrong.push(format!(
                    "not found: {:?} in {} \"{}\" {}",
                    expected.change, expected.section, expected.quote, expected.detail
                ));
            }
        }
        for c in &compared.changes {
            let expected = key.change.iter().any(|e| {
                e.change == c.change
                    && e.section == c.section
                    && (has(c.before.as_ref(), &e.quote) || has(c.after.as_ref(), &e.quote))
            });
            if !expected {
                wrong.push(format!("not in the key: {c:?}"));
            }
        }
        for same in &key.unchanged {
            if compared
                .changes
                .iter()
                .any(|c| has(c.before.as_ref(), &same.quote) || has(c.after.as_ref(), &same.quote))
            {
                wrong.push(format!("reported, though the same: \"{}\"", same.quote));
            }
        }
        assert!(compared.unchanged >= key.unchanged.len());
        assert!(
            wrong.is_empty(),
            "{}:\n{}",
            path.display(),
            wrong.join("\n")
        );
    }
}
