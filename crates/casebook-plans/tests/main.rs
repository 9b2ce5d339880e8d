//! The plan check on plans written for the purpose, each with a key of the findings
//! planted in it and the well-specified items that must not be flagged.

mod amendments;
mod corpus;
mod keys;
