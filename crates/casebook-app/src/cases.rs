//! Starting a case, choosing the case a command is about, and the people in it.

use casebook_domain::{
    Case, CaseId, Child, Governance, Person, PersonId, Role, Setting, SettingKind,
    check_short_text, pseudonym_for, validate_slug,
};
use casebook_store::{CaseStore, StoreError};

use crate::error::{AppResult, invalid};

/// What `casebook case new` is told.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub slug: String,
    pub child: Child,
    pub setting_name: String,
    pub setting_kind: SettingKind,
    pub governance: Option<Governance>,
    pub authority: Option<String>,
    pub jurisdiction: String,
}

/// Jurisdictions with a rule pack; others would give deadlines nobody can rely on.
pub const JURISDICTIONS: &[&str] = &["england"];

pub fn create_case(store: &impl CaseStore, new: NewCase) -> AppResult<Case> {
    validate_slug(&new.slug)?;
    check_short_text("child's name", &new.child.name)?;
    check_short_text("setting's name", &new.setting_name)?;
    if let Some(authority) = &new.authority {
        check_short_text("local authority", authority)?;
    }
    for text in new
        .child
        .needs
        .iter()
        .chain(&new.child.diagnoses)
        .chain(&new.child.year_group)
    {
        check_short_text("description of the child", text)?;
    }
    if !JURISDICTIONS.contains(&new.jurisdiction.as_str()) {
        return invalid(format!(
            "\"{}\" is not a jurisdiction casebook has rules for: use {}.",
            new.jurisdiction,
            JURISDICTIONS.join(", ")
        ));
    }
    let case = Case {
        id: CaseId::random(),
        slug: new.slug,
        child: new.child,
        setting: Setting {
            name: new.setting_name,
            kind: new.setting_kind,
            governance: new
                .governance
                .unwrap_or(new.setting_kind.usual_governance()),
        },
        authority: new.authority,
        jurisdiction: new.jurisdiction,
    };
    store.create_case(&case)?;
    Ok(case)
}

/// The case a command is about: the one named, or the only one in the store.
pub fn choose_case(store: &impl CaseStore, slug: Option<&str>) -> AppResult<Case> {
    if let Some(slug) = slug {
        return store.case_by_slug(slug)?.map_or_else(
            || {
                invalid(format!(
                    "There is no case called \"{slug}\" in this store: see `casebook case list`."
                ))
            },
            Ok,
        );
    }
    let mut cases = store.cases()?;
    match cases.len() {
        0 => invalid("There is no case in this store yet: start one with `casebook case new`."),
        1 => Ok(cases.remove(0)),
        n => invalid(format!(
            "This store holds {n} cases ({}): say which with --case.",
            cases
                .iter()
                .map(|c| c.slug.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// What `casebook person add` is told.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: String,
    pub role: Role,
    pub organisation: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Adds a person. Another child gets the next pseudonym ("Child A", "Child B"...),
/// which is what every export shows instead of the name.
pub fn add_person(store: &impl CaseStore, case: &Case, new: NewPerson) -> AppResult<Person> {
    check_short_text("name", &new.name)?;
    for text in [&new.organisation, &new.email, &new.phone]
        .into_iter()
        .flatten()
    {
        check_short_text("contact detail", text)?;
    }
    if let Some(email) = &new.email
        && (!email.contains('@') || email.contains(char::is_whitespace))
    {
        return invalid(format!("\"{email}\" is not an email address."));
    }
    // Two writers may pick the same number at once; the store refuses the second, so
    // read again and retry.
    for _ in 0..5 {
        let people = store.people(case.id)?;
        let next = people.iter().map(|p| p.id.0).max().unwrap_or(0) + 1;
        let other_children = people.iter().filter(|p| p.role == Role::OtherChild).count();
        let person = Person {
            id: PersonId(next),
            name: new.name.clone(),
            role: new.role,
            organisation: new.organisation.clone(),
            email: new.email.clone(),
            phone: new.phone.clone(),
            pseudonym: (new.role == Role::OtherChild).then(|| pseudonym_for(other_children)),
        };
        match store.add_person(case.id, &person) {
            Ok(()) => return Ok(person),
            Err(StoreError::Conflict) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Conflict.into())
}

/// Finds a person by id (`p3`), name, pseudonym or email address, ignoring case.
pub fn find_person<'a>(people: &'a [Person], reference: &str) -> AppResult<&'a Person> {
    let wanted = reference.trim();
    if let Ok(id) = wanted.parse::<PersonId>()
        && let Some(p) = people.iter().find(|p| p.id == id)
    {
        return Ok(p);
    }
    let exact: Vec<&Person> = people
        .iter()
        .filter(|p| {
            p.name.eq_ignore_ascii_case(wanted)
                || p.pseudonym
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case(wanted))
                || p.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(wanted))
        })
        .collect();
    // "Mrs Carter" finds "Mrs Helen Carter": every word given is a word of the name.
    let words: Vec<String> = wanted.split_whitespace().map(str::to_lowercase).collect();
    let matches = if exact.is_empty() && !words.is_empty() {
        people
            .iter()
            .filter(|p| {
                let name: Vec<String> = p.name.split_whitespace().map(str::to_lowercase).collect();
                words.iter().all(|w| name.contains(w))
            })
            .collect()
    } else {
        exact
    };
    match matches.as_slice() {
        [one] => Ok(one),
        [] => invalid(format!(
            "There is no one called \"{wanted}\" in this case: add them to the people in the case first."
        )),
        several => invalid(format!(
            "More than one person matches \"{wanted}\" ({}): use their id instead.",
            several
                .iter()
                .map(|p| p.id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
