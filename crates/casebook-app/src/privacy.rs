//! Other children are never named in anything that leaves the family's machine.

use casebook_domain::{Person, Role};

/// Replaces the full name and the first name of every other child in `text` with their
/// pseudonym. Whole words only, so "Sam" does not touch "Samuel".
pub fn pseudonymise(text: &str, people: &[Person]) -> String {
    let mut out = text.to_owned();
    for child in people.iter().filter(|p| p.role == Role::OtherChild) {
        let Some(pseudonym) = &child.pseudonym else {
            continue;
        };
        let first = child.name.split_whitespace().next().unwrap_or_default();
        for name in [child.name.as_str(), first] {
            if name.chars().count() >= 2 {
                out = replace_word(&out, name, pseudonym);
            }
        }
    }
    out
}

fn replace_word(text: &str, word: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find_ignoring_case(rest, word) {
        let before_ok = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = &rest[at + word.len()..];
        let after_ok = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
        out.push_str(&rest[..at]);
        out.push_str(if before_ok && after_ok {
            with
        } else {
            &rest[at..at + word.len()]
        });
        rest = after;
    }
    out.push_str(rest);
    out
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.char_indices().map(|(i, _)| i).find(|&i| {
        haystack
            .get(i..i + needle.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(needle))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use casebook_domain::PersonId;

    fn child(name: &str, pseudonym: &str) -> Person {
        Person {
            id: PersonId(1),
            name: name.into(),
            role: Role::OtherChild,
            organisation: None,
            email: None,
            phone: None,
            pseudonym: Some(pseudonym.into()),
        }
    }

    #[test]
    fn names_become_pseudonyms_but_longer_words_are_left_alone() {
        let people = [
            child("Jordan Smith", "Child A"),
            child("Al Brown", "Child B"),
        ];
        assert_eq!(
            pseudonymise(
                "Jordan Smith pushed him; later jordan laughed. Jordanna was there. Al and Alice.",
                &people
            ),
            "Child A pushed him; later Child A laughed. Jordanna was there. Child B and Alice."
        );
    }
}
