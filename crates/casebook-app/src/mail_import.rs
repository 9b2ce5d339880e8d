//! Email import: the case's correspondence out of the family's own mailbox. Each
//! message about the case becomes a communication entry with its original date, its
//! Message-ID, a link to the message it replies to, the original message kept as an
//! attached `.eml` and its own attachments stored by content hash. Every entry is
//! prepared first; then the whole import goes into the log in one short transaction, so
//! stopping half way leaves the log as it was and the case is never held up for long.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::mpsc::TrySendError;

use casebook_domain::{
    CaseDate, Channel, CheckedEntry, Content, Digest, Direction, EntryId, Facts, Head,
    LONG_TEXT_LIMIT, Link, Occurred, PersonId, Relation, Role, SHORT_TEXT_LIMIT, StoredEntry,
    facts,
};
use casebook_mail::{Email, Mailbox, RawMessage, correspondents, read_email, uk_time};
use casebook_recognise::{Letter, Suggestion, recognise};
use casebook_store::{Abandoned, BlobStore, CaseStore, StoreError};
use jiff::civil::Date;

use crate::error::{AppError, AppResult, invalid};
use crate::record::{ATTACHMENT_LIMIT, CaseFile, NewAttachment};
use crate::spool::Spool;
use crate::suggestions::{known as known_sides, recognisers};

/// What the family asked to import.
#[derive(Debug, Clone)]
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
    /// The largest message read, in bytes; a larger one is skipped with a reason.
    pub message_limit: usize,
}

impl Default for MailImport {
    fn default() -> Self {
        MailImport {
            mailboxes: Vec::new(),
            family: Vec::new(),
            domains: Vec::new(),
            all: false,
            from: None,
            to: None,
            dry_run: false,
            message_limit: casebook_mail::MESSAGE_LIMIT,
        }
    }
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
    /// Already in the log, or found twice: the same bytes, or the same Message-ID
    /// saying the same.
    pub already_in_the_log: u64,
    /// mbox messages that followed the one before without the blank line between,
    /// split apart at their own envelope line.
    pub split_apart: u64,
    /// "place: reason" for each message that could not be imported.
    pub skipped: Vec<String>,
    /// "place: what could not be read" for messages imported with a gap.
    pub warnings: Vec<String>,
    /// Files an earlier import left when it was killed before it finished, removed now.
    pub abandoned: Abandoned,
    /// What the recognisers found in the messages imported, read as they were prepared
    /// (`CaseFile::suggestions_found` offers it to the family).
    #[serde(skip)]
    pub found: Vec<(EntryId, Vec<Suggestion>)>,
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

        let start: Option<Head> = self.store.head(self.case.id)?;
        let mut known_mail = KnownMail::default();
        for entry in self.entries()? {
            known_mail.learn(&entry);
        }

        // What the family received is read for decisions as it is prepared, from the
        // message already parsed.
        let recognisers = recognisers(&self.case.jurisdiction)?.filter(|_| !request.dry_run);
        let sides = known_sides(&people);
        let mut found: Vec<(usize, Vec<Suggestion>)> = Vec::new();

        let mut report = ImportReport {
            abandoned: if request.dry_run {
                Abandoned::default()
            } else {
                self.blobs.remove_abandoned(self.clock.now())?
            },
            ..ImportReport::default()
        };
        // Every message is read, its files stored to wait and its entry prepared before
        // the log is touched: only the appending itself is done in the transaction, so
        // the family can go on writing to the case while a long import runs.
        let mut spool = Spool::new()?;
        let mut earlier: BTreeMap<String, usize> = BTreeMap::new();
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
            let mut handle = |raw: RawMessage, about: bool| -> bool {
                report.messages += 1;
                bytes_read += raw.size;
                if !progress(bytes_read, report.messages) {
                    stopped = true;
                    return false;
                }
                if let Some(reason) = &raw.refused {
                    report.skipped.push(format!("{}: {reason}", raw.place));
                    return true;
                }
                if raw.unseparated {
                    report.split_apart += 1;
                    report.warnings.push(format!(
                        "{}: it followed the message before it without the blank line an mbox puts between messages, and was split from it at its own \"From \" line",
                        raw.place
                    ));
                }
                if !about {
                    report.not_about_the_case += 1;
                    return true;
                }
                // The same message is the same bytes: a Message-ID alone is not enough,
                // as different messages share one (bounces, broken mailers).
                let digest = Digest::of(&raw.bytes);
                if !known_mail.files.insert(digest) {
                    report.already_in_the_log += 1;
                    return true;
                }
                let email = match read_email(&raw.bytes, &raw.fallbacks) {
                    Ok(email) => email,
                    Err(reason) => {
                        report.skipped.push(format!("{}: {reason}", raw.place));
                        return true;
                    }
                };
                // The chronology is in UK time, so replies sort after what they answer
                // whatever the senders' zones. The reader refuses dates no case can
                // hold already; the type makes sure of it.
                let uk = uk_time(email.dated.instant);
                let occurred = match CaseDate::new(uk.date()) {
                    Ok(day) => Occurred::at(day, uk.time()),
                    Err(e) => {
                        report.skipped.push(format!("{}: {e}", raw.place));
                        return true;
                    }
                };
                let day = uk.date();
                if request.from.is_some_and(|f| day < f) || request.to.is_some_and(|t| day > t) {
                    report.outside_the_dates += 1;
                    return true;
                }
                // Another copy of a message (from another mailbox, with other
                // delivery headers) says the same; a different message that shares its
                // Message-ID does not, and is kept beside it.
                let said = what_it_says(&email);
                if let Some(id) = &email.message_id {
                    if known_mail.same_message(id, &said) {
                        report.already_in_the_log += 1;
                        return true;
                    }
                    if known_mail.said.contains_key(id) {
                        report.warnings.push(format!(
                            "{}: two different messages share this Message-ID ({}); both are kept",
                            raw.place,
                            one_line(id, 120)
                        ));
                    }
                }
                let (content, files) =
                    match self.content(&email, &raw, &name, &family, &known, request.dry_run) {
                        Ok((mut content, new_files, warnings)) => {
                            if let Facts::Communication(c) = &mut content.facts {
                                c.content_digest = Some(said.clone());
                            }
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
                let checked = match CheckedEntry::new(occurred, &content) {
                    Ok(checked) => checked,
                    Err(e) => {
                        report.skipped.push(format!("{}: {e}", raw.place));
                        return true;
                    }
                };
                // A reply is linked to the message it answers when that is already in
                // the log or comes earlier in this import.
                let replies_to = email
                    .in_reply_to
                    .iter()
                    .chain(email.references.iter().rev())
                    .find_map(|id| {
                        known_mail
                            .ids
                            .get(id)
                            .map(|e| Answered::Entry(*e))
                            .or_else(|| earlier.get(id).map(|n| Answered::Earlier(*n)))
                    });
                let place = spool.len() as usize;
                let (occurred, bytes) = checked.parts();
                let prepared = Prepared {
                    occurred,
                    message: digest,
                    message_id: email.message_id.clone(),
                    said: said.clone(),
                    replies_to,
                };
                if let Err(e) = prepared
                    .record(bytes)
                    .and_then(|record| spool.push(&record))
                {
                    failure = Some(e);
                    return false;
                }
                let received = matches!(
                    &content.facts,
                    Facts::Communication(c) if c.direction == Direction::Received
                );
                if let Some(pack) = recognisers.as_ref().filter(|_| received) {
                    let decisions =
                        recognise(&Letter::of_email(&email, &pack.history), &sides, pack);
                    if !decisions.is_empty() {
                        found.push((place, decisions));
                    }
                }
                if let Some(message_id) = &email.message_id {
                    earlier.entry(message_id.clone()).or_insert(place);
                    known_mail
                        .said
                        .entry(message_id.clone())
                        .or_default()
                        .push(Some(said.clone()));
                }
                report
                    .imported
                    .push(imported(EntryId(0), &email, &content, files, &people));
                true
            };
            let read = read_beside(
                mailbox,
                request.message_limit,
                &|raw: &RawMessage| {
                    // The headers decide; most of a mailbox is never read further.
                    request.all || correspondents(&raw.bytes).iter().any(&about_case)
                },
                &mut handle,
            );
            match read {
                Ok(not_mail) => report.skipped.extend(not_mail),
                Err(e) => failure = Some(AppError::Invalid(e.to_string())),
            }
            if stopped || failure.is_some() {
                break;
            }
        }
        let outcome = match (stopped, failure) {
            (true, _) => invalid("The import was stopped, so nothing was imported."),
            (false, Some(error)) => Err(error),
            (false, None) if request.dry_run => {
                let first = start.map_or(1, |h| h.seq + 1);
                for (n, line) in report.imported.iter_mut().enumerate() {
                    line.id = EntryId(first + n as u64);
                }
                return Ok(report);
            }
            (false, None) => {
                self.append_prepared(&mut spool, start, &added, author, found, &mut report)
            }
        };
        if outcome.is_err() {
            // Files only this import brought in go again: the store is as it was.
            for digest in added {
                let _ = self.blobs.remove(&digest);
            }
            return outcome.map(|()| report);
        }
        Ok(report)
    }

    /// The short transaction at the end of an import: every prepared entry sealed onto
    /// the log as it stands now. Whatever was written to the case meanwhile stays; a
    /// message that arrived in the log meanwhile (another import of the same mail) is
    /// counted as already there. The waiting files' bytes reach the disk first, outside
    /// the transaction; they are moved into place just before it commits.
    fn append_prepared(
        &self,
        spool: &mut Spool,
        start: Option<Head>,
        added: &[Digest],
        author: &str,
        found: Vec<(usize, Vec<Suggestion>)>,
        report: &mut ImportReport,
    ) -> AppResult<()> {
        self.blobs.settle(added)?;
        for _ in 0..16 {
            let head = self.store.head(self.case.id)?;
            let mut meanwhile = KnownMail::default();
            if head != start {
                let first = start.map_or(1, |h| h.seq + 1);
                let last = head.map_or(0, |h| h.seq);
                for seq in first..=last {
                    if let Some(entry) = self.store.entry(self.case.id, seq)? {
                        meanwhile.learn(&entry);
                    }
                }
            }
            let mut placed: Vec<Option<EntryId>> = Vec::with_capacity(spool.len() as usize);
            let recorded = self.clock.now();
            let appended = self.store.append_all(self.case.id, head, &mut |push| {
                placed.clear();
                let mut at = head;
                for record in spool.records().map_err(into_store)? {
                    let (prepared, content) = record
                        .map_err(into_store)
                        .and_then(|r| Prepared::read(r).map_err(into_backend))?;
                    if let Some(there) = meanwhile.has(&prepared) {
                        placed.push(there);
                        continue;
                    }
                    let links = prepared
                        .replies_to
                        .and_then(|answered| match answered {
                            Answered::Entry(id) => Some(id),
                            Answered::Earlier(n) => placed.get(n).copied().flatten(),
                        })
                        .map(|target| Link {
                            rel: Relation::RepliesTo,
                            target,
                        })
                        .into_iter()
                        .collect();
                    let checked = CheckedEntry::read_back(&prepared.occurred, content)
                        .map_err(|e| StoreError::Backend(e.to_string()))?;
                    let entry = checked.seal(self.case.id, at, recorded, author, links);
                    at = Some(entry.head());
                    placed.push(Some(entry.record.id()));
                    push(entry)?;
                }
                self.blobs.sync(added)
            });
            match appended {
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e.into()),
                Ok(()) => {}
            }
            let appended_after = head.map_or(0, |h| h.seq);
            let new = |place: usize| {
                placed
                    .get(place)
                    .copied()
                    .flatten()
                    .filter(|id| id.0 > appended_after)
            };
            report.found = found
                .into_iter()
                .filter_map(|(place, decisions)| Some((new(place)?, decisions)))
                .collect();
            for (mut line, there) in std::mem::take(&mut report.imported)
                .into_iter()
                .zip(&placed)
            {
                match there {
                    Some(id) if id.0 > appended_after => {
                        line.id = *id;
                        report.imported.push(line);
                    }
                    _ => report.already_in_the_log += 1,
                }
            }
            return Ok(());
        }
        invalid(
            "The case kept changing while the mail was being added, so nothing was imported: run the import again.",
        )
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
        let senders = email.dated.senders_time();
        let mut files = vec![NewAttachment {
            name: format!("email-{}.eml", senders.strftime("%Y-%m-%d-%H%M")),
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
                sent: Some(email.dated.as_written()),
                dated_by: email.dated.by.note().map(str::to_owned),
                // Set by the caller, which has it already.
                content_digest: None,
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

/// The mail a log already holds: its messages (each kept as an attached file, so known
/// by digest), their Message-IDs and what each says.
#[derive(Default)]
struct KnownMail {
    files: BTreeSet<Digest>,
    /// The first entry with each Message-ID, for linking replies.
    ids: BTreeMap<String, EntryId>,
    /// What each message with a Message-ID says; `None` for mail imported before
    /// casebook kept that, which the id alone then recognises.
    said: BTreeMap<String, Vec<Option<String>>>,
}

impl KnownMail {
    fn learn(&mut self, entry: &StoredEntry) {
        self.files.extend(entry.record.attachments.iter().copied());
        if let Some(Ok(content)) = entry.content()
            && let Facts::Communication(c) = &content.facts
            && let Some(id) = &c.message_id
        {
            self.ids.entry(id.clone()).or_insert(entry.record.id());
            self.said
                .entry(id.clone())
                .or_default()
                .push(c.content_digest.clone());
        }
    }

    /// The same message: the same Message-ID, saying the same.
    fn same_message(&self, id: &str, said: &str) -> bool {
        self.said
            .get(id)
            .is_some_and(|all| all.iter().any(|s| s.as_deref().is_none_or(|s| s == said)))
    }

    /// Whether a prepared message is here already, and as which entry when that is known.
    fn has(&self, prepared: &Prepared) -> Option<Option<EntryId>> {
        let same = prepared
            .message_id
            .as_deref()
            .is_some_and(|id| self.same_message(id, &prepared.said));
        (same || self.files.contains(&prepared.message)).then(|| {
            prepared
                .message_id
                .as_ref()
                .and_then(|m| self.ids.get(m))
                .copied()
        })
    }
}

/// At most this many bytes of messages wait between the thread reading a mailbox and
/// the one preparing entries, besides one message however large.
const WAITING_BYTES: usize = 1 << 20;

/// Reads the mailbox on a thread of its own, which also decides from each message's
/// headers whether it is `about` the case (and drops the bytes of those that are not),
/// while this thread prepares the entries: the two halves of an import take about the
/// same time, so on two cores they overlap. Messages cross in batches of at most
/// [`WAITING_BYTES`] (and one message), at most two batches waiting, so memory stays
/// bounded whatever the mailbox holds. `handle` returning false stops the reading.
///
/// A pipe is read in step instead: its messages come at the writer's pace, so a second
/// thread would mostly wait, and in step every message that has arrived is prepared
/// (its files written and waiting) before casebook waits for the next.
fn read_beside(
    mailbox: &Mailbox,
    limit: usize,
    about: &(dyn Fn(&RawMessage) -> bool + Sync),
    handle: &mut dyn FnMut(RawMessage, bool) -> bool,
) -> Result<Vec<String>, casebook_mail::MailError> {
    if mailbox.is_a_pipe() {
        return mailbox.each_message(limit, &mut |raw| {
            let kept = raw.refused.is_none() && about(&raw);
            handle(raw, kept)
        });
    }
    std::thread::scope(|scope| {
        let (sender, batches) = std::sync::mpsc::sync_channel::<Vec<(RawMessage, bool)>>(2);
        let reader = scope.spawn(move || {
            let mut batch = Vec::new();
            let mut waiting = 0;
            let read = mailbox.each_message(limit, &mut |mut raw| {
                let kept = raw.refused.is_none() && about(&raw);
                if !kept {
                    raw.bytes = Vec::new();
                }
                waiting += raw.bytes.len();
                batch.push((raw, kept));
                if waiting >= WAITING_BYTES || batch.len() >= 256 {
                    waiting = 0;
                    return sender.send(std::mem::take(&mut batch)).is_ok();
                }
                // Sent at once while the other thread keeps up (so a message from a
                // slow pipe is prepared as soon as it is read), gathered while it is busy.
                match sender.try_send(std::mem::take(&mut batch)) {
                    Ok(()) => {
                        waiting = 0;
                        true
                    }
                    Err(TrySendError::Full(back)) => {
                        batch = back;
                        true
                    }
                    Err(TrySendError::Disconnected(_)) => false,
                }
            });
            if !batch.is_empty() {
                // The other side may have stopped already; the result says why.
                let _ = sender.send(batch);
            }
            read
        });
        'batches: for batch in batches.iter() {
            for (raw, kept) in batch {
                if !handle(raw, kept) {
                    break 'batches;
                }
            }
        }
        drop(batches);
        reader.join().unwrap_or_else(|_| {
            Err(casebook_mail::MailError::Unreadable(
                "The mailbox could not be read to the end.".to_owned(),
            ))
        })
    })
}

/// A digest of what a message says: its date, sender, recipients, subject and text
/// (with whitespace runs made one space), not how a mailbox stored it.
fn what_it_says(email: &Email) -> String {
    let addresses = |list: &[casebook_mail::Address]| {
        list.iter()
            .map(|a| a.email.as_str())
            .collect::<Vec<_>>()
            .join(",")
    };
    let said = [
        email.dated.instant.to_string(),
        addresses(&email.from),
        addresses(&email.to),
        addresses(&email.cc),
        email.subject.clone().unwrap_or_default(),
        email.text.split_whitespace().collect::<Vec<_>>().join(" "),
    ]
    .join("\n");
    Digest::of(said.as_bytes()).to_string()
}

/// One message's entry, prepared and waiting in the spool beside its content.
#[derive(serde::Serialize, serde::Deserialize)]
struct Prepared {
    occurred: String,
    /// The digest of the whole message.
    message: Digest,
    message_id: Option<String>,
    /// What the message says, as [`what_it_says`] digests it.
    said: String,
    replies_to: Option<Answered>,
}

impl Prepared {
    /// The spool's record: this as a line of JSON, then the content's canonical bytes as
    /// they are (JSON already; escaping them again as a string cost a tenth of a second
    /// a gigabyte).
    fn record(&self, content: &[u8]) -> AppResult<Vec<u8>> {
        let mut record =
            serde_json::to_vec(self).map_err(|e| StoreError::Backend(e.to_string()))?;
        record.push(b'\n');
        record.extend_from_slice(content);
        Ok(record)
    }

    fn read(mut record: Vec<u8>) -> Result<(Prepared, Vec<u8>), serde_json::Error> {
        // serde_json writes no raw line break, so the first one ends the line.
        let line = record
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(record.len());
        let prepared = serde_json::from_slice(&record[..line])?;
        let content = record.split_off((line + 1).min(record.len()));
        Ok((prepared, content))
    }
}

/// The message a reply answers: an entry already in the log, or one prepared earlier
/// in this import (by its place in the spool).
#[derive(Clone, Copy, serde::Serialize, serde::Deserialize)]
enum Answered {
    Entry(EntryId),
    Earlier(usize),
}

fn into_store(e: AppError) -> StoreError {
    match e {
        AppError::Store(e) => e,
        other => StoreError::Backend(other.to_string()),
    }
}

fn into_backend(e: serde_json::Error) -> StoreError {
    StoreError::Backend(format!(
        "a prepared entry of the import cannot be read: {e}"
    ))
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
        date: casebook_domain::uk_date(uk_time(email.dated.instant).date()),
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
    let kept = |c: &char| !c.is_control() || matches!(c, '\n' | '\t');
    if text.chars().all(|c| kept(&c)) {
        return cut(text, LONG_TEXT_LIMIT - 100);
    }
    let clean: String = text.chars().filter(kept).collect();
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
