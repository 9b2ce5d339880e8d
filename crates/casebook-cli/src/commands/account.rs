//! `casebook account`: accounts on an organisation's server, for the first owner of a
//! case (everyone after joins by invitation).

use anyhow::{Result, bail};
use casebook_app::{NewAccount, create_account, grant};
use casebook_domain::CaseRole;

use super::Context;
use crate::args::{AccountAddArgs, GrantArgs};
use crate::output::say;

pub fn add(cx: &Context, args: &AccountAddArgs) -> Result<()> {
    let password = match std::env::var("CASEBOOK_PASSWORD") {
        Ok(p) => p,
        Err(_) if std::io::IsTerminal::is_terminal(&std::io::stdin()) => {
            let first = rpassword::prompt_password(format!("Password for {}: ", args.email))?;
            if rpassword::prompt_password("Type it again: ")? != first {
                bail!("The two passwords differ: no account was opened.");
            }
            first
        }
        Err(_) => bail!(
            "Give the password in CASEBOOK_PASSWORD, or run casebook in a terminal to type it."
        ),
    };
    let opened = cx.open()?;
    let account = create_account(
        &opened.store,
        &cx.clock,
        NewAccount {
            email: args.email.clone(),
            name: args.name.clone(),
            password,
        },
    )?;
    say!(
        "Opened an account for {} ({}).",
        account.name,
        account.email
    );
    Ok(())
}

pub fn grant_role(cx: &Context, args: &GrantArgs) -> Result<()> {
    let role = CaseRole::parse(&args.role)?;
    let opened = cx.open()?;
    grant(&opened.store, &args.email, &args.to_case, role)?;
    say!(
        "{} is now {} on {}.",
        args.email.trim(),
        role.slug(),
        args.to_case
    );
    Ok(())
}
