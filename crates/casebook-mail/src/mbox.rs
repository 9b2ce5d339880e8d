//! mbox, streamed. A message starts at a "From " envelope line at the start of the file
//! or after a blank line. Body lines that began "From " were quoted by the writer as
//! ">From " (mboxrd quotes ">From " too, as ">>From "): one ">" comes off. When a
//! message names its length in a Content-Length header (mboxcl2, Solaris, some
//! Thunderbird versions) and that length ends exactly at the next envelope line or the
//! end of the file, the length is trusted and the body is taken as it is.

use std::io::Read;

use crate::{MESSAGE_LIMIT, MailError, RawMessage, too_large};

const CHUNK: usize = 1 << 20;

pub struct Mbox<R> {
    inner: R,
    name: String,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    /// Bytes consumed from the start of the file, for progress and for places.
    offset: u64,
    count: u64,
}

impl<R: Read> Mbox<R> {
    pub fn new(inner: R, name: String) -> Self {
        Mbox {
            inner,
            name,
            buf: Vec::with_capacity(CHUNK),
            pos: 0,
            eof: false,
            offset: 0,
            count: 0,
        }
    }

    /// Makes at least `want` unread bytes available, unless the file ends first.
    fn fill(&mut self, want: usize) -> Result<(), MailError> {
        while self.buf.len() - self.pos < want && !self.eof {
            if self.pos > 0 {
                self.buf.drain(..self.pos);
                self.pos = 0;
            }
            let start = self.buf.len();
            self.buf.resize(start + CHUNK.max(want), 0);
            let read = loop {
                match self.inner.read(&mut self.buf[start..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.buf.truncate(start);
                        return Err(MailError::Unreadable(format!(
                            "{} cannot be read: {e}.",
                            self.name
                        )));
                    }
                }
            };
            self.buf.truncate(start + read);
            self.eof = read == 0;
        }
        Ok(())
    }

    fn unread(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// The next line, with its line ending; empty at the end of the file.
    fn line(&mut self) -> Result<&[u8], MailError> {
        loop {
            if let Some(end) = self.unread().iter().position(|&b| b == b'\n') {
                return Ok(self.take(end + 1));
            }
            if self.eof {
                let rest = self.unread().len();
                return Ok(self.take(rest));
            }
            let have = self.unread().len();
            self.more(have)?;
        }
    }

    /// Reads on past `have` unread bytes, unless that would hold more than one message
    /// may be: a line with no end must not take the machine's memory.
    fn more(&mut self, have: usize) -> Result<(), MailError> {
        if have > MESSAGE_LIMIT {
            return Err(too_large(&format!(
                "{}, message {} (byte {})",
                self.name, self.count, self.offset
            )));
        }
        self.fill(have + 1)
    }

    fn take(&mut self, n: usize) -> &[u8] {
        let start = self.pos;
        self.pos += n;
        self.offset += n as u64;
        &self.buf[start..start + n]
    }

    /// The next message, or `None` at the end of the mailbox.
    pub fn next_message(&mut self) -> Result<Option<RawMessage>, MailError> {
        let start = self.offset;
        // The envelope line, skipping blank lines; anything else before it means the
        // file is not an mbox.
        let envelope_date = loop {
            let line = self.line()?;
            if line.is_empty() {
                return Ok(None);
            }
            if is_blank(line) {
                continue;
            }
            if is_envelope(line) {
                break envelope_date(line);
            }
            return Err(MailError::Unreadable(format!(
                "{} is not an mbox: byte {start} does not start a message with a \"From \" line.",
                self.name
            )));
        };
        self.count += 1;
        let place = format!("{}, message {} (byte {start})", self.name, self.count);
        let mut bytes = Vec::new();
        let mut length = None;
        // Headers, as they are.
        loop {
            let line = self.line()?;
            if line.is_empty() {
                break;
            }
            if let Some(n) = content_length(line) {
                length = Some(n);
            }
            bytes.extend_from_slice(line);
            if is_blank(line) {
                break;
            }
        }
        if let Some(n) = length.filter(|n| *n <= MESSAGE_LIMIT)
            && self.length_ends_the_message(n)?
        {
            let body = self.take(n).to_vec();
            bytes.extend_from_slice(&body);
        } else {
            self.body_by_lines(&mut bytes)?;
        }
        // The blank line written before the next envelope belongs to neither message.
        if bytes.ends_with(b"\r\n\r\n") {
            bytes.truncate(bytes.len() - 2);
        } else if bytes.ends_with(b"\n\n") {
            bytes.truncate(bytes.len() - 1);
        }
        Ok(Some(RawMessage {
            bytes,
            place,
            size: self.offset - start,
            folder: None,
            envelope_date,
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
    fn body_by_lines(&mut self, bytes: &mut Vec<u8>) -> Result<(), MailError> {
        // The headers end with a blank line, so the body may start with an envelope.
        let mut after_blank = true;
        loop {
            // Look at the next line without taking it: an envelope stays for the next call.
            let have = self.unread().iter().position(|&b| b == b'\n');
            if have.is_none() && !self.eof {
                self.more(self.unread().len())?;
                continue;
            }
            let end = have.map_or(self.unread().len(), |e| e + 1);
            if end == 0 {
                return Ok(());
            }
            let line = &self.unread()[..end];
            if after_blank && is_envelope(line) {
                return Ok(());
            }
            after_blank = is_blank(line);
            if bytes.len() + line.len() > MESSAGE_LIMIT {
                return Err(too_large(&format!("{}, message {}", self.name, self.count)));
            }
            let quoted = line.iter().take_while(|&&b| b == b'>').count();
            if quoted > 0 && line[quoted..].starts_with(b"From ") {
                bytes.extend_from_slice(&line[1..]);
            } else {
                bytes.extend_from_slice(line);
            }
            self.take(end);
        }
    }
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\n" || line == b"\r\n"
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

/// "From sender Thu Sep 17 08:00:00 +0000 2026": the month's name, the day, the time
/// and the year, wherever they stand.
fn envelope_date(line: &[u8]) -> Option<jiff::civil::DateTime> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let text = String::from_utf8_lossy(line).to_ascii_lowercase();
    let words: Vec<&str> = text.split_whitespace().skip(2).collect();
    let month = words
        .iter()
        .position(|w| MONTHS.contains(w))
        .map(|at| (at, MONTHS.iter().position(|m| m == &words[at]).unwrap_or(0)))?;
    let day: i8 = words.get(month.0 + 1)?.parse().ok()?;
    let time = words
        .iter()
        .find(|w| w.len() == 8 && w.as_bytes()[2] == b':')?;
    let year: i16 = words.iter().rev().find(|w| w.len() == 4)?.parse().ok()?;
    let hour: i8 = time.get(0..2)?.parse().ok()?;
    let minute: i8 = time.get(3..5)?.parse().ok()?;
    let date = jiff::civil::Date::new(year, i8::try_from(month.1 + 1).ok()?, day).ok()?;
    Some(date.to_datetime(jiff::civil::Time::new(hour, minute, 0, 0).ok()?))
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
        let mut mbox = Mbox::new(text.as_bytes(), "test.mbox".into());
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
            "Subject: one\n\nhello\nFrom the start\n>From mboxrd\nFrom what I saw, unquoted\n"
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
        let date = |line: &str| envelope_date(line.as_bytes()).map(|d| d.to_string());
        assert_eq!(
            date("From 178@xxx Thu Sep 17 08:00:00 +0000 2026\n").as_deref(),
            Some("2026-09-17T08:00:00")
        );
        assert_eq!(
            date("From - Mon Sep 14 12:05:00 2026\n").as_deref(),
            Some("2026-09-14T12:05:00")
        );
        assert_eq!(date("From - sometime\n"), None);
    }

    #[test]
    fn text_that_is_not_an_mbox_is_refused() {
        let mut mbox = Mbox::new(&b"Subject: hi\n\nbody\n"[..], "notes.txt".into());
        let error = mbox.next_message().unwrap_err().to_string();
        assert!(error.contains("notes.txt is not an mbox"), "{error}");
    }
}
