//! The case file's vocabulary: cases, people, entries, and the hash chain that makes
//! the log tamper-evident. No I/O and no clock: everything here is a pure function of
//! its inputs, so any backend and any verifier produce the same answers.

mod access;
mod canonical;
mod case;
mod case_date;
mod chain;
mod digest;
mod entry;
mod error;
mod occurred;
mod person;
mod suggest;
mod text;
mod uk_date;
mod vocab;

pub use access::{
    AccessEvent, Account, AccountId, CaseRole, Invitation, Need, Session, token_hash,
};
pub use canonical::canonical_json;
pub use case::{Case, CaseId, Child, Governance, Setting, SettingKind, validate_slug};
pub use case_date::CaseDate;
pub use chain::{
    AttachmentState, ChainVerifier, CheckedEntry, ENCODING_VERSION, Head, Problem, Record,
    StoredEntry, VerifyFailure, VerifyReport, content_bytes, encode_record, recorded_text,
    verify_chain,
};
pub use digest::Digest;
pub use entry::{
    AbsenceReason, Attachment, Attendee, Category, Channel, Content, DecisionMaker, Direction,
    DocumentType, EntryId, EntryKind, Facts, Link, Outcome, Relation, Side, Sign, facts,
};
pub use error::DomainError;
pub use occurred::{Occurred, Term};
pub use person::{Person, PersonId, Role, pseudonym_for};
pub use suggest::close_matches;
pub use text::{LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT, check_long_text, check_short_text};
pub use uk_date::{parse_date, parse_date_near, uk_date, uk_month, uk_time_zone};
