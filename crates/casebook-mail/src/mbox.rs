//! mbox, streamed. A message starts at a "From " envelope line at the start of the file
//! or after a blank line, or at an envelope followed by headers where a writer left the
//! blank line out. Quoted ">From " lines are kept as written. When a
//! message names its length in a Content-Length header (mboxcl2, Solaris, some
//! Thunderbird versions) and that length ends exactly at the next envelope line or the
//! end of the file, the length is trusted and the body is taken as it is.

use std::io::Read;

use crate::date::{Written, read_date};
use crate::{Fallbacks, MailError, RawMessage};

const CHUNK: usize = 1 << 20;

pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The most of one line held at once: a longer line (a damaged file, a message of one
/// endless line) is read in pieces of this size and never held whole.
const PIECE: usize = 4 * CHUNK;

pub struct Mbox<R> {
    inner: R,
    name: String,
    /// The largest message kept; a larger one is read past and reported.
    limit: usize,
    buf: Vec<u8>,
    /// Where the bytes read so far end in `buf` (past it, zeros not yet read into).
    end: usize,
    pos: usize,
    eof: bool,
    /// Bytes consumed from the start of the file, for progress and for places.
    offset: u64,
    count: u64,
    /// The next message follows the last without a blank line between them.
    unseparated: bool,
}

/// Part of a line: all of it, or a piece of a line longer than [`PIECE`].
struct Piece {
    len: usize,
    /// It ends the line (or the file).
    whole: bool,
}

impl<R: Read> Mbox<R> {
    pub fn new(inner: R, name: String, limit: usize) -> Self {
        Mbox {
            inner,
            name,
            limit,
            buf: Vec::new(),
            end: 0,
            pos: 0,
            eof: false,
            offset: 0,
            count: 0,
            unseparated: false,
        }
    }

    /// Makes at least `want` unread bytes available, unless the file ends first. Each
    /// read takes what is there (a pipe gives what has been written so far), straight
    /// into the buffer, which is zeroed only as it grows: a small file costs a small
    /// buffer, a large one a few chunks.
    fn fill(&mut self, want: usize) -> Result<(), MailError> {
        while self.end - self.pos < want && !self.eof {
            if self.pos > 0 {
                self.buf.copy_within(self.pos..self.end, 0);
                self.end -= self.pos;
                self.pos = 0;
            }
            let room = (want - self.end).max(64 << 10);
            if self.buf.len() - self.end < room {
                let size = (self.end + room)
                    .max(self.buf.len() * 2)
                    .min(self.end + room.max(CHUNK));
                self.buf.resize(size, 0);
            }
            let read = loop {
                match self.inner.read(&mut self.buf[self.end..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        return Err(MailError::Unreadable(format!(
                            "{} cannot be read: {e}.",
                            self.name
                        )));
                    }
                }
            };
            self.end += read;
            self.eof = read == 0;
        }
        Ok(())
    }

    fn unread(&self) -> &[u8] {
        &self.buf[self.pos..self.end]
    }

    /// The next line or piece of a long line, without taking it; empty at the end.
    fn peek(&mut self) -> Result<Piece, MailError> {
        let mut searched = 0;
        loop {
            let unread = self.unread();
            if let Some(end) = memchr::memchr(b'\n', &unread[searched..]) {
                return Ok(Piece {
                    len: searched + end + 1,
                    whole: true,
                });
            }
            searched = unread.len();
            if self.eof || searched >= PIECE {
                return Ok(Piece {
                    len: searched.min(PIECE),
                    whole: self.eof,
                });
            }
            self.fill(searched + 1)?;
        }
    }

    fn take(&mut self, n: usize) -> &[u8] {
        let start = self.pos;
        self.pos += n;
        self.offset += n as u64;
        &self.buf[start..start + n]
    }

    /// The line after the one of `first` bytes, if it is in the buffer (or can be).
    fn line_after(&mut self, first: usize) -> Result<&[u8], MailError> {
        self.fill(first + 1024)?;
        let rest = self.unread().get(first..).unwrap_or_default();
        let end = memchr::memchr(b'\n', rest).map_or(rest.len(), |e| e + 1);
        Ok(&self.unread()[first..first + end])
    }

    /// The next message, or `None` at the end of the mailbox.
    pub fn next_message(&mut self) -> Result<Option<RawMessage>, MailError> {
        // A byte-order mark some Windows programs write before the first envelope.
        if self.offset == 0 {
            self.fill(3)?;
            if self.unread().starts_with(BOM) {
                self.take(3);
            }
        }
        let start = self.offset;
        let unseparated = std::mem::take(&mut self.unseparated);
        // The envelope line, skipping blank lines; anything else before it means the
        // file is not an mbox. Here any "From " line is an envelope, with a date or not
        // ("From -", "From 1234@xxx").
        let envelope = loop {
            let piece = self.peek()?;
            if piece.len == 0 {
                return Ok(None);
            }
            let line = self.take(piece.len);
            if is_blank(line) {
                continue;
            }
            if line.starts_with(b"From ") && piece.whole {
                break envelope_date(line);
            }
            return Err(MailError::Unreadable(format!(
                "{} is not an mbox: byte {start} does not start a message with a \"From \" line.",
                self.name
            )));
        };
        self.count += 1;
        let place = format!("{}, message {} (byte {start})", self.name, self.count);
        let mut message = Gathered::new(self.limit);
        let mut length = None;
        // Headers, as they are.
        loop {
            let piece = self.peek()?;
            if piece.len == 0 {
                break;
            }
            let line = self.take(piece.len);
            if let Some(n) = content_length(line) {
                length = Some(n);
            }
            let blank = is_blank(line);
            message.push(line);
            if blank {
                break;
            }
        }
        if let Some(n) = length.filter(|n| *n <= self.limit)
            && self.length_ends_the_message(n)?
        {
            let body = self.take(n).to_vec();
            message.push(&body);
        } else {
            self.body_by_lines(&mut message)?;
        }
        let (bytes, refused) = message.finish();
        Ok(Some(RawMessage {
            bytes,
            place,
            size: self.offset - start,
            folder: None,
            fallbacks: Fallbacks {
                envelope,
                delivered: None,
            },
            refused,
            unseparated,
        }))
    }

    /// True when `n` body bytes end at the next envelope line or at the end of the file.
    fn length_ends_the_message(&mut self, n: usize) -> Result<bool, MailError> {
        const NEXT: &[u8] = b"\nFrom ";
        self.fill(n + NEXT.len() + 2)?;
        let after = self.unread().get(n..).unwrap_or_default();
        if self.unread().len() < n {
            return Ok(false);
        }
        let rest_blank = after.iter().all(u8::is_ascii_whitespace) && self.eof;
        let next = after.strip_prefix(b"\r").unwrap_or(after);
        Ok(rest_blank || next.starts_with(NEXT) || next.starts_with(b"From "))
    }

    /// Reads body lines up to the next envelope line, which is left unread.
    fn body_by_lines(&mut self, message: &mut Gathered) -> Result<(), MailError> {
        // The headers end with a blank line, so the body may start with an envelope.
        let mut after_blank = true;
        let mut line_start = true;
        loop {
            let piece = self.peek()?;
            if piece.len == 0 {
                return Ok(());
            }
            if line_start && piece.whole {
                let line = &self.unread()[..piece.len];
                if after_blank && starts_a_message(line) {
                    return Ok(());
                }
                // A writer that left out the blank line before an envelope: the line
                // still starts a message when headers follow it.
                if !after_blank && starts_a_message(line) {
                    let next = self.line_after(piece.len)?;
                    if is_header(next) {
                        self.unseparated = true;
                        return Ok(());
                    }
                }
            }
            // ">From" lines stay as they are: the original is kept byte for byte, and
            // which ">" a writer added cannot be known (mboxo and mboxrd differ).
            let line = self.take(piece.len);
            message.push(line);
            after_blank = line_start && is_blank(line);
            line_start = piece.whole;
        }
    }
}

/// One message's bytes as they are read, kept up to the limit and only counted after.
struct Gathered {
    bytes: Vec<u8>,
    size: usize,
    limit: usize,
}

impl Gathered {
    fn new(limit: usize) -> Self {
        Gathered {
            bytes: Vec::new(),
            size: 0,
            limit,
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        self.size += bytes.len();
        if self.size <= self.limit {
            self.bytes.extend_from_slice(bytes);
        } else {
            self.bytes = Vec::new();
        }
    }

    /// The message, or a reason it was not kept.
    fn finish(mut self) -> (Vec<u8>, Option<String>) {
        if self.size > self.limit {
            return (
                Vec::new(),
                Some(crate::too_large(self.size as u64, self.limit)),
            );
        }
        // The blank line written before the next envelope belongs to neither message.
        if self.bytes.ends_with(b"\r\n\r\n") {
            self.bytes.truncate(self.bytes.len() - 2);
        } else if self.bytes.ends_with(b"\n\n") {
            self.bytes.truncate(self.bytes.len() - 1);
        }
        (self.bytes, None)
    }
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\n" || line == b"\r\n"
}

/// After a blank line, a "From " line starts a message when it is an envelope with a
/// date, or an undated one: "From -" or "From" and one word ("From 1234@xxx").
fn starts_a_message(line: &[u8]) -> bool {
    is_envelope(line)
        || line
            .strip_prefix(b"From ")
            .is_some_and(|rest| String::from_utf8_lossy(rest).split_whitespace().count() <= 1)
}

/// "From sender date": the sender is one word and the date has a time or a year, so a
/// body line such as "From what I saw..." that the writer failed to quote is not
/// mistaken for the start of a message.
fn is_envelope(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let text = String::from_utf8_lossy(rest);
    let mut words = text.split_whitespace();
    let (Some(_sender), Some(_)) = (words.next(), words.next()) else {
        return false;
    };
    let has_time = text.as_bytes().windows(5).any(|w| {
        w[0].is_ascii_digit()
            && w[1].is_ascii_digit()
            && w[2] == b':'
            && w[3].is_ascii_digit()
            && w[4].is_ascii_digit()
    });
    let ends_with_year = text
        .trim_end()
        .rsplit(' ')
        .next()
        .is_some_and(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()));
    has_time || ends_with_year
}

/// "Name: value", as a message's first header line is written.
pub(crate) fn is_header(line: &[u8]) -> bool {
    line.iter().position(|&b| b == b':').is_some_and(|colon| {
        colon > 0
            && line[..colon]
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    })
}

/// The date on an envelope line ("From sender Thu Sep 17 08:00:00 +0000 2026"), read as
/// a Date header is; an envelope without a zone was written in the server's time,
/// taken as UK time.
fn envelope_date(line: &[u8]) -> Option<Written> {
    let text = String::from_utf8_lossy(line);
    let date = text.strip_prefix("From ")?.trim_start();
    read_date(date.split_once(char::is_whitespace)?.1)
}

fn content_length(line: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(line).ok()?;
    let (name, value) = text.split_once(':')?;
    name.trim()
        .eq_ignore_ascii_case("content-length")
        .then(|| value.trim().parse().ok())?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<String> {
        let mut mbox = Mbox::new(text.as_bytes(), "test.mbox".into(), crate::MESSAGE_LIMIT);
        let mut out = Vec::new();
        while let Some(m) = mbox.next_message().unwrap() {
            out.push(String::from_utf8(m.bytes).unwrap());
        }
        out
    }

    #[test]
    fn messages_split_at_envelopes_and_quoted_from_lines_are_unquoted() {
        let text = "From a@x Mon Sep 14 12:00:00 2026\nSubject: one\n\nhello\n>From the start\n>>From mboxrd\nFrom what I saw, unquoted\n\nFrom - Tue Sep 15 08:00:00 2026\nSubject: two\n\nbye\n";
        let messages = read(text);
        assert_eq!(messages.len(), 2);
        assert_eq!(
            messages[0],
            "Subject: one\n\nhello\n>From the start\n>>From mboxrd\nFrom what I saw, unquoted\n"
        );
        assert_eq!(messages[1], "Subject: two\n\nbye\n");
    }

    #[test]
    fn a_trusted_content_length_keeps_unquoted_from_lines_in_the_body() {
        let body = "line\n\nFrom a@x Mon Sep 14 12:00:00 2026 inside the body\n";
        let text = format!(
            "From a@x Mon Sep 14 12:00:00 2026\nContent-Length: {}\n\n{body}\nFrom b@x Mon Sep 14 13:00:00 2026\nSubject: next\n\nx\n",
            body.len()
        );
        let messages = read(&text);
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].ends_with(body));
        // A wrong length is ignored and the lines decide.
        let wrong = text.replace(
            &format!("Content-Length: {}", body.len()),
            "Content-Length: 3",
        );
        assert_eq!(read(&wrong).len(), 3);
    }

    #[test]
    fn crlf_mailboxes_and_files_without_a_final_newline_read() {
        let messages = read(
            "From a@x Mon Sep 14 12:00:00 2026\r\nSubject: one\r\n\r\nhi\r\n\r\nFrom a@x Mon Sep 14 12:00:00 2026\r\nSubject: two\r\n\r\nlast",
        );
        assert_eq!(
            messages,
            ["Subject: one\r\n\r\nhi\r\n", "Subject: two\r\n\r\nlast"]
        );
    }

    #[test]
    fn envelope_dates_are_read_in_both_common_forms() {
        let date = |line: &str| {
            envelope_date(line.as_bytes())
                .map(|d| format!("{} {:?}", d.local, d.offset.map(|o| o.seconds())))
        };
        assert_eq!(
            date("From 178@xxx Thu Sep 17 08:00:00 +0000 2026\n").as_deref(),
            Some("2026-09-17T08:00:00 Some(0)")
        );
        assert_eq!(
            date("From - Mon Sep 14 12:05:00 2026\n").as_deref(),
            Some("2026-09-14T12:05:00 None")
        );
        assert_eq!(date("From - sometime\n"), None);
    }

    #[test]
    fn text_that_is_not_an_mbox_is_refused() {
        let mut mbox = Mbox::new(
            &b"Subject: hi\n\nbody\n"[..],
            "notes.txt".into(),
            crate::MESSAGE_LIMIT,
        );
        let error = mbox.next_message().unwrap_err().to_string();
        assert!(error.contains("notes.txt is not an mbox"), "{error}");
    }
}
