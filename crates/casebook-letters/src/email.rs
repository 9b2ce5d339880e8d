//! A letter as an .eml file the family opens in their own mail program and sends.

use mail_builder::MessageBuilder;

use crate::Letter;
use crate::error::LetterError;

/// Who an email letter is from and to, when it was drafted, and the files it carries.
/// Addresses are (name, address); `date` is seconds since 1970, fixed by the caller so
/// the file is the same each time it is drafted from the same case.
pub struct Envelope {
    pub from: (String, String),
    pub to: Vec<(String, String)>,
    pub cc: Vec<(String, String)>,
    pub date: i64,
    /// (file name, media type, bytes).
    pub attachments: Vec<(String, String, Vec<u8>)>,
}

pub fn to_eml(letter: &Letter, envelope: &Envelope) -> Result<String, LetterError> {
    let mut message = MessageBuilder::new()
        .from((envelope.from.0.as_str(), envelope.from.1.as_str()))
        .to(envelope.to.clone())
        .subject(letter.subject.as_str())
        .date(envelope.date)
        .text_body(letter.body.as_str());
    if !envelope.cc.is_empty() {
        message = message.cc(envelope.cc.clone());
    }
    for (name, media_type, bytes) in &envelope.attachments {
        message = message.attachment(media_type.clone(), name.clone(), bytes.clone());
    }
    message
        .write_to_string()
        .map_err(|e| LetterError::Invalid(format!("The email could not be written: {e}.")))
}
