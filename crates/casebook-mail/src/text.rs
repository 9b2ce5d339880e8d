//! A text part's words, decoded by casebook rather than mail-parser, which loses them
//! in three ways seen in real mail (each tested by name below):
//! - base64 text followed by a plain list footer is left undecoded, as a block of
//!   base64: here the base64 lines are decoded and the footer kept as it is;
//! - quoted-printable with a stray "=" is left undecoded: here a "=" that starts no
//!   escape is kept as written, as Python's reader and mail programs keep it;
//! - text that declares no charset (or US-ASCII) but holds other bytes loses each of
//!   them to "�": here it is read as UTF-8 when it is UTF-8, else as windows-1252,
//!   which the WHATWG Encoding Standard reads "us-ascii" and "iso-8859-1" as.
//!
//! A declared charset is read as the WHATWG standard names it (Big5, GBK, ISO-2022-JP,
//! Shift_JIS, KOI8 and the rest).

use encoding_rs::{Encoding, WINDOWS_1252};
use mail_parser::{HeaderName, HeaderValue, MessagePart, MimeHeaders};

/// The part's text, or `None` when its bytes cannot be found in the message.
pub fn decoded(raw: &[u8], part: &MessagePart<'_>) -> Option<String> {
    let body = raw.get(part.offset_body as usize..part.offset_end as usize)?;
    // Read from the header itself: mail-parser sometimes leaves a part it could not
    // decode marked as not encoded.
    let transfer = part
        .headers
        .iter()
        .find(|h| h.name == HeaderName::ContentTransferEncoding)
        .and_then(|h| match &h.value {
            HeaderValue::Text(t) => Some(t.trim().to_ascii_lowercase()),
            _ => None,
        })
        .unwrap_or_default();
    let (bytes, footer) = match transfer.as_str() {
        "quoted-printable" => (quoted_printable(body), &b""[..]),
        "base64" => base64_then_text(body),
        _ => (body.to_vec(), &b""[..]),
    };
    let declared = part
        .content_type()
        .and_then(|t| t.attribute("charset"))
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .filter(|e| *e != WINDOWS_1252);
    let mut text = match declared {
        Some(encoding) => encoding.decode_without_bom_handling(&bytes).0.into_owned(),
        None => undeclared(&bytes),
    };
    if !footer.is_empty() {
        text.push('\n');
        text.push_str(&undeclared(footer));
    }
    Some(text)
}

/// Bytes in no declared charset: UTF-8 when they are, else windows-1252.
pub fn undeclared(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Quoted-printable as RFC 2045 writes it, read leniently: "=XX" is a byte, "=" at the
/// end of a line joins it to the next, and any other "=" is kept.
fn quoted_printable(body: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(body.len());
    let mut at = 0;
    while at < body.len() {
        let b = body[at];
        if b != b'=' {
            out.push(b);
            at += 1;
            continue;
        }
        let rest = &body[at + 1..];
        // A soft line break, after any spaces a sender's program left.
        let spaces = rest
            .iter()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count();
        let after = &rest[spaces..];
        if after.starts_with(b"\r\n") {
            at += 1 + spaces + 2;
        } else if after.starts_with(b"\n") || (after.is_empty() && at + 1 + spaces == body.len()) {
            at += 1 + spaces + after.len().min(1);
        } else if let (Some(high), Some(low)) = (
            rest.first().copied().and_then(hex),
            rest.get(1).copied().and_then(hex),
        ) {
            out.push(high << 4 | low);
            at += 3;
        } else {
            out.push(b'=');
            at += 1;
        }
    }
    out
}

/// The base64 lines at the start of the body, decoded, and whatever follows them (a
/// mailing list's footer) as it is.
fn base64_then_text(body: &[u8]) -> (Vec<u8>, &[u8]) {
    // The base64 ends at the first blank line after it, or at a line that is not base64.
    let mut end = 0;
    let mut seen = false;
    for line in body.split_inclusive(|&b| b == b'\n') {
        let content = line.trim_ascii();
        if !content
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        {
            break;
        }
        end += line.len();
        if content.is_empty() && seen {
            break;
        }
        seen |= !content.is_empty();
    }
    let encoded: Vec<u8> = body[..end]
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    (base64(&encoded), body[end..].trim_ascii())
}

/// Base64 (RFC 4648's alphabet), read to the first "=" or the last whole group: a
/// damaged end costs its last bytes only.
pub fn base64(encoded: &[u8]) -> Vec<u8> {
    let value = |b: u8| match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(encoded.len() / 4 * 3);
    let (mut bits, mut held) = (0u32, 0u8);
    for sextet in encoded.iter().map_while(|&b| value(b)) {
        bits = bits << 6 | u32::from(sextet);
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push((bits >> held) as u8);
            bits &= (1 << held) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_keeps_a_stray_equals_sign_and_joins_soft_breaks() {
        assert_eq!(
            quoted_printable(b"caf=C3=A9 =3D 5 =\r\njoined ==== x=ZZ\n"),
            "café = 5 joined ==== x=ZZ\n".as_bytes()
        );
    }

    #[test]
    fn base64_text_followed_by_a_list_footer_keeps_both() {
        let (text, footer) =
            base64_then_text(b"SGVsbG8s\r\nIHdvcmxk\r\n\r\nFooter\r\nlist footer\r\n");
        assert_eq!(
            (text.as_slice(), footer),
            (&b"Hello, world"[..], &b"Footer\r\nlist footer"[..])
        );
    }

    #[test]
    fn base64_reads_to_its_padding() {
        assert_eq!(base64(b"SGVsbG8sIHdvcmxkIQ=="), b"Hello, world!");
        assert_eq!(base64(b"SGVsbG8"), b"Hello");
    }

    #[test]
    fn undeclared_bytes_are_read_as_windows_1252_unless_they_are_utf_8() {
        assert_eq!(undeclared(b"\xA3250 \x93fee\x94"), "£250 “fee”");
        assert_eq!(undeclared("£250".as_bytes()), "£250");
    }
}
