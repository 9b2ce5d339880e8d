use thiserror::Error;

/// A value the user supplied that the case file cannot hold. Each message is one plain
/// sentence that says what was wrong and, where it helps, what to write instead.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DomainError {
    #[error("{0}")]
    Invalid(String),
}

impl DomainError {
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid(message.into())
    }
}
