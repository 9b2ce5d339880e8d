//! A family's mail, read one message at a time so a mailbox of several gigabytes is
//! read in the memory of its largest message. Sources: mbox files (Gmail Takeout,
//! Thunderbird, `>From` quoting, Content-Length variants), Maildir and Maildir++
//! folders, and single `.eml` files. What a message says is read by `mail-parser`
//! into an [`Email`]; which messages belong to a case is casebook-app's decision.

mod date;
mod email;
mod encoded_words;
mod html;
mod maildir;
mod mbox;
mod text;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use thiserror::Error;

pub use date::{Written, read_date, uk_time};
pub use email::{
    Address, Dated, DatedBy, Email, Fallbacks, FileInMessage, NOT_AN_EMAIL, correspondents,
    read_email,
};
pub use mbox::Mbox;

#[derive(Debug, Error)]
pub enum MailError {
    #[error("{0}")]
    Unreadable(String),
}

/// Where messages come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mailbox {
    Mbox(PathBuf),
    /// A Maildir folder (with `cur` and `new`), and its Maildir++ subfolders.
    Maildir(PathBuf),
    Eml(PathBuf),
}

impl Mailbox {
    /// Decides what a path holds: a folder with `cur` or `new` is a Maildir, a file
    /// that starts with an mbox "From " line is an mbox, a file with headers is one
    /// message. `format` ("mbox", "maildir", "eml") overrides the guess.
    pub fn detect(path: &Path, format: Option<&str>) -> Result<Mailbox, MailError> {
        let name = path.display();
        match format {
            Some("mbox") => return Ok(Mailbox::Mbox(path.into())),
            Some("maildir") => return Ok(Mailbox::Maildir(path.into())),
            Some("eml") => return Ok(Mailbox::Eml(path.into())),
            _ => {}
        }
        if path.is_dir() {
            return if path.join("cur").is_dir() || path.join("new").is_dir() {
                Ok(Mailbox::Maildir(path.into()))
            } else {
                Err(MailError::Unreadable(format!(
                    "{name} is a folder but not a Maildir (it has no cur or new folder inside)."
                )))
            };
        }
        let mut start = [0u8; 8];
        let read = Read::read(
            &mut File::open(path)
                .map_err(|e| MailError::Unreadable(format!("{name} cannot be opened: {e}.")))?,
            &mut start,
        )
        .map_err(|e| MailError::Unreadable(format!("{name} cannot be read: {e}.")))?;
        let start = &start[..read];
        if start
            .strip_prefix(mbox::BOM)
            .unwrap_or(start)
            .starts_with(b"From ")
        {
            Ok(Mailbox::Mbox(path.into()))
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("eml"))
            || email::looks_like_headers(path)?
        {
            // A file named .eml that holds no email is skipped with a reason when read,
            // so one stray file does not stop the rest of a batch.
            Ok(Mailbox::Eml(path.into()))
        } else {
            Err(MailError::Unreadable(format!(
                "{name} is not a mailbox: an mbox starts with a \"From \" line and an email with headers such as \"From:\"."
            )))
        }
    }

    /// How many bytes reading it will take, for progress and the time left.
    pub fn size(&self) -> u64 {
        match self {
            Mailbox::Mbox(path) | Mailbox::Eml(path) => {
                std::fs::metadata(path).map_or(0, |m| m.len())
            }
            Mailbox::Maildir(path) => maildir::files(path)
                .map(|(files, _)| files.iter().map(|f| f.size).sum())
                .unwrap_or(0),
        }
    }

    /// Whether its messages arrive through a pipe (a FIFO, standard input) rather than
    /// from a file or folder on disk, so at the writer's pace.
    pub fn is_a_pipe(&self) -> bool {
        match self {
            Mailbox::Mbox(path) | Mailbox::Eml(path) => {
                std::fs::metadata(path).is_ok_and(|m| !m.is_file())
            }
            Mailbox::Maildir(_) => false,
        }
    }

    /// Hands each message to `visit` in order, and says what was not read (a folder
    /// that is not mail). `visit` returns false to stop early. A message larger than
    /// `limit` bytes is handed over empty, with the reason it was not kept.
    pub fn each_message(
        &self,
        limit: usize,
        visit: &mut dyn FnMut(RawMessage) -> bool,
    ) -> Result<Vec<String>, MailError> {
        match self {
            Mailbox::Mbox(path) => {
                let file = File::open(path).map_err(|e| {
                    MailError::Unreadable(format!("{} cannot be opened: {e}.", path.display()))
                })?;
                let mut mbox = Mbox::new(file, path.display().to_string(), limit);
                while let Some(message) = mbox.next_message()? {
                    if !visit(message) {
                        break;
                    }
                }
                Ok(Vec::new())
            }
            Mailbox::Maildir(path) => maildir::each_message(path, limit, visit),
            Mailbox::Eml(path) => {
                visit(message_file(path, limit, None, Fallbacks::default())?);
                Ok(Vec::new())
            }
        }
    }
}

/// The most one message may take by default: twice what the largest mail services
/// accept (Gmail and Outlook take messages up to 25 MB, attachments encoded), and small
/// enough that a damaged mailbox cannot take the machine's memory.
pub const MESSAGE_LIMIT: usize = 50 << 20;

/// One message file (.eml or a Maildir's), or the reason it was not read when it is
/// larger than `limit` (its size is known before a byte is read).
pub(crate) fn message_file(
    path: &Path,
    limit: usize,
    folder: Option<String>,
    fallbacks: Fallbacks,
) -> Result<RawMessage, MailError> {
    let unreadable = |e: std::io::Error| {
        MailError::Unreadable(format!("{} cannot be read: {e}.", path.display()))
    };
    let file = File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    let mut message = RawMessage {
        bytes: Vec::new(),
        place: path.display().to_string(),
        size,
        folder,
        fallbacks,
        refused: None,
        unseparated: false,
    };
    if size > limit as u64 {
        message.refused = Some(too_large(size, limit));
    } else {
        file.take(limit as u64)
            .read_to_end(&mut message.bytes)
            .map_err(unreadable)?;
    }
    Ok(message)
}

/// Why a message was not kept.
pub(crate) fn too_large(size: u64, limit: usize) -> String {
    format!(
        "it is {} MB, larger than the {} MB casebook reads in one message (a damaged mailbox, or a message too large to send by email); --message-limit raises the limit",
        size.div_ceil(1 << 20),
        limit >> 20
    )
}

/// One message as it was stored, and where it was found, for messages about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMessage {
    pub bytes: Vec<u8>,
    /// "inbox.mbox, message 12 (byte 5234)", or the message file's path.
    pub place: String,
    /// How many bytes of the source this message took, separators included.
    pub size: u64,
    /// The Maildir++ folder it sat in ("Sent", "School"), if any.
    pub folder: Option<String>,
    /// The dates the mailbox keeps beside it, for when its own is missing or wrong.
    pub fallbacks: Fallbacks,
    /// Why it was not kept (its bytes are then empty): larger than the limit.
    pub refused: Option<String>,
    /// It followed the message before it in an mbox without the blank line between.
    pub unseparated: bool,
}
