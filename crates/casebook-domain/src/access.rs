//! Who may open a case on an organisation's server: accounts, their role on each case,
//! sessions, invitations and the access log the case's owner reads. None of this is
//! evidence, so none of it is in the hash chain; the access log is append-only all the
//! same.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{CaseId, Digest, DomainError};

/// One person with a login: a caseworker, an advocate, a parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AccountId(pub uuid::Uuid);

impl AccountId {
    pub fn random() -> Self {
        AccountId(uuid::Uuid::new_v4())
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for AccountId {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        uuid::Uuid::parse_str(s)
            .map(AccountId)
            .map_err(|_| DomainError::invalid(format!("\"{s}\" is not an account id.")))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: AccountId,
    /// Kept in lower case: people type their address in whatever case.
    pub email: String,
    pub name: String,
    /// Argon2id in PHC form ("$argon2id$v=19$..."): never the password itself.
    pub password_hash: String,
    pub created: Timestamp,
}

/// What someone may do with one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseRole {
    /// Reads everything and exports bundles.
    Viewer,
    /// Also logs, corrects and sends.
    Editor,
    /// Also shares the case, withdraws access and reads the access log.
    Owner,
}

/// What a page or command needs to do with a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Read,
    Write,
    Share,
}

impl CaseRole {
    pub const ALL: [CaseRole; 3] = [CaseRole::Owner, CaseRole::Editor, CaseRole::Viewer];

    pub fn slug(self) -> &'static str {
        match self {
            CaseRole::Viewer => "viewer",
            CaseRole::Editor => "editor",
            CaseRole::Owner => "owner",
        }
    }

    pub fn phrase(self) -> &'static str {
        match self {
            CaseRole::Viewer => "can read and export",
            CaseRole::Editor => "can read, add and correct",
            CaseRole::Owner => "can do everything, including sharing",
        }
    }

    pub fn parse(text: &str) -> Result<CaseRole, DomainError> {
        CaseRole::ALL
            .into_iter()
            .find(|r| r.slug() == text.trim())
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "\"{text}\" is not a role: use owner, editor or viewer."
                ))
            })
    }

    pub fn allows(self, need: Need) -> bool {
        match need {
            Need::Read => true,
            Need::Write => self >= CaseRole::Editor,
            Need::Share => self == CaseRole::Owner,
        }
    }
}

/// A signed-in browser. The cookie holds a random token; the store keeps only its
/// SHA-256, so a copy of the database cannot be used to sign in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token_hash: Digest,
    pub account: AccountId,
    /// Every form of this session carries it; a forged form cannot know it.
    pub form_token: String,
    pub created: Timestamp,
    pub expires: Timestamp,
}

/// An offer of a role on a case, sent as a link by the case's owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    /// The SHA-256 of the secret in the link.
    pub token_hash: Digest,
    pub case: CaseId,
    pub role: CaseRole,
    /// Who it is for, in the owner's words ("Ms Shah, SENDIASS").
    pub for_whom: String,
    pub created_by: AccountId,
    pub created: Timestamp,
    pub expires: Timestamp,
    pub accepted_by: Option<AccountId>,
    pub withdrawn: bool,
}

/// One line of a case's access log: who did what, when. Ids and names of things only,
/// never the case's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEvent {
    pub case: CaseId,
    pub account: AccountId,
    pub at: Timestamp,
    /// "viewed the timeline", "exported the evidence bundle as PDF".
    pub what: String,
}

/// The SHA-256 a secret token is kept under.
pub fn token_hash(token: &str) -> Digest {
    Digest::of(token.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_allow_what_their_names_say() {
        assert!(CaseRole::Viewer.allows(Need::Read));
        assert!(!CaseRole::Viewer.allows(Need::Write));
        assert!(CaseRole::Editor.allows(Need::Write));
        assert!(!CaseRole::Editor.allows(Need::Share));
        assert!(CaseRole::Owner.allows(Need::Share));
        assert_eq!(CaseRole::parse("editor").ok(), Some(CaseRole::Editor));
        assert!(CaseRole::parse("admin").is_err());
    }
}
