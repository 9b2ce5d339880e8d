//! The use cases over a real store.

mod accounts;
mod every_path;
