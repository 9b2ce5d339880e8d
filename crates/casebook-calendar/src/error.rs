use thiserror::Error;

/// One plain sentence saying what is wrong with a calendar the user gave.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum CalendarError {
    #[error("{0}")]
    Invalid(String),
}

pub(crate) fn invalid<T>(message: impl Into<String>) -> Result<T, CalendarError> {
    Err(CalendarError::Invalid(message.into()))
}
