//! PDF output through typst, used as a library with our own `World`: bundled fonts,
//! no files from disk, no network, no clock. This is the only crate that compiles typst
//! (several minutes on two cores), so nothing else rebuilds it. Letters now; the
//! evidence bundle (issue 5) will live here too.

mod world;

use thiserror::Error;
use typst::foundations::{Dict, IntoValue, Smart, Str};
use typst_layout::PagedDocument;

use crate::world::MemoryWorld;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum PdfError {
    #[error("{0}")]
    Failed(String),
}

/// A letter to lay out: the date line, the subject and the body as plain text. Lines
/// starting with "- " are list items; blank lines separate paragraphs.
#[derive(Debug, Clone)]
pub struct LetterPage<'a> {
    pub date: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// The letter layout. The family's words arrive as `sys.inputs` strings, never as typst
/// markup, so nothing they type can change the layout or run as code.
const LETTER: &str = include_str!("letter.typ");

/// Renders a letter to PDF. The same letter always gives the same bytes.
pub fn letter_pdf(letter: &LetterPage<'_>) -> Result<Vec<u8>, PdfError> {
    let mut inputs = Dict::new();
    for (key, value) in [
        ("date", letter.date),
        ("subject", letter.subject),
        ("body", letter.body),
    ] {
        inputs.insert(Str::from(key), value.into_value());
    }
    let world = MemoryWorld::new(LETTER, inputs);
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| failed("laid out", &errors))?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom("casebook-letter".into()),
        timestamp: None,
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| failed("written", &errors))
}

fn failed(what: &str, errors: &[typst::diag::SourceDiagnostic]) -> PdfError {
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    PdfError::Failed(format!(
        "The PDF could not be {what}: {}.",
        messages.join("; ")
    ))
}
