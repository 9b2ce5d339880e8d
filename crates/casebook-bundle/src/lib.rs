//! PDF output through typst, used as a library with our own `World`: bundled fonts,
//! no files from disk, no network, no clock. This is the only crate that compiles typst
//! (several minutes on two cores), so nothing else rebuilds it: letters and the
//! evidence bundle.

mod world;

use thiserror::Error;
use typst::foundations::{Dict, IntoValue, Label, Selector, Smart, Str, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::PicoStr;
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

/// The bundle's layout; its data arrives as `/data.json` (see [`bundle_pdf`]).
const BUNDLE: &str = include_str!("bundle.typ");

/// A rendered bundle, with where each part starts, for the page-limit checks.
#[derive(Debug, Clone)]
pub struct BundlePdf {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Each part's title and first page, in order.
    pub parts: Vec<(String, usize)>,
}

/// Renders the evidence bundle. `data` is the JSON the layout reads (casebook-app's
/// `Layout`); `files` are the charts, exhibits and manifest at the paths it names.
/// Text is set as given, never evaluated. The same input always gives the same bytes.
pub fn bundle_pdf(data: Vec<u8>, files: Vec<(String, Vec<u8>)>) -> Result<BundlePdf, PdfError> {
    let mut world = MemoryWorld::new(BUNDLE, Dict::new()).with_file("/data.json", data);
    for (path, bytes) in files {
        world = world.with_file(&path, bytes);
    }
    let document = layout(&world)?;
    let introspector = document.introspector();
    let label = Label::new(PicoStr::intern("casebook-part"))
        .unwrap_or_else(|| unreachable!("a fixed, valid label"));
    let parts = introspector
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|found| {
            let name = match &found.to_packed::<MetadataElem>()?.value {
                Value::Str(s) => s.to_string(),
                _ => return None,
            };
            let page = introspector.page(found.location()?)?;
            Some((name, page.get()))
        })
        .collect();
    Ok(BundlePdf {
        parts,
        pages: document.pages().len(),
        pdf: write(&document, "casebook-bundle")?,
    })
}

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
    write(&layout(&world)?, "casebook-letter")
}

fn layout(world: &MemoryWorld) -> Result<PagedDocument, PdfError> {
    typst::compile(world)
        .output
        .map_err(|errors| failed("laid out", &errors))
}

/// A fixed document id and no timestamp: the same document gives the same bytes.
fn write(document: &PagedDocument, ident: &str) -> Result<Vec<u8>, PdfError> {
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(ident.into()),
        timestamp: None,
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(document, &options).map_err(|errors| failed("written", &errors))
}

fn failed(what: &str, errors: &[typst::diag::SourceDiagnostic]) -> PdfError {
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    PdfError::Failed(format!(
        "The PDF could not be {what}: {}.",
        messages.join("; ")
    ))
}
