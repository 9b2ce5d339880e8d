//! Email import: the case's correspondence out of the family's own mailbox. Each
//! message about the case becomes a communication entry with its original date, its
//! Message-ID, a link to the message it replies to, the original message kept as an
//! attached `.eml` and its own attachments stored by content hash. The whole import
//! goes into the log in one transaction, so stopping half way leaves the log as it was.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use casebook_domain::{
    CaseDate, Channel, Content, Digest, Direction, EntryId, Facts, Head, LONG_TEXT_LIMIT, Link,
    Occurred, PersonId, Relation, Role, SHORT_TEXT_LIMIT, StoredEntry, facts,
};
use casebook_mail::{Email, Mailbox, RawMessage, correspondents, read_email};
use casebook_store::{Abandoned, BlobStore, CaseStore, StoreError};
use jiff::civil::Date;

use crate::error::{AppError, AppResult, invalid};
use crate::record::{ATTACHMENT_LIMIT, CaseFile, NewAttachment};

/// What the family asked to import.
#[derive(Debug, Clone, Default)]
pub struct MailImport {
    pub mailboxes: Vec<Mailbox>,
    /// The family's own addresses: mail from them was sent, mail to them received.
    pub family: Vec<String>,
    /// Domains whose mail is about the case (the school's, the council's), besides the
    /// addresses of the people in the case.
    pub domains: Vec<String>,
    /// Every message is about the case: a folder or label the family keeps for it.
    pub all: bool,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Report what would be imported and store nothing.
    pub dry_run: bool,
}

/// One message that was, or would be, imported.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Imported {
    pub id: EntryId,
    pub date: String,
    pub direction: Direction,
    pub correspondent: String,
    pub subject: String,
    pub attachments: usize,
}

/// What happened, for the summary the family reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub messages: u64,
    pub imported: Vec<Imported>,
    /// About other things: no one in the case and no case domain among the addresses.
    pub not_about_the_case: u64,
    pub outside_the_dates: u64,
    /// Already in the log, or found twice (by Message-ID or by identical content).
    pub already_in_the_log: u64,
    /// "place: reason" for each message that could not be imported.
    pub skipped: Vec<String>,
    /// "place: what could not be read" for messages imported with a gap.
    pub warnings: Vec<String>,
    /// Files an earlier import left when it was killed before it finished, removed now.
    pub abandoned: Abandoned,
}

/// What the import does after each message: `bytes` read so far and messages seen.
/// Returning false stops the import, which then stores nothing.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64) -> bool;

impl<S: CaseStore, B: BlobStore> CaseFile<'_, S, B> {
    pub fn import_mail(
        &self,
        request: &MailImport,
        author: &str,
        progress: Progress<'_>,
    ) -> AppResult<ImportReport> {
        let people = self.store.people(self.case.id)?;
        let family: BTreeSet<String> = request
            .family
            .iter()
            .map(|a| a.trim().to_ascii_lowercase())
            .chain(
                people
                    .iter()
                    .filter(|p| p.role == Role::FamilyMember)
                    .filter_map(|p| p.email.as_ref().map(|e| e.to_ascii_lowercase())),
            )
            .collect();
        if family.is_empty() {
            return invalid(
                "Say which addresses are yours with --me, so casebook can tell what you sent from what you received.",
            );
        }
        let known: HashMap<String, PersonId> = people
            .iter()
            .filter(|p| p.role != Role::FamilyMember)
            .filter_map(|p| Some((p.email.as_ref()?.to_ascii_lowercase(), p.id)))
            .collect();
        let domains: Vec<String> = request
            .domains
            .iter()
            .map(|d| d.trim().trim_start_matches('@').to_ascii_lowercase())
            .collect();
        if known.is_empty() && domains.is_empty() && !request.all {
            return invalid(
                "casebook cannot tell which emails are about this case: add the school's people with --email, or give the school's domain with --domain.",
            );
        }
        let about_case = |address: &String| {
            known.contains_key(address)
                || address
                    .rsplit_once('@')
                    .is_some_and(|(_, domain)| domains.iter().any(|d| d == domain))
        };

        let entries = self.entries()?;
        let mut ids: BTreeMap<String, EntryId> = BTreeMap::new();
        let mut digests: BTreeSet<Digest> = BTreeSet::new();
        for entry in &entries {
            digests.extend(entry.record.attachments.iter().copied());
            if let Some(Ok(content)) = entry.content()
                && let Facts::Communication(c) = &content.facts
                && let Some(id) = &c.message_id
            {
                ids.insert(id.clone(), entry.record.id());
            }
        }

        let mut report = ImportReport {
            abandoned: if request.dry_run {
                Abandoned::default()
            } else {
                self.blobs.remove_abandoned()?
            },
            ..ImportReport::default()
        };
        let mut added: Vec<Digest> = Vec::new();
        let mut stopped = false;
        let mut failure: Option<AppError> = None;
        let mut bytes_read = 0;
        let start: Option<Head> = self.store.head(self.case.id)?;
        let mut head = start;
        // Each message about the case is sealed and appended as it is read, inside one
        // transaction, so memory does not grow with the mailbox and nothing is kept
        // unless the whole import succeeds.
        let stored = self.store.append_all(self.case.id, start, &mut |push| {
            for mailbox in &request.mailboxes {
                let name = match mailbox {
                    Mailbox::Mbox(p) | Mailbox::Maildir(p) | Mailbox::Eml(p) => {
                        p.file_name().map_or_else(
                            || p.display().to_string(),
                            |n| n.to_string_lossy().into_owned(),
                        )
                    }
                };
                let read = mailbox.each_message(&mut |raw: RawMessage| {
                    report.messages += 1;
                    bytes_read += raw.size;
                    if !progress(bytes_read, report.messages) {
                        stopped = true;
                        return false;
                    }
                    // The headers decide; most of a mailbox is never read further.
                    if !request.all && !correspondents(&raw.bytes).iter().any(&about_case) {
                        report.not_about_the_case += 1;
                        return true;
                    }
                    let digest = Digest::of(&raw.bytes);
                    if !digests.insert(digest) {
                        report.already_in_the_log += 1;
                        return true;
                    }
                    let email = match read_email(&raw.bytes, raw.envelope_date) {
                        Ok(email) => email,
                        Err(reason) => {
                            report.skipped.push(format!("{}: {reason}", raw.place));
                            return true;
                        }
                    };
                    // The reader refuses such dates already; the type makes sure of it.
                    let occurred = match CaseDate::new(email.date.date()) {
                        Ok(day) => Occurred::at(day, email.date.time()),
                        Err(e) => {
                            report.skipped.push(format!("{}: {e}", raw.place));
                            return true;
                        }
                    };
                    let day = email.date.date();
                    if request.from.is_some_and(|f| day < f) || request.to.is_some_and(|t| day > t)
                    {
                        report.outside_the_dates += 1;
                        return true;
                    }
                    if email
                        .message_id
                        .as_ref()
                        .is_some_and(|id| ids.contains_key(id))
                    {
                        report.already_in_the_log += 1;
                        return true;
                    }
                    let (content, files) =
                        match self.content(&email, &raw, &name, &family, &known, request.dry_run) {
                            Ok((content, new_files, warnings)) => {
                                added.extend(new_files);
                                report.warnings.extend(
                                    email
                                        .warnings
                                        .iter()
                                        .chain(&warnings)
                                        .map(|w| format!("{}: {w}", raw.place)),
                                );
                                (content, email.files.len())
                            }
                            Err(AppError::Invalid(reason)) => {
                                report.skipped.push(format!("{}: {reason}", raw.place));
                                return true;
                            }
                            Err(other) => {
                                failure = Some(other);
                                return false;
                            }
                        };
                    // A reply is linked to the message it answers when that is already
                    // in the log or came earlier in this import.
                    let links: Vec<Link> = email
                        .in_reply_to
                        .iter()
                        .chain(email.references.iter().rev())
                        .find_map(|id| ids.get(id))
                        .map(|target| Link {
                            rel: Relation::RepliesTo,
                            target: *target,
                        })
                        .into_iter()
                        .collect();
                    let entry = match StoredEntry::seal(
                        self.case.id,
                        head,
                        occurred,
                        self.clock.now(),
                        author,
                        links,
                        &content,
                    ) {
                        Ok(entry) => entry,
                        Err(e) => {
                            report.skipped.push(format!("{}: {e}", raw.place));
                            return true;
                        }
                    };
                    let id = entry.record.id();
                    head = Some(entry.head());
                    if let Some(message_id) = &email.message_id {
                        ids.insert(message_id.clone(), id);
                    }
                    report
                        .imported
                        .push(imported(id, &email, &content, files, &people));
                    if let Err(e) = push(entry) {
                        failure = Some(e.into());
                        return false;
                    }
                    true
                });
                if let Err(e) = read {
                    failure = Some(AppError::Invalid(e.to_string()));
                }
                if stopped || failure.is_some() {
                    break;
                }
            }
            // Anything but a complete, real import rolls the transaction back; the new
            // files reach the disk before the entries that name them are committed.
            if stopped || failure.is_some() || request.dry_run {
                Err(StoreError::Refused("not kept".into()))
            } else {
                self.blobs.sync(&added)
            }
        });
        let outcome = match (stored, stopped, failure) {
            (_, true, _) => invalid("The import was stopped, so nothing was imported."),
            (_, false, Some(error)) => Err(error),
            (Ok(()), false, None) => Ok(report),
            (Err(StoreError::Refused(_)), false, None) if request.dry_run => Ok(report),
            (Err(StoreError::Conflict), false, None) => invalid(
                "The case changed while the mail was being read, so nothing was imported: run the import again.",
            ),
            (Err(e), false, None) => Err(e.into()),
        };
        if outcome.is_err() {
            // Files only this import brought in go again: the store is as it was.
            for digest in added {
                let _ = self.blobs.remove(&digest);
            }
        }
        outcome
    }

    /// What a message says as an entry's content; its files are stored now (unless
    /// this is a dry run) and named in the returned list so a failed import can remove
    /// them.
    fn content(
        &self,
        email: &Email,
        raw: &RawMessage,
        mailbox: &str,
        family: &BTreeSet<String>,
        known: &HashMap<String, PersonId>,
        dry_run: bool,
    ) -> AppResult<(Content, Vec<Digest>, Vec<String>)> {
        let sender = email.from.first();
        let direction = if sender.is_some_and(|s| family.contains(&s.email)) {
            Direction::Sent
        } else {
            Direction::Received
        };
        let person = |a: &casebook_mail::Address| known.get(&a.email).copied();
        let mut warnings = Vec::new();
        let mut files = vec![NewAttachment {
            name: format!("email-{}.eml", email.date.strftime("%Y-%m-%d-%H%M")),
            bytes: raw.bytes.clone(),
        }];
        for file in &email.files {
            if file.bytes.len() > ATTACHMENT_LIMIT {
                warnings.push(format!(
                    "its attachment \"{}\" is over the {} MB limit and stays only inside the original message",
                    file.name,
                    ATTACHMENT_LIMIT / (1024 * 1024)
                ));
            } else {
                files.push(NewAttachment {
                    name: one_line(&file.name, 200),
                    bytes: file.bytes.clone(),
                });
            }
        }
        let mut sources = vec![format!("email imported from {mailbox}")];
        if let Some(folder) = &raw.folder {
            sources.push(format!("mail folder: {folder}"));
        }
        if !email.labels.is_empty() {
            sources.push(format!("Gmail labels: {}", email.labels.join(", ")));
        }
        let mut content = Content {
            summary: email.subject.as_deref().map_or_else(
                || "(no subject)".to_owned(),
                |s| one_line(s, SHORT_TEXT_LIMIT),
            ),
            details: Some(long_text(&email.text)).filter(|t| !t.trim().is_empty()),
            sources: sources
                .iter()
                .map(|s| one_line(s, SHORT_TEXT_LIMIT))
                .collect(),
            attachments: vec![],
            facts: Facts::Communication(facts::Communication {
                channel: Channel::Email,
                direction,
                from: sender.and_then(person),
                to: email.to.iter().filter_map(person).collect(),
                cc: email.cc.iter().filter_map(person).collect(),
                subject: email
                    .subject
                    .as_deref()
                    .map(|s| one_line(s, SHORT_TEXT_LIMIT)),
                message_id: email
                    .message_id
                    .as_deref()
                    .map(|s| one_line(s, SHORT_TEXT_LIMIT)),
            }),
        };
        content.validate()?;
        let added = if dry_run {
            Vec::new()
        } else {
            let (attachments, added) = self.store_attachments_unsynced(&files)?;
            content.attachments = attachments;
            added
        };
        Ok((content, added, warnings))
    }
}

/// The summary line for one message.
fn imported(
    id: EntryId,
    email: &Email,
    content: &Content,
    files: usize,
    people: &[casebook_domain::Person],
) -> Imported {
    let named = |p: Option<PersonId>| {
        p.and_then(|p| people.iter().find(|x| x.id == p))
            .map(|p| p.public_name().to_owned())
    };
    let (direction, correspondent) = match &content.facts {
        Facts::Communication(c) => (
            c.direction,
            match c.direction {
                Direction::Sent => named(c.to.first().copied()),
                Direction::Received => named(c.from),
            },
        ),
        _ => (Direction::Received, None),
    };
    Imported {
        id,
        date: casebook_domain::uk_date(email.date.date()),
        direction,
        correspondent: correspondent.unwrap_or_else(|| "someone not in the case".into()),
        subject: content.summary.clone(),
        attachments: files,
    }
}

/// One line of at most `most` bytes, with control characters and line breaks as spaces.
fn one_line(text: &str, most: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    cut(&flat, most)
}

/// Body text without control characters, cut at the limit (the whole message is kept
/// in the attached original).
fn long_text(text: &str) -> String {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect();
    cut(&clean, LONG_TEXT_LIMIT - 100)
}

fn cut(text: &str, most: usize) -> String {
    if text.len() <= most {
        return text.to_owned();
    }
    let mut end = most.saturating_sub(3);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}
