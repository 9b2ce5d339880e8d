//! Whichever store the user names, behind one type: the embedded SQLite file or an
//! organisation's PostgreSQL. Only binaries (and tests that run against every
//! backend) use this crate; everything else sees the store traits.

use casebook_blobs::LocalBlobs;
use casebook_domain::{
    AccessEvent, Account, AccountId, AttachmentState, Case, CaseId, CaseRole, Digest, Head,
    Invitation, Person, Record, Session, StoredEntry,
};
use casebook_store::{Abandoned, AccountStore, Append, BlobStore, CaseStore, Push, StoreResult};
use casebook_store_postgres::PgStore;
use casebook_store_sqlite::SqliteStore;
use jiff::Timestamp;

#[derive(Debug)]
pub enum AnyStore {
    // Boxed: the embedded store carries its connections inline and is much the larger.
    Sqlite(Box<SqliteStore>),
    Postgres(PgStore),
}

/// The same call on whichever store this is.
macro_rules! each {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            AnyStore::Sqlite($s) => $call,
            AnyStore::Postgres($s) => $call,
        }
    };
}

impl AnyStore {
    /// A setting kept inside the store, such as the attachment key.
    pub fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        each!(self, s => s.setting(key))
    }

    pub fn setting_or_insert(&self, key: &str, value: &str) -> StoreResult<String> {
        each!(self, s => s.setting_or_insert(key, value))
    }

    /// Whether what the store holds is encrypted where it lies: an SQLite file with a
    /// passphrase. A PostgreSQL database is the organisation's to protect.
    pub fn is_encrypted(&self) -> bool {
        match self {
            AnyStore::Sqlite(s) => s.is_encrypted(),
            AnyStore::Postgres(_) => false,
        }
    }
}

impl CaseStore for AnyStore {
    fn create_case(&self, case: &Case) -> StoreResult<()> {
        each!(self, s => s.create_case(case))
    }
    fn cases(&self) -> StoreResult<Vec<Case>> {
        each!(self, s => s.cases())
    }
    fn case_by_slug(&self, slug: &str) -> StoreResult<Option<Case>> {
        each!(self, s => s.case_by_slug(slug))
    }
    fn add_person(&self, case: CaseId, person: &Person) -> StoreResult<()> {
        each!(self, s => s.add_person(case, person))
    }
    fn people(&self, case: CaseId) -> StoreResult<Vec<Person>> {
        each!(self, s => s.people(case))
    }
    fn head(&self, case: CaseId) -> StoreResult<Option<Head>> {
        each!(self, s => s.head(case))
    }
    fn append(&self, case: CaseId, expected: Option<Head>, append: &Append) -> StoreResult<()> {
        each!(self, s => s.append(case, expected, append))
    }
    fn append_next(
        &self,
        case: CaseId,
        seal: &mut dyn FnMut(Option<Head>) -> Append,
    ) -> StoreResult<Record> {
        each!(self, s => s.append_next(case, seal))
    }
    fn append_all(
        &self,
        case: CaseId,
        expected: Option<Head>,
        fill: &mut dyn FnMut(Push<'_>) -> StoreResult<()>,
    ) -> StoreResult<()> {
        each!(self, s => s.append_all(case, expected, fill))
    }
    fn each_entry(
        &self,
        case: CaseId,
        visit: &mut dyn FnMut(StoredEntry) -> bool,
    ) -> StoreResult<()> {
        each!(self, s => s.each_entry(case, visit))
    }
    fn entry(&self, case: CaseId, seq: u64) -> StoreResult<Option<StoredEntry>> {
        each!(self, s => s.entry(case, seq))
    }
    fn search(&self, case: CaseId, words: &str, limit: usize) -> StoreResult<Vec<u64>> {
        each!(self, s => s.search(case, words, limit))
    }
    fn case_setting(&self, case: CaseId, key: &str) -> StoreResult<Option<String>> {
        each!(self, s => s.case_setting(case, key))
    }
    fn set_case_setting(&self, case: CaseId, key: &str, value: &str) -> StoreResult<()> {
        each!(self, s => s.set_case_setting(case, key, value))
    }
    fn case_settings(&self, case: CaseId) -> StoreResult<Vec<(String, String)>> {
        each!(self, s => s.case_settings(case))
    }
    fn check_storage(&self) -> StoreResult<Vec<String>> {
        each!(self, s => s.check_storage())
    }
    fn import_case(
        &self,
        case: &Case,
        people: &[Person],
        entries: &[StoredEntry],
    ) -> StoreResult<()> {
        each!(self, s => s.import_case(case, people, entries))
    }
}

impl AccountStore for AnyStore {
    fn create_account(&self, account: &Account) -> StoreResult<()> {
        each!(self, s => s.create_account(account))
    }
    fn account(&self, id: AccountId) -> StoreResult<Option<Account>> {
        each!(self, s => s.account(id))
    }
    fn account_by_email(&self, email: &str) -> StoreResult<Option<Account>> {
        each!(self, s => s.account_by_email(email))
    }
    fn accounts(&self) -> StoreResult<Vec<Account>> {
        each!(self, s => s.accounts())
    }
    fn create_session(&self, session: &Session) -> StoreResult<()> {
        each!(self, s => s.create_session(session))
    }
    fn session(&self, token_hash: &Digest) -> StoreResult<Option<Session>> {
        each!(self, s => s.session(token_hash))
    }
    fn end_session(&self, token_hash: &Digest) -> StoreResult<()> {
        each!(self, s => s.end_session(token_hash))
    }
    fn end_expired_sessions(&self, now: Timestamp) -> StoreResult<()> {
        each!(self, s => s.end_expired_sessions(now))
    }
    fn count_attempt(&self, key: &str, at: Timestamp, since: Timestamp) -> StoreResult<u32> {
        each!(self, s => s.count_attempt(key, at, since))
    }
    fn failed_logins_since(&self, key: &str, since: Timestamp) -> StoreResult<u32> {
        each!(self, s => s.failed_logins_since(key, since))
    }
    fn clear_failed_logins(&self, key: &str) -> StoreResult<()> {
        each!(self, s => s.clear_failed_logins(key))
    }
    fn set_role(&self, case: CaseId, account: AccountId, role: CaseRole) -> StoreResult<()> {
        each!(self, s => s.set_role(case, account, role))
    }
    fn remove_role(&self, case: CaseId, account: AccountId) -> StoreResult<()> {
        each!(self, s => s.remove_role(case, account))
    }
    fn role(&self, case: CaseId, account: AccountId) -> StoreResult<Option<CaseRole>> {
        each!(self, s => s.role(case, account))
    }
    fn members(&self, case: CaseId) -> StoreResult<Vec<(Account, CaseRole)>> {
        each!(self, s => s.members(case))
    }
    fn cases_of(&self, account: AccountId) -> StoreResult<Vec<(Case, CaseRole)>> {
        each!(self, s => s.cases_of(account))
    }
    fn create_invitation(&self, invitation: &Invitation) -> StoreResult<()> {
        each!(self, s => s.create_invitation(invitation))
    }
    fn invitation(&self, token_hash: &Digest) -> StoreResult<Option<Invitation>> {
        each!(self, s => s.invitation(token_hash))
    }
    fn invitations(&self, case: CaseId) -> StoreResult<Vec<Invitation>> {
        each!(self, s => s.invitations(case))
    }
    fn accept_invitation(&self, token_hash: &Digest, account: AccountId) -> StoreResult<()> {
        each!(self, s => s.accept_invitation(token_hash, account))
    }
    fn withdraw_invitation(&self, token_hash: &Digest) -> StoreResult<()> {
        each!(self, s => s.withdraw_invitation(token_hash))
    }
    fn record_access(&self, event: &AccessEvent) -> StoreResult<()> {
        each!(self, s => s.record_access(event))
    }
    fn access_log(&self, case: CaseId) -> StoreResult<Vec<AccessEvent>> {
        each!(self, s => s.access_log(case))
    }
}

/// Wherever attached files are kept: a folder, or an S3-compatible bucket.
#[derive(Debug)]
pub enum AnyBlobs {
    Local(LocalBlobs),
    #[cfg(feature = "s3")]
    S3(casebook_blobs::S3Blobs),
}

/// The same call on whichever file store this is.
macro_rules! each_file {
    ($self:ident, $b:ident => $call:expr) => {
        match $self {
            AnyBlobs::Local($b) => $call,
            #[cfg(feature = "s3")]
            AnyBlobs::S3($b) => $call,
        }
    };
}

impl BlobStore for AnyBlobs {
    fn put(&self, bytes: &[u8]) -> StoreResult<Digest> {
        each_file!(self, b => b.put(bytes))
    }
    fn put_unsynced(&self, bytes: &[u8]) -> StoreResult<Digest> {
        each_file!(self, b => b.put_unsynced(bytes))
    }
    fn settle(&self, digests: &[Digest]) -> StoreResult<()> {
        each_file!(self, b => b.settle(digests))
    }
    fn sync(&self, digests: &[Digest]) -> StoreResult<()> {
        each_file!(self, b => b.sync(digests))
    }
    fn remove_abandoned(&self, now: Timestamp) -> StoreResult<Abandoned> {
        each_file!(self, b => b.remove_abandoned(now))
    }
    fn get(&self, digest: &Digest) -> StoreResult<Option<Vec<u8>>> {
        each_file!(self, b => b.get(digest))
    }
    fn contains(&self, digest: &Digest) -> StoreResult<bool> {
        each_file!(self, b => b.contains(digest))
    }
    fn remove(&self, digest: &Digest) -> StoreResult<()> {
        each_file!(self, b => b.remove(digest))
    }
    fn check(&self, digest: &Digest) -> AttachmentState {
        each_file!(self, b => b.check(digest))
    }
}
