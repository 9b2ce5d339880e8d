//! What a message says, read by mail-parser, with a warning for each part that could
//! not be read. A message is only refused when it has no date at all: an undated email
//! cannot take its place in a chronology.

use std::io::Read;
use std::path::Path;

use casebook_domain::CaseDate;
use jiff::civil::DateTime;
use mail_parser::{HeaderValue, MessageParser, MimeHeaders};

use crate::MailError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub name: Option<String>,
    /// Lower case, as addresses compare.
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInMessage {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// Without its angle brackets.
    pub message_id: Option<String>,
    /// The date and time as the Date header gives them, in the sender's own zone:
    /// what the family saw in their mailbox.
    pub date: DateTime,
    pub from: Vec<Address>,
    pub to: Vec<Address>,
    pub cc: Vec<Address>,
    pub subject: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub text: String,
    pub files: Vec<FileInMessage>,
    /// Gmail Takeout's labels (X-Gmail-Labels).
    pub labels: Vec<String>,
    /// What could not be read, for the import's summary.
    pub warnings: Vec<String>,
}

/// Every address a message is from, to or copied to, lower case, read from its headers
/// alone: enough to decide whether it is about the case before reading the rest.
pub fn correspondents(raw: &[u8]) -> Vec<String> {
    let Some(message) = MessageParser::default().parse_headers(raw) else {
        return Vec::new();
    };
    [message.from(), message.to(), message.cc()]
        .into_iter()
        .flatten()
        .flat_map(|list| list.iter())
        .filter_map(|a| Some(a.address.as_ref()?.trim().to_ascii_lowercase()))
        .collect()
}

/// Whether a message could have been sent then: not before email was in use, and only
/// in the years a case file holds (a spam message dated 2999 must not reach the log).
fn could_be_sent(date: DateTime) -> bool {
    date.year() >= 1980 && CaseDate::new(date.date()).is_ok()
}

/// Reads one message; `Err` says in a few words why it cannot be imported. `fallback`
/// is the date to use when the message's own cannot be read (an mbox envelope's).
pub fn read_email(raw: &[u8], fallback: Option<DateTime>) -> Result<Email, String> {
    let message = MessageParser::default()
        .parse(raw)
        .filter(|m| !m.headers().is_empty())
        .ok_or("it is not an email (no headers could be read)")?;
    // Built with the checked constructors: mail-parser accepts 31 February.
    let date = message
        .date()
        .and_then(|d| {
            let day = jiff::civil::Date::new(
                i16::try_from(d.year).ok()?,
                i8::try_from(d.month).ok()?,
                i8::try_from(d.day).ok()?,
            )
            .ok()?;
            let time = jiff::civil::Time::new(
                i8::try_from(d.hour).ok()?,
                i8::try_from(d.minute).ok()?,
                0,
                0,
            )
            .ok()?;
            Some(day.to_datetime(time))
        })
        .filter(|d| could_be_sent(*d));
    let mut warnings = Vec::new();
    let date = match (date, fallback.filter(|d| could_be_sent(*d))) {
        (Some(date), _) => date,
        (None, Some(envelope)) => {
            warnings.push(
                "its Date header cannot be read, so the mailbox's date for it is used".to_owned(),
            );
            envelope
        }
        (None, None) => return Err("it has no date that can be right".into()),
    };
    let addresses = |value: Option<&mail_parser::Address<'_>>| -> Vec<Address> {
        value
            .map(|list| {
                list.iter()
                    .filter_map(|a| {
                        Some(Address {
                            name: a
                                .name
                                .as_ref()
                                .map(|n| n.trim().to_owned())
                                .filter(|n| !n.is_empty()),
                            email: a.address.as_ref()?.trim().to_ascii_lowercase(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let from = addresses(message.from());
    if from.is_empty() {
        warnings.push("it has no sender that can be read".to_owned());
    }
    let message_id = message.message_id().map(|id| id.trim().to_owned());
    if message_id.is_none() {
        warnings.push("it has no Message-ID, so it is recognised by its content".to_owned());
    }
    let files = message
        .attachments()
        .enumerate()
        .map(|(n, part)| FileInMessage {
            name: part
                .attachment_name()
                .map(|name| name.replace(['/', '\\'], "_"))
                .filter(|name| !name.trim().is_empty())
                .unwrap_or_else(|| format!("attachment-{}", n + 1)),
            bytes: part.contents().to_vec(),
        })
        .collect();
    let labels = message
        .header_raw("X-Gmail-Labels")
        .map(|raw| {
            raw.split(',')
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect()
        })
        .unwrap_or_default();
    Ok(Email {
        message_id,
        date,
        to: addresses(message.to()),
        cc: addresses(message.cc()),
        from,
        subject: message
            .subject()
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty()),
        in_reply_to: ids(message.in_reply_to()),
        references: ids(message.references()),
        text: message
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
        files,
        labels,
        warnings,
    })
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => vec![id.trim().to_owned()],
        HeaderValue::TextList(list) => list.iter().map(|id| id.trim().to_owned()).collect(),
        _ => Vec::new(),
    }
}

/// True when a file starts like an email: a header line "Name: value".
pub(crate) fn looks_like_headers(path: &Path) -> Result<bool, MailError> {
    let mut start = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut start))
        .map_err(|e| MailError::Unreadable(format!("{} cannot be read: {e}.", path.display())))?;
    let first = start.split(|&b| b == b'\n').next().unwrap_or_default();
    Ok(first.iter().position(|&b| b == b':').is_some_and(|colon| {
        colon > 0
            && first[..colon]
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    }))
}
