//! Documents a family receives (minutes, plans, letters) read into what they say: an
//! ordered list of paragraphs and tables, from a PDF (hayro), a Word document (.docx)
//! or a text file. Nothing here knows about cases; the minutes check, the EHC plan check
//! and the inbox read through it. `words` holds the content-word comparison they share,
//! `phrases` the whole-word phrase matching.

mod pdf;
pub mod phrases;
mod word;
pub mod words;

use thiserror::Error;

/// Why a document could not be read, in one sentence for the family.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{0}")]
pub struct DocumentError(pub String);

/// One paragraph, or a table as rows of cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    Table(Vec<Vec<String>>),
}

impl Block {
    /// A paragraph as it is; a table a cell a line.
    pub fn text(&self) -> String {
        match self {
            Block::Paragraph(text) => text.clone(),
            Block::Table(rows) => rows
                .iter()
                .flatten()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub blocks: Vec<Block>,
}

impl Document {
    /// Everything it says, a paragraph or a table cell a line.
    pub fn text(&self) -> String {
        let mut text = String::new();
        for block in &self.blocks {
            text.push_str(&block.text());
            text.push('\n');
        }
        text
    }
}

/// Reads a PDF, a Word document or a UTF-8 text file, told apart by their first bytes
/// (a .docx is a zip archive). A PDF and a text file have lines, not marked paragraphs:
/// each line is a paragraph.
pub fn read_document(name: &str, bytes: &[u8]) -> Result<Document, DocumentError> {
    let blocks = if bytes.starts_with(b"PK") {
        word::word_blocks(name, bytes)?
    } else if bytes.starts_with(b"%PDF") {
        lines(pdf::pdf_lines(name, bytes)?)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => lines(text.lines().map(str::to_owned).collect()),
            Err(_) => {
                return Err(DocumentError(format!(
                    "{name} is not a text file, a Word document or a PDF casebook can read."
                )));
            }
        }
    };
    let document = Document { blocks };
    if document.text().trim().is_empty() {
        return Err(DocumentError(format!("{name} has no text in it.")));
    }
    Ok(document)
}

fn lines(lines: Vec<String>) -> Vec<Block> {
    lines.into_iter().map(Block::Paragraph).collect()
}
