//! What casebook needs from a place to keep case files, as traits, so the use cases
//! never know which database they are talking to. Every backend runs the same
//! conformance suite (feature `conformance`).

use casebook_domain::{
    AccessEvent, Account, AccountId, AttachmentState, Case, CaseId, CaseRole, Digest, Head,
    Invitation, Person, Record, Session, StoredEntry,
};
use jiff::Timestamp;
use thiserror::Error;

#[cfg(feature = "conformance")]
pub mod conformance;

#[derive(Debug, Error)]
pub enum StoreError {
    /// Someone else appended first; the caller re-reads the head and tries again.
    #[error("the case file changed while this entry was being written: try again")]
    Conflict,
    #[error("{0}")]
    Refused(String),
    /// SQLCipher cannot tell a wrong key from a damaged first page.
    #[error("the passphrase is wrong for this store, or the store is damaged")]
    WrongPassphrase,
    #[error("this store is encrypted: give its passphrase (CASEBOOK_PASSPHRASE or the prompt)")]
    PassphraseNeeded,
    #[error("{0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// One append: the sealed entry, and for a redaction the entry whose content it removes.
#[derive(Debug, Clone)]
pub struct Append {
    pub entry: StoredEntry,
    pub erase_content_of: Option<u64>,
}

/// Appends one entry inside [`CaseStore::append_all`]'s transaction.
pub type Push<'a> = &'a mut dyn FnMut(StoredEntry) -> StoreResult<()>;

/// Cases, people and the append-only log. Appends name the head they expect, so two
/// writers cannot both extend the same chain (optimistic concurrency).
pub trait CaseStore: Send + Sync {
    fn create_case(&self, case: &Case) -> StoreResult<()>;
    fn cases(&self) -> StoreResult<Vec<Case>>;
    fn case_by_slug(&self, slug: &str) -> StoreResult<Option<Case>>;

    /// Adds a person; fails with `Conflict` if the id is taken.
    fn add_person(&self, case: CaseId, person: &Person) -> StoreResult<()>;
    fn people(&self, case: CaseId) -> StoreResult<Vec<Person>>;

    fn head(&self, case: CaseId) -> StoreResult<Option<Head>>;
    /// Appends if the chain still ends at `expected`; otherwise `Conflict`.
    fn append(&self, case: CaseId, expected: Option<Head>, append: &Append) -> StoreResult<()>;
    /// Appends the entry `seal` makes from the head as it stands. A backend that can
    /// hold the head while sealing overrides this, so writers to one case queue rather
    /// than retry; this default retries when another writer got there first.
    fn append_next(
        &self,
        case: CaseId,
        seal: &mut dyn FnMut(Option<Head>) -> Append,
    ) -> StoreResult<Record> {
        for _ in 0..16 {
            let head = self.head(case)?;
            let append = seal(head);
            match self.append(case, head, &append) {
                Ok(()) => return Ok(append.entry.record),
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(StoreError::Conflict)
    }
    /// Several new entries in one transaction, all or none. `fill` is handed a function
    /// that appends one entry; the entries are kept only if `fill` returns `Ok`, so an
    /// import that is refused, stopped or only previewed leaves the log as it was, and
    /// entries need not all be held in memory at once.
    fn append_all(
        &self,
        case: CaseId,
        expected: Option<Head>,
        fill: &mut dyn FnMut(Push<'_>) -> StoreResult<()>,
    ) -> StoreResult<()>;
    /// Hands every entry to `visit` in chain order, one at a time, so a long log never
    /// has to be held in memory; `visit` returns false to stop early.
    fn each_entry(
        &self,
        case: CaseId,
        visit: &mut dyn FnMut(StoredEntry) -> bool,
    ) -> StoreResult<()>;
    /// Every entry in chain order.
    fn entries(&self, case: CaseId) -> StoreResult<Vec<StoredEntry>> {
        let mut all = Vec::new();
        self.each_entry(case, &mut |entry| {
            all.push(entry);
            true
        })?;
        Ok(all)
    }
    /// One entry, by its place in the chain.
    fn entry(&self, case: CaseId, seq: u64) -> StoreResult<Option<StoredEntry>>;

    /// The places in the chain of the entries whose words match every word of
    /// `words` (each also as the start of a longer word, and in its other forms:
    /// "push" finds "pushed"), in chain order, at most `limit`. Only words of the
    /// text are searched; redacted content is never found.
    fn search(&self, case: CaseId, words: &str, limit: usize) -> StoreResult<Vec<u64>>;

    /// A setting of the case that is not evidence (its term dates, the school's own
    /// time limits): replaced, not appended.
    fn case_setting(&self, case: CaseId, key: &str) -> StoreResult<Option<String>>;
    fn set_case_setting(&self, case: CaseId, key: &str, value: &str) -> StoreResult<()>;
    /// Every setting of the case, by key, for moving a case to another store.
    fn case_settings(&self, case: CaseId) -> StoreResult<Vec<(String, String)>>;

    /// What the database's own check of its files finds wrong, in its words; empty when
    /// nothing. A damaged page that no entry is read from (an index, the search index)
    /// is found here, where checking the chain would not see it.
    fn check_storage(&self) -> StoreResult<Vec<String>> {
        Ok(Vec::new())
    }

    /// A whole case at once, or nothing: used by import and migration.
    fn import_case(
        &self,
        case: &Case,
        people: &[Person],
        entries: &[StoredEntry],
    ) -> StoreResult<()>;
}

/// Accounts, sessions, roles, invitations and the access log of an organisation's
/// server. All of it lives in the store, not in a server process, so several servers
/// over one database behave as one service.
pub trait AccountStore: Send + Sync {
    /// Adds an account; `Conflict` if the email address is taken.
    fn create_account(&self, account: &Account) -> StoreResult<()>;
    fn account(&self, id: AccountId) -> StoreResult<Option<Account>>;
    /// By email address, compared in lower case.
    fn account_by_email(&self, email: &str) -> StoreResult<Option<Account>>;
    /// Every account, by email address: for a backup, which keeps accounts that have
    /// no case yet too.
    fn accounts(&self) -> StoreResult<Vec<Account>>;

    fn create_session(&self, session: &Session) -> StoreResult<()>;
    fn session(&self, token_hash: &Digest) -> StoreResult<Option<Session>>;
    fn end_session(&self, token_hash: &Digest) -> StoreResult<()>;
    /// Removes every session that expired before `now`.
    fn end_expired_sessions(&self, now: Timestamp) -> StoreResult<()>;

    /// Counts a sign-in attempt against `key` (an account and an address, or an address)
    /// and returns how many are counted against it since `since`, this one included, in
    /// one step: attempts made at the same moment each get their own number, so none
    /// slips under a limit by reading the count before another has written it.
    fn count_attempt(&self, key: &str, at: Timestamp, since: Timestamp) -> StoreResult<u32>;
    /// How many sign-ins failed against `key` since `since`.
    fn failed_logins_since(&self, key: &str, since: Timestamp) -> StoreResult<u32>;
    fn clear_failed_logins(&self, key: &str) -> StoreResult<()>;

    /// Gives an account a role on a case, replacing any role it had.
    fn set_role(&self, case: CaseId, account: AccountId, role: CaseRole) -> StoreResult<()>;
    fn remove_role(&self, case: CaseId, account: AccountId) -> StoreResult<()>;
    fn role(&self, case: CaseId, account: AccountId) -> StoreResult<Option<CaseRole>>;
    /// Everyone with a role on the case.
    fn members(&self, case: CaseId) -> StoreResult<Vec<(Account, CaseRole)>>;
    /// Every case the account has a role on.
    fn cases_of(&self, account: AccountId) -> StoreResult<Vec<(Case, CaseRole)>>;

    fn create_invitation(&self, invitation: &Invitation) -> StoreResult<()>;
    fn invitation(&self, token_hash: &Digest) -> StoreResult<Option<Invitation>>;
    fn invitations(&self, case: CaseId) -> StoreResult<Vec<Invitation>>;
    /// Marks the invitation accepted and gives the role, in one transaction;
    /// `Conflict` if it was already accepted or withdrawn, so a link works once.
    fn accept_invitation(&self, token_hash: &Digest, account: AccountId) -> StoreResult<()>;
    fn withdraw_invitation(&self, token_hash: &Digest) -> StoreResult<()>;

    /// Appends to the case's access log, which is never changed or shortened.
    fn record_access(&self, event: &AccessEvent) -> StoreResult<()>;
    /// The case's access log, oldest first.
    fn access_log(&self, case: CaseId) -> StoreResult<Vec<AccessEvent>>;
}

/// The words of a search, each kept to its letters and digits: what a user types can
/// never be read as the search language of either backend.
pub fn search_words(words: &str) -> Vec<String> {
    words
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .take(16)
        .collect()
}

/// Files left by a process that ended before the entries naming them were committed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Abandoned {
    pub files: u64,
    pub bytes: u64,
}

/// Attached files, addressed by the SHA-256 of their plain bytes.
pub trait BlobStore: Send + Sync {
    /// Stores the bytes and returns their digest; storing the same bytes twice is a no-op.
    fn put(&self, bytes: &[u8]) -> StoreResult<Digest>;
    /// Stores the bytes without waiting for the disk, for many files at once; `sync`
    /// must follow before anything that refers to them is committed.
    fn put_unsynced(&self, bytes: &[u8]) -> StoreResult<Digest> {
        self.put(bytes)
    }
    /// Makes the bytes of files stored with `put_unsynced` durable where they wait, before
    /// the transaction that names them begins, so that `sync` inside it has little to do.
    fn settle(&self, _digests: &[Digest]) -> StoreResult<()> {
        Ok(())
    }
    /// Moves files stored with `put_unsynced`, and settled, into their places durably.
    fn sync(&self, _digests: &[Digest]) -> StoreResult<()> {
        Ok(())
    }
    /// Removes the files a process stored with `put_unsynced` and never synced because
    /// it was killed first (an import stopped with kill -9), and says how many. `now`
    /// decides when files whose process cannot be seen from here were abandoned.
    fn remove_abandoned(&self, _now: Timestamp) -> StoreResult<Abandoned> {
        Ok(Abandoned::default())
    }
    /// The plain bytes, or `None` when no file has that digest.
    fn get(&self, digest: &Digest) -> StoreResult<Option<Vec<u8>>>;
    fn contains(&self, digest: &Digest) -> StoreResult<bool>;
    /// Removes a file (after a redaction, or to undo a failed write).
    fn remove(&self, digest: &Digest) -> StoreResult<()>;

    /// Whether the file under `digest` is there and still has that digest.
    fn check(&self, digest: &Digest) -> AttachmentState {
        match self.get(digest) {
            Ok(Some(bytes)) if Digest::of(&bytes) == *digest => AttachmentState::Intact,
            Ok(None) => AttachmentState::Missing,
            _ => AttachmentState::Altered,
        }
    }
}
