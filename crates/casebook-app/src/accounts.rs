//! Accounts on an organisation's server: creating them, signing in and out, and
//! sharing a case by invitation. Passwords are kept only as Argon2id hashes; session
//! and invitation secrets only as their SHA-256.

use casebook_domain::{
    AccessEvent, Account, AccountId, CaseRole, Digest, Invitation, Session, check_short_text,
    token_hash,
};
use casebook_store::{AccountStore, BlobStore, CaseStore, StoreError};
use jiff::SignedDuration;

use crate::access::{Actor, no_such_case};
use crate::clock::Clock;
use crate::error::{AppError, AppResult, invalid};
use crate::passwords::{decoy_hash, hash_password, password_matches};
use crate::record::CaseFile;

/// A session lasts a working day; then the browser signs in again.
pub const SESSION_HOURS: i64 = 12;
/// An invitation link works for a week.
pub const INVITATION_DAYS: i64 = 7;
/// After this many failed sign-ins in [`LOCKOUT_MINUTES`] to one account from one
/// address, that address is refused for that account until the window has passed; an
/// address is refused for every account at four times the figure. The account itself is
/// never locked: its owner, from their own address, can still sign in while someone
/// else guesses.
pub const FAILED_SIGN_INS: u32 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;
/// Sign-ins to one account in [`LOCKOUT_MINUTES`] from browsers that have never signed in
/// to it, from all addresses together; past this, such browsers are refused until the
/// window has passed. A browser that has signed in to the account before is not held back
/// by them, so guessing from many addresses is slowed without locking the owner out.
pub const UNKNOWN_BROWSER_SIGN_INS: u32 = 10;
pub const SHORTEST_PASSWORD: usize = 10;

/// A new random secret for a cookie, a form or a link, as hex.
pub fn random_token() -> AppResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Invalid(format!("No randomness is available: {e}.")))?;
    Ok(Digest(bytes).to_hex())
}

/// What someone gives to open an account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub password: String,
}

pub fn create_account(
    store: &impl AccountStore,
    clock: &dyn Clock,
    new: NewAccount,
) -> AppResult<Account> {
    let email = new.email.trim().to_lowercase();
    check_short_text("email address", &email)?;
    let well_formed = email.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !email.contains(char::is_whitespace)
    });
    if !well_formed {
        return invalid(format!(
            "\"{}\" is not an email address: it looks like name@example.org.",
            new.email.trim()
        ));
    }
    let name = new.name.trim().to_owned();
    if name.is_empty() {
        return invalid("Give your name, as the families you work with know you.");
    }
    check_short_text("name", &name)?;
    if new.password.chars().count() < SHORTEST_PASSWORD {
        return invalid(format!(
            "The password is too short: use at least {SHORTEST_PASSWORD} characters, ideally three or four unrelated words."
        ));
    }
    let account = Account {
        id: AccountId::random(),
        email,
        name,
        password_hash: hash_password(&new.password)?,
        created: clock.now(),
    };
    match store.create_account(&account) {
        Ok(()) => Ok(account),
        Err(StoreError::Conflict) => invalid(format!(
            "There is already an account for {}: sign in instead.",
            account.email
        )),
        Err(e) => Err(e.into()),
    }
}

/// A new session: the secret for the cookie and what the store keeps of it.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub token: String,
    pub session: Session,
    pub account: Account,
    /// What the browser keeps to be known to this account next time (see
    /// [`known_browser`]).
    pub browser: String,
}

/// The key a browser's mark is made with: from the account's password hash, so every
/// server of a service can check a mark, nobody without the store can make one, and
/// every mark ends when the password changes.
fn mark_key(account: &Account) -> [u8; 32] {
    let mut keyed = b"casebook/known-browser/v1\0".to_vec();
    keyed.extend_from_slice(account.password_hash.as_bytes());
    Digest::of(&keyed).0
}

fn browser_mark(account: &Account, nonce: &str) -> String {
    let mac = Digest::hmac(
        &mark_key(account),
        format!("{}.{nonce}", account.id).as_bytes(),
    );
    format!("{nonce}.{}", mac.to_hex())
}

/// Whether `mark` was given to a browser when it signed in to `account`.
fn known_browser(account: &Account, mark: &str) -> bool {
    let Some((nonce, _)) = mark.split_once('.') else {
        return false;
    };
    let expected = browser_mark(account, nonce);
    // Compared whole, whatever differs first, so the time taken says nothing.
    expected.len() == mark.len()
        && expected
            .bytes()
            .zip(mark.bytes())
            .fold(0u8, |differ, (a, b)| differ | (a ^ b))
            == 0
}

fn start_session(
    store: &impl AccountStore,
    clock: &dyn Clock,
    account: Account,
) -> AppResult<SignedIn> {
    let token = random_token()?;
    let now = clock.now();
    let session = Session {
        token_hash: token_hash(&token),
        account: account.id,
        form_token: random_token()?,
        created: now,
        expires: now + SignedDuration::from_hours(SESSION_HOURS),
    };
    store.end_expired_sessions(now)?;
    store.create_session(&session)?;
    Ok(SignedIn {
        token,
        session,
        browser: browser_mark(&account, &random_token()?),
        account,
    })
}

/// Checks the password and starts a session. `client` is the address the attempt came
/// from: failures are counted against it and against the email address, in the store,
/// so every server of a service counts the same failures. `browser` is the mark the
/// browser kept from signing in before, if it has one.
pub fn sign_in(
    store: &impl AccountStore,
    clock: &dyn Clock,
    email: &str,
    password: &str,
    client: &str,
    browser: Option<&str>,
) -> AppResult<SignedIn> {
    let email = email.trim().to_lowercase();
    let now = clock.now();
    let window = now - SignedDuration::from_mins(LOCKOUT_MINUTES);
    let client_key = format!("client:{client}");
    let pair_key = format!("account:{email} client:{client}");
    let refused = || {
        AppError::NotAllowed(format!(
            "Too many sign-ins have failed: wait {LOCKOUT_MINUTES} minutes, then try again."
        ))
    };
    if store.failed_logins_since(&client_key, window)? >= 4 * FAILED_SIGN_INS {
        return Err(refused());
    }
    // Counted before the password is checked, and forgotten if it is right: guesses sent
    // at once each take their own place in the count, so none passes the limit.
    if store.count_attempt(&pair_key, now, window)? > FAILED_SIGN_INS {
        return Err(refused());
    }
    let account = store.account_by_email(&email)?;
    // Counted by the address typed, whether or not it has an account, so the answer
    // says nothing about which addresses do.
    let known = account
        .as_ref()
        .zip(browser)
        .is_some_and(|(account, mark)| known_browser(account, mark));
    if !known
        && store.count_attempt(&format!("account:{email}"), now, window)? > UNKNOWN_BROWSER_SIGN_INS
    {
        return Err(AppError::NotAllowed(format!(
            "This account has had too many sign-ins from browsers it does not know: sign in from a browser you have signed in with before, or wait {LOCKOUT_MINUTES} minutes."
        )));
    }
    let matches = match &account {
        Some(a) => password_matches(password, &a.password_hash),
        None => password_matches(password, decoy_hash()),
    };
    match account {
        Some(account) if matches => {
            store.clear_failed_logins(&pair_key)?;
            start_session(store, clock, account)
        }
        _ => {
            store.count_attempt(&client_key, now, window)?;
            invalid("The email address or the password is wrong.")
        }
    }
}

/// The account behind a session cookie, unless the session has ended.
pub fn session_for(
    store: &impl AccountStore,
    clock: &dyn Clock,
    token: &str,
) -> AppResult<Option<(Account, Session)>> {
    let Some(session) = store.session(&token_hash(token))? else {
        return Ok(None);
    };
    if session.expires <= clock.now() {
        store.end_session(&session.token_hash)?;
        return Ok(None);
    }
    Ok(store.account(session.account)?.map(|a| (a, session)))
}

pub fn sign_out(store: &impl AccountStore, token: &str) -> AppResult<()> {
    Ok(store.end_session(&token_hash(token))?)
}

/// An invitation as its owner sees it.
#[derive(Debug, Clone)]
pub struct InvitationLink {
    /// The secret for the link; shown once, when the invitation is made.
    pub token: String,
    pub invitation: Invitation,
}

/// Everyone with a role on a case and the invitations still open.
#[derive(Debug, Clone)]
pub struct Sharing {
    pub members: Vec<(Account, CaseRole)>,
    pub open_invitations: Vec<Invitation>,
}

impl<S: CaseStore + AccountStore, B: BlobStore> CaseFile<'_, S, B> {
    fn owner(&self, actor: &Actor) -> AppResult<AccountId> {
        match actor {
            Actor::Account(a) if self.store.role(self.case.id, a.id)? == Some(CaseRole::Owner) => {
                Ok(a.id)
            }
            Actor::Account(_) => Err(AppError::NotAllowed(
                "Only the case's owner can share it.".into(),
            )),
            Actor::Family => invalid(
                "Sharing is for an organisation's server: start it with `casebook serve --org`.",
            ),
        }
    }

    /// A link that gives `role` on this case to whoever opens it first, within a week.
    pub fn invite(
        &self,
        actor: &Actor,
        role: CaseRole,
        for_whom: &str,
    ) -> AppResult<InvitationLink> {
        let owner = self.owner(actor)?;
        let for_whom = for_whom.trim();
        if for_whom.is_empty() {
            return invalid("Say who the invitation is for, so you can recognise it later.");
        }
        check_short_text("who it is for", for_whom)?;
        let token = random_token()?;
        let now = self.clock.now();
        let invitation = Invitation {
            token_hash: token_hash(&token),
            case: self.case.id,
            role,
            for_whom: for_whom.to_owned(),
            created_by: owner,
            created: now,
            expires: now + SignedDuration::from_hours(24 * INVITATION_DAYS),
            accepted_by: None,
            withdrawn: false,
        };
        self.store.create_invitation(&invitation)?;
        Ok(InvitationLink { token, invitation })
    }

    pub fn sharing(&self, actor: &Actor) -> AppResult<Sharing> {
        self.owner(actor)?;
        let now = self.clock.now();
        Ok(Sharing {
            members: self.store.members(self.case.id)?,
            open_invitations: self
                .store
                .invitations(self.case.id)?
                .into_iter()
                .filter(|i| i.accepted_by.is_none() && !i.withdrawn && i.expires > now)
                .collect(),
        })
    }

    /// Takes someone's role away; the last owner cannot be removed, so a case is never
    /// left with nobody able to share it.
    pub fn revoke(&self, actor: &Actor, account: AccountId) -> AppResult<()> {
        self.owner(actor)?;
        let members = self.store.members(self.case.id)?;
        let Some((_, role)) = members.iter().find(|(a, _)| a.id == account) else {
            return invalid("That person has no access to this case.");
        };
        let owners = members
            .iter()
            .filter(|(_, r)| *r == CaseRole::Owner)
            .count();
        if *role == CaseRole::Owner && owners == 1 {
            return invalid(
                "This is the case's only owner: make someone else an owner before removing them.",
            );
        }
        Ok(self.store.remove_role(self.case.id, account)?)
    }

    pub fn withdraw_invitation(&self, actor: &Actor, token_hash: &Digest) -> AppResult<()> {
        self.owner(actor)?;
        match self.store.invitation(token_hash)? {
            Some(i) if i.case == self.case.id => Ok(self.store.withdraw_invitation(token_hash)?),
            _ => invalid("There is no such invitation on this case."),
        }
    }

    /// Who viewed, changed or exported what, and when: the owner's to read.
    pub fn access_log(&self, actor: &Actor) -> AppResult<Vec<(AccessEvent, String)>> {
        self.owner(actor)?;
        let members = self.store.members(self.case.id)?;
        let mut names = std::collections::BTreeMap::new();
        for (account, _) in members {
            names.insert(account.id, format!("{} ({})", account.name, account.email));
        }
        let mut log = Vec::new();
        for event in self.store.access_log(self.case.id)? {
            let name = match names.get(&event.account) {
                Some(name) => name.clone(),
                None => match self.store.account(event.account)? {
                    Some(a) => format!("{} ({}, no longer has access)", a.name, a.email),
                    None => event.account.to_string(),
                },
            };
            log.push((event, name));
        }
        Ok(log)
    }
}

/// The invitation behind a link, if it can still be accepted.
pub fn open_invitation(
    store: &impl AccountStore,
    clock: &dyn Clock,
    token: &str,
) -> AppResult<Invitation> {
    let invitation = store
        .invitation(&token_hash(token))?
        .ok_or_else(invitation_gone)?;
    if invitation.accepted_by.is_some() || invitation.withdrawn || invitation.expires <= clock.now()
    {
        return Err(invitation_gone());
    }
    Ok(invitation)
}

fn invitation_gone() -> AppError {
    AppError::NotFound(
        "This invitation link has been used, withdrawn or has expired: ask for a new one.".into(),
    )
}

/// Accepts an invitation for a signed-in account; the link then works for nobody else.
pub fn accept_invitation<S: CaseStore + AccountStore>(
    store: &S,
    clock: &dyn Clock,
    token: &str,
    account: &Account,
) -> AppResult<casebook_domain::Case> {
    let invitation = open_invitation(store, clock, token)?;
    match store.accept_invitation(&invitation.token_hash, account.id) {
        Ok(()) => {}
        // Someone else opened the link a moment earlier.
        Err(StoreError::Conflict) => return Err(invitation_gone()),
        Err(e) => return Err(e.into()),
    }
    store.record_access(&AccessEvent {
        case: invitation.case,
        account: account.id,
        at: clock.now(),
        what: format!("accepted an invitation as {}", invitation.role.slug()),
    })?;
    store
        .cases()?
        .into_iter()
        .find(|c| c.id == invitation.case)
        .ok_or_else(no_such_case)
}

/// Gives an account a role on a case from the command line (the first owner of a case
/// on a new server has nobody to invite them).
pub fn grant<S: CaseStore + AccountStore>(
    store: &S,
    email: &str,
    slug: &str,
    role: CaseRole,
) -> AppResult<()> {
    let account = store.account_by_email(email)?.ok_or_else(|| {
        AppError::Invalid(format!(
            "There is no account for {}: add it with `casebook account add`.",
            email.trim()
        ))
    })?;
    let case = store.case_by_slug(slug)?.ok_or_else(|| {
        AppError::Invalid(format!(
            "There is no case called \"{slug}\" in this store: see `casebook case list`."
        ))
    })?;
    Ok(store.set_role(case.id, account.id, role)?)
}
