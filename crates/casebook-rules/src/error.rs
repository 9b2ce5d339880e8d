use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum RuleError {
    #[error("{0}")]
    Invalid(String),
}

pub(crate) fn invalid<T>(message: impl Into<String>) -> Result<T, RuleError> {
    Err(RuleError::Invalid(message.into()))
}

impl From<casebook_calendar::CalendarError> for RuleError {
    fn from(e: casebook_calendar::CalendarError) -> Self {
        RuleError::Invalid(e.to_string())
    }
}
