//! Printing: JSON for scripts, short plain lines for people. A reader that stops
//! early (`casebook timeline | head`) ends the program quietly instead of a panic.

use std::io::{ErrorKind, Write};

use anyhow::Result;
use serde::Serialize;

/// `say!("...")`: like `println!`, but a closed pipe ends the program quietly.
macro_rules! say {
    ($($arg:tt)*) => { $crate::output::line(format_args!($($arg)*)) };
}
pub(crate) use say;

pub fn line(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{args}") {
        if e.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("casebook could not write its output: {e}.");
        std::process::exit(1);
    }
}

pub fn json(value: &impl Serialize) -> Result<()> {
    line(format_args!("{}", serde_json::to_string_pretty(value)?));
    Ok(())
}
