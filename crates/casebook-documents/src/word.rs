//! Paragraphs and tables of a Word document (.docx): `word/document.xml` read into a
//! tree by roxmltree (which refuses DTDs, so no entity can expand), then the body's
//! paragraphs and tables in order. Text in tracked deletions (`w:delText`) is left out:
//! it is not what the document now says.

use std::io::Read;

use roxmltree::Node;

use crate::{Block, DocumentError};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// No Word document a family is sent holds more than this, so a hostile one (a zip
/// that expands without end, millions of empty elements) costs bounded memory.
const XML_LIMIT: u64 = 20 << 20;
const NODES_LIMIT: u32 = 2_000_000;

pub fn word_blocks(name: &str, bytes: &[u8]) -> Result<Vec<Block>, DocumentError> {
    let unreadable = || DocumentError(format!("{name} is not a Word document casebook can read."));
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|_| unreadable())?
        .take(XML_LIMIT)
        .read_to_string(&mut xml)
        .map_err(|_| unreadable())?;
    let options = roxmltree::ParsingOptions {
        nodes_limit: NODES_LIMIT,
        ..roxmltree::ParsingOptions::default()
    };
    let tree = roxmltree::Document::parse_with_options(&xml, options).map_err(|_| unreadable())?;
    let body = tree
        .root_element()
        .children()
        .find(|n| is(n, "body"))
        .ok_or_else(unreadable)?;
    let mut blocks = Vec::new();
    gather(body, &mut blocks);
    Ok(blocks)
}

fn is(node: &Node<'_, '_>, local: &str) -> bool {
    node.tag_name().name() == local && node.tag_name().namespace() == Some(W)
}

/// The blocks under `node`, looking through content controls and the like.
fn gather(node: Node<'_, '_>, blocks: &mut Vec<Block>) {
    for child in node.children().filter(Node::is_element) {
        if is(&child, "p") {
            blocks.push(Block::Paragraph(paragraph(child)));
        } else if is(&child, "tbl") {
            blocks.push(Block::Table(table(child)));
        } else {
            gather(child, blocks);
        }
    }
}

fn paragraph(p: Node<'_, '_>) -> String {
    let mut text = String::new();
    for node in p.descendants().filter(Node::is_element) {
        if is(&node, "t") {
            text.push_str(node.text().unwrap_or_default());
        } else if is(&node, "tab") && !node.ancestors().any(|a| is(&a, "tabs")) {
            text.push(' ');
        } else if is(&node, "br") || is(&node, "cr") {
            text.push('\n');
        }
    }
    text
}

/// Rows of cells; a cell's paragraphs (and any table inside it) one a line.
fn table(tbl: Node<'_, '_>) -> Vec<Vec<String>> {
    tbl.children()
        .filter(|n| is(n, "tr"))
        .map(|tr| {
            tr.children()
                .filter(|n| is(n, "tc"))
                .map(|tc| {
                    let mut inside = Vec::new();
                    gather(tc, &mut inside);
                    inside
                        .iter()
                        .map(Block::text)
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect()
        })
        .collect()
}
