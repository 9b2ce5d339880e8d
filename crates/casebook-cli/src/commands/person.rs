use crate::output::say;
use anyhow::Result;
use casebook_app::{NewPerson, add_person, choose_case};
use casebook_domain::Role;
use casebook_store::CaseStore;

use super::Context;
use crate::args::PersonArgs;
use crate::output;

pub fn add(cx: &Context, args: &PersonArgs) -> Result<()> {
    let role = Role::parse(&args.role)?;
    let opened = cx.open()?;
    let case = choose_case(&opened.store, cx.cli.case_slug.as_deref())?;
    let person = add_person(
        &opened.store,
        &case,
        NewPerson {
            name: args.name.clone(),
            role,
            organisation: args.organisation.clone(),
            email: args.email.clone(),
            phone: args.phone.clone(),
        },
    )?;
    if cx.cli.json {
        return output::json(&person);
    }
    match &person.pseudonym {
        Some(pseudonym) => say!(
            "{} (shown as \"{pseudonym}\" in anything exported)",
            person.id
        ),
        None => say!("{}", person.id),
    }
    Ok(())
}

pub fn list(cx: &Context) -> Result<()> {
    let opened = cx.open()?;
    let case = choose_case(&opened.store, cx.cli.case_slug.as_deref())?;
    let people = opened.store.people(case.id)?;
    if cx.cli.json {
        return output::json(&people);
    }
    for p in people {
        let alias = p
            .pseudonym
            .as_deref()
            .map(|s| format!(" (\"{s}\")"))
            .unwrap_or_default();
        let email = p
            .email
            .as_deref()
            .map(|e| format!(" <{e}>"))
            .unwrap_or_default();
        say!(
            "{:<5} {}{alias}{email}, {}",
            p.id.to_string(),
            p.name,
            p.role.phrase()
        );
    }
    Ok(())
}
