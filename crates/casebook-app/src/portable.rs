//! casebook's own JSON Lines format: a whole case in one text file, lossless, that
//! re-imports into any store and verifies on its own. The schema is in
//! docs/JSONL-FORMAT.md.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use casebook_domain::{
    AttachmentState, Case, Content, Digest, Head, Person, Record, Role, StoredEntry, VerifyReport,
    canonical_json, verify_chain,
};
use casebook_store::{BlobStore, CaseStore};
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult, invalid};
use crate::signing::{SignedFormat, sign};

pub const FORMAT: &str = "casebook-export";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
enum Line {
    Header {
        format: String,
        version: u32,
        case: Case,
        people: usize,
        entries: usize,
        attachments: usize,
        head: Option<Head>,
        /// Other children appear under their pseudonyms only.
        pseudonymised: bool,
        /// The last line signs the file; exports from before signing have none.
        #[serde(default)]
        signed: bool,
    },
    Person {
        person: Person,
    },
    Entry {
        record: Record,
        /// `null` when the entry was redacted.
        content: Option<serde_json::Value>,
    },
    Attachment {
        sha256: Digest,
        base64: String,
    },
    /// The last line of a signed export; `casebook verify` checks it.
    Signature {
        signature: String,
    },
}

/// A case read from a JSON Lines file.
#[derive(Debug)]
pub struct Export {
    pub case: Case,
    pub people: Vec<Person>,
    pub entries: Vec<StoredEntry>,
    pub attachments: BTreeMap<Digest, Vec<u8>>,
    pub head: Option<Head>,
}

impl Export {
    /// Checks the chain and every attached file carried in the export.
    pub fn verify(&self) -> VerifyReport {
        verify_chain(self.case.id, &self.entries, self.head, |d| {
            match self.attachments.get(d) {
                Some(bytes) if Digest::of(bytes) == *d => AttachmentState::Intact,
                Some(_) => AttachmentState::Altered,
                None => AttachmentState::Missing,
            }
        })
    }
}

/// Writes the case, its people, its entries and its files, one JSON object a line,
/// and a last line signing all of it with the case's key. The signature covers every
/// byte, so the export is assembled in memory before it is written.
pub fn write_jsonl(
    out: &mut impl Write,
    case: &Case,
    people: &[Person],
    entries: &[StoredEntry],
    blobs: &impl BlobStore,
    pseudonymise: bool,
    key: &SigningKey,
) -> AppResult<()> {
    let mut bytes = Vec::new();
    write_lines(&mut bytes, case, people, entries, blobs, pseudonymise)?;
    sign(&mut bytes, key, SignedFormat::Jsonl);
    out.write_all(&bytes).map_err(write_error)?;
    out.flush().map_err(write_error)
}

fn write_lines(
    out: &mut Vec<u8>,
    case: &Case,
    people: &[Person],
    entries: &[StoredEntry],
    blobs: &impl BlobStore,
    pseudonymise: bool,
) -> AppResult<()> {
    let digests: BTreeSet<Digest> = entries
        .iter()
        .filter(|e| e.content.is_some())
        .flat_map(|e| e.record.attachments.iter().copied())
        .collect();
    let header = Line::Header {
        format: FORMAT.into(),
        version: FORMAT_VERSION,
        case: case.clone(),
        people: people.len(),
        entries: entries.len(),
        attachments: digests.len(),
        head: entries.last().map(StoredEntry::head),
        pseudonymised: pseudonymise,
        signed: true,
    };
    write_line(out, &header)?;
    for person in people {
        let mut person = person.clone();
        if pseudonymise && person.role == Role::OtherChild {
            person.name = person.public_name().to_owned();
        }
        write_line(out, &Line::Person { person })?;
    }
    for entry in entries {
        let content = match &entry.content {
            Some(bytes) => Some(serde_json::from_slice(bytes).map_err(|e| {
                AppError::Invalid(format!(
                    "Entry {} cannot be exported: {e}.",
                    entry.record.id()
                ))
            })?),
            None => None,
        };
        write_line(
            out,
            &Line::Entry {
                record: entry.record.clone(),
                content,
            },
        )?;
    }
    for digest in digests {
        let bytes = blobs.get(&digest)?.ok_or_else(|| {
            AppError::Invalid(format!(
                "The attached file {} is missing from the store.",
                digest.short()
            ))
        })?;
        write_line(
            out,
            &Line::Attachment {
                sha256: digest,
                base64: BASE64.encode(bytes),
            },
        )?;
    }
    Ok(())
}

fn write_line(out: &mut impl Write, line: &Line) -> AppResult<()> {
    serde_json::to_writer(&mut *out, line)
        .map_err(|e| AppError::Invalid(format!("Cannot write the export: {e}.")))?;
    out.write_all(b"\n").map_err(write_error)
}

fn write_error(e: std::io::Error) -> AppError {
    AppError::Invalid(format!("Cannot write the export: {e}."))
}

/// Reads a whole export, refusing anything malformed, cut short or out of order.
/// `name` is how the file is called in messages.
pub fn read_jsonl(input: impl BufRead, name: &str) -> AppResult<Export> {
    let mut lines = input.lines().enumerate();
    let parse = |n: usize, text: std::io::Result<String>| -> AppResult<Line> {
        let text = text.map_err(|e| AppError::Invalid(format!("{name} cannot be read: {e}.")))?;
        serde_json::from_str(&text).map_err(|e| {
            AppError::Invalid(format!(
                "Line {} of {name} is not casebook JSON Lines: {e}.",
                n + 1
            ))
        })
    };
    let Some((n, first)) = lines.next() else {
        return invalid(format!("{name} is empty: it is not a casebook export."));
    };
    let Line::Header {
        format,
        version,
        case,
        people: n_people,
        entries: n_entries,
        attachments: n_files,
        head,
        signed,
        ..
    } = parse(n, first).map_err(|_| {
        AppError::Invalid(format!(
            "{name} does not start with a casebook export header."
        ))
    })?
    else {
        return invalid(format!(
            "{name} does not start with a casebook export header."
        ));
    };
    if format != FORMAT {
        return invalid(format!("{name} is not a casebook export."));
    }
    if version > FORMAT_VERSION {
        return invalid(format!(
            "{name} was written by a newer casebook (export format {version}): upgrade casebook to import it."
        ));
    }
    let mut export = Export {
        case,
        people: vec![],
        entries: vec![],
        attachments: BTreeMap::new(),
        head,
    };
    let mut signature_seen = false;
    for (n, text) in lines {
        if text.as_ref().is_ok_and(|t| t.trim().is_empty()) {
            continue;
        }
        if signature_seen {
            return invalid(format!(
                "Line {} of {name} follows the signature, which must be the last line: the file was altered.",
                n + 1
            ));
        }
        match parse(n, text)? {
            Line::Header { .. } => {
                return invalid(format!("Line {} of {name} is a second header.", n + 1));
            }
            Line::Person { person } => export.people.push(person),
            Line::Entry { record, content } => {
                let content = match content {
                    Some(value) => {
                        let parsed: Content =
                            serde_json::from_value(value.clone()).map_err(|e| {
                                AppError::Invalid(format!(
                                    "Line {} of {name}: entry {} cannot be read: {e}.",
                                    n + 1,
                                    record.id()
                                ))
                            })?;
                        parsed.validate().map_err(|e| {
                            AppError::Invalid(format!(
                                "Line {} of {name}: entry {}: {e}",
                                n + 1,
                                record.id()
                            ))
                        })?;
                        Some(canonical_json(&value))
                    }
                    None => None,
                };
                export.entries.push(StoredEntry { record, content });
            }
            Line::Attachment { sha256, base64 } => {
                let bytes = BASE64.decode(base64.as_bytes()).map_err(|_| {
                    AppError::Invalid(format!(
                        "Line {} of {name}: the attached file is damaged.",
                        n + 1
                    ))
                })?;
                export.attachments.insert(sha256, bytes);
            }
            Line::Signature { signature } => {
                if !signature.starts_with("casebook-signature") {
                    return invalid(format!("Line {} of {name} is a damaged signature.", n + 1));
                }
                signature_seen = true;
            }
        }
    }
    if signed && !signature_seen {
        return invalid(format!(
            "{name} has lost its last line, the signature: it was cut short or altered."
        ));
    }
    let counts = [
        ("people", n_people, export.people.len()),
        ("entries", n_entries, export.entries.len()),
        ("attached files", n_files, export.attachments.len()),
    ];
    for (what, expected, found) in counts {
        if found != expected {
            return invalid(format!(
                "{name} should hold {expected} {what} but holds {found}: it was cut short or altered."
            ));
        }
    }
    Ok(export)
}

/// Imports a verified export as a new case, all at once or not at all.
pub fn import(
    store: &impl CaseStore,
    blobs: &impl BlobStore,
    mut export: Export,
    slug: Option<String>,
) -> AppResult<Case> {
    let report = export.verify();
    if let Some(failure) = &report.failure {
        return invalid(format!(
            "The export fails verification, so nothing was imported: {}",
            failure.explain()
        ));
    }
    if let Some(slug) = slug {
        casebook_domain::validate_slug(&slug)?;
        export.case.slug = slug;
    }
    if store.cases()?.iter().any(|c| c.id == export.case.id) {
        return invalid(format!(
            "This case (\"{}\") is already in this store: there is nothing to import.",
            export.case.slug
        ));
    }
    let mut added = Vec::new();
    let mut result = Ok(());
    for (digest, bytes) in &export.attachments {
        match blobs.contains(digest) {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => {
                result = Err(e.into());
                break;
            }
        }
        // The files wait in this process's folder until the case is about to be
        // written, so a killed import leaves none where a case could refer to them.
        match blobs.put_unsynced(bytes) {
            Ok(_) => added.push(*digest),
            Err(e) => {
                result = Err(e.into());
                break;
            }
        }
    }
    let result = result
        .and_then(|()| Ok(blobs.settle(&added)?))
        .and_then(|()| Ok(blobs.sync(&added)?))
        .and_then(|()| {
            store
                .import_case(&export.case, &export.people, &export.entries)
                .map_err(AppError::from)
        });
    if result.is_err() {
        for digest in &added {
            let _ = blobs.remove(digest);
        }
    }
    result.map(|()| export.case)
}
