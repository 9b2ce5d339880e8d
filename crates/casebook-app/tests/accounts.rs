//! Accounts, sign-in, roles and invitations through the use cases, on a real SQLite
//! store: who can open which case, and what the access log shows.

use casebook_app::{
    Actor, AppError, FixedClock, NewAccount, UNKNOWN_BROWSER_SIGN_INS, accept_invitation,
    cases_for, create_account, demonstration_case, open_case, open_invitation, record_access,
    session_for, sign_in, sign_out,
};
use casebook_blobs::LocalBlobs;
use casebook_domain::{CaseRole, Need};
use casebook_store::{AccountStore, CaseStore};
use casebook_store_sqlite::SqliteStore;
use jiff::{SignedDuration, Timestamp};

struct Server {
    _dir: tempfile::TempDir,
    store: SqliteStore,
    blobs: LocalBlobs,
}

fn clock(hours: i64) -> FixedClock {
    FixedClock(
        Timestamp::from_second(1_795_170_000).expect("instant") + SignedDuration::from_hours(hours),
    )
}

fn server() -> Server {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("org.db");
    let store = SqliteStore::create(&path, None).expect("store");
    let blobs = LocalBlobs::new(LocalBlobs::beside(&path), None).expect("blobs");
    demonstration_case(&store, &blobs, &clock(0), "morgan").expect("demo");
    demonstration_case(&store, &blobs, &clock(0), "other-family").expect("demo");
    Server {
        _dir: dir,
        store,
        blobs,
    }
}

fn account(server: &Server, email: &str) -> casebook_domain::Account {
    create_account(
        &server.store,
        &clock(0),
        NewAccount {
            email: email.into(),
            name: format!("Someone at {email}"),
            password: "correct horse battery".into(),
        },
    )
    .expect("account")
}

#[test]
fn a_password_signs_in_a_wrong_one_does_not_and_repeated_failures_lock_out_only_the_guesser() {
    let server = server();
    let created = account(&server, "Ms.Shah@SENDIASS.example");
    assert!(created.password_hash.starts_with("$argon2id$"));
    assert!(!created.password_hash.contains("correct horse"));
    let signed_in = sign_in(
        &server.store,
        &clock(0),
        "ms.shah@sendiass.example",
        "correct horse battery",
        "127.0.0.1",
        None,
    )
    .expect("signs in");
    let (found, _) = session_for(&server.store, &clock(1), &signed_in.token)
        .expect("lookup")
        .expect("a session");
    assert_eq!(found.id, created.id);
    // The session ends after a working day, and when signed out.
    assert!(
        session_for(&server.store, &clock(13), &signed_in.token)
            .expect("lookup")
            .is_none()
    );
    let again = sign_in(
        &server.store,
        &clock(0),
        "ms.shah@sendiass.example",
        "correct horse battery",
        "127.0.0.1",
        None,
    )
    .expect("signs in");
    sign_out(&server.store, &again.token).expect("out");
    assert!(
        session_for(&server.store, &clock(0), &again.token)
            .expect("lookup")
            .is_none()
    );
    for attempt in 0..5 {
        let refused = sign_in(
            &server.store,
            &clock(2),
            "ms.shah@sendiass.example",
            "wrong password",
            "10.0.0.9",
            None,
        )
        .expect_err("wrong password");
        assert_eq!(
            refused.to_string(),
            "The email address or the password is wrong.",
            "attempt {attempt}"
        );
    }
    // Now even the right password is refused until the window has passed.
    let locked = sign_in(
        &server.store,
        &clock(2),
        "ms.shah@sendiass.example",
        "correct horse battery",
        "10.0.0.9",
        None,
    )
    .expect_err("locked");
    assert!(matches!(locked, AppError::NotAllowed(_)), "{locked}");
    assert!(locked.to_string().contains("wait 15 minutes"));
    // The guesses came from another address: the owner, from their own, still signs in.
    sign_in(
        &server.store,
        &clock(2),
        "ms.shah@sendiass.example",
        "correct horse battery",
        "127.0.0.1",
        None,
    )
    .expect("a stranger's guesses do not lock the owner out");
    sign_in(
        &server.store,
        &clock(3),
        "ms.shah@sendiass.example",
        "correct horse battery",
        "10.0.0.9",
        None,
    )
    .expect("an hour later it works");
    // An unknown address is refused with the same sentence.
    let unknown = sign_in(
        &server.store,
        &clock(3),
        "nobody@example.org",
        "correct horse battery",
        "10.0.0.9",
        None,
    )
    .expect_err("unknown");
    assert_eq!(
        unknown.to_string(),
        "The email address or the password is wrong."
    );
}

/// Guesses at one account from many addresses (one each, so no address reaches its own
/// limit) are held to a few in fifteen minutes from browsers the account does not know,
/// while a browser that has signed in to it before still signs in at once.
#[test]
fn guesses_from_many_addresses_are_slowed_but_the_owner_s_browser_still_signs_in() {
    let server = server();
    account(&server, "ms.shah@sendiass.example");
    let owner = sign_in(
        &server.store,
        &clock(1),
        "ms.shah@sendiass.example",
        "correct horse battery",
        "127.0.0.1",
        None,
    )
    .expect("signs in");
    let guess = |n: u32, password: &str, browser: Option<&str>| {
        sign_in(
            &server.store,
            &clock(1),
            "ms.shah@sendiass.example",
            password,
            &format!("198.51.100.{n}"),
            browser,
        )
    };
    // The owner's own sign-in counted too: it came from a browser not yet known.
    for n in 1..UNKNOWN_BROWSER_SIGN_INS {
        let refused = guess(n, "a wrong guess", None).expect_err("wrong");
        assert!(
            matches!(refused, AppError::Invalid(_)),
            "guess {n}: {refused}"
        );
    }
    for n in 100..105 {
        let held = guess(n, "correct horse battery", None).expect_err("held back");
        assert!(matches!(held, AppError::NotAllowed(_)), "{held}");
        assert!(
            held.to_string()
                .contains("sign in from a browser you have signed in with before"),
            "{held}"
        );
    }
    // Another account's mark, a made-up one or a damaged one is no help.
    account(&server, "mr.lee@sendiass.example");
    let other = sign_in(
        &server.store,
        &clock(0),
        "mr.lee@sendiass.example",
        "correct horse battery",
        "127.0.0.1",
        None,
    )
    .expect("signs in");
    let mut damaged = owner.browser.clone();
    damaged.pop();
    damaged.push('x');
    for mark in [other.browser.as_str(), "abc.def", "", damaged.as_str()] {
        let held = guess(200, "correct horse battery", Some(mark)).expect_err("held back");
        assert!(matches!(held, AppError::NotAllowed(_)), "{mark}: {held}");
    }
    let signed = guess(201, "correct horse battery", Some(&owner.browser))
        .expect("the owner's browser is known");
    assert_eq!(signed.account.email, "ms.shah@sendiass.example");
    // A known browser still needs the password.
    let wrong = guess(202, "a wrong guess", Some(&owner.browser)).expect_err("wrong");
    assert!(matches!(wrong, AppError::Invalid(_)), "{wrong}");
    // An address with no account is held back the same way, so the answer does not
    // say which addresses have accounts.
    for n in 0..=UNKNOWN_BROWSER_SIGN_INS {
        let _ = sign_in(
            &server.store,
            &clock(1),
            "nobody@sendiass.example",
            "a guess",
            &format!("203.0.113.{n}"),
            None,
        );
    }
    let held = sign_in(
        &server.store,
        &clock(1),
        "nobody@sendiass.example",
        "a guess",
        "203.0.113.99",
        None,
    )
    .expect_err("held back");
    assert!(matches!(held, AppError::NotAllowed(_)), "{held}");
    // After the window, a new browser may try again.
    sign_in(
        &server.store,
        &clock(2),
        "ms.shah@sendiass.example",
        "correct horse battery",
        "198.51.100.250",
        None,
    )
    .expect("an hour later it works");
}

#[test]
fn bad_account_details_are_refused_with_a_sentence_and_nothing_is_created() {
    let server = server();
    account(&server, "taken@example.org");
    for (email, name, password, says) in [
        (
            "not an address",
            "Jo",
            "long enough password",
            "is not an email address",
        ),
        (
            "jo@example.org",
            "",
            "long enough password",
            "Give your name",
        ),
        ("jo@example.org", "Jo", "short", "too short"),
        (
            "TAKEN@example.org",
            "Jo",
            "long enough password",
            "already an account",
        ),
    ] {
        let refused = create_account(
            &server.store,
            &clock(0),
            NewAccount {
                email: email.into(),
                name: name.into(),
                password: password.into(),
            },
        )
        .expect_err(email);
        assert!(refused.to_string().contains(says), "{refused}");
    }
    assert!(
        server
            .store
            .account_by_email("jo@example.org")
            .expect("lookup")
            .is_none()
    );
}

#[test]
fn a_case_opens_only_for_its_members_and_only_as_far_as_their_role_allows() {
    let server = server();
    let owner = account(&server, "parent@example.org");
    let stranger = account(&server, "stranger@example.org");
    let case = server
        .store
        .case_by_slug("morgan")
        .expect("lookup")
        .expect("case");
    server
        .store
        .set_role(case.id, owner.id, CaseRole::Owner)
        .expect("owner");
    let c = clock(0);
    let open = |actor: &Actor, slug: &str, need: Need| {
        open_case(&server.store, &server.blobs, &c, actor, Some(slug), need).and_then(
            |(file, role)| {
                record_access(&server.store, &c, actor, &file.case, "viewed the timeline")?;
                Ok(role)
            },
        )
    };
    let owner_actor = Actor::Account(owner.clone());
    let stranger_actor = Actor::Account(stranger.clone());
    assert_eq!(
        open(&owner_actor, "morgan", Need::Share).expect("owner"),
        CaseRole::Owner
    );
    // Another family's case and a case that does not exist look the same.
    let theirs = open(&stranger_actor, "morgan", Need::Read).expect_err("not theirs");
    let nowhere = open(&stranger_actor, "no-such-case", Need::Read).expect_err("none");
    assert_eq!(theirs.to_string(), nowhere.to_string());
    assert!(matches!(theirs, AppError::NotFound(_)));
    assert!(
        cases_for(&server.store, &stranger_actor)
            .expect("cases")
            .is_empty()
    );

    // Invited as a viewer: reads, cannot write, cannot share.
    let (file, _) = open_case(
        &server.store,
        &server.blobs,
        &c,
        &owner_actor,
        Some("morgan"),
        Need::Share,
    )
    .expect("owner opens");
    let link = file
        .invite(&owner_actor, CaseRole::Viewer, "Ms Shah, SENDIASS")
        .expect("invite");
    assert_eq!(
        open_invitation(&server.store, &c, &link.token)
            .expect("open")
            .role,
        CaseRole::Viewer
    );
    let joined = accept_invitation(&server.store, &c, &link.token, &stranger).expect("accept");
    assert_eq!(joined.slug, "morgan");
    assert_eq!(
        open(&stranger_actor, "morgan", Need::Read).expect("reads"),
        CaseRole::Viewer
    );
    let write = open(&stranger_actor, "morgan", Need::Write).expect_err("cannot write");
    assert!(matches!(write, AppError::NotAllowed(_)), "{write}");
    assert!(write.to_string().contains("viewer"));
    // The link works once.
    let third = account(&server, "third@example.org");
    let used = accept_invitation(&server.store, &c, &link.token, &third).expect_err("used");
    assert!(used.to_string().contains("has been used"));
    // Nor for the other family's case.
    assert!(open(&stranger_actor, "other-family", Need::Read).is_err());

    // The owner reads who did what; a viewer cannot.
    let log = file.access_log(&owner_actor).expect("log");
    let lines: Vec<String> = log
        .iter()
        .map(|(e, who)| format!("{who}: {}", e.what))
        .collect();
    assert!(
        lines.contains(&"Someone at stranger@example.org (stranger@example.org): accepted an invitation as viewer".to_owned()),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Someone at stranger@example.org")
                && l.ends_with("viewed the timeline"))
    );
    assert!(file.access_log(&stranger_actor).is_err());

    // Access withdrawn: the case is gone for them at once.
    file.revoke(&owner_actor, stranger.id).expect("revoke");
    assert!(matches!(
        open(&stranger_actor, "morgan", Need::Read),
        Err(AppError::NotFound(_))
    ));
    // The only owner stays.
    let last = file.revoke(&owner_actor, owner.id).expect_err("last owner");
    assert!(last.to_string().contains("only owner"));
    // A withdrawn invitation no longer opens.
    let withdrawn = file
        .invite(&owner_actor, CaseRole::Editor, "Second parent")
        .expect("invite");
    file.withdraw_invitation(&owner_actor, &withdrawn.invitation.token_hash)
        .expect("withdraw");
    assert!(accept_invitation(&server.store, &c, &withdrawn.token, &third).is_err());
    assert_eq!(server.store.role(case.id, third.id).expect("role"), None);
}

#[test]
fn an_invitation_expires_after_a_week() {
    let server = server();
    let owner = account(&server, "parent@example.org");
    let advocate = account(&server, "advocate@example.org");
    let case = server
        .store
        .case_by_slug("morgan")
        .expect("lookup")
        .expect("case");
    server
        .store
        .set_role(case.id, owner.id, CaseRole::Owner)
        .expect("owner");
    let actor = Actor::Account(owner);
    let c = clock(0);
    let (file, _) = open_case(
        &server.store,
        &server.blobs,
        &c,
        &actor,
        Some("morgan"),
        Need::Share,
    )
    .expect("open");
    let link = file
        .invite(&actor, CaseRole::Editor, "Ms Shah")
        .expect("invite");
    let late = accept_invitation(&server.store, &clock(24 * 7 + 1), &link.token, &advocate)
        .expect_err("expired");
    assert!(late.to_string().contains("expired"));
    assert_eq!(server.store.role(case.id, advocate.id).expect("role"), None);
}
