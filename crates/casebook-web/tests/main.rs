//! The web app answering real HTTP requests: the family's own app, an organisation's
//! server, and both in a real browser.

mod browser;
mod every_form;
mod families;
mod harness;
mod local;
mod organisation;
