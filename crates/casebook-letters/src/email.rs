//! A letter as an .eml file the family opens in their own mail program and sends.

use mail_builder::MessageBuilder;

use crate::Letter;
use crate::error::LetterError;

/// `from` and `to` are (name, address); `date` is seconds since 1970, fixed by the
/// caller so the file is the same each time it is drafted from the same case.
pub fn to_eml(
    letter: &Letter,
    from: (&str, &str),
    to: (&str, &str),
    date: i64,
) -> Result<String, LetterError> {
    MessageBuilder::new()
        .from((from.0, from.1))
        .to((to.0, to.1))
        .subject(letter.subject.as_str())
        .date(date)
        .text_body(letter.body.as_str())
        .write_to_string()
        .map_err(|e| LetterError::Invalid(format!("The email could not be written: {e}.")))
}
