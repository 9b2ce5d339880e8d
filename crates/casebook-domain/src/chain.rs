//! The hash chain. Each entry's hash covers a versioned, length-prefixed encoding of
//! its record and the hash of the entry before it, so changing, removing or reordering
//! any entry breaks every hash after it. Content and attachments enter by their own
//! SHA-256, which lets a redaction remove content while the chain still verifies.

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{
    CaseDate, CaseId, Content, Digest, DomainError, EntryId, EntryKind, Link, Occurred, Relation,
    canonical_json,
};

/// The only encoding so far. A new one gets a new number; old entries keep theirs.
pub const ENCODING_VERSION: u16 = 1;

/// What the chain covers for one entry. Everything here survives redaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub version: u16,
    pub case: CaseId,
    pub seq: u64,
    pub kind: EntryKind,
    /// Read as stored: an export of a case holding a date this version cannot read
    /// still imports, verifies and can be corrected.
    #[serde(deserialize_with = "stored_occurred")]
    pub occurred: Occurred,
    /// When it was written down, by the system clock, to the second, in UTC.
    pub recorded: Timestamp,
    pub author: String,
    pub links: Vec<Link>,
    pub content_hash: Digest,
    /// Digests of the attached files, sorted.
    pub attachments: Vec<Digest>,
    pub prev_hash: Digest,
    pub hash: Digest,
}

fn stored_occurred<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Occurred, D::Error> {
    String::deserialize(d).map(|text| Occurred::from_stored(&text))
}

impl Record {
    pub fn id(&self) -> EntryId {
        EntryId(self.seq)
    }

    pub fn computed_hash(&self) -> Digest {
        Digest::of(&encode_record(self))
    }

    /// Why the record cannot be read, if its date is one this version cannot read.
    pub fn unreadable(&self) -> Option<String> {
        self.occurred.unreadable().map(|text| {
            format!(
                "its date \"{}\" is not a date between {} and {}",
                text.escape_debug(),
                CaseDate::FIRST_YEAR,
                CaseDate::LAST_YEAR
            )
        })
    }

    pub fn target(&self, rel: Relation) -> Option<EntryId> {
        self.links.iter().find(|l| l.rel == rel).map(|l| l.target)
    }
}

/// The bytes an entry's hash is taken over (everything but the hash itself):
///
/// ```text
/// "casebook/entry/v1" 0x00
/// prev_hash (32 bytes)
/// str(case id) u64(seq) str(kind) str(occurred) str(recorded) str(author)
/// u32(link count) { str(relation) u64(target) }*
/// content_hash (32 bytes)
/// u32(attachment count) { digest (32 bytes) }*
/// ```
///
/// `str` is a big-endian u32 byte length and the UTF-8 bytes; integers are big-endian.
/// `occurred` is its canonical spelling (`2026-03-03T14:30`, `week of 2026-03-02`) and
/// `recorded` is `YYYY-MM-DDTHH:MM:SSZ`. docs/VERIFY.md repeats this for outside checkers.
pub fn encode_record(r: &Record) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(format!("casebook/entry/v{}", r.version).as_bytes());
    out.push(0);
    out.extend_from_slice(&r.prev_hash.0);
    put_str(&mut out, &r.case.to_string());
    out.extend_from_slice(&r.seq.to_be_bytes());
    put_str(&mut out, r.kind.slug());
    put_str(&mut out, &r.occurred.canonical());
    put_str(&mut out, &recorded_text(r.recorded));
    put_str(&mut out, &r.author);
    out.extend_from_slice(&(r.links.len() as u32).to_be_bytes());
    for link in &r.links {
        put_str(&mut out, link.rel.slug());
        out.extend_from_slice(&link.target.0.to_be_bytes());
    }
    out.extend_from_slice(&r.content_hash.0);
    out.extend_from_slice(&(r.attachments.len() as u32).to_be_bytes());
    for digest in &r.attachments {
        out.extend_from_slice(&digest.0);
    }
    out
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// Seconds precision, always with a `Z`: the spelling must never depend on a library's
/// choice of how many fractional digits to print.
pub fn recorded_text(t: Timestamp) -> String {
    let dt = t.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// The end of a case's chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub seq: u64,
    pub hash: Digest,
}

/// An entry as a store keeps it: the record and, unless redacted, the content's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub record: Record,
    pub content: Option<Vec<u8>>,
}

impl StoredEntry {
    /// Seals new content onto the end of a chain: [`CheckedEntry::new`] then
    /// [`CheckedEntry::seal`].
    pub fn seal(
        case: CaseId,
        head: Option<Head>,
        occurred: Occurred,
        recorded: Timestamp,
        author: &str,
        links: Vec<Link>,
        content: &Content,
    ) -> Result<StoredEntry, DomainError> {
        Ok(CheckedEntry::new(occurred, content)?.seal(case, head, recorded, author, links))
    }

    /// The content, read back. `None` when redacted.
    pub fn content(&self) -> Option<Result<Content, serde_json::Error>> {
        self.content.as_deref().map(serde_json::from_slice)
    }

    /// Why this entry cannot be read, if it cannot: a date outside the case's years or
    /// content this version cannot decode. Such an entry still verifies by its hash and
    /// can be corrected or redacted; every reader reports it by id and carries on.
    pub fn unreadable(&self) -> Option<String> {
        self.read().1
    }

    /// The content where it can be decoded, and why the entry cannot be read where it
    /// cannot: the content decoded once for both, as a reader of a whole log wants.
    pub fn read(&self) -> (Option<Content>, Option<String>) {
        let content = self.content();
        let why = self.record.unreadable().or_else(|| match &content {
            Some(Err(e)) => Some(format!("its content cannot be read ({e})")),
            _ => None,
        });
        (content.and_then(Result::ok), why)
    }

    pub fn head(&self) -> Head {
        Head {
            seq: self.record.seq,
            hash: self.record.hash,
        }
    }
}

/// A date and content checked to read back, ready to be sealed onto a chain. It is the
/// only way to make a new entry, so whatever a store accepts, every reader reads.
#[derive(Debug, Clone)]
pub struct CheckedEntry {
    occurred: Occurred,
    kind: EntryKind,
    bytes: Vec<u8>,
    attachments: Vec<Digest>,
}

impl CheckedEntry {
    pub fn new(occurred: Occurred, content: &Content) -> Result<Self, DomainError> {
        Self::checked(occurred, content_bytes(content))
    }

    /// The date as stored and the content's bytes: what [`CheckedEntry::read_back`] takes,
    /// for an entry prepared in one place and sealed in another (an import prepares
    /// every entry before the short transaction that appends them).
    pub fn parts(&self) -> (String, &[u8]) {
        (self.occurred.canonical(), &self.bytes)
    }

    /// An entry from its [`parts`](CheckedEntry::parts), checked again as `new` checks:
    /// the date must be one the case can hold and the bytes must read as content.
    pub fn read_back(occurred: &str, bytes: Vec<u8>) -> Result<Self, DomainError> {
        Self::checked(Occurred::from_stored(occurred), bytes)
    }

    /// The one check behind both: a date the case can hold, and bytes that read back as
    /// content.
    fn checked(occurred: Occurred, bytes: Vec<u8>) -> Result<Self, DomainError> {
        if let Some(text) = occurred.unreadable() {
            return Err(DomainError::invalid(format!(
                "\"{}\" is not a date casebook can keep.",
                text.escape_debug()
            )));
        }
        let content: Content = serde_json::from_slice(&bytes).map_err(|e| {
            DomainError::invalid(format!(
                "The entry cannot be written, because it could not be read back: {e}."
            ))
        })?;
        let attachments: BTreeSet<Digest> = content.attachments.iter().map(|a| a.sha256).collect();
        Ok(CheckedEntry {
            occurred,
            kind: content.facts.kind(),
            bytes,
            attachments: attachments.into_iter().collect(),
        })
    }

    /// Seals it after `head`. `recorded` is cut to whole seconds.
    pub fn seal(
        &self,
        case: CaseId,
        head: Option<Head>,
        recorded: Timestamp,
        author: &str,
        links: Vec<Link>,
    ) -> StoredEntry {
        let mut record = Record {
            version: ENCODING_VERSION,
            case,
            seq: head.map_or(1, |h| h.seq + 1),
            kind: self.kind,
            occurred: self.occurred.clone(),
            recorded: Timestamp::from_second(recorded.as_second()).unwrap_or(recorded),
            author: author.to_owned(),
            links,
            content_hash: Digest::of(&self.bytes),
            attachments: self.attachments.clone(),
            prev_hash: head.map_or(Digest::ZERO, |h| h.hash),
            hash: Digest::ZERO,
        };
        record.hash = record.computed_hash();
        StoredEntry {
            record,
            content: Some(self.bytes.clone()),
        }
    }
}

/// Content is stored and hashed as canonical JSON.
pub fn content_bytes(content: &Content) -> Vec<u8> {
    // Serialising our own plain structs to a Value cannot fail: no maps with non-string
    // keys, no floats.
    let value = serde_json::to_value(content).unwrap_or(serde_json::Value::Null);
    canonical_json(&value)
}

/// The state of one attached file as the blob store finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentState {
    Intact,
    Missing,
    Altered,
}

/// What is wrong with the first entry that fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "kebab-case")]
pub enum Problem {
    Missing { after: Option<EntryId> },
    OutOfPlace,
    RecordAltered,
    WrongCase,
    ContentAltered,
    ContentRemoved,
    AttachmentMissing { sha256: Digest },
    AttachmentAltered { sha256: Digest },
    LastEntriesMissing { head: EntryId },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyFailure {
    pub entry: EntryId,
    #[serde(flatten)]
    pub problem: Problem,
}

impl VerifyFailure {
    /// One sentence for the person reading it.
    pub fn explain(&self) -> String {
        let e = self.entry;
        match &self.problem {
            Problem::Missing { after: Some(prev) } => {
                format!("Entry {e} is missing: the log jumps from {prev} to a later entry.")
            }
            Problem::Missing { after: None } => {
                format!("Entry {e} is missing: the log does not start at its first entry.")
            }
            Problem::OutOfPlace => format!(
                "Entry {e} does not follow the entry before it: entries were removed, reordered or replaced."
            ),
            Problem::RecordAltered => format!(
                "Entry {e} was changed after it was written: its date, kind, author or links no longer match its hash."
            ),
            Problem::WrongCase => format!("Entry {e} belongs to a different case."),
            Problem::ContentAltered => {
                format!("The text of entry {e} was changed after it was written.")
            }
            Problem::ContentRemoved => {
                format!("The text of entry {e} was removed without a redaction entry.")
            }
            Problem::AttachmentMissing { sha256 } => {
                format!(
                    "An attachment of entry {e} (SHA-256 {}) is missing.",
                    sha256.short()
                )
            }
            Problem::AttachmentAltered { sha256 } => format!(
                "An attachment of entry {e} (SHA-256 {}) was changed after it was stored.",
                sha256.short()
            ),
            Problem::LastEntriesMissing { head } => format!(
                "The log ends at entry {e}, but entries up to {head} were written: the last entries were removed."
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub entries: u64,
    pub head: Option<Head>,
    /// Bytes hashed, for throughput figures.
    pub bytes: u64,
    pub failure: Option<VerifyFailure>,
    /// Entries whose hashes check but which this version cannot read, each with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<(EntryId, String)>,
    /// What the database's own check found wrong with the file holding the log.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub damage: Vec<String>,
    /// Attached files no entry names, left by a process killed before it committed
    /// them, and removed: how many, and their bytes.
    #[serde(skip_serializing_if = "is_zero")]
    pub removed_files: (u64, u64),
    /// The entries holding trusted timestamps, for the tokens to be checked once the
    /// chain has been.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub timestamps: Vec<EntryId>,
}

fn is_zero(found: &(u64, u64)) -> bool {
    found.0 == 0
}

impl VerifyReport {
    pub fn is_intact(&self) -> bool {
        self.failure.is_none() && self.damage.is_empty()
    }
}

/// Checks a case's entries in order. `expected_head` is where the store says the chain
/// ends (catches removal of the last entries); `attachment` reports on each file.
pub fn verify_chain(
    case: CaseId,
    entries: &[StoredEntry],
    expected_head: Option<Head>,
    attachment: impl FnMut(&Digest) -> AttachmentState,
) -> VerifyReport {
    let mut verifier = ChainVerifier::new(case, attachment);
    for entry in entries {
        if !verifier.check(entry) {
            break;
        }
    }
    verifier.finish(expected_head)
}

/// Checks a chain one entry at a time, so a log of any length is verified in constant
/// memory while it is read. Feed entries in chain order with [`check`](Self::check),
/// then call [`finish`](Self::finish).
pub struct ChainVerifier<F> {
    case: CaseId,
    attachment: F,
    prev: Option<Head>,
    redacted: BTreeSet<EntryId>,
    /// Entries without content: fine only if a redaction later in the chain names them.
    without_content: Vec<EntryId>,
    report: VerifyReport,
}

impl<F: FnMut(&Digest) -> AttachmentState> ChainVerifier<F> {
    pub fn new(case: CaseId, attachment: F) -> Self {
        ChainVerifier {
            case,
            attachment,
            prev: None,
            redacted: BTreeSet::new(),
            without_content: Vec::new(),
            report: VerifyReport {
                entries: 0,
                head: None,
                bytes: 0,
                failure: None,
                unreadable: Vec::new(),
                damage: Vec::new(),
                removed_files: (0, 0),
                timestamps: Vec::new(),
            },
        }
    }

    /// Checks the next entry; false once the chain has failed (stop feeding it).
    pub fn check(&mut self, entry: &StoredEntry) -> bool {
        if self.report.failure.is_some() {
            return false;
        }
        let r = &entry.record;
        let expected_seq = self.prev.map_or(1, |p| p.seq + 1);
        let encoded = encode_record(r);
        self.report.bytes +=
            encoded.len() as u64 + entry.content.as_ref().map_or(0, |c| c.len() as u64);
        let problem = if r.seq > expected_seq {
            self.fail(VerifyFailure {
                entry: EntryId(expected_seq),
                problem: Problem::Missing {
                    after: self.prev.map(|p| EntryId(p.seq)),
                },
            });
            return false;
        } else if r.seq < expected_seq || r.prev_hash != self.prev.map_or(Digest::ZERO, |p| p.hash)
        {
            Some(Problem::OutOfPlace)
        } else if r.case != self.case {
            Some(Problem::WrongCase)
        } else if Digest::of(&encoded) != r.hash {
            Some(Problem::RecordAltered)
        } else {
            self.check_content(entry)
        };
        if let Some(problem) = problem {
            self.fail(VerifyFailure {
                entry: r.id(),
                problem,
            });
            return false;
        }
        match r.kind {
            EntryKind::Redaction => self.redacted.extend(r.target(Relation::Redacts)),
            EntryKind::Timestamp => self.report.timestamps.push(r.id()),
            _ => {}
        }
        // Only the record: decoding every entry's content would halve verify's speed.
        if let Some(why) = r.unreadable() {
            self.report.unreadable.push((r.id(), why));
        }
        self.prev = Some(entry.head());
        self.report.entries += 1;
        self.report.head = self.prev;
        true
    }

    /// The report, with the chain's end checked against where the store says it ends.
    pub fn finish(mut self, expected_head: Option<Head>) -> VerifyReport {
        if self.report.failure.is_some() {
            return self.report;
        }
        let prev = self.prev;
        if let Some(expected) = expected_head {
            if prev.is_none_or(|p| p.seq < expected.seq) {
                self.fail(VerifyFailure {
                    entry: EntryId(prev.map_or(0, |p| p.seq)),
                    problem: Problem::LastEntriesMissing {
                        head: EntryId(expected.seq),
                    },
                });
            } else if prev.is_some_and(|p| p != expected) {
                self.fail(VerifyFailure {
                    entry: EntryId(expected.seq),
                    problem: Problem::RecordAltered,
                });
            }
        }
        if self.report.failure.is_none() {
            self.content_removed_without_redaction();
        }
        self.report
    }

    fn check_content(&mut self, entry: &StoredEntry) -> Option<Problem> {
        let r = &entry.record;
        let Some(bytes) = &entry.content else {
            self.without_content.push(r.id());
            return None;
        };
        // A digest that matches proves these are the bytes that were sealed.
        if Digest::of(bytes) != r.content_hash {
            return Some(Problem::ContentAltered);
        }
        r.attachments
            .iter()
            .find_map(|d| match (self.attachment)(d) {
                AttachmentState::Intact => None,
                AttachmentState::Missing => Some(Problem::AttachmentMissing { sha256: *d }),
                AttachmentState::Altered => Some(Problem::AttachmentAltered { sha256: *d }),
            })
    }

    /// Records a failure, unless an earlier entry lost its content with no redaction
    /// among the entries checked so far: the first failure in the chain is reported.
    fn fail(&mut self, failure: VerifyFailure) {
        self.content_removed_without_redaction();
        if self.report.failure.is_none() {
            self.report.failure = Some(failure);
        }
    }

    fn content_removed_without_redaction(&mut self) {
        if let Some(id) = self
            .without_content
            .iter()
            .find(|id| !self.redacted.contains(id))
        {
            self.report.failure = Some(VerifyFailure {
                entry: *id,
                problem: Problem::ContentRemoved,
            });
        }
    }
}

#[cfg(test)]
mod golden {
    //! The bytes of version 1 are frozen. If this test fails, the encoding changed:
    //! restore it, or bump ENCODING_VERSION, keep v1 verifiable, and add a golden file
    //! for the new version. Existing case files depend on it.

    use super::*;
    use crate::{Attachment, Category, EntryId, Facts, PersonId, Relation, facts};

    fn fixture() -> StoredEntry {
        let content = Content {
            summary: "Pushed over in the lunch queue".into(),
            details: Some("Two lines.\nSecond line, with “quotes” and é.".into()),
            sources: vec!["my notes at the time".into()],
            attachments: vec![Attachment {
                sha256: Digest::of(b"photo"),
                name: "bruise.jpg".into(),
                media_type: "image/jpeg".into(),
                size: 5,
            }],
            facts: Facts::Incident(facts::Incident {
                place: Some("lunch hall".into()),
                categories: vec![Category::Physical, Category::Verbal],
                involved: vec![PersonId(2)],
                school_word: Some("niggle".into()),
                ..Default::default()
            }),
        };
        let case = CaseId(uuid::Uuid::from_u128(
            0x0000_0000_0000_4000_8000_0000_0000_0001,
        ));
        let head = Head {
            seq: 6,
            hash: Digest::of(b"previous entry"),
        };
        let recorded = Timestamp::from_second(1_772_530_000).expect("fixed instant");
        let occurred = Occurred::parse("2026-03-03T12:40").expect("fixed date");
        let links = vec![Link {
            rel: Relation::About,
            target: EntryId(3),
        }];
        StoredEntry::seal(
            case,
            Some(head),
            occurred,
            recorded,
            "parent or carer",
            links,
            &content,
        )
        .expect("a readable entry")
    }

    #[test]
    fn version_1_encoding_is_unchanged() {
        let entry = fixture();
        let encoded: String = encode_record(&entry.record)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let content = String::from_utf8(entry.content.clone().expect("content")).expect("UTF-8");
        let actual = format!(
            "version {}\nencoding {encoded}\ncontent {content}\nhash {}\n",
            entry.record.version, entry.record.hash
        );
        let golden = include_str!("../golden/entry-v1.txt");
        assert_eq!(
            ENCODING_VERSION, 1,
            "a new version needs its own golden file"
        );
        assert_eq!(
            actual, golden,
            "the v1 encoding changed; see the comment above"
        );
    }
}
