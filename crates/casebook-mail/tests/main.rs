//! The mail readers against real material: mail-parser's own test messages and
//! Maildir, and Python's email test data.

mod conformance;
mod corpus;
mod dates;
