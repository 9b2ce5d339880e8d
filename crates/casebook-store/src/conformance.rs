//! The behaviour every backend must show. A backend's tests call
//! `casebook_store::conformance_tests!(|| make_a_fresh_store())`, which expands to one
//! `#[test]` per check, so a failure names the check.

use casebook_domain::{
    Case, CaseId, Child, Content, EntryId, Facts, Governance, Head, Link, Occurred, Person,
    PersonId, Relation, Role, Setting, SettingKind, StoredEntry, facts, verify_chain,
};

use casebook_domain::{AccessEvent, Account, AccountId, CaseRole, Invitation, Session};

use crate::{AccountStore, Append, CaseStore, StoreError};

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
        .expect("fixture entries are readable")
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
    store
        .set_case_setting(a.id, "selection:panel", "e1,e2")
        .expect("set");
    assert_eq!(
        store.case_settings(a.id).expect("list"),
        vec![
            ("selection:panel".to_owned(), "e1,e2".to_owned()),
            ("terms".to_owned(), "second".to_owned())
        ]
    );
    assert!(store.case_settings(b.id).expect("list").is_empty());
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

pub fn concurrent_appends_to_one_case_keep_one_valid_chain(store: impl CaseStore) {
    const WRITERS: usize = 8;
    const EACH: usize = 25;
    let case = sample_case("busy");
    store.create_case(&case).expect("case");
    std::thread::scope(|scope| {
        for writer in 0..WRITERS {
            let (store, case) = (&store, &case);
            scope.spawn(move || {
                for n in 0..EACH {
                    store
                        .append_next(case.id, &mut |head| Append {
                            entry: note(
                                case,
                                head,
                                "2026-03-02",
                                &format!("writer {writer}, note {n}"),
                            ),
                            erase_content_of: None,
                        })
                        .expect("every writer's entry is kept");
                }
            });
        }
    });
    let entries = store.entries(case.id).expect("entries");
    assert_eq!(entries.len(), WRITERS * EACH);
    let report = verify_chain(
        case.id,
        &entries,
        store.head(case.id).expect("head"),
        |_| casebook_domain::AttachmentState::Intact,
    );
    assert!(report.failure.is_none(), "{report:?}");
    for writer in 0..WRITERS {
        let mine = entries
            .iter()
            .filter(|e| {
                e.content()
                    .and_then(Result::ok)
                    .is_some_and(|c| c.summary.starts_with(&format!("writer {writer},")))
            })
            .count();
        assert_eq!(mine, EACH, "writer {writer}");
    }
}

pub fn search_finds_words_in_one_case_and_never_what_was_redacted(store: impl CaseStore) {
    let ours = sample_case("ours");
    let theirs = sample_case("theirs");
    store.create_case(&ours).expect("case");
    store.create_case(&theirs).expect("case");
    let mut head = None;
    for summary in [
        "Pushed in the lunch queue by two older pupils",
        "Phoned the school office about the bus",
        "Hat thrown over the fence at lunchtime",
    ] {
        head = Some(append(
            &store,
            &ours,
            note(&ours, head, "2026-03-02", summary),
        ));
    }
    append(
        &store,
        &theirs,
        note(&theirs, None, "2026-03-02", "Lunch queue again"),
    );
    let found = |words: &str| store.search(ours.id, words, 100).expect("search");
    assert_eq!(found("lunch queue"), vec![1]);
    assert_eq!(
        found("LUNCH"),
        vec![1, 3],
        "any case, and as the start of a word"
    );
    assert_eq!(found("lunc"), vec![1, 3]);
    assert_eq!(found("push"), vec![1], "another form of the word");
    assert_eq!(found("fence lunch"), vec![3]);
    assert_eq!(
        found("bus\" * -- ;"),
        vec![2],
        "what the search language means is ignored"
    );
    assert!(found("library").is_empty());
    assert!(found("   ").is_empty());
    assert_eq!(store.search(ours.id, "lunch", 1).expect("search"), vec![1]);
    assert_eq!(
        store.search(theirs.id, "lunch", 10).expect("search"),
        vec![1]
    );
    // Redacted: the words go with the content.
    let redaction = seal(
        &ours,
        head,
        "2026-03-05",
        vec![Link {
            rel: Relation::Redacts,
            target: EntryId(3),
        }],
        &Content {
            summary: "Redaction of entry e3".into(),
            details: None,
            sources: vec![],
            attachments: vec![],
            facts: Facts::Redaction(facts::Redaction {
                reason: "private".into(),
            }),
        },
    );
    store
        .append(
            ours.id,
            head,
            &Append {
                entry: redaction,
                erase_content_of: Some(3),
            },
        )
        .expect("redact");
    assert!(found("fence").is_empty(), "redacted words are not found");
    assert_eq!(found("lunch"), vec![1]);
}

/// A word in every entry and a word in three: both come back as the first matches in
/// log order, however a backend finds them (PostgreSQL finds rare words through the
/// word index and common ones by reading the log in order).
pub fn search_gives_the_first_matches_in_log_order_for_rare_and_common_words(
    store: impl CaseStore,
) {
    let case = sample_case("long");
    let rare = [10, 5_000, 5_999];
    let mut entries: Vec<StoredEntry> = Vec::new();
    for n in 1..=6_000u64 {
        let summary = match rare.contains(&n) {
            true => format!("Common words and a rare one, number {n}"),
            false => format!("Common words only, number {n}"),
        };
        let head = entries.last().map(StoredEntry::head);
        entries.push(note(&case, head, "2026-03-02", &summary));
    }
    store.import_case(&case, &[], &entries).expect("import");
    let found = |words: &str, limit| store.search(case.id, words, limit).expect("search");
    assert_eq!(found("common", 100), (1..=100).collect::<Vec<u64>>());
    assert_eq!(found("rare", 100), rare.to_vec());
    assert_eq!(found("rare common", 100), rare.to_vec());
    assert_eq!(found("rare", 2), rare[..2].to_vec());
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
            concurrent_appends_to_one_case_keep_one_valid_chain,
            search_finds_words_in_one_case_and_never_what_was_redacted,
            search_gives_the_first_matches_in_log_order_for_rare_and_common_words,
            accounts_are_created_and_found_by_email_in_any_case,
            sessions_are_kept_found_and_ended,
            failed_logins_are_counted_per_key_since_a_time,
            attempts_at_the_same_moment_are_counted_one_by_one,
            roles_are_given_replaced_and_removed_case_by_case,
            an_invitation_works_once_and_not_after_it_is_withdrawn,
            the_access_log_keeps_every_event_in_order_per_case,
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

// Accounts, sessions, roles, invitations and the access log.

fn at(second: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_790_000_000 + second).expect("an instant")
}

pub fn sample_account(email: &str) -> Account {
    Account {
        id: AccountId::random(),
        email: email.to_lowercase(),
        name: format!("Caseworker {email}"),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo".into(),
        created: at(0),
    }
}

pub fn accounts_are_created_and_found_by_email_in_any_case<S: CaseStore + AccountStore>(store: S) {
    let account = sample_account("ms.shah@sendiass.example");
    store.create_account(&account).expect("account");
    assert_eq!(
        store.account(account.id).expect("by id").as_ref(),
        Some(&account)
    );
    assert_eq!(
        store
            .account_by_email("Ms.Shah@SENDIASS.example")
            .expect("by email"),
        Some(account.clone())
    );
    assert_eq!(
        store.account_by_email("nobody@example.org").expect("none"),
        None
    );
    let mut twin = sample_account("MS.SHAH@sendiass.example");
    twin.name = "Someone else".into();
    assert!(matches!(
        store.create_account(&twin),
        Err(StoreError::Conflict)
    ));
    assert_eq!(store.account(twin.id).expect("twin"), None);
    let other = sample_account("advocate@example.org");
    store.create_account(&other).expect("account");
    assert_eq!(
        store.accounts().expect("every account"),
        vec![other, account],
        "every account, by email address"
    );
}

pub fn sessions_are_kept_found_and_ended<S: CaseStore + AccountStore>(store: S) {
    let account = sample_account("advocate@example.org");
    store.create_account(&account).expect("account");
    let session = |token: &str, expires: i64| Session {
        token_hash: casebook_domain::token_hash(token),
        account: account.id,
        form_token: format!("form-{token}"),
        created: at(0),
        expires: at(expires),
    };
    let short = session("short", 100);
    let long = session("long", 10_000);
    store.create_session(&short).expect("short");
    store.create_session(&long).expect("long");
    assert_eq!(
        store.session(&short.token_hash).expect("found"),
        Some(short.clone())
    );
    store.end_expired_sessions(at(500)).expect("expire");
    assert_eq!(store.session(&short.token_hash).expect("gone"), None);
    assert_eq!(
        store.session(&long.token_hash).expect("kept"),
        Some(long.clone())
    );
    store.end_session(&long.token_hash).expect("end");
    assert_eq!(store.session(&long.token_hash).expect("ended"), None);
}

pub fn failed_logins_are_counted_per_key_since_a_time<S: CaseStore + AccountStore>(store: S) {
    let counted: Vec<u32> = [10, 20, 30]
        .into_iter()
        .map(|second| {
            store
                .count_attempt("advocate@example.org", at(second), at(0))
                .expect("counted")
        })
        .collect();
    assert_eq!(counted, [1, 2, 3]);
    // Attempts before the window are not counted.
    assert_eq!(
        store
            .count_attempt("advocate@example.org", at(40), at(15))
            .expect("counted"),
        3
    );
    store
        .count_attempt("127.0.0.1", at(25), at(0))
        .expect("counted");
    assert_eq!(
        store
            .failed_logins_since("advocate@example.org", at(15))
            .expect("count"),
        3
    );
    assert_eq!(
        store
            .failed_logins_since("127.0.0.1", at(0))
            .expect("count"),
        1
    );
    store
        .clear_failed_logins("advocate@example.org")
        .expect("clear");
    assert_eq!(
        store
            .failed_logins_since("advocate@example.org", at(0))
            .expect("count"),
        0
    );
    assert_eq!(
        store
            .failed_logins_since("127.0.0.1", at(0))
            .expect("count"),
        1
    );
}

/// Thirty-one guesses sent at once each get their own number: exactly one of them is
/// the fifth, and none reads a count another has not yet written.
pub fn attempts_at_the_same_moment_are_counted_one_by_one<S: CaseStore + AccountStore>(store: S) {
    let mut counts: Vec<u32> = std::thread::scope(|scope| {
        let store = &store;
        let guesses: Vec<_> = (0..31)
            .map(|_| {
                scope.spawn(move || {
                    store
                        .count_attempt("parent@example.org client:192.0.2.1", at(50), at(0))
                        .expect("counted")
                })
            })
            .collect();
        guesses
            .into_iter()
            .map(|g| g.join().expect("a guess"))
            .collect()
    });
    counts.sort_unstable();
    assert_eq!(counts, (1..=31).collect::<Vec<u32>>());
}

pub fn roles_are_given_replaced_and_removed_case_by_case<S: CaseStore + AccountStore>(store: S) {
    let ours = sample_case("ours");
    let theirs = sample_case("theirs");
    store.create_case(&ours).expect("case");
    store.create_case(&theirs).expect("case");
    let owner = sample_account("parent@example.org");
    let advocate = sample_account("advocate@example.org");
    store.create_account(&owner).expect("owner");
    store.create_account(&advocate).expect("advocate");
    store
        .set_role(ours.id, owner.id, CaseRole::Owner)
        .expect("owner");
    store
        .set_role(theirs.id, advocate.id, CaseRole::Owner)
        .expect("theirs");
    store
        .set_role(ours.id, advocate.id, CaseRole::Viewer)
        .expect("viewer");
    store
        .set_role(ours.id, advocate.id, CaseRole::Editor)
        .expect("editor");
    assert_eq!(
        store.role(ours.id, advocate.id).expect("role"),
        Some(CaseRole::Editor)
    );
    assert_eq!(store.role(theirs.id, owner.id).expect("role"), None);
    let mut members = store.members(ours.id).expect("members");
    members.sort_by(|a, b| a.0.email.cmp(&b.0.email));
    assert_eq!(
        members,
        vec![
            (advocate.clone(), CaseRole::Editor),
            (owner.clone(), CaseRole::Owner)
        ]
    );
    let mut cases: Vec<(String, CaseRole)> = store
        .cases_of(advocate.id)
        .expect("cases")
        .into_iter()
        .map(|(c, r)| (c.slug, r))
        .collect();
    cases.sort();
    assert_eq!(
        cases,
        vec![
            ("ours".to_owned(), CaseRole::Editor),
            ("theirs".to_owned(), CaseRole::Owner)
        ]
    );
    store.remove_role(ours.id, advocate.id).expect("remove");
    assert_eq!(store.role(ours.id, advocate.id).expect("role"), None);
    assert_eq!(
        store.role(theirs.id, advocate.id).expect("role"),
        Some(CaseRole::Owner)
    );
}

pub fn an_invitation_works_once_and_not_after_it_is_withdrawn<S: CaseStore + AccountStore>(
    store: S,
) {
    let case = sample_case("shared");
    store.create_case(&case).expect("case");
    let owner = sample_account("parent@example.org");
    let advocate = sample_account("advocate@example.org");
    let other = sample_account("other@example.org");
    for account in [&owner, &advocate, &other] {
        store.create_account(account).expect("account");
    }
    let invitation = |token: &str| Invitation {
        token_hash: casebook_domain::token_hash(token),
        case: case.id,
        role: CaseRole::Viewer,
        for_whom: "Ms Shah, SENDIASS".into(),
        created_by: owner.id,
        created: at(0),
        expires: at(86_400),
        accepted_by: None,
        withdrawn: false,
    };
    let first = invitation("first");
    let second = invitation("second");
    store.create_invitation(&first).expect("first");
    store.create_invitation(&second).expect("second");
    assert_eq!(
        store.invitation(&first.token_hash).expect("found"),
        Some(first.clone())
    );
    store
        .accept_invitation(&first.token_hash, advocate.id)
        .expect("accept");
    assert_eq!(
        store.role(case.id, advocate.id).expect("role"),
        Some(CaseRole::Viewer)
    );
    assert_eq!(
        store
            .invitation(&first.token_hash)
            .expect("found")
            .and_then(|i| i.accepted_by),
        Some(advocate.id)
    );
    assert!(matches!(
        store.accept_invitation(&first.token_hash, other.id),
        Err(StoreError::Conflict)
    ));
    store
        .withdraw_invitation(&second.token_hash)
        .expect("withdraw");
    assert!(matches!(
        store.accept_invitation(&second.token_hash, other.id),
        Err(StoreError::Conflict)
    ));
    assert_eq!(store.role(case.id, other.id).expect("role"), None);
    assert!(matches!(
        store.accept_invitation(&casebook_domain::token_hash("never made"), other.id),
        Err(StoreError::Conflict)
    ));
    let listed = store.invitations(case.id).expect("list");
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().any(|i| i.withdrawn));
}

pub fn the_access_log_keeps_every_event_in_order_per_case<S: CaseStore + AccountStore>(store: S) {
    let ours = sample_case("ours");
    let theirs = sample_case("theirs");
    store.create_case(&ours).expect("case");
    store.create_case(&theirs).expect("case");
    let advocate = sample_account("advocate@example.org");
    store.create_account(&advocate).expect("account");
    let event = |case: &Case, second: i64, what: &str| AccessEvent {
        case: case.id,
        account: advocate.id,
        at: at(second),
        what: what.into(),
    };
    let events = vec![
        event(&ours, 1, "viewed the timeline"),
        event(&ours, 2, "viewed entry e3"),
        event(&ours, 2, "exported the evidence bundle as PDF"),
    ];
    for e in &events {
        store.record_access(e).expect("record");
    }
    store
        .record_access(&event(&theirs, 3, "viewed the timeline"))
        .expect("record");
    assert_eq!(store.access_log(ours.id).expect("log"), events);
    assert_eq!(store.access_log(theirs.id).expect("log").len(), 1);
}
