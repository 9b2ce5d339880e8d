use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum LetterError {
    #[error("{0}")]
    Invalid(String),
}

pub(crate) fn invalid<T>(message: impl Into<String>) -> Result<T, LetterError> {
    Err(LetterError::Invalid(message.into()))
}
