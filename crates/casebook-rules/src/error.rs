use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum RuleError {
    #[error("{0}")]
    Invalid(String),
    /// One of the things asked cannot be used: which one, and why. The sentence names
    /// no flag or field; whoever asked shows where to change it.
    #[error("{message}")]
    Input { input: Input, message: String },
}

/// What a deadline is asked from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Rule,
    From,
    Certificate,
    Posted,
    Limit,
}

pub(crate) fn invalid<T>(message: impl Into<String>) -> Result<T, RuleError> {
    Err(RuleError::Invalid(message.into()))
}

pub(crate) fn refused<T>(input: Input, message: impl Into<String>) -> Result<T, RuleError> {
    Err(RuleError::Input {
        input,
        message: message.into(),
    })
}

impl From<casebook_calendar::CalendarError> for RuleError {
    fn from(e: casebook_calendar::CalendarError) -> Self {
        RuleError::Invalid(e.to_string())
    }
}
