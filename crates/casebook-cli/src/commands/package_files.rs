//! The manual page and shell completions a package installs, made from the command
//! line's own help, so they never say something the program does not do.

use std::path::Path;

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::{Shell, generate_to};

use crate::args::{Cli, PackageFilesArgs};
use crate::output::say;

pub fn write(args: &PackageFilesArgs) -> Result<()> {
    let out: &Path = &args.out;
    std::fs::create_dir_all(out)
        .map_err(|e| anyhow::anyhow!("{} cannot be made: {e}.", out.display()))?;
    let command = Cli::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut page)?;
    std::fs::write(out.join("casebook.1"), page)?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        generate_to(shell, &mut command.clone(), "casebook", out)?;
    }
    say!(
        "Wrote the manual page and the completions for bash, zsh and fish to {}.",
        out.display()
    );
    Ok(())
}
