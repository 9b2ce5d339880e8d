//! Attached files as a bundle shows them: PDF pages placed as they are, pictures with
//! their hidden metadata (a phone photo's location) removed, emails and Word files as
//! readable text, anything else listed by name and hash.

use casebook_domain::{Attachment, Digest, EntryId};
use mail_parser::MessageParser;

/// How an exhibit appears in the bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// Every page placed in the bundle.
    PdfPages(usize),
    /// A picture, scaled to the page; the bytes have had their metadata removed.
    Picture { extension: &'static str },
    /// Text: an email's headers and body, a Word file's paragraphs, a text file.
    Text(String),
    /// Listed by name, type, size and SHA-256 only, with the reason.
    Listed(String),
}

/// One attached file, numbered for the bundle.
#[derive(Debug, Clone)]
pub struct Exhibit {
    /// "X1", "X2"... numbered continuously through the bundle.
    pub reference: String,
    pub entry: EntryId,
    pub attachment: Attachment,
    /// What goes into the bundle: the file itself, or for pictures the file without
    /// its metadata. The manifest still names the original's SHA-256.
    pub bytes: Vec<u8>,
    pub shown: Shown,
    /// Attached to a report (an educational psychologist's, a therapist's...), which
    /// tribunals limit in length.
    pub report: bool,
}

/// Why a file that should print cannot: a PDF with a password, or a damaged file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

impl Exhibit {
    /// The exhibit, and why its content cannot be shown when it cannot (it is then
    /// listed by name and hash only).
    pub fn new(
        reference: String,
        entry: EntryId,
        attachment: Attachment,
        bytes: Vec<u8>,
        report: bool,
    ) -> (Exhibit, Option<Unreadable>) {
        let mut exhibit = Exhibit {
            reference,
            entry,
            attachment,
            bytes: Vec::new(),
            shown: Shown::Listed(String::new()),
            report,
        };
        match read(&exhibit.attachment, bytes) {
            Ok((bytes, shown)) => {
                exhibit.bytes = bytes;
                exhibit.shown = shown;
                (exhibit, None)
            }
            Err(problem) => {
                exhibit.shown = Shown::Listed(problem.0.clone());
                (exhibit, Some(problem))
            }
        }
    }

    pub fn sha256(&self) -> Digest {
        self.attachment.sha256
    }
}

fn read(attachment: &Attachment, bytes: Vec<u8>) -> Result<(Vec<u8>, Shown), Unreadable> {
    let name = attachment.name.to_ascii_lowercase();
    match attachment.media_type.as_str() {
        "application/pdf" => {
            let pages = pdf_pages(&bytes)?;
            Ok((bytes, Shown::PdfPages(pages)))
        }
        // One rule for every picture: decoded whole before layout, so a damaged one is
        // listed (with --skip-unreadable) or named, and never stops the typesetter.
        // GIF and WebP can carry EXIF and XMP (where a phone writes the place) in
        // blocks of their own: they are drawn again as PNG, pixels only (a moving GIF
        // by its first frame). HEIC typst cannot draw.
        "image/jpeg" => picture(strip_jpeg(&bytes)?, image::ImageFormat::Jpeg, "jpg"),
        "image/png" => picture(strip_png(&bytes)?, image::ImageFormat::Png, "png"),
        "image/gif" => redrawn(&bytes, image::ImageFormat::Gif),
        "image/webp" => redrawn(&bytes, image::ImageFormat::WebP),
        "message/rfc822" => {
            let text = email_text(&bytes)
                .ok_or_else(|| Unreadable("it could not be read as an email".into()))?;
            Ok((bytes, Shown::Text(text)))
        }
        "text/plain" | "text/csv" => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            Ok((bytes, Shown::Text(text)))
        }
        _ if name.ends_with(".docx") => match casebook_letters::minutes_text(&name, &bytes) {
            Ok(text) => Ok((bytes, Shown::Text(text))),
            Err(_) => Err(Unreadable("the Word file is damaged".into())),
        },
        other => {
            let why = format!(
                "a file of type {other} cannot be shown on paper; it is listed here with its SHA-256 so the original can be matched"
            );
            Ok((bytes, Shown::Listed(why)))
        }
    }
}

/// A picture, once its every pixel has decoded.
fn picture(
    bytes: Vec<u8>,
    format: image::ImageFormat,
    extension: &'static str,
) -> Result<(Vec<u8>, Shown), Unreadable> {
    decoded(&bytes, format)?;
    Ok((bytes, Shown::Picture { extension }))
}

/// A picture drawn again as PNG from its pixels, so nothing else in the file travels.
fn redrawn(bytes: &[u8], format: image::ImageFormat) -> Result<(Vec<u8>, Shown), Unreadable> {
    let pixels = decoded(bytes, format)?;
    let mut png = Vec::new();
    pixels
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|_| Unreadable("the picture cannot be drawn again without its metadata".into()))?;
    Ok((png, Shown::Picture { extension: "png" }))
}

fn decoded(bytes: &[u8], format: image::ImageFormat) -> Result<image::DynamicImage, Unreadable> {
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    // A picture claiming a vast size is refused before its pixels are held.
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 << 20);
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => {
            Unreadable("the picture is too large to place on a page".into())
        }
        _ => Unreadable("the picture is damaged and cannot be read".into()),
    })
}

/// The number of pages, or why the PDF cannot be placed in a bundle.
pub fn pdf_pages(bytes: &[u8]) -> Result<usize, Unreadable> {
    match hayro_syntax::Pdf::new(bytes.to_vec()) {
        Ok(pdf) if !pdf.pages().is_empty() => Ok(pdf.pages().len()),
        Ok(_) => Err(Unreadable("the PDF has no pages".into())),
        Err(hayro_syntax::LoadPdfError::Decryption(_)) => {
            Err(Unreadable("the PDF is protected by a password".into()))
        }
        Err(hayro_syntax::LoadPdfError::Invalid) => {
            Err(Unreadable("the PDF is damaged and cannot be read".into()))
        }
    }
}

/// A JPEG without its EXIF, XMP, IPTC and comment segments (where a phone writes the
/// place and the device). Colour profiles (APP2) and Adobe's colour marker (APP14)
/// stay, because the picture looks wrong without them.
pub fn strip_jpeg(bytes: &[u8]) -> Result<Vec<u8>, Unreadable> {
    let damaged = || Unreadable("the JPEG picture is damaged".into());
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err(damaged());
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut at = 2;
    loop {
        let marker = *bytes.get(at + 1).ok_or_else(damaged)?;
        if bytes[at] != 0xFF {
            return Err(damaged());
        }
        // Start of scan: the picture data follows, with no more metadata segments.
        if marker == 0xDA {
            out.extend_from_slice(&bytes[at..]);
            return Ok(out);
        }
        let length = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2).ok_or_else(damaged)?,
            *bytes.get(at + 3).ok_or_else(damaged)?,
        ]));
        let end = at + 2 + length;
        if length < 2 || end > bytes.len() {
            return Err(damaged());
        }
        let metadata = matches!(marker, 0xE1 | 0xE3..=0xED | 0xEF | 0xFE);
        if !metadata {
            out.extend_from_slice(&bytes[at..end]);
        }
        at = end;
    }
}

/// A PNG without its text, EXIF and time chunks.
pub fn strip_png(bytes: &[u8]) -> Result<Vec<u8>, Unreadable> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let damaged = || Unreadable("the PNG picture is damaged".into());
    if !bytes.starts_with(SIGNATURE) {
        return Err(damaged());
    }
    let mut out = SIGNATURE.to_vec();
    let mut at = SIGNATURE.len();
    while at < bytes.len() {
        let header = bytes.get(at..at + 8).ok_or_else(damaged)?;
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let end = at + 12 + length;
        if end > bytes.len() {
            return Err(damaged());
        }
        if !matches!(
            &header[4..8],
            b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME"
        ) {
            out.extend_from_slice(&bytes[at..end]);
        }
        at = end;
    }
    Ok(out)
}

/// An email as a reader wants it: who, to whom, when, about what, then what it says.
fn email_text(bytes: &[u8]) -> Option<String> {
    let message = MessageParser::default().parse(bytes)?;
    let mut out = String::new();
    let addresses = |list: Option<&mail_parser::Address<'_>>| {
        list.map(|a| {
            a.iter()
                .map(|addr| match (&addr.name, &addr.address) {
                    (Some(name), Some(address)) => format!("{name} <{address}>"),
                    (None, Some(address)) => address.to_string(),
                    (Some(name), None) => name.to_string(),
                    (None, None) => String::new(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    for (label, value) in [
        ("From", addresses(message.from())),
        ("To", addresses(message.to())),
        ("Cc", addresses(message.cc())),
        ("Date", message.date().map(|d| d.to_rfc822())),
        ("Subject", message.subject().map(str::to_owned)),
    ] {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            out.push_str(&format!("{label}: {value}\n"));
        }
    }
    out.push('\n');
    out.push_str(
        message
            .body_text(0)
            .as_deref()
            .unwrap_or("(no text in this email)"),
    );
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_loses_exif_and_comments_but_keeps_the_picture() {
        let segment = |marker: u8, body: &[u8]| {
            let mut s = vec![0xFF, marker];
            s.extend_from_slice(&u16::try_from(body.len() + 2).unwrap().to_be_bytes());
            s.extend_from_slice(body);
            s
        };
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend(segment(0xE0, b"JFIF\0"));
        jpeg.extend(segment(0xE1, b"Exif\0\0GPS 51.5N 0.1W"));
        jpeg.extend(segment(0xFE, b"taken at school gate"));
        jpeg.extend(segment(0xDB, &[0; 65]));
        jpeg.extend([0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9]);
        let stripped = strip_jpeg(&jpeg).unwrap();
        let text = String::from_utf8_lossy(&stripped);
        assert!(!text.contains("GPS") && !text.contains("school gate"));
        assert!(text.contains("JFIF"));
        assert!(stripped.ends_with(&[0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9]));
        assert!(strip_jpeg(&jpeg[..7]).is_err());
        assert!(strip_jpeg(b"not a picture").is_err());
    }

    #[test]
    fn png_loses_text_and_exif_chunks() {
        let chunk = |kind: &[u8], body: &[u8]| {
            let mut c = u32::try_from(body.len()).unwrap().to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(body);
            c.extend_from_slice(&[0; 4]);
            c
        };
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"IHDR", &[0; 13]));
        png.extend(chunk(b"eXIf", b"GPS 51.5N"));
        png.extend(chunk(b"tEXt", b"Comment\0home"));
        png.extend(chunk(b"IEND", b""));
        let stripped = strip_png(&png).unwrap();
        let text = String::from_utf8_lossy(&stripped);
        assert!(!text.contains("GPS") && !text.contains("home"));
        assert!(text.contains("IHDR") && text.contains("IEND"));
        assert!(strip_png(&png[..20]).is_err());
    }

    #[test]
    fn damaged_and_empty_pdfs_are_named_as_such() {
        assert_eq!(
            pdf_pages(b"%PDF-1.7 nothing else").unwrap_err(),
            Unreadable("the PDF is damaged and cannot be read".into())
        );
    }
}
