//! Header text with RFC 2047 encoded words (`=?UTF-8?B?...?=`) decoded by casebook:
//! mail-parser puts a space after an encoded word that a "." follows ("не доставлено .
//! Mail failure"), which changes what the subject says. Charsets are read as the WHATWG
//! standard names them; adjacent words in one charset are decoded together, since
//! real mail splits a Japanese word across them; the space between encoded words is not
//! text. Header bytes that are not UTF-8 are read as windows-1252.

use encoding_rs::Encoding;

use crate::text::{base64, undeclared};

/// The text of a header's value as written (folded lines and all). Bytes written
/// without an encoded word are read as UTF-8 when they are, else in `charset` (the one
/// the message's text declares, as mail programs read them), else windows-1252.
pub fn header_text(raw: &[u8], charset: Option<&'static Encoding>) -> String {
    let text = match charset {
        Some(charset) if std::str::from_utf8(raw).is_err() => {
            charset.decode_without_bom_handling(raw).0.into_owned()
        }
        _ => undeclared(raw),
    };
    // Unfolding: a line break followed by a space or tab is not part of the value.
    let unfolded = text.replace("\r\n", "\n").replace('\n', "");
    let mut out = String::new();
    // Bytes of encoded words waiting to be decoded together, and their charset.
    let mut pending: Option<(&'static Encoding, Vec<Vec<u8>>)> = None;
    let mut rest = unfolded.as_str();
    while let Some(at) = rest.find("=?") {
        let Some((charset, encoding, bytes, used)) = encoded_word(&rest[at..]) else {
            flush(&mut out, &mut pending);
            out.push_str(&rest[..at + 2]);
            rest = &rest[at + 2..];
            continue;
        };
        let between = &rest[..at];
        let joins = pending.is_some() && between.trim().is_empty();
        if !joins {
            flush(&mut out, &mut pending);
            out.push_str(between);
        }
        let bytes = decode(encoding, bytes);
        match &mut pending {
            Some((same, held)) if *same == charset => held.push(bytes),
            _ => {
                flush(&mut out, &mut pending);
                pending = Some((charset, vec![bytes]));
            }
        }
        rest = &rest[at + used..];
    }
    flush(&mut out, &mut pending);
    out.push_str(rest);
    out
}

/// Decodes waiting words: together when that reads cleanly (a character split across
/// two words), else each alone (ISO-2022-JP words each complete, whose escapes may
/// not meet), whichever leaves fewer characters unread.
fn flush(out: &mut String, pending: &mut Option<(&'static Encoding, Vec<Vec<u8>>)>) {
    let Some((charset, words)) = pending.take() else {
        return;
    };
    let joined = words.concat();
    let (joined, errors) = charset.decode_without_bom_handling(&joined);
    if !errors {
        out.push_str(&joined);
        return;
    }
    let alone: String = words
        .iter()
        .map(|w| charset.decode_without_bom_handling(w).0)
        .collect();
    let unread = |t: &str| t.matches('\u{FFFD}').count();
    out.push_str(if unread(&alone) < unread(&joined) {
        &alone
    } else {
        &joined
    });
}

/// "=?charset?B|Q?text?=" at the start of `text`: its charset, encoding, encoded text
/// and length. An unknown charset is read as windows-1252.
fn encoded_word(text: &str) -> Option<(&'static Encoding, u8, &str, usize)> {
    // RFC 2047 words are at most 75 characters; looking further for the end of one is
    // what a stranger's header of endless "=?a?b?" would make quadratic.
    let mut window = text.len().min(1024);
    while !text.is_char_boundary(window) {
        window -= 1;
    }
    let inner = text[..window].strip_prefix("=?")?;
    let (charset, rest) = inner.split_once('?')?;
    let (kind, rest) = rest.split_once('?')?;
    let end = rest.find("?=")?;
    let encoded = &rest[..end];
    if charset.is_empty() || kind.len() != 1 || encoded.contains([' ', '\t']) {
        return None;
    }
    let label = charset.split('*').next().unwrap_or(charset);
    let charset = Encoding::for_label(label.trim().as_bytes()).unwrap_or(encoding_rs::WINDOWS_1252);
    let kind = kind.as_bytes()[0].to_ascii_uppercase();
    if !matches!(kind, b'B' | b'Q') {
        return None;
    }
    let used = 2 + inner.len() - rest.len() + end + 2;
    Some((charset, kind, encoded, used))
}

fn decode(kind: u8, text: &str) -> Vec<u8> {
    if kind == b'B' {
        return base64(text.as_bytes());
    }
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'_' => out.push(b' '),
            b'=' => {
                if let (Some(h), Some(l)) = (
                    bytes.get(at + 1).copied().and_then(hex),
                    bytes.get(at + 2).copied().and_then(hex),
                ) {
                    out.push(h << 4 | l);
                    at += 2;
                } else {
                    out.push(b'=');
                }
            }
            b => out.push(b),
        }
        at += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::header_text;

    #[test]
    fn an_encoded_word_before_a_full_stop_gains_no_space() {
        assert_eq!(
            header_text(
                b"=?UTF-8?B?0J3QtSDQtNC+0YHRgtCw0LLQu9C10L3Qvg==?=. Mail failure.",
                None
            ),
            "Не доставлено. Mail failure."
        );
    }

    #[test]
    fn adjacent_words_join_and_others_keep_their_spaces() {
        assert_eq!(
            header_text(
                b"Re: =?ISO-8859-1?Q?Caf=E9?=\r\n =?ISO-8859-1?Q?_meeting?= on Tuesday",
                None
            ),
            "Re: Café meeting on Tuesday"
        );
        // ISO-2022-JP split across two words, as real mail does.
        assert_eq!(
            header_text(
                b"=?iso-2022-jp?B?GyRCJUYlOSVIGyhC?= =?iso-2022-jp?B?GyRCJUYlOSVIGyhC?=",
                None
            ),
            "テストテスト"
        );
        assert_eq!(
            header_text(b"Plain =? not encoded ?= text", None),
            "Plain =? not encoded ?= text"
        );
    }

    /// A stranger's header of endless unfinished encoded words is read as text, in one
    /// look per word rather than a search through the rest of the header.
    #[test]
    fn unfinished_encoded_words_cost_a_bounded_look_each() {
        let header = "=?utf-8?q?x ".repeat(200_000);
        assert_eq!(header_text(header.as_bytes(), None), header);
    }

    #[test]
    fn bytes_without_an_encoded_word_are_read_in_the_message_s_charset() {
        // "안내" in EUC-KR, written into the header raw, in a message whose text is EUC-KR.
        assert_eq!(
            header_text(b"\xbe\xc8\xb3\xbb", Some(encoding_rs::EUC_KR)),
            "안내"
        );
        assert_eq!(header_text(b"Save \xa35", None), "Save £5");
        assert_eq!(
            header_text("Save £5".as_bytes(), Some(encoding_rs::EUC_KR)),
            "Save £5"
        );
    }
}
