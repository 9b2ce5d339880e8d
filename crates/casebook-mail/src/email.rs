//! What a message says, read by mail-parser (with casebook's own date reader and HTML
//! text), with a warning for each part that could not be read. A message is only
//! refused when it has no date at all: an undated email cannot take its place in a
//! chronology.

use std::io::Read;
use std::path::Path;

use std::borrow::Cow;
use std::sync::LazyLock;

use casebook_domain::{CaseDate, uk_time_zone};
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;
use mail_parser::{HeaderName, HeaderValue, Message, MessageParser, MimeHeaders, PartType};

use crate::MailError;
use crate::date::{Written, read_date, uk_time};

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
    /// What the Date header says, when it can be read at all (even as a date no case
    /// could hold: the conformance test compares it with Python's reading).
    pub written: Option<Written>,
    /// When it was sent, and how casebook knows.
    pub dated: Dated,
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

/// The instant a message was sent, the offset to show it in (the sender's own, or UK
/// time when the sender gave none), and where the date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dated {
    pub instant: Timestamp,
    pub offset: Offset,
    pub by: DatedBy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatedBy {
    /// The message's own Date, with its zone.
    Header,
    /// The message's own Date, which gave no zone: taken as UK time.
    HeaderWithoutZone,
    /// The newest Received line: when the family's mail server took it in.
    Received,
    /// The mbox's envelope line: when the mailbox stored it.
    Envelope,
    /// The Maildir file's delivery time.
    Delivery,
}

impl DatedBy {
    /// What the family is told about a date that is not simply the message's own.
    pub fn note(self) -> Option<&'static str> {
        match self {
            DatedBy::Header => None,
            DatedBy::HeaderWithoutZone => {
                Some("the message's date gave no time zone, so it is taken as UK time")
            }
            DatedBy::Received => Some(
                "date from the server's receipt: the message's own date is missing or cannot be right",
            ),
            DatedBy::Envelope => Some(
                "date from the mailbox's record of it: the message's own date is missing or cannot be right",
            ),
            DatedBy::Delivery => Some(
                "date from when the mail folder received it: the message's own date is missing or cannot be right",
            ),
        }
    }
}

impl Dated {
    /// The time the sender's clock showed, for display.
    pub fn senders_time(&self) -> DateTime {
        self.offset.to_datetime(self.instant)
    }

    /// The sender's time with its offset, as RFC 3339 writes it
    /// ("2026-06-02T08:50:00+01:00").
    pub fn as_written(&self) -> String {
        self.instant
            .to_zoned(jiff::tz::TimeZone::fixed(self.offset))
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }
}

/// The dates a mailbox keeps beside a message, for when its own is missing or wrong.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fallbacks {
    /// The mbox envelope line's date.
    pub envelope: Option<Written>,
    /// When a Maildir file was delivered.
    pub delivered: Option<Timestamp>,
}

/// Every address a message is from, to or copied to, lower case, read from its headers
/// alone: enough to decide whether it is about the case before reading the rest.
pub fn correspondents(raw: &[u8]) -> Vec<String> {
    let raw = with_line_feeds(raw);
    let Some(message) = PARSER.parse_headers(raw.as_ref()) else {
        return Vec::new();
    };
    [HeaderName::From, HeaderName::To, HeaderName::Cc]
        .into_iter()
        .flat_map(|name| addresses_in(&message, name))
        .map(|a| a.email)
        .collect()
}

/// mail-parser, told to keep Date, Resent-Date, Received and Subject as written: its own
/// date reader takes the next line into a Date ending in `UT`, `Z`, `AM` or `PM` (losing
/// a header or the body's first paragraph) and reads `029 Apr` as 2 April, and its
/// subject reader adds a space after an encoded word. casebook reads those itself
/// ([`read_date`], `encoded_words`).
static PARSER: LazyLock<MessageParser> = LazyLock::new(|| {
    MessageParser::new()
        .with_mime_headers()
        .with_address_headers()
        .with_message_ids()
        .header_raw(HeaderName::Subject)
        .header_text(HeaderName::Comments)
        .header_raw(HeaderName::Date)
        .header_raw(HeaderName::ResentDate)
        .header_raw(HeaderName::Received)
});

/// The message as mail-parser should see it; the stored original keeps its own bytes.
/// Two things it reads wrongly are mended first, each tested by name:
/// - lines ended by CR alone (old Macintosh mail) are read as one endless header, so
///   they are given LF ends;
/// - a multipart whose closing boundary is missing (the sender's program stopped, or a
///   list cut the message) loses its last part's text to an attachment, so the missing
///   closing lines are added at the end, innermost first;
/// - a boundary folded onto the next line just after `boundary=` is not read at all,
///   so the whole multipart becomes one attachment: the fold is taken out.
fn prepared_for_parser(raw: &[u8]) -> Cow<'_, [u8]> {
    let mut out = with_line_feeds(raw);
    let folded: Vec<usize> = memchr::memmem::find_iter(&out, b"oundary=")
        .map(|at| at + 8)
        .filter(|&at| {
            let after = &out[at..];
            let after = after.strip_prefix(b"\r").unwrap_or(after);
            after.starts_with(b"\n ") || after.starts_with(b"\n\t")
        })
        .collect();
    if !folded.is_empty() {
        // One pass, whatever the number of folds a sender wrote.
        let mut unfolded = Vec::with_capacity(out.len());
        let mut from = 0;
        for at in folded {
            unfolded.extend_from_slice(&out[from..at]);
            from = at
                + out[at..]
                    .iter()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
        }
        unfolded.extend_from_slice(&out[from..]);
        out = Cow::Owned(unfolded);
    }
    // Only when the outermost multipart is left open: an open one inside a closed
    // one ends where its container does, and closing it after that misleads the reader.
    let unclosed_at = |b: &Vec<u8>| {
        let opening = [b"--".as_slice(), b].concat();
        let closing = [opening.as_slice(), b"--"].concat();
        memchr::memmem::find(&out, &opening).is_some()
            && memchr::memmem::find(&out, &closing).is_none()
    };
    let declared = boundaries(&out);
    let unclosed: Vec<Vec<u8>> = if declared.first().is_some_and(unclosed_at) {
        declared.into_iter().filter(unclosed_at).collect()
    } else {
        Vec::new()
    };
    if !unclosed.is_empty() {
        let bytes = out.to_mut();
        for boundary in unclosed.iter().rev() {
            bytes.extend_from_slice(b"\n--");
            bytes.extend_from_slice(boundary);
            bytes.extend_from_slice(b"--\n");
        }
    }
    out
}

/// A message whose lines end with CR alone, given LF ends.
fn with_line_feeds(raw: &[u8]) -> Cow<'_, [u8]> {
    // Every message of a mailbox passes here: the usual answer (an LF in the first
    // line) is found at once.
    let head = &raw[..raw.len().min(8192)];
    if memchr::memchr(b'\n', head).is_none() && memchr::memchr(b'\r', head).is_some() {
        Cow::Owned(
            raw.iter()
                .map(|&b| if b == b'\r' { b'\n' } else { b })
                .collect(),
        )
    } else {
        Cow::Borrowed(raw)
    }
}

/// Every multipart boundary the message declares, in order. RFC 2046 allows 70
/// characters and real mail nests a few levels: a stranger's message declaring
/// thousands, or one endless boundary, costs a bounded look, not a search per boundary
/// through the whole message.
fn boundaries(raw: &[u8]) -> Vec<Vec<u8>> {
    const LONGEST: usize = 200;
    const MOST: usize = 32;
    let mut found = Vec::new();
    for at in memchr::memmem::find_iter(raw, b"oundary=") {
        if found.len() == MOST {
            break;
        }
        if at == 0 || !matches!(raw[at - 1], b'b' | b'B') {
            continue;
        }
        let value = &raw[at + 8..raw.len().min(at + 8 + LONGEST + 2)];
        let boundary: Vec<u8> = match value.strip_prefix(b"\"") {
            Some(quoted) => quoted
                .iter()
                .take_while(|&&b| b != b'"' && b != b'\n')
                .copied()
                .collect(),
            None => value
                .iter()
                .take_while(|&&b| !b.is_ascii_whitespace() && b != b';')
                .copied()
                .collect(),
        };
        if !boundary.is_empty() && !found.contains(&boundary) {
            found.push(boundary);
        }
    }
    found
}

/// Whether a message could have been sent then: not before email was in use, and only
/// in the years a case file holds (a spam message dated 2999 must not reach the log).
fn could_be_sent(instant: Timestamp) -> bool {
    let day = uk_time(instant).date();
    day.year() >= 1980 && CaseDate::new(day).is_ok()
}

/// Why a file that is not mail is skipped.
pub const NOT_AN_EMAIL: &str =
    "it is not an email (it has no From, To, Date, Subject or Message-ID header)";

/// Reads one message; `Err` says in a few words why it cannot be imported. A message
/// that makes the reader itself fail is skipped, never the whole import.
pub fn read_email(raw: &[u8], fallbacks: &Fallbacks) -> Result<Email, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(raw, fallbacks)))
        .unwrap_or_else(|_| Err("casebook's mail reader failed on it".to_owned()))
}

fn read(raw: &[u8], fallbacks: &Fallbacks) -> Result<Email, String> {
    let raw = prepared_for_parser(raw);
    let message = PARSER
        .parse(raw.as_ref())
        .filter(|m| {
            m.headers().iter().any(|h| {
                matches!(
                    h.name,
                    HeaderName::From
                        | HeaderName::To
                        | HeaderName::Date
                        | HeaderName::Subject
                        | HeaderName::MessageId
                )
            })
        })
        .ok_or(NOT_AN_EMAIL)?;
    let written = text_header(&message, HeaderName::Date).and_then(read_date);
    let mut warnings = Vec::new();
    let dated = date_of(&message, written, fallbacks).ok_or("it has no date that can be right")?;
    if let Some(note) = dated.by.note() {
        warnings.push(note.to_owned());
    }
    let from = addresses_in(&message, HeaderName::From);
    if from.is_empty() {
        warnings.push("it has no sender that can be read".to_owned());
    }
    // The first, as every other reader takes it (a bounce may carry several).
    let message_id = message
        .header_values(HeaderName::MessageId)
        .find_map(|v| match v {
            HeaderValue::Text(id) => Some(id.trim().to_owned()),
            HeaderValue::TextList(ids) => ids.first().map(|id| id.trim().to_owned()),
            _ => None,
        })
        .filter(|id| !id.is_empty());
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
        written,
        dated,
        to: addresses_in(&message, HeaderName::To),
        cc: addresses_in(&message, HeaderName::Cc),
        from,
        subject: message
            .headers()
            .iter()
            .find(|h| h.name == HeaderName::Subject)
            .and_then(|h| {
                message
                    .raw_message()
                    .get(h.offset_start as usize..h.offset_end as usize)
            })
            .map(|raw| {
                crate::encoded_words::header_text(raw, text_charset(&message))
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|s| !s.is_empty()),
        in_reply_to: ids(message.in_reply_to()),
        references: ids(message.references()),
        text: body_text(&message),
        files,
        labels,
        warnings,
    })
}

/// The message's own date when it can be right; else the newest Received line's, the
/// mbox envelope's or the Maildir delivery time, in that order.
fn date_of(
    message: &Message<'_>,
    written: Option<Written>,
    fallbacks: &Fallbacks,
) -> Option<Dated> {
    let from_written = |written: Written, by: DatedBy| {
        let instant = written.instant().filter(|i| could_be_sent(*i))?;
        let offset = written
            .offset
            .unwrap_or_else(|| uk_time_zone().to_offset(instant));
        Some(Dated {
            instant,
            offset,
            by,
        })
    };
    if let Some(written) = written {
        let by = if written.offset.is_some() {
            DatedBy::Header
        } else {
            DatedBy::HeaderWithoutZone
        };
        if let Some(dated) = from_written(written, by) {
            return Some(dated);
        }
    }
    // The first Received line is the last server's: when the family's own took it in.
    let received = message
        .header_values(HeaderName::Received)
        .filter_map(|v| match v {
            HeaderValue::Text(t) => Some(t.as_ref()),
            _ => None,
        })
        .next()
        .and_then(|line| read_date(line.rsplit_once(';')?.1));
    if let Some(dated) = received.and_then(|w| from_written(w, DatedBy::Received)) {
        return Some(dated);
    }
    if let Some(dated) = fallbacks
        .envelope
        .and_then(|w| from_written(w, DatedBy::Envelope))
    {
        return Some(dated);
    }
    let instant = fallbacks.delivered.filter(|i| could_be_sent(*i))?;
    Some(Dated {
        instant,
        offset: uk_time_zone().to_offset(instant),
        by: DatedBy::Delivery,
    })
}

fn text_header<'a>(message: &'a Message<'_>, name: HeaderName<'static>) -> Option<&'a str> {
    match message.header(name)? {
        HeaderValue::Text(text) => Some(text.as_ref()),
        _ => None,
    }
}

/// The addresses in every header of a kind: a message may carry two Cc lines.
fn addresses_in(message: &Message<'_>, name: HeaderName<'static>) -> Vec<Address> {
    message
        .header_values(name)
        .filter_map(|value| match value {
            HeaderValue::Address(list) => Some(list.iter()),
            _ => None,
        })
        .flatten()
        .filter_map(|a| {
            Some(Address {
                name: a
                    .name
                    .as_ref()
                    .map(|n| n.trim().to_owned())
                    .filter(|n| !n.is_empty()),
                email: without_route(a.address.as_ref()?.trim()).to_ascii_lowercase(),
            })
        })
        .filter(|a| is_address(&a.email))
        .collect()
}

/// An address without the obsolete route some servers put before it ("<C:x@y>",
/// "<@relay:x@y>"): the mailbox is what follows the last colon.
fn without_route(address: &str) -> &str {
    match address.rsplit_once(':') {
        Some((_, mailbox)) if mailbox.contains('@') && !mailbox.contains(';') => mailbox,
        _ => address,
    }
}

/// An address names one mailbox at a domain: "postmaster", "@school.example",
/// "a@b@c", "[x]@school.example" and the remains of a group
/// ("undisclosed-recipients:;") do not.
fn is_address(email: &str) -> bool {
    email.matches('@').count() == 1
        && email.rsplit_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !local.contains(['[', ']'])
        })
        && !email.contains([':', ';'])
}

/// The message's text: its body part (see [`body_part`]) decoded by casebook, an HTML
/// body made text by an HTML parser.
fn body_text(message: &Message<'_>) -> String {
    let Some(part) = body_part(message, 0, 0).map(|(_, part)| part) else {
        return String::new();
    };
    let text = crate::text::decoded(message.raw_message(), part).or_else(|| match &part.body {
        PartType::Text(text) | PartType::Html(text) => Some(text.to_string()),
        _ => None,
    });
    match text {
        Some(text) if part.is_content_type("text", "html") => crate::html::text(&text),
        Some(text) => text,
        None => String::new(),
    }
}

/// The charset the message's text declares: its body part's, else its own.
fn text_charset(message: &Message<'_>) -> Option<&'static encoding_rs::Encoding> {
    let label = |part: &mail_parser::MessagePart<'_>| {
        part.content_type()
            .and_then(|t| t.attribute("charset"))
            .and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()))
    };
    body_part(message, 0, 0)
        .and_then(|(_, part)| label(part))
        .or_else(|| message.parts.first().and_then(label))
}

/// Which part is the message's body, chosen as mail programs and Python's
/// `get_body(("plain", "html"))` choose it: the first plain-text part that is not an
/// attachment, else the first HTML one; a multipart/related counts only its first part,
/// and a forwarded message inside is not this message's body. mail-parser's own lists
/// leave out a text part it could not decode, losing the whole body.
fn body_part<'m, 'x>(
    message: &'m Message<'x>,
    id: usize,
    depth: usize,
) -> Option<(u8, &'m mail_parser::MessagePart<'x>)> {
    let part = message.parts.get(id)?;
    if depth > 64
        || part
            .content_disposition()
            .is_some_and(|d| d.is_attachment())
    {
        return None;
    }
    let (kind, sub) = part
        .content_type()
        .map_or(("text".into(), "plain".into()), |t| {
            (
                t.ctype().to_ascii_lowercase(),
                t.subtype().unwrap_or_default().to_ascii_lowercase(),
            )
        });
    match (kind.as_str(), &part.body) {
        ("text", _) if sub == "plain" => Some((0, part)),
        ("text", _) if sub == "html" => Some((1, part)),
        ("multipart", PartType::Multipart(children)) => {
            let children = if sub == "related" {
                &children[..children.len().min(1)]
            } else {
                children
            };
            let mut best = None;
            for child in children {
                if let Some((rank, found)) = body_part(message, *child as usize, depth + 1) {
                    if rank == 0 {
                        return Some((0, found));
                    }
                    best = best.or(Some((rank, found)));
                }
            }
            best
        }
        _ => None,
    }
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
    Ok(crate::mbox::is_header(first))
}
