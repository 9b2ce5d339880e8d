//! Trusted timestamps of the log (RFC 3161): a token from an independent authority over
//! the hash of the newest entry, kept as an entry of its own, proves the log up to that
//! entry existed by the token's time. Anyone holding the file can rebuild a chain; no
//! one can rebuild it to match a token taken before.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use casebook_domain::{
    Case, Content, Digest, EntryId, EntryKind, Facts, Link, Occurred, Relation, StoredEntry, facts,
};
use casebook_store::{BlobStore, CaseStore};
use casebook_timestamps::{Refused, Request, Stamp, Trust};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::record::CaseFile;

const SETTING: &str = "timestamps";

/// Where Debian (and most Linux systems) keep the certificates of the authorities the
/// system trusts; the list used when the case names none of its own.
pub const SYSTEM_TRUST: &str = "/etc/ssl/certs/ca-certificates.crt";

/// How a case is timestamped: set by the family or organisation, never by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimestampSettings {
    /// The authority's address (http://...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// The certificates trusted to sign timestamps for this case (PEM), when not the
    /// system's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust: Option<String>,
    /// `casebook serve` timestamps the case once a day when new entries exist.
    #[serde(default)]
    pub daily: bool,
}

impl TimestampSettings {
    pub fn read(store: &impl CaseStore, case: &Case) -> AppResult<Self> {
        match store.case_setting(case.id, SETTING)? {
            Some(json) => serde_json::from_str(&json).map_err(|_| {
                AppError::Invalid(
                    "This case's timestamp settings cannot be read: set the authority again."
                        .into(),
                )
            }),
            None => Ok(Self::default()),
        }
    }

    pub fn save(&self, store: &impl CaseStore, case: &Case) -> AppResult<()> {
        let json = serde_json::to_string(self)
            .map_err(|e| AppError::Invalid(format!("The settings cannot be saved: {e}.")))?;
        Ok(store.set_case_setting(case.id, SETTING, &json)?)
    }

    /// The authorities trusted: the list given now, else the case's own, else the
    /// system's.
    pub fn trusted(&self, given: Option<&[u8]>) -> AppResult<Trust> {
        let pem = match (given, &self.trust) {
            (Some(pem), _) => pem.to_vec(),
            (None, Some(pem)) => pem.clone().into_bytes(),
            (None, None) => system_trust()?,
        };
        Trust::from_pem(&pem).map_err(refused)
    }
}

/// The system's list of trusted authorities.
fn system_trust() -> AppResult<Vec<u8>> {
    std::fs::read(SYSTEM_TRUST).map_err(|_| {
        AppError::Invalid(format!(
            "There is no list of trusted authorities to check timestamps against ({SYSTEM_TRUST} cannot be read): give the authority's certificate."
        ))
    })
}

/// A token checked: the entry holding it, the entry it covers and what it proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamped {
    pub entry: EntryId,
    pub covers: EntryId,
    pub stamp: Stamp,
}

impl Stamped {
    /// "entries up to e41 existed by 3 March 2026 at 14:02:07 UTC (authority: ...)".
    pub fn proves(&self) -> String {
        format!(
            "entries up to {} existed by {} (authority: {}, trusted through {})",
            self.covers,
            self.stamp.when(),
            self.stamp.authority,
            self.stamp.trusted,
        )
    }
}

impl<S: CaseStore, B: BlobStore> CaseFile<'_, S, B> {
    /// Asks the authority at `url` for a token over the newest entry and keeps it.
    pub fn timestamp(&self, url: &str, trust: &Trust, author: &str) -> AppResult<Stamped> {
        let (head, request) = self.timestamp_request()?;
        let token = casebook_timestamps::ask(url, &request).map_err(refused)?;
        let stamp = request.check(&token, trust).map_err(refused)?;
        self.keep(head, &token, stamp, Some(url.to_owned()), author)
    }

    /// A request over the newest entry, for sending to an authority another way; the
    /// answer comes back through [`CaseFile::add_timestamp`].
    pub fn timestamp_request(&self) -> AppResult<(EntryId, Request)> {
        let head = self.store.head(self.case.id)?.ok_or_else(|| {
            AppError::Invalid(
                "The case has no entries yet, so there is nothing to timestamp.".into(),
            )
        })?;
        let newest = self.store.entry(self.case.id, head.seq)?;
        if newest.is_some_and(|e| e.record.kind == EntryKind::Timestamp) {
            return Err(AppError::Invalid(
                "Nothing has been written since the last timestamp, so there is nothing new to timestamp.".into(),
            ));
        }
        let mut random = [0u8; 16];
        getrandom::fill(&mut random)
            .map_err(|e| AppError::Invalid(format!("No random nonce could be made: {e}.")))?;
        let request = Request::new(&head.hash.0, random).map_err(refused)?;
        Ok((EntryId(head.seq), request))
    }

    /// Keeps a token obtained elsewhere (an authority's answer, `.tsr`, or the bare
    /// token): it must cover an entry of this log and check against `trust`.
    pub fn add_timestamp(&self, answer: &[u8], trust: &Trust, author: &str) -> AppResult<Stamped> {
        let token = casebook_timestamps::token_from_response(answer)
            .or_else(|refusal| {
                // A bare token is accepted too; a refusal from the authority is reported.
                casebook_timestamps::check(answer, trust)
                    .map(|_| answer.to_vec())
                    .map_err(|_| refusal)
            })
            .map_err(refused)?;
        let stamp = casebook_timestamps::check(&token, trust).map_err(refused)?;
        let covered = self
            .entries()?
            .into_iter()
            .find(|e| e.record.hash.0 == stamp.hash)
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "The timestamp covers the hash {}, which is not the hash of any entry in this case: it was asked for another case, or for this one before it was changed.",
                    Digest(stamp.hash).to_hex()
                ))
            })?;
        self.keep(covered.record.id(), &token, stamp, None, author)
    }

    fn keep(
        &self,
        covers: EntryId,
        token: &[u8],
        stamp: Stamp,
        asked: Option<String>,
        author: &str,
    ) -> AppResult<Stamped> {
        let content = Content {
            summary: format!("Trusted timestamp of the log's first {} entries", covers.0),
            details: None,
            sources: vec![],
            attachments: vec![],
            facts: Facts::Timestamp(facts::Timestamp {
                token: BASE64.encode(token),
                authority: stamp.authority.clone(),
                time: stamp.time.to_string(),
                asked,
            }),
        };
        content.validate()?;
        let links = vec![Link {
            rel: Relation::Covers,
            target: covers,
        }];
        let record = self.append(
            Occurred::on(self.clock.today())?,
            author,
            links,
            &content,
            None,
        )?;
        Ok(Stamped {
            entry: record.id(),
            covers,
            stamp,
        })
    }

    /// Checks every token of a verified chain (the entries `verify` reported).
    pub fn check_timestamps(&self, tokens: &[EntryId], trust: &Trust) -> AppResult<Vec<Stamped>> {
        let entry = |id: EntryId| self.store.entry(self.case.id, id.0);
        tokens
            .iter()
            .filter_map(|id| entry(*id).transpose())
            .map(|held| {
                let held = held?;
                check_token(
                    &held,
                    |covers| Ok(entry(covers)?.map(|e| e.record.hash)),
                    trust,
                )
            })
            .filter_map(Result::transpose)
            .collect()
    }

    /// Whether `casebook serve`'s daily timestamp is due: the case asks for one, and
    /// something was written since the last, at least a day ago.
    pub fn timestamp_due(&self, settings: &TimestampSettings) -> AppResult<bool> {
        if !settings.daily || settings.authority.is_none() {
            return Ok(false);
        }
        let entries = self.entries()?;
        let Some(newest) = entries.last() else {
            return Ok(false);
        };
        if newest.record.kind == EntryKind::Timestamp {
            return Ok(false);
        }
        let last = entries
            .iter()
            .rev()
            .find(|e| e.record.kind == EntryKind::Timestamp);
        Ok(last.is_none_or(|e| {
            self.clock
                .now()
                .duration_since(e.record.recorded)
                .as_hours()
                >= 24
        }))
    }
}

/// `casebook serve`'s daily round: timestamps every case whose settings ask for it and
/// that is due. Says, a sentence a case, what was done or why it could not be; a case
/// that fails does not stop the others.
pub fn daily_timestamps<S: CaseStore, B: BlobStore>(
    store: &S,
    blobs: &B,
    clock: &dyn crate::Clock,
    author: &str,
) -> AppResult<Vec<String>> {
    let mut said = Vec::new();
    for case in store.cases()? {
        let file = CaseFile {
            store,
            blobs,
            clock,
            case,
        };
        let settings = TimestampSettings::read(store, &file.case)?;
        let stamped = match (file.timestamp_due(&settings), &settings.authority) {
            (Ok(true), Some(url)) => settings
                .trusted(None)
                .and_then(|trust| file.timestamp(url, &trust, author)),
            (Ok(_), _) => continue,
            (Err(e), _) => Err(e),
        };
        said.push(match stamped {
            Ok(stamped) => format!(
                "Case \"{}\" timestamped: {}.",
                file.case.slug,
                stamped.proves()
            ),
            Err(e) => format!(
                "The daily timestamp of case \"{}\" failed: {e}",
                file.case.slug
            ),
        });
    }
    Ok(said)
}

/// Checks the token `held` keeps against the hash its covered entry has now. A redacted
/// timestamp has no token left to check.
pub(crate) fn check_token(
    held: &StoredEntry,
    hash_of: impl Fn(EntryId) -> AppResult<Option<Digest>>,
    trust: &Trust,
) -> AppResult<Option<Stamped>> {
    let id = held.record.id();
    let Some(content) = held.content() else {
        return Ok(None);
    };
    let (
        Ok(Content {
            facts: Facts::Timestamp(facts),
            ..
        }),
        Some(covers),
    ) = (content, held.record.target(Relation::Covers))
    else {
        return Err(AppError::Invalid(format!(
            "Entry {id} should hold a trusted timestamp and the entry it covers, and does not."
        )));
    };
    let token = BASE64.decode(&facts.token).map_err(|_| {
        AppError::Invalid(format!(
            "The trusted timestamp in {id} is not valid base64."
        ))
    })?;
    let stamp = casebook_timestamps::check(&token, trust).map_err(|e| {
        AppError::Invalid(format!("The trusted timestamp in {id} does not check. {e}"))
    })?;
    let now = match hash_of(covers)? {
        Some(hash) if covers < id => hash,
        _ => {
            return Err(AppError::Invalid(format!(
                "The trusted timestamp in {id} covers {covers}, which is not an earlier entry of this log."
            )));
        }
    };
    if now.0 != stamp.hash {
        return Err(AppError::Invalid(format!(
            "The trusted timestamp in {id} was given on {} for entry {covers} with the hash {}; that entry's hash is now {}: the log was rebuilt after the timestamp was taken.",
            stamp.when(),
            Digest(stamp.hash).short(),
            now.short()
        )));
    }
    Ok(Some(Stamped {
        entry: id,
        covers,
        stamp,
    }))
}

fn refused(e: Refused) -> AppError {
    AppError::Invalid(e.0)
}

impl crate::Export {
    /// Checks every token of a verified export against the hashes in its own chain.
    pub fn check_timestamps(&self, tokens: &[EntryId], trust: &Trust) -> AppResult<Vec<Stamped>> {
        let hash_of = |id: EntryId| {
            Ok(self
                .entries
                .iter()
                .find(|e| e.record.id() == id)
                .map(|e| e.record.hash))
        };
        tokens
            .iter()
            .filter_map(|id| self.entries.iter().find(|e| e.record.id() == *id))
            .map(|held| check_token(held, hash_of, trust))
            .filter_map(Result::transpose)
            .collect()
    }
}
