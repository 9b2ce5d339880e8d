use crate::DomainError;

/// Longest one-line value (a summary, a name, a reason).
pub const SHORT_TEXT_LIMIT: usize = 2_000;
/// Longest free text (details, an email body, notes): 1 MiB, far beyond any letter.
pub const LONG_TEXT_LIMIT: usize = 1024 * 1024;

/// One-line text: no control characters at all, not empty, not over the limit.
pub fn check_short_text(field: &str, text: &str) -> Result<(), DomainError> {
    if text.trim().is_empty() {
        return Err(DomainError::invalid(format!(
            "The {field} is empty: write a few words."
        )));
    }
    if text.len() > SHORT_TEXT_LIMIT {
        return Err(DomainError::invalid(format!(
            "The {field} is {} characters long; the limit is {SHORT_TEXT_LIMIT}: put the rest in the details.",
            text.chars().count()
        )));
    }
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(control_error(field, c));
    }
    Ok(())
}

/// Free text: line breaks and tabs are fine, other control characters are not.
pub fn check_long_text(field: &str, text: &str) -> Result<(), DomainError> {
    if text.len() > LONG_TEXT_LIMIT {
        return Err(DomainError::invalid(format!(
            "The {field} is {} bytes long; the limit is 1 MiB: attach long material as a file instead.",
            text.len()
        )));
    }
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(control_error(field, c));
    }
    Ok(())
}

fn control_error(field: &str, c: char) -> DomainError {
    DomainError::invalid(format!(
        "The {field} contains a control character (U+{:04X}) that cannot be shown or printed: remove it and try again.",
        c as u32
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_but_line_breaks_are_fine_in_long_text() {
        assert!(check_short_text("summary", "pushed in\u{7}the corridor").is_err());
        assert!(check_short_text("summary", "two\nlines").is_err());
        assert!(check_long_text("details", "two\nlines\twith tab").is_ok());
        assert!(check_long_text("details", "escape \u{1b}[31m").is_err());
    }

    #[test]
    fn oversized_text_is_refused() {
        assert!(check_short_text("summary", &"a".repeat(SHORT_TEXT_LIMIT + 1)).is_err());
        assert!(check_long_text("details", &"a".repeat(LONG_TEXT_LIMIT + 1)).is_err());
        assert!(check_short_text("summary", "   ").is_err());
    }
}
