//! `casebook`: the command-line edge. It parses, opens the store, calls the use cases
//! in casebook-app and prints; nothing here decides anything about a case.

mod args;
mod commands;
mod open;
mod output;

use std::process::ExitCode;

use clap::Parser;

/// Exit codes of SPEC section 8: 0 done, 1 refused (one sentence on stderr), 2 usage.
fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::from(1)
        }
    }
}
