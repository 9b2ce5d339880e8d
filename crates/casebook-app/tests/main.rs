//! The use cases over a real store.

mod accounts;
mod daily_timestamps;
mod every_path;
