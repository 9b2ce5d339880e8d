//! The behaviour every backend must show. A backend's tests call
//! `casebook_store::conformance_tests!(|| make_a_fresh_store())`, which expands to one
//! `#[test]` per check, so a failure names the check.

use casebook_domain::{
    Case, CaseId, Child, Content, EntryId, Facts, Governance, Head, Link, Occurred, Person,
    PersonId, Relation, Role, Setting, SettingKind, StoredEntry, facts, verify_chain,
};

use crate::{Append, CaseStore, StoreError};

pub fn sample_case(slug: &str) -> Case {
    Case {
        id: CaseId::random(),
        slug: slug.to_owned(),
        child: Child {
            name: "Sam Example".into(),
            date_of_birth: None,
            year_group: Some("Year 5".into()),
            needs: vec!["anxiety".into()],
            diagnoses: vec![],
        },
        setting: Setting {
            name: "Oakfield Primary".into(),
            kind: SettingKind::Maintained,
            governance: Governance::GoverningBoard,
        },
        authority: Some("Exampleshire".into()),
        jurisdiction: "england".into(),
    }
}

fn person(id: u32, name: &str, role: Role) -> Person {
    Person {
        id: PersonId(id),
        name: name.into(),
        role,
        organisation: None,
        email: None,
        phone: None,
        pseudonym: None,
    }
}

fn note(case: &Case, head: Option<Head>, occurred: &str, summary: &str) -> StoredEntry {
    let content = Content {
        summary: summary.into(),
        details: None,
        sources: vec![],
        attachments: vec![],
        facts: Facts::Note,
    };
    seal(case, head, occurred, vec![], &content)
}

fn seal(
    case: &Case,
    head: Option<Head>,
    occurred: &str,
    links: Vec<Link>,
    content: &Content,
) -> StoredEntry {
    let occurred = Occurred::parse(occurred).expect("fixture dates are valid");
    let recorded = jiff::Timestamp::from_second(1_772_530_000).expect("fixed instant");
    StoredEntry::seal(case.id, head, occurred, recorded, "parent", links, content)
}

fn append(store: &impl CaseStore, case: &Case, entry: StoredEntry) -> Head {
    let head = entry.head();
    let expected = (entry.record.seq > 1).then(|| Head {
        seq: entry.record.seq - 1,
        hash: entry.record.prev_hash,
    });
    store
        .append(
            case.id,
            expected,
            &Append {
                entry,
                erase_content_of: None,
            },
        )
        .expect("append");
    head
}

pub fn cases_are_created_listed_and_found(store: impl CaseStore) {
    let a = sample_case("alpha");
    let b = sample_case("beta");
    store.create_case(&a).expect("create a");
    store.create_case(&b).expect("create b");
    let mut slugs: Vec<String> = store
        .cases()
        .expect("list")
        .into_iter()
        .map(|c| c.slug)
        .collect();
    slugs.sort();
    assert_eq!(slugs, ["alpha", "beta"]);
    assert_eq!(store.case_by_slug("beta").expect("find"), Some(b));
    assert_eq!(store.case_by_slug("gamma").expect("find"), None);
}

pub fn a_second_case_with_the_same_slug_is_refused(store: impl CaseStore) {
    store.create_case(&sample_case("alpha")).expect("create");
    let again = store.create_case(&sample_case("alpha"));
    assert!(matches!(again, Err(StoreError::Refused(_))), "{again:?}");
    assert_eq!(store.cases().expect("list").len(), 1);
}

pub fn people_belong_to_their_case(store: impl CaseStore) {
    let a = sample_case("alpha");
    let b = sample_case("beta");
    store.create_case(&a).expect("create");
    store.create_case(&b).expect("create");
    let mut child = person(2, "Jordan Other", Role::OtherChild);
    child.pseudonym = Some("Child A".into());
    store
        .add_person(a.id, &person(1, "Ms Head", Role::HeadTeacher))
        .expect("add");
    store.add_person(a.id, &child).expect("add");
    store
        .add_person(b.id, &person(1, "Mr Senco", Role::Senco))
        .expect("same id, other case");
    assert_eq!(
        store.people(a.id).expect("people"),
        vec![person(1, "Ms Head", Role::HeadTeacher), child]
    );
    assert_eq!(store.people(b.id).expect("people").len(), 1);
    let clash = store.add_person(a.id, &person(1, "Someone Else", Role::Witness));
    assert!(matches!(clash, Err(StoreError::Conflict)), "{clash:?}");
}

pub fn appends_form_a_chain_that_reads_back_exactly(store: impl CaseStore) {
    let case = sample_case("alpha");
    store.create_case(&case).expect("create");
    assert_eq!(store.head(case.id).expect("head"), None);
    let first = note(&case, None, "2026-03-02", "First note");
    let h1 = append(&store, &case, first.clone());
    let incident = Content {
        summary: "Pushed in the corridor".into(),
        details: Some("At lunch.\nTwo lines.".into()),
        sources: vec!["my notes".into()],
        attachments: vec![],
        facts: Facts::Incident(facts::Incident {
            place: Some("corridor".into()),
            involved: vec![PersonId(2)],
            ..Default::default()
        }),
    };
    let links = vec![Link {
        rel: Relation::About,
        target: EntryId(1),
    }];
    let second = seal(&case, Some(h1), "week of 2026-03-02", links, &incident);
    let h2 = append(&store, &case, second.clone());
    let third = note(&case, Some(h2), "spring term 2026", "Third");
    append(&store, &case, third.clone());
    assert_eq!(
        store.entries(case.id).expect("entries"),
        vec![first, second.clone(), third.clone()]
    );
    assert_eq!(store.entry(case.id, 2).expect("entry"), Some(second));
    assert_eq!(store.entry(case.id, 4).expect("entry"), None);
    assert_eq!(store.head(case.id).expect("head"), Some(third.head()));
}

pub fn an_append_on_a_stale_head_is_refused_and_changes_nothing(store: impl CaseStore) {
    let case = sample_case("alpha");
    store.create_case(&case).expect("create");
    let h1 = append(&store, &case, note(&case, None, "2026-03-02", "one"));
    let h2 = append(&store, &case, note(&case, Some(h1), "2026-03-03", "two"));
    // A second writer that still believes the chain ends at h1.
    let late = note(&case, Some(h1), "2026-03-04", "late writer");
    let result = store.append(
        case.id,
        Some(h1),
        &Append {
            entry: late,
            erase_content_of: None,
        },
    );
    assert!(matches!(result, Err(StoreError::Conflict)), "{result:?}");
    assert_eq!(store.head(case.id).expect("head"), Some(h2));
    assert_eq!(store.entries(case.id).expect("entries").len(), 2);
    // And a first entry cannot be appended twice.
    let again = store.append(
        case.id,
        None,
        &Append {
            entry: note(&case, None, "2026-03-02", "x"),
            erase_content_of: None,
        },
    );
    assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
}

pub fn a_redaction_removes_content_and_the_chain_still_verifies(store: impl CaseStore) {
    let case = sample_case("alpha");
    store.create_case(&case).expect("create");
    let h1 = append(
        &store,
        &case,
        note(&case, None, "2026-03-02", "Said something private"),
    );
    let redaction = Content {
        summary: "Redacted entry e1".into(),
        details: None,
        sources: vec![],
        attachments: vec![],
        facts: Facts::Redaction(facts::Redaction {
            reason: "names another family".into(),
        }),
    };
    let links = vec![Link {
        rel: Relation::Redacts,
        target: EntryId(1),
    }];
    let entry = seal(&case, Some(h1), "2026-03-05", links, &redaction);
    let head = entry.head();
    store
        .append(
            case.id,
            Some(h1),
            &Append {
                entry,
                erase_content_of: Some(1),
            },
        )
        .expect("redact");
    let entries = store.entries(case.id).expect("entries");
    assert_eq!(entries[0].content, None);
    assert!(entries[1].content.is_some());
    let report = verify_chain(case.id, &entries, Some(head), |_| {
        unreachable!("no attachments")
    });
    assert!(report.is_intact(), "{report:?}");
}

pub fn a_failed_import_leaves_nothing_behind(store: impl CaseStore) {
    let case = sample_case("alpha");
    let first = note(&case, None, "2026-03-02", "one");
    let mut broken = note(&case, Some(first.head()), "2026-03-03", "two");
    broken.record.seq = 1; // two entries claiming the same place in the chain
    let people = [person(1, "Ms Head", Role::HeadTeacher)];
    assert!(
        store
            .import_case(&case, &people, &[first.clone(), broken])
            .is_err()
    );
    assert_eq!(store.cases().expect("list"), vec![]);
    let second = note(&case, Some(first.head()), "2026-03-03", "two");
    store
        .import_case(&case, &people, &[first.clone(), second.clone()])
        .expect("import");
    assert_eq!(
        store.entries(case.id).expect("entries"),
        vec![first, second.clone()]
    );
    assert_eq!(store.head(case.id).expect("head"), Some(second.head()));
    assert_eq!(store.people(case.id).expect("people").len(), 1);
}

pub fn entries_of_one_case_never_appear_in_another(store: impl CaseStore) {
    let a = sample_case("alpha");
    let b = sample_case("beta");
    store.create_case(&a).expect("create");
    store.create_case(&b).expect("create");
    append(&store, &a, note(&a, None, "2026-03-02", "alpha's"));
    assert_eq!(store.entries(b.id).expect("entries"), vec![]);
    assert_eq!(store.head(b.id).expect("head"), None);
}

pub fn case_settings_are_replaced_and_kept_apart(store: impl CaseStore) {
    let a = sample_case("alpha");
    let b = sample_case("beta");
    store.create_case(&a).expect("create");
    store.create_case(&b).expect("create");
    assert_eq!(store.case_setting(a.id, "terms").expect("read"), None);
    store.set_case_setting(a.id, "terms", "first").expect("set");
    store
        .set_case_setting(a.id, "terms", "second")
        .expect("replace");
    assert_eq!(
        store.case_setting(a.id, "terms").expect("read").as_deref(),
        Some("second")
    );
    assert_eq!(store.case_setting(b.id, "terms").expect("read"), None);
}

pub fn appending_several_entries_is_all_or_nothing(store: impl CaseStore) {
    let case = sample_case("alpha");
    store.create_case(&case).expect("create");
    let first = note(&case, None, "2026-03-02", "one");
    let h1 = append(&store, &case, first.clone());
    let second = note(&case, Some(h1), "2026-03-03", "two");
    let third = note(&case, Some(second.head()), "2026-03-04", "three");
    let all = |entries: Vec<StoredEntry>, expected: Option<Head>, fail: bool| {
        store.append_all(case.id, expected, &mut |push| {
            for entry in entries.clone() {
                push(entry)?;
            }
            if fail {
                Err(StoreError::Refused("stopped".into()))
            } else {
                Ok(())
            }
        })
    };
    // The third claims the wrong predecessor: the whole batch is refused.
    let mut broken = note(&case, Some(h1), "2026-03-04", "stray");
    broken.record.seq = 3;
    assert!(all(vec![second.clone(), broken], Some(h1), false).is_err());
    assert_eq!(
        store.entries(case.id).expect("entries"),
        vec![first.clone()]
    );
    // Stopped by the caller after two good entries: nothing either.
    assert!(all(vec![second.clone(), third.clone()], Some(h1), true).is_err());
    assert_eq!(
        store.entries(case.id).expect("entries"),
        vec![first.clone()]
    );
    // On a stale head, nothing either.
    assert!(matches!(
        all(vec![second.clone(), third.clone()], None, false),
        Err(StoreError::Conflict)
    ));
    all(vec![second.clone(), third.clone()], Some(h1), false).expect("append all");
    assert_eq!(
        store.entries(case.id).expect("entries"),
        vec![first, second, third.clone()]
    );
    assert_eq!(store.head(case.id).expect("head"), Some(third.head()));
}

/// Expands to one `#[test]` per conformance check, each on a fresh store.
#[macro_export]
macro_rules! conformance_tests {
    ($make:expr) => {
        $crate::conformance_tests!(@each $make;
            cases_are_created_listed_and_found,
            a_second_case_with_the_same_slug_is_refused,
            people_belong_to_their_case,
            appends_form_a_chain_that_reads_back_exactly,
            an_append_on_a_stale_head_is_refused_and_changes_nothing,
            a_redaction_removes_content_and_the_chain_still_verifies,
            a_failed_import_leaves_nothing_behind,
            entries_of_one_case_never_appear_in_another,
            case_settings_are_replaced_and_kept_apart,
            appending_several_entries_is_all_or_nothing,
        );
    };
    (@each $make:expr; $($check:ident,)*) => {
        $(
            #[test]
            fn $check() {
                let make = $make;
                $crate::conformance::$check(make());
            }
        )*
    };
}
