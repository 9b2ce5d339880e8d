//! Email import: the case's correspondence out of the family's own mailbox. Each
//! message about the case becomes a communication entry with its original date, its
//! Message-ID, a link to the message it replies to, the original message kept as an
//! attached `.eml` and its own attachments stored by content hash. The whole import
//! goes into the log in one transaction, so stopping half way leaves the log as it was.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use casebook_domain::{
    Channel, Content, Digest, Direction, EntryId, Facts, Head, LONG_TEXT_LIMIT, Link, Occurred,
    PersonId, Relation, Role, SHORT_TEXT_LIMIT, StoredEntry, facts,
};
use casebook_mail::{Email, Mailbox, RawMessage, read_email};
use casebook_store::{BlobStore, CaseStore, StoreError};
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
}

/// What the import does after each message: `bytes` read so far and messages seen.
/// Returning false stops the import, which then stores nothing.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64) -> bool;

/// A message chosen for import, before it has a place in the chain.
struct Planned {
    occurred: Occurred,
    /// Files the message carried, besides the message itself.
    files: usize,
    content: Content,
    message_id: Option<String>,
    replies_to: Vec<String>,
}

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
        let about_case = |email: &Email| {
            request.all
                || email
                    .from
                    .iter()
                    .chain(&email.to)
                    .chain(&email.cc)
                    .any(|a| {
                        known.contains_key(&a.email)
                            || a.email
                                .rsplit_once('@')
                                .is_some_and(|(_, domain)| domains.iter().any(|d| d == domain))
                    })
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

        let mut report = ImportReport::default();
        let mut planned: Vec<Planned> = Vec::new();
        let mut added: Vec<Digest> = Vec::new();
        let mut stopped = false;
        let mut failure: Option<AppError> = None;
        let mut bytes_read = 0;
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
                if !about_case(&email) {
                    report.not_about_the_case += 1;
                    return true;
                }
                let day = email.date.date();
                if request.from.is_some_and(|f| day < f) || request.to.is_some_and(|t| day > t) {
                    report.outside_the_dates += 1;
                    return true;
                }
                if let Some(id) = &email.message_id
                    && (ids.contains_key(id)
                        || planned.iter().any(|p| p.message_id.as_ref() == Some(id)))
                {
                    report.already_in_the_log += 1;
                    return true;
                }
                report
                    .warnings
                    .extend(email.warnings.iter().map(|w| format!("{}: {w}", raw.place)));
                match self.plan(&email, &raw, &name, &family, &known, request.dry_run) {
                    Ok((plan, new_files, warnings)) => {
                        added.extend(new_files);
                        report
                            .warnings
                            .extend(warnings.into_iter().map(|w| format!("{}: {w}", raw.place)));
                        planned.push(plan);
                    }
                    Err(AppError::Invalid(reason)) => {
                        report.skipped.push(format!("{}: {reason}", raw.place));
                    }
                    Err(other) => {
                        failure = Some(other);
                        return false;
                    }
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
        let outcome = match (stopped, failure) {
            (true, _) => invalid("The import was stopped, so nothing was imported."),
            (false, Some(error)) => Err(error),
            (false, None) => self.commit(planned, &mut ids, author, request.dry_run),
        };
        match outcome {
            Ok(imported) => {
                report.imported = imported;
                Ok(report)
            }
            Err(error) => {
                // Files only this import brought in go again: the store is as it was.
                for digest in added {
                    let _ = self.blobs.remove(&digest);
                }
                Err(error)
            }
        }
    }

    /// The entry a message becomes; its files are stored now (unless this is a dry
    /// run) and named in the returned list so a failed import can remove them.
    fn plan(
        &self,
        email: &Email,
        raw: &RawMessage,
        mailbox: &str,
        family: &BTreeSet<String>,
        known: &HashMap<String, PersonId>,
        dry_run: bool,
    ) -> AppResult<(Planned, Vec<Digest>, Vec<String>)> {
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
            let (attachments, added) = self.store_attachments(&files)?;
            content.attachments = attachments;
            added
        };
        let mut replies_to = email.in_reply_to.clone();
        replies_to.extend(email.references.iter().rev().cloned());
        Ok((
            Planned {
                occurred: Occurred::At(email.date),
                files: files.len() - 1,
                content,
                message_id: email.message_id.clone(),
                replies_to,
            },
            added,
            warnings,
        ))
    }

    /// Seals the planned entries in date order, each reply linked to the message it
    /// answers when that is already in the log, and appends them in one transaction.
    fn commit(
        &self,
        mut planned: Vec<Planned>,
        ids: &mut BTreeMap<String, EntryId>,
        author: &str,
        dry_run: bool,
    ) -> AppResult<Vec<Imported>> {
        planned.sort_by_key(|p| p.occurred.sort_key());
        let people = self.store.people(self.case.id)?;
        let start: Option<Head> = self.store.head(self.case.id)?;
        let mut head = start;
        let mut sealed = Vec::with_capacity(planned.len());
        let mut imported = Vec::with_capacity(planned.len());
        for plan in planned {
            let links: Vec<Link> = plan
                .replies_to
                .iter()
                .find_map(|id| ids.get(id))
                .map(|target| Link {
                    rel: Relation::RepliesTo,
                    target: *target,
                })
                .into_iter()
                .collect();
            let entry = StoredEntry::seal(
                self.case.id,
                head,
                plan.occurred.clone(),
                self.clock.now(),
                author,
                links,
                &plan.content,
            );
            let id = entry.record.id();
            if let Some(message_id) = plan.message_id {
                ids.insert(message_id, id);
            }
            if let Facts::Communication(c) = &plan.content.facts {
                let named = |p: Option<PersonId>| {
                    p.and_then(|p| people.iter().find(|x| x.id == p))
                        .map(|p| p.public_name().to_owned())
                };
                imported.push(Imported {
                    id,
                    date: casebook_domain::uk_date(plan.occurred.span().0),
                    direction: c.direction,
                    correspondent: match c.direction {
                        Direction::Sent => named(c.to.first().copied()),
                        Direction::Received => named(c.from),
                    }
                    .unwrap_or_else(|| "someone not in the case".into()),
                    subject: plan.content.summary.clone(),
                    attachments: plan.files,
                });
            }
            head = Some(entry.head());
            sealed.push(entry);
        }
        if dry_run || sealed.is_empty() {
            return Ok(imported);
        }
        match self.store.append_all(self.case.id, start, &sealed) {
            Ok(()) => Ok(imported),
            Err(StoreError::Conflict) => invalid(
                "The case changed while the mail was being read, so nothing was imported: run the import again.",
            ),
            Err(e) => Err(e.into()),
        }
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
