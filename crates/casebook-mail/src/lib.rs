//! A family's mail, read one message at a time so a mailbox of several gigabytes is
//! read in the memory of its largest message. Sources: mbox files (Gmail Takeout,
//! Thunderbird, `>From` quoting, Content-Length variants), Maildir and Maildir++
//! folders, and single `.eml` files. What a message says is read by `mail-parser`
//! into an [`Email`]; which messages belong to a case is casebook-app's decision.

mod email;
mod maildir;
mod mbox;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use thiserror::Error;

pub use email::{Address, Email, FileInMessage, correspondents, read_email};
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
        let mut start = [0u8; 5];
        let read = Read::read(
            &mut File::open(path)
                .map_err(|e| MailError::Unreadable(format!("{name} cannot be opened: {e}.")))?,
            &mut start,
        )
        .map_err(|e| MailError::Unreadable(format!("{name} cannot be read: {e}.")))?;
        if &start[..read] == b"From " {
            Ok(Mailbox::Mbox(path.into()))
        } else if email::looks_like_headers(path)? {
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
                .map(|files| files.iter().map(|f| f.size).sum())
                .unwrap_or(0),
        }
    }

    /// Hands each message to `visit` in order. `visit` returns false to stop early.
    pub fn each_message(&self, visit: &mut dyn FnMut(RawMessage) -> bool) -> Result<(), MailError> {
        match self {
            Mailbox::Mbox(path) => {
                let file = File::open(path).map_err(|e| {
                    MailError::Unreadable(format!("{} cannot be opened: {e}.", path.display()))
                })?;
                let mut mbox = Mbox::new(file, path.display().to_string());
                while let Some(message) = mbox.next_message()? {
                    if !visit(message) {
                        break;
                    }
                }
                Ok(())
            }
            Mailbox::Maildir(path) => maildir::each_message(path, visit),
            Mailbox::Eml(path) => {
                let bytes = read_message_file(path)?;
                visit(RawMessage {
                    place: path.display().to_string(),
                    size: bytes.len() as u64,
                    bytes,
                    folder: None,
                    envelope_date: None,
                });
                Ok(())
            }
        }
    }
}

/// One message as it was stored, and where it was found, for messages about it.
/// The largest message read: far beyond any mail service's limit for one message (Gmail
/// takes 25 MB of attachments), small enough that a damaged mailbox with one endless
/// line cannot take the machine's memory.
pub const MESSAGE_LIMIT: usize = 256 << 20;

/// A message file's bytes, refused when larger than [`MESSAGE_LIMIT`].
pub(crate) fn read_message_file(path: &Path) -> Result<Vec<u8>, MailError> {
    let file = File::open(path)
        .map_err(|e| MailError::Unreadable(format!("{} cannot be read: {e}.", path.display())))?;
    let mut bytes = Vec::new();
    file.take(MESSAGE_LIMIT as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| MailError::Unreadable(format!("{} cannot be read: {e}.", path.display())))?;
    if bytes.len() > MESSAGE_LIMIT {
        return Err(too_large(&path.display().to_string()));
    }
    Ok(bytes)
}

pub(crate) fn too_large(place: &str) -> MailError {
    MailError::Unreadable(format!(
        "{place} is larger than casebook reads in one message (256 MB), so the mailbox is probably damaged there: nothing was imported."
    ))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMessage {
    pub bytes: Vec<u8>,
    /// "inbox.mbox, message 12 (byte 5234)", or the message file's path.
    pub place: String,
    /// How many bytes of the source this message took, separators included.
    pub size: u64,
    /// The Maildir++ folder it sat in ("Sent", "School"), if any.
    pub folder: Option<String>,
    /// The date on the mbox envelope line, used when the message's own is unreadable.
    pub envelope_date: Option<jiff::civil::DateTime>,
}
