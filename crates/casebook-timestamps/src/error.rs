/// Why a timestamp was refused, in a sentence a family can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

impl Refused {
    pub(crate) fn new(sentence: impl Into<String>) -> Self {
        Refused(sentence.into())
    }
}

/// A token that cannot be read at all.
pub(crate) fn unreadable(what: &str, e: der::Error) -> Refused {
    Refused(format!(
        "The {what} cannot be read as a trusted timestamp ({e}): it is damaged, cut short or not a timestamp at all."
    ))
}
