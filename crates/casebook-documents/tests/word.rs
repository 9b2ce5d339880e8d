use std::process::Command;

use casebook_documents::{Block, read_document};

/// A Word document written by python-docx from a script, read back.
fn made_by_python_docx(script: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("made.docx");
    let out = Command::new("python3")
        .args(["-c", script, path.to_str().expect("path")])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python-docx: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(&path).expect("the document")
}

#[test]
fn paragraphs_and_tables_come_in_order_with_their_cells() {
    let bytes = made_by_python_docx(
        "import sys, docx\n\
         d = docx.Document()\n\
         d.add_heading('Section F: Special educational provision', 1)\n\
         d.add_paragraph('Before the table.')\n\
         t = d.add_table(rows=2, cols=3)\n\
         for r, row in enumerate([['Need', 'Provision', 'How often'], ['Reading', 'Phonics with a teacher', 'Daily, 20 minutes']]):\n\
         \x20   for c, text in enumerate(row):\n\
         \x20       t.cell(r, c).text = text\n\
         t.cell(1, 1).add_paragraph('In a group of three')\n\
         p = d.add_paragraph('A\\tB')\n\
         d.add_paragraph('After the table.')\n\
         d.save(sys.argv[1])\n",
    );
    let read = read_document("plan.docx", &bytes).expect("reads");
    assert_eq!(
        read.blocks,
        vec![
            Block::Paragraph("Section F: Special educational provision".into()),
            Block::Paragraph("Before the table.".into()),
            Block::Table(vec![
                vec!["Need".into(), "Provision".into(), "How often".into()],
                vec![
                    "Reading".into(),
                    "Phonics with a teacher\nIn a group of three".into(),
                    "Daily, 20 minutes".into()
                ],
            ]),
            Block::Paragraph("A B".into()),
            Block::Paragraph("After the table.".into()),
        ]
    );
}

#[test]
fn what_is_not_a_document_is_refused_with_a_sentence() {
    let refused = |name: &str, bytes: &[u8]| read_document(name, bytes).expect_err(name).0;
    assert_eq!(
        refused("x.docx", b"PK\x03\x04 not really a zip"),
        "x.docx is not a Word document casebook can read."
    );
    assert_eq!(
        refused("x.pdf", b"%PDF-1.7 and nothing"),
        "x.pdf is not a PDF casebook can read."
    );
    assert_eq!(refused("x.txt", b"  \n\n"), "x.txt has no text in it.");
    assert_eq!(
        refused("x.bin", &[0xff, 0xfe, 0x00, 0x81]),
        "x.bin is not a text file, a Word document or a PDF casebook can read."
    );
}
