//! Which files a family can attach from a browser: photos, PDFs, Word documents,
//! emails, text, audio and video, each checked by what it holds as well as by its name,
//! so a program or a web page cannot be stored under a harmless-looking name and later
//! opened from the case.

use crate::error::{AppResult, invalid};
use crate::record::{ATTACHMENT_LIMIT, NewAttachment, media_type};

/// What the first bytes of a file say it is, in the media types `media_type` gives.
fn sniffed(bytes: &[u8]) -> Option<&'static [&'static str]> {
    const JPEG: &[&str] = &["image/jpeg"];
    const PNG: &[&str] = &["image/png"];
    const GIF: &[&str] = &["image/gif"];
    const WEBP: &[&str] = &["image/webp"];
    const PDF: &[&str] = &["application/pdf"];
    // ISO media files share one box structure: photos from iPhones, videos, voice notes.
    const ISO_MEDIA: &[&str] = &["image/heic", "video/mp4", "video/quicktime", "audio/mp4"];
    const ZIP: &[&str] = &[
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    ];
    const OLE: &[&str] = &["application/msword"];
    const MP3: &[&str] = &["audio/mpeg"];
    const TEXT: &[&str] = &["text/plain", "text/csv", "message/rfc822"];
    let starts = |prefix: &[u8]| bytes.starts_with(prefix);
    if starts(b"\xFF\xD8\xFF") {
        Some(JPEG)
    } else if starts(b"\x89PNG\r\n\x1A\n") {
        Some(PNG)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some(GIF)
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some(WEBP)
    } else if starts(b"%PDF-") {
        Some(PDF)
    } else if bytes.get(4..8) == Some(b"ftyp") {
        Some(ISO_MEDIA)
    } else if starts(b"PK\x03\x04") {
        Some(ZIP)
    } else if starts(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Some(OLE)
    } else if starts(b"ID3") || (bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0) {
        Some(MP3)
    } else if std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0) {
        Some(TEXT)
    } else {
        None
    }
}

/// Refuses a file that is empty, too large, of a kind casebook does not keep, or that
/// holds something other than its name says.
pub fn check_upload(file: &NewAttachment) -> AppResult<()> {
    let name = &file.name;
    if file.bytes.is_empty() {
        return invalid(format!("{name} is empty: choose the file again."));
    }
    if file.bytes.len() > ATTACHMENT_LIMIT {
        return invalid(format!(
            "{name} is {} MB; the limit for one file is {} MB.",
            file.bytes.len() / (1024 * 1024),
            ATTACHMENT_LIMIT / (1024 * 1024)
        ));
    }
    let claimed = media_type(name);
    if claimed == "application/octet-stream" || claimed == "text/html" {
        return invalid(format!(
            "casebook keeps photos, PDFs, Word documents, emails, text, audio and video; {name} is none of these, so nothing was saved."
        ));
    }
    match sniffed(&file.bytes) {
        Some(kinds) if kinds.contains(&claimed) => Ok(()),
        _ => invalid(format!(
            "{name} does not hold what its name says it is, so nothing was saved: check that it is the file you meant."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, bytes: &[u8]) -> NewAttachment {
        NewAttachment {
            name: name.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn files_are_kept_only_when_their_content_matches_their_name() {
        assert!(check_upload(&file("photo.jpg", b"\xFF\xD8\xFF\xE0rest")).is_ok());
        assert!(check_upload(&file("letter.pdf", b"%PDF-1.7\n")).is_ok());
        assert!(check_upload(&file("notes.txt", "Réunion à 9h".as_bytes())).is_ok());
        assert!(check_upload(&file("IMG_0001.HEIC", b"\0\0\0\x18ftypheic")).is_ok());
        let refused = |name: &str, bytes: &[u8]| {
            check_upload(&file(name, bytes))
                .expect_err(name)
                .to_string()
        };
        assert!(refused("setup.exe", b"MZ\x90\0").contains("none of these"));
        assert!(refused("page.html", b"<script>").contains("none of these"));
        assert!(refused("photo.jpg", b"%PDF-1.7").contains("does not hold"));
        assert!(refused("report.pdf", b"MZ\x90\0\x03").contains("does not hold"));
        assert!(refused("empty.pdf", b"").contains("is empty"));
    }
}
