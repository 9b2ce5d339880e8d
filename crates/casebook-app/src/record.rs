//! Writing to the log: new entries, corrections and redactions. Nothing here edits;
//! every change is a new entry on the end of the chain.

use std::collections::BTreeSet;

use casebook_domain::{
    Attachment, Case, CheckedEntry, Content, Digest, EntryId, EntryKind, Facts, Link, Occurred,
    Record, Relation, StoredEntry, check_short_text, facts,
};
use casebook_store::{Append, BlobStore, CaseStore};

use crate::clock::Clock;
use crate::error::{AppError, AppResult, invalid};

/// The largest single attachment: a phone video of a few minutes, a scanned report.
pub const ATTACHMENT_LIMIT: usize = 100 * 1024 * 1024;

/// A case opened for work: the store, its files, the clock and the case itself.
pub struct CaseFile<'a, S, B> {
    pub store: &'a S,
    pub blobs: &'a B,
    pub clock: &'a dyn Clock,
    pub case: Case,
}

/// What a correction changes: the summary (as it should read, changed or not), and
/// whichever of the date, the details and the facts were wrong, with the reason.
#[derive(Debug, Clone, Default)]
pub struct Correction {
    pub summary: String,
    pub reason: String,
    pub occurred: Option<Occurred>,
    pub details: Option<String>,
    pub facts: Option<Facts>,
}

/// A file to attach, as the user gave it.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A new entry before it is sealed into the chain.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub occurred: Occurred,
    pub author: String,
    pub summary: String,
    pub details: Option<String>,
    pub sources: Vec<String>,
    pub facts: Facts,
    pub links: Vec<Link>,
    pub attachments: Vec<NewAttachment>,
}

impl<S: CaseStore, B: BlobStore> CaseFile<'_, S, B> {
    pub fn entries(&self) -> AppResult<Vec<StoredEntry>> {
        Ok(self.store.entries(self.case.id)?)
    }

    /// Logs a new entry and returns its sealed record.
    pub fn log(&self, new: NewEntry) -> AppResult<Record> {
        if matches!(
            new.facts.kind(),
            EntryKind::Amendment | EntryKind::Redaction | EntryKind::Timestamp
        ) {
            return invalid(
                "Corrections are made with `casebook amend` and `casebook redact`, and timestamps with `casebook timestamp`.",
            );
        }
        check_short_text("author", &new.author)?;
        self.check_links(&new.facts, &new.links)?;
        self.check_people(&new.facts)?;
        let mut content = Content {
            summary: new.summary,
            details: new.details,
            sources: new.sources,
            attachments: vec![],
            facts: new.facts,
        };
        content.validate()?;
        let (attachments, added) = self.store_attachments(&new.attachments)?;
        content.attachments = attachments;
        let result = self.append(new.occurred, &new.author, new.links, &content, None);
        if result.is_err() {
            // Files that only this entry brought in go again, so a refused entry leaves
            // nothing behind.
            for digest in added {
                let _ = self.blobs.remove(&digest);
            }
        }
        result
    }

    /// Corrects an earlier entry with a new one that points at it.
    pub fn amend(&self, target: EntryId, fix: Correction, author: &str) -> AppResult<Record> {
        let entries = self.entries()?;
        let original = correctable(&entries, target, "amended")?;
        check_short_text("reason", &fix.reason)?;
        if let Some(facts) = &fix.facts {
            if facts.kind() != original.record.kind {
                return invalid(format!(
                    "A correction keeps the kind of entry ({}); the facts given are for another kind ({}).",
                    original.record.kind.phrase(),
                    facts.kind().phrase()
                ));
            }
            self.check_people(facts)?;
        }
        let content = Content {
            summary: fix.summary,
            details: None,
            sources: vec![],
            attachments: vec![],
            facts: Facts::Amendment(facts::Amendment {
                reason: fix.reason,
                occurred: fix.occurred,
                details: fix.details,
                facts: fix.facts.map(Box::new),
            }),
        };
        content.validate()?;
        let links = vec![Link {
            rel: Relation::Amends,
            target: original.record.id(),
        }];
        self.append(
            Occurred::on(self.clock.today())?,
            author,
            links,
            &content,
            None,
        )
    }

    /// Everyone the facts name is a person in the case.
    fn check_people(&self, facts: &Facts) -> AppResult<()> {
        let people = self.store.people(self.case.id)?;
        match facts
            .people()
            .into_iter()
            .find(|id| people.iter().all(|p| p.id != *id))
        {
            Some(missing) => invalid(format!(
                "There is no person {missing} in this case: see `casebook person list`."
            )),
            None => Ok(()),
        }
    }

    /// Removes an entry's content (and files only it used), keeping its place and hash
    /// in the chain so the log still verifies.
    pub fn redact(&self, target: EntryId, reason: String, author: &str) -> AppResult<Record> {
        let entries = self.entries()?;
        let original = correctable(&entries, target, "redacted")?;
        check_short_text("reason", &reason)?;
        let content = Content {
            summary: format!("Redaction of entry {target}"),
            details: None,
            sources: vec![],
            attachments: vec![],
            facts: Facts::Redaction(facts::Redaction { reason }),
        };
        let links = vec![Link {
            rel: Relation::Redacts,
            target,
        }];
        let record = self.append(
            Occurred::on(self.clock.today())?,
            author,
            links,
            &content,
            Some(target.0),
        )?;
        let still_used: BTreeSet<Digest> = entries
            .iter()
            .filter(|e| e.record.seq != target.0 && e.content.is_some())
            .flat_map(|e| e.record.attachments.iter().copied())
            .collect();
        for digest in original
            .record
            .attachments
            .iter()
            .filter(|d| !still_used.contains(d))
        {
            self.blobs.remove(digest)?;
        }
        Ok(record)
    }

    /// Links must point at an earlier entry of the right kind: a written confirmation
    /// confirms a call or meeting, a reply answers a request, minutes belong to a meeting.
    fn check_links(&self, facts: &Facts, links: &[Link]) -> AppResult<()> {
        for link in links {
            let target = self
                .store
                .entry(self.case.id, link.target.0)?
                .ok_or_else(|| missing(link.target))?;
            let target_facts = target.content().and_then(Result::ok).map(|c| c.facts);
            let ok = match link.rel {
                // Corrections and timestamps are made by their own commands.
                Relation::Amends | Relation::Redacts | Relation::Covers => false,
                Relation::Confirms => {
                    matches!(facts, Facts::Communication(c) if !c.channel.needs_written_confirmation())
                        && match &target_facts {
                            Some(Facts::Communication(c)) => c.channel.needs_written_confirmation(),
                            Some(Facts::Meeting(m)) => !m.requested_only,
                            _ => false,
                        }
                }
                Relation::Answers | Relation::Withdraws => target.record.kind == EntryKind::Request,
                Relation::MinutesOf => {
                    matches!(facts, Facts::Document(_)) && target.record.kind == EntryKind::Meeting
                }
                Relation::RepliesTo => target.record.kind == EntryKind::Communication,
                Relation::About => true,
            };
            if !ok {
                let kind = target.record.kind.phrase();
                let article = match kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    true => "an",
                    false => "a",
                };
                return invalid(format!(
                    "This entry cannot say it {} {} ({article} {kind}): {}.",
                    link.rel.phrase(),
                    link.target,
                    match link.rel {
                        Relation::Confirms =>
                            "only an email, letter, text or portal message can confirm a call, conversation or meeting",
                        Relation::Answers | Relation::Withdraws =>
                            "only a request can be answered or withdrawn",
                        Relation::MinutesOf => "only a document can be the minutes of a meeting",
                        Relation::RepliesTo => "only a communication can be replied to",
                        _ => "use `casebook amend` or `casebook redact` for corrections",
                    }
                ));
            }
        }
        Ok(())
    }

    pub(crate) fn store_attachments(
        &self,
        files: &[NewAttachment],
    ) -> AppResult<(Vec<Attachment>, Vec<Digest>)> {
        let stored = self.store_attachments_unsynced(files)?;
        if let Err(e) = self
            .blobs
            .settle(&stored.1)
            .and_then(|()| self.blobs.sync(&stored.1))
        {
            for d in &stored.1 {
                let _ = self.blobs.remove(d);
            }
            return Err(e.into());
        }
        Ok(stored)
    }

    /// As `store_attachments`, leaving the new files for one `sync` before the commit.
    pub(crate) fn store_attachments_unsynced(
        &self,
        files: &[NewAttachment],
    ) -> AppResult<(Vec<Attachment>, Vec<Digest>)> {
        let mut attachments = Vec::new();
        let mut added = Vec::new();
        for file in files {
            check_short_text("attachment's name", &file.name)?;
            if file.bytes.len() > ATTACHMENT_LIMIT {
                return invalid(format!(
                    "{} is {} MB; the limit for one attachment is {} MB.",
                    file.name,
                    file.bytes.len() / (1024 * 1024),
                    ATTACHMENT_LIMIT / (1024 * 1024)
                ));
            }
        }
        for file in files {
            let digest = Digest::of(&file.bytes);
            let existed = self.blobs.contains(&digest)?;
            match self.blobs.put_unsynced(&file.bytes) {
                Ok(_) if !existed => added.push(digest),
                Ok(_) => {}
                Err(e) => {
                    for d in &added {
                        let _ = self.blobs.remove(d);
                    }
                    return Err(e.into());
                }
            }
            attachments.push(Attachment {
                sha256: digest,
                name: file.name.clone(),
                media_type: media_type(&file.name).to_owned(),
                size: file.bytes.len() as u64,
            });
        }
        Ok((attachments, added))
    }

    /// Seals and appends after the head as it stands.
    pub(crate) fn append(
        &self,
        occurred: Occurred,
        author: &str,
        links: Vec<Link>,
        content: &Content,
        erase_content_of: Option<u64>,
    ) -> AppResult<Record> {
        let checked = CheckedEntry::new(occurred, content)?;
        // The time is read once the head is held, so entries are recorded in chain order.
        Ok(self.store.append_next(self.case.id, &mut |head| Append {
            entry: checked.seal(self.case.id, head, self.clock.now(), author, links.clone()),
            erase_content_of,
        })?)
    }
}

fn missing(id: EntryId) -> AppError {
    AppError::Invalid(format!(
        "There is no entry {id} in this case: see `casebook timeline`."
    ))
}

fn find(entries: &[StoredEntry], id: EntryId) -> AppResult<&StoredEntry> {
    entries
        .iter()
        .find(|e| e.record.id() == id)
        .ok_or_else(|| missing(id))
}

fn is_redacted(entries: &[StoredEntry], id: EntryId) -> bool {
    entries.iter().any(|e| {
        e.record.kind == EntryKind::Redaction && e.record.target(Relation::Redacts) == Some(id)
    })
}

fn correctable(entries: &[StoredEntry], id: EntryId, what: &str) -> AppResult<StoredEntry> {
    let entry = find(entries, id)?;
    if matches!(
        entry.record.kind,
        EntryKind::Amendment | EntryKind::Redaction
    ) {
        return invalid(format!(
            "Entry {id} is itself a correction and cannot be {what}."
        ));
    }
    // A token is as the authority signed it: it can be removed (one the case was not
    // given, brought in with a file from elsewhere, would otherwise fail every check),
    // never changed.
    if entry.record.kind == EntryKind::Timestamp && what != "redacted" {
        return invalid(format!(
            "Entry {id} is a trusted timestamp, as the authority signed it, and cannot be {what}."
        ));
    }
    if is_redacted(entries, id) {
        return invalid(format!("Entry {id} has already been redacted."));
    }
    Ok(entry.clone())
}

/// The media type for a file name, from its extension.
pub fn media_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "heic" => "image/heic",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "eml" => "message/rfc822",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "doc" => "application/msword",
        "odt" => "application/vnd.oasis.opendocument.text",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        _ => "application/octet-stream",
    }
}
