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
    let needle: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((at, end)) = find_ignoring_case(rest, &needle) {
        let before_ok = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = &rest[end..];
        let after_ok = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
        out.push_str(&rest[..at]);
        out.push_str(if before_ok && after_ok {
            with
        } else {
            &rest[at..end]
        });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Where `needle` (already lower-cased) first appears in `haystack`, letter case aside
/// in every script ("ZOË" is "Zoë"), as the byte range it covers there: a letter and its
/// capital need not be the same length in UTF-8.
fn find_ignoring_case(haystack: &str, needle: &[char]) -> Option<(usize, usize)> {
    haystack
        .char_indices()
        .find_map(|(at, _)| matches_at(&haystack[at..], needle).map(|len| (at, at + len)))
}

fn matches_at(text: &str, needle: &[char]) -> Option<usize> {
    let mut seen: Vec<char> = Vec::with_capacity(needle.len());
    for (i, c) in text.char_indices() {
        seen.extend(c.to_lowercase());
        if !needle.starts_with(&seen) {
            return None;
        }
        if seen.len() == needle.len() {
            return Some(i + c.len_utf8());
        }
    }
    None
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

    #[test]
    fn letter_case_is_ignored_in_every_script() {
        let people = [
            child("Zoë Ångström", "Child A"),
            child("Ιωάννα", "Child B"),
            child("İlkay", "Child C"),
        ];
        assert_eq!(
            pseudonymise(
                "ZOË ÅNGSTRÖM and zoë; ΙΩΆΝΝΑ and ιωάννα; İLKAY. Zoëy stays.",
                &people
            ),
            "Child A and Child A; Child B and Child B; Child C. Zoëy stays."
        );
    }
}
