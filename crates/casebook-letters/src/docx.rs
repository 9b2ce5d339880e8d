//! A letter as a Word document (.docx) that Word and LibreOffice open: the three parts
//! a WordprocessingML package needs, A4 with 2.5 cm margins, one paragraph per line;
//! and a document that is mostly one table (`table_docx`), on A4 landscape.
//! Entries carry no timestamps, so the same letter gives the same bytes.

use std::io::Write;

use zip::write::SimpleFileOptions;

use crate::Letter;
use crate::error::LetterError;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const RELATIONSHIPS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// `date` is the line at the top of the letter ("22 November 2026").
pub fn to_docx(letter: &Letter, date: &str) -> Result<Vec<u8>, LetterError> {
    let mut body = String::new();
    body.push_str(&paragraph(date, Style::Right));
    body.push_str(&paragraph("", Style::Plain));
    body.push_str(&paragraph(&letter.subject, Style::Bold));
    body.push_str(&paragraph("", Style::Plain));
    for line in letter.body.lines() {
        let (text, style) = match line.strip_prefix("- ") {
            Some(item) => (item, Style::Bullet),
            None => (line, Style::Plain),
        };
        body.push_str(&paragraph(text, style));
    }
    package(&body, PORTRAIT)
}

/// A4 upright, 2.5 cm margins.
const PORTRAIT: &str = r#"<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1418" w:right="1418" w:bottom="1418" w:left="1418" w:header="709" w:footer="709" w:gutter="0"/>"#;
/// A4 on its side, 2 cm margins, for a wide table.
const LANDSCAPE: &str = r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="709" w:footer="709" w:gutter="0"/>"#;

/// A run of text in a table cell: bold for words added, struck through for words deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub struck: bool,
}

/// A document of a title, a few lines, and a table with a header row (bold) and rows of
/// cells, each cell its runs; on A4 landscape. The tribunal's working document is one.
pub fn table_docx(
    title: &str,
    lines: &[String],
    header: &[&str],
    rows: &[Vec<Vec<Run>>],
) -> Result<Vec<u8>, LetterError> {
    let mut body = paragraph(title, Style::Bold);
    for line in lines {
        body.push_str(&paragraph(line, Style::Plain));
    }
    let cell = |runs: &[Run]| {
        let runs: String = runs
            .iter()
            .map(|r| {
                let properties = match (r.bold, r.struck) {
                    (false, false) => String::new(),
                    (bold, struck) => format!(
                        "<w:rPr>{}{}</w:rPr>",
                        if bold { "<w:b/>" } else { "" },
                        if struck { "<w:strike/>" } else { "" }
                    ),
                };
                format!(
                    "<w:r>{properties}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
                    escape(&r.text)
                )
            })
            .collect();
        format!("<w:tc><w:p>{runs}</w:p></w:tc>")
    };
    let mut table = String::from(
        r#"<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr>"#,
    );
    table.push_str("<w:tr>");
    for name in header {
        table.push_str(&cell(&[Run {
            text: (*name).to_owned(),
            bold: true,
            struck: false,
        }]));
    }
    table.push_str("</w:tr>");
    for row in rows {
        table.push_str("<w:tr>");
        for runs in row {
            table.push_str(&cell(runs));
        }
        table.push_str("</w:tr>");
    }
    table.push_str("</w:tbl>");
    body.push_str(&table);
    // Word wants a paragraph after a table at the end of a document.
    body.push_str(&paragraph("", Style::Plain));
    package(&body, LANDSCAPE)
}

/// The three parts a WordprocessingML package needs, around `body`.
fn package(body: &str, page: &str) -> Result<Vec<u8>, LetterError> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr>{page}</w:sectPr></w:body></w:document>"#
    );
    let fail = |e: std::io::Error| {
        LetterError::Invalid(format!("The Word document could not be written: {e}."))
    };
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = SimpleFileOptions::default();
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELATIONSHIPS),
        ("word/document.xml", document.as_str()),
    ] {
        zip.start_file(name, options)
            .map_err(|e| fail(std::io::Error::other(e)))?;
        zip.write_all(content.as_bytes()).map_err(fail)?;
    }
    zip.finish().map_err(|e| fail(std::io::Error::other(e)))?;
    Ok(out.into_inner())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Bold,
    Right,
    Bullet,
}

fn paragraph(text: &str, style: Style) -> String {
    let properties = match style {
        Style::Right => "<w:pPr><w:jc w:val=\"right\"/></w:pPr>",
        Style::Bullet => "<w:pPr><w:ind w:left=\"567\" w:hanging=\"283\"/></w:pPr>",
        Style::Plain | Style::Bold => "",
    };
    let run = match style {
        Style::Bold => "<w:rPr><w:b/></w:rPr>",
        _ => "",
    };
    let text = if style == Style::Bullet {
        format!("•\u{a0}{text}")
    } else {
        text.to_owned()
    };
    format!(
        "<w:p>{properties}<w:r>{run}<w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        escape(&text)
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
