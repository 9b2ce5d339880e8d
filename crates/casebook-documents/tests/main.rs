//! Documents made by other programs (python-docx), read back.

mod word;
