//! `casebook attendance` and `casebook case school-day`: time out of school, counted.

use anyhow::Result;
use casebook_app::{Clock, SchoolDay, hours};
use casebook_domain::{parse_date_near, uk_date};

use super::Context;
use crate::args::{AttendanceArgs, SchoolDayArgs};
use crate::output::{self, say};

pub fn school_day(cx: &Context, args: &SchoolDayArgs) -> Result<()> {
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let day = SchoolDay::parse(&args.morning, &args.afternoon)?;
    day.save(file.store, &file.case)?;
    say!(
        "{}'s school day: morning {} to {}, afternoon {} to {} ({} of teaching).",
        file.case.child.name,
        day.morning.0.strftime("%H:%M"),
        day.morning.1.strftime("%H:%M"),
        day.afternoon.0.strftime("%H:%M"),
        day.afternoon.1.strftime("%H:%M"),
        hours(day.length())
    );
    Ok(())
}

pub fn attendance(cx: &Context, args: &AttendanceArgs) -> Result<()> {
    let opened = cx.open()?;
    let file = cx.case_file(&opened)?;
    let today = cx.clock.today();
    let to = match &args.to {
        Some(text) => parse_date_near(text, today)?,
        None => today,
    };
    let from = match &args.from {
        Some(text) => parse_date_near(text, today)?,
        None => file.school_year_start(to)?,
    };
    let counted = file.attendance(from, to)?;
    if cx.cli.json {
        return output::json(&counted);
    }
    for line in counted.working() {
        say!("{line}");
    }
    let missed: Vec<_> = counted
        .weeks
        .iter()
        .filter(|w| w.missed > 0 || w.minutes_lost.is_some_and(|m| m > 0))
        .collect();
    if !missed.is_empty() {
        say!("\nWeeks with time out of school:");
    }
    for week in missed {
        say!(
            "  week of {}: {} of {} sessions missed{}",
            uk_date(week.monday),
            week.missed,
            week.possible,
            week.minutes_lost
                .map(|m| format!(", {} lost", hours(m)))
                .unwrap_or_default()
        );
    }
    Ok(())
}
