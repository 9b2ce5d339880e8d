use casebook_domain::DomainError;
use casebook_store::StoreError;
use thiserror::Error;

/// Every failure a user can meet, each as one plain sentence.
#[derive(Debug, Error)]
pub enum AppError {
    /// The user's input or data was refused; nothing was changed.
    #[error("{0}")]
    Invalid(String),
    /// There is nothing here for this person: no such case, or not theirs.
    #[error("{0}")]
    NotFound(String),
    /// Their role does not allow it.
    #[error("{0}")]
    NotAllowed(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        AppError::Invalid(e.to_string())
    }
}

pub type AppResult<T> = Result<T, AppError>;

pub(crate) fn invalid<T>(message: impl Into<String>) -> AppResult<T> {
    Err(AppError::Invalid(message.into()))
}
