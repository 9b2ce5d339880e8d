use crate::output::say;
use anyhow::Result;
use casebook_app::{NewCase, create_case, set_family};
use casebook_domain::{Child, Governance, Setting, SettingKind, parse_date};
use casebook_store::CaseStore;

use super::Context;
use crate::args::{FamilyArgs, MoveArgs, NewCaseArgs};
use crate::open::{location, open_or_create};
use crate::output;

pub fn new(cx: &Context, args: &NewCaseArgs) -> Result<()> {
    // Everything the user typed is checked before the store is touched, so a mistake
    // never leaves a new, empty store behind.
    let new = NewCase {
        slug: args.slug.clone(),
        child: Child {
            name: args.child.clone(),
            date_of_birth: args.date_of_birth.as_deref().map(parse_date).transpose()?,
            year_group: args.year_group.clone(),
            needs: args.needs.clone(),
            diagnoses: args.diagnoses.clone(),
        },
        setting_name: args.setting.clone(),
        setting_kind: SettingKind::parse(&args.setting_kind)?,
        governance: args
            .governance
            .as_deref()
            .map(Governance::parse)
            .transpose()?,
        authority: args.authority.clone(),
        jurisdiction: args.jurisdiction.clone(),
    };
    casebook_domain::validate_slug(&new.slug)?;
    let opened = open_or_create(&location(cx.cli.store.as_deref())?)?;
    let case = create_case(&opened.store, new)?;
    if cx.cli.json {
        return output::json(&case);
    }
    say!(
        "Started case \"{}\": {} at {} ({}, {}).",
        case.slug,
        case.child.name,
        case.setting.name,
        case.setting.kind.phrase(),
        case.setting.governance.phrase()
    );
    Ok(())
}

pub fn list(cx: &Context) -> Result<()> {
    let opened = cx.open()?;
    let cases = opened.store.cases()?;
    if cx.cli.json {
        return output::json(&cases);
    }
    if cases.is_empty() {
        say!("There are no cases yet: start one with `casebook case new`.");
    }
    for case in cases {
        say!(
            "{:<20} {} at {}",
            case.slug,
            case.child.name,
            case.setting.name
        );
    }
    Ok(())
}

/// The child's move to another school, from a day.
pub fn move_school(cx: &Context, args: &MoveArgs) -> Result<()> {
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let kind = SettingKind::parse(&args.setting_kind)?;
    let setting = Setting {
        name: args.setting.clone(),
        kind,
        governance: match args.governance.as_deref() {
            Some(g) => Governance::parse(g)?,
            None => kind.usual_governance(),
        },
    };
    file.move_school(parse_date(&args.on)?, setting)?;
    let schools = file.schools()?;
    if cx.cli.json {
        return output::json(&schools);
    }
    say!("{}'s schools in this case:", file.case.child.name);
    for school in schools {
        say!("  {}", school.when());
    }
    Ok(())
}

/// The name and address the family's letters are signed with.
pub fn family(cx: &Context, args: &FamilyArgs) -> Result<()> {
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let family = set_family(&opened.store, &file.case, &args.name, &args.address)?;
    if cx.cli.json {
        return output::json(&family);
    }
    say!(
        "Letters for {} are now signed:\n\n{}{}",
        file.case.child.name,
        family.name,
        family.address.map(|a| format!("\n{a}")).unwrap_or_default()
    );
    Ok(())
}
