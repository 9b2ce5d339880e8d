//! Dates counted by hand from the 2026-2027 calendar, checked against the engine.

use casebook_calendar::{BankHolidays, Calendar, DayOne, Holidays, Nation, TermCalendar, Unit};
use jiff::civil::{Date, date};
use proptest::prelude::*;

const EXAMPLE_TERMS: &str = include_str!("../../../rules/example-terms.toml");

fn england(terms: Option<TermCalendar>) -> Calendar {
    Calendar::new(Holidays::Nation(Nation::EnglandAndWales), terms)
}

fn example_school() -> Calendar {
    england(Some(
        TermCalendar::from_toml(EXAMPLE_TERMS).expect("example terms"),
    ))
}

fn due(cal: &Calendar, count: i64, unit: Unit, from: Date) -> Date {
    cal.add(count, unit, from, DayOne::After)
        .expect("count")
        .due
}

#[test]
fn the_vendored_bank_holidays_match_the_reference_table() {
    let bank = BankHolidays::official();
    let ew = Holidays::Nation(Nation::EnglandAndWales);
    let days_2026: Vec<Date> = (0..365)
        .map(|n| date(2026, 1, 1).saturating_add(jiff::Span::new().days(n)))
        .filter(|d| bank.on(*d, ew).is_some())
        .collect();
    assert_eq!(
        days_2026,
        [
            (1, 1),
            (4, 3),
            (4, 6),
            (5, 4),
            (5, 25),
            (8, 31),
            (12, 25),
            (12, 28)
        ]
        .map(|(m, d)| date(2026, m, d))
    );
    assert_eq!(
        bank.on(date(2026, 12, 28), ew).as_deref(),
        Some("Boxing Day")
    );
    assert_eq!(bank.on(date(2026, 1, 2), ew), None);
    assert_eq!(
        bank.on(date(2026, 1, 2), Holidays::AnyUk).as_deref(),
        Some("2nd January (Scotland)")
    );
    assert!(
        bank.on(date(2026, 3, 17), Holidays::AnyUk)
            .is_some_and(|n| n.contains("Northern Ireland"))
    );
    assert!(bank.known_until() >= date(2028, 12, 26));
}

#[test]
fn working_days_skip_weekends_and_easter() {
    // Wed 1 April 2026: Good Friday 3 April and Easter Monday 6 April are skipped.
    let cal = england(None);
    let computed = cal
        .add(20, Unit::WorkingDays, date(2026, 4, 1), DayOne::After)
        .expect("count");
    assert_eq!(computed.due, date(2026, 5, 1));
    assert!(!computed.estimate);
    let text = computed.explanation.lines().join("\n");
    assert!(
        text.contains("Friday 3 April 2026 (bank holiday: Good Friday)"),
        "{text}"
    );
    assert!(
        text.contains("Saturday 4 April 2026 to Monday 6 April 2026")
            || text.contains("Monday 6 April 2026 (bank holiday: Easter Monday)"),
        "{text}"
    );
}

#[test]
fn working_days_skip_christmas_and_the_substitute_days() {
    // Fri 18 December 2026; 25 and 28 December and 1 January are bank holidays.
    assert_eq!(
        due(&england(None), 10, Unit::WorkingDays, date(2026, 12, 18)),
        date(2027, 1, 6)
    );
}

#[test]
fn school_days_skip_the_half_term() {
    // Fri 16 October 2026, half-term 26-30 October: 5 days before it, 10 after.
    let computed = example_school()
        .add(15, Unit::SchoolDays, date(2026, 10, 16), DayOne::After)
        .expect("count");
    assert_eq!(computed.due, date(2026, 11, 13));
    assert!(!computed.estimate);
    assert!(
        computed
            .explanation
            .lines()
            .join(" ")
            .contains("October half-term")
    );
}

#[test]
fn school_days_skip_inset_days_and_bank_holidays_in_term() {
    // Fri 22 May 2026: Spring bank holiday 25 May, half-term 25-29 May, INSET 1 June.
    assert_eq!(
        due(&example_school(), 3, Unit::SchoolDays, date(2026, 5, 22)),
        date(2026, 6, 4)
    );
}

#[test]
fn without_term_dates_school_days_are_an_estimate() {
    let computed = england(None)
        .add(15, Unit::SchoolDays, date(2026, 10, 16), DayOne::After)
        .expect("count");
    assert!(computed.estimate);
    assert_eq!(
        computed.due,
        date(2026, 11, 13),
        "the typical year has the same half-term"
    );
    assert!(computed.explanation.lines().join(" ").contains("estimate"));
}

#[test]
fn months_end_on_the_last_day_when_there_is_no_corresponding_day() {
    let cal = england(None);
    let computed = cal
        .add(1, Unit::Months, date(2026, 1, 31), DayOne::After)
        .expect("count");
    assert_eq!(computed.due, date(2026, 2, 28));
    assert!(computed.explanation.lines()[1].contains("February 2026 has no 31st"));
    assert_eq!(
        due(&cal, 1, Unit::Months, date(2028, 1, 31)),
        date(2028, 2, 29)
    );
    assert_eq!(
        due(&cal, 2, Unit::Months, date(2026, 12, 31)),
        date(2027, 2, 28)
    );
    assert_eq!(
        due(&cal, 12, Unit::Months, date(2026, 3, 2)),
        date(2027, 3, 2)
    );
}

/// "Starting with" or "beginning with" a day makes it day one for weeks and months as
/// for days (Equality Act 2010 Sch 17 para 4(1): an act on 15 January is claimed by 14
/// July); with no corresponding day the period ends on the month's last day. Each
/// expected date counted by hand.
#[test]
fn weeks_and_months_starting_with_a_day_end_the_day_before() {
    let cal = england(None);
    let start = |count, unit, from| {
        cal.add(count, unit, from, DayOne::Start)
            .expect("count")
            .due
    };
    assert_eq!(start(6, Unit::Months, date(2026, 1, 15)), date(2026, 7, 14));
    assert_eq!(start(6, Unit::Months, date(2026, 3, 1)), date(2026, 8, 31));
    assert_eq!(start(12, Unit::Months, date(2026, 3, 2)), date(2027, 3, 1));
    // No 31 February: the last day of February, not the day before it.
    assert_eq!(start(6, Unit::Months, date(2026, 8, 31)), date(2027, 2, 28));
    assert_eq!(start(1, Unit::Months, date(2028, 1, 30)), date(2028, 2, 29));
    // Two weeks starting with Tuesday 10 March: 10 to 23 March.
    assert_eq!(start(2, Unit::Weeks, date(2026, 3, 10)), date(2026, 3, 23));
    let said = cal
        .add(6, Unit::Months, date(2026, 1, 15), DayOne::Start)
        .expect("count")
        .explanation
        .lines()
        .join(" ");
    assert!(
        said.contains("counting Thursday 15 January 2026 as the first: Tuesday 14 July 2026"),
        "{said}"
    );
}

#[test]
fn calendar_days_count_from_the_day_or_with_it() {
    let cal = england(None);
    assert_eq!(
        due(&cal, 6, Unit::Weeks, date(2026, 3, 2)),
        date(2026, 4, 13)
    );
    assert_eq!(
        due(&cal, 15, Unit::CalendarDays, date(2026, 3, 2)),
        date(2026, 3, 17)
    );
    let served = cal
        .add(15, Unit::CalendarDays, date(2026, 3, 2), DayOne::Start)
        .expect("count");
    assert_eq!(served.due, date(2026, 3, 16));
}

#[test]
fn the_next_working_and_school_days() {
    let (day, why) = england(None)
        .working_day_on_or_after(date(2026, 4, 3))
        .expect("day");
    assert_eq!(day, date(2026, 4, 7));
    assert_eq!(why.skipped.len(), 3, "{why:?}");
    let (day, _, estimate) = example_school()
        .school_day_on_or_after(date(2026, 10, 27))
        .expect("day");
    assert_eq!(day, date(2026, 11, 2));
    assert!(!estimate);
}

/// Sheffield City Council's real calendar in both shapes councils publish (from
/// UTCSheffield/term_dates, fixtures/sheffield/README.md): one event per term day, and
/// holidays only, the terms implied between them. Both give the same school days on
/// every date they cover, 195 a school year as the council publishes.
#[test]
fn a_calendar_of_holidays_only_gives_the_same_school_days_as_one_of_term_days() {
    let days = england(Some(
        TermCalendar::from_ics(include_str!("fixtures/sheffield/term_days.ics")).expect("days"),
    ));
    let holidays = england(Some(
        TermCalendar::from_ics(include_str!("fixtures/sheffield/school_holidays.ics"))
            .expect("a calendar of holidays only is read"),
    ));
    let mut day = date(2025, 8, 1);
    let mut per_year = std::collections::BTreeMap::new();
    while day <= date(2028, 7, 31) {
        assert_eq!(
            days.is_school_day(day),
            holidays.is_school_day(day),
            "{day}"
        );
        if holidays.is_school_day(day) {
            let year = if day.month() >= 8 {
                day.year()
            } else {
                day.year() - 1
            };
            *per_year.entry(year).or_insert(0) += 1;
        }
        day = day.tomorrow().expect("a day");
    }
    assert_eq!(per_year.into_values().collect::<Vec<_>>(), [195, 195, 195]);
    // Counted on the holidays alone: 15 school days from Friday 16 October 2026 skip
    // the half-term (26 to 30 October), as the council's term days do.
    let from_holidays = holidays
        .add(15, Unit::SchoolDays, date(2026, 10, 16), DayOne::After)
        .expect("count");
    assert!(!from_holidays.estimate);
    assert_eq!(from_holidays.due, date(2026, 11, 13));
}

#[test]
fn term_dates_import_from_a_council_calendar() {
    let terms =
        TermCalendar::from_ics(include_str!("fixtures/westshire-2026-27.ics")).expect("ics");
    let spans: Vec<(Date, Date)> = terms.terms().iter().map(|t| (t.start, t.end)).collect();
    assert_eq!(
        spans,
        vec![
            (date(2026, 9, 2), date(2026, 12, 18)),
            (date(2027, 1, 5), date(2027, 3, 25))
        ]
    );
    let closures: Vec<(Date, Date)> = terms.closures().iter().map(|c| (c.start, c.end)).collect();
    assert_eq!(
        closures,
        vec![
            (date(2026, 9, 2), date(2026, 9, 2)),
            (date(2026, 10, 26), date(2026, 10, 30)),
            (date(2027, 2, 15), date(2027, 2, 19)),
        ]
    );
    // The folded summary was joined, and the parents' evening left out.
    assert!(
        terms.closures()[2]
            .name
            .contains("community schools in Westshire")
    );
    assert_eq!(
        TermCalendar::from_toml(&terms.to_toml()).expect("round trip"),
        terms
    );
    let cal = england(Some(terms));
    assert!(!cal.is_school_day(date(2026, 9, 2)));
    assert!(cal.is_school_day(date(2026, 9, 3)));
}

#[test]
fn bad_calendars_are_refused_with_a_sentence() {
    let err = TermCalendar::from_ics("hello, this is not a calendar")
        .expect_err("not ics")
        .to_string();
    assert_eq!(
        err,
        "The file is not a calendar (.ics): it has no BEGIN:VCALENDAR line."
    );
    let no_terms = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261112\nSUMMARY:Sports day\nEND:VEVENT\nEND:VCALENDAR\n";
    assert!(
        TermCalendar::from_ics(no_terms)
            .expect_err("no terms")
            .to_string()
            .contains("no term dates")
    );
    let bad_date = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:2026-11-12\nSUMMARY:Autumn term\nEND:VEVENT\nEND:VCALENDAR\n";
    assert!(
        TermCalendar::from_ics(bad_date)
            .expect_err("bad date")
            .to_string()
            .contains("cannot read")
    );
    let overlapping = "[[term]]\nname = \"A\"\nstart = 2026-09-02\nend = 2026-12-18\n[[term]]\nname = \"B\"\nstart = 2026-12-01\nend = 2027-03-25\n";
    assert_eq!(
        TermCalendar::from_toml(overlapping)
            .expect_err("overlap")
            .to_string(),
        "The terms \"A\" and \"B\" overlap: check their dates."
    );
    let backwards = "[[term]]\nname = \"A\"\nstart = 2026-12-18\nend = 2026-09-02\n";
    assert!(
        TermCalendar::from_toml(backwards)
            .expect_err("backwards")
            .to_string()
            .contains("ends (2 September 2026) before it starts")
    );
    assert!(TermCalendar::from_toml("[[term]]\nname = \"A\"\nstart = \"soon\"\n").is_err());
}

/// Past the published list a bank holiday may yet be proclaimed: a count of working
/// or school days that reaches past it is refused with a sentence, not guessed; a count
/// of calendar days, which no bank holiday moves, still runs.
#[test]
fn a_count_past_the_published_bank_holidays_is_refused() {
    let cal = england(None);
    let last = BankHolidays::official().known_until();
    let refused = cal
        .add(5, Unit::WorkingDays, last, DayOne::After)
        .expect_err("past the list");
    assert!(
        refused
            .to_string()
            .contains("list of bank holidays runs to"),
        "{refused}"
    );
    assert!(cal.add(5, Unit::SchoolDays, last, DayOne::After).is_err());
    assert!(
        cal.working_day_on_or_after(last.tomorrow().expect("day"))
            .is_err()
    );
    assert!(cal.add(5, Unit::CalendarDays, last, DayOne::After).is_ok());
    // Without bank holidays (a count in school days of a pack that has none) nothing
    // is unknown.
    let none = Calendar::new(Holidays::None, None);
    assert!(none.add(5, Unit::WorkingDays, last, DayOne::After).is_ok());
}

proptest! {
    #[test]
    // Every count ends by the end of 2028, inside the published bank holidays.
    fn working_day_counts_are_exact(offset in 0i64..1700, n in 1i64..80) {
        let cal = england(None);
        let from = date(2024, 1, 1).saturating_add(jiff::Span::new().days(offset));
        let computed = cal.add(n, Unit::WorkingDays, from, DayOne::After).expect("count");
        prop_assert!(cal.is_working_day(computed.due));
        let mut counted = 0;
        let mut day = from;
        while day < computed.due {
            day = day.tomorrow().expect("day");
            if cal.is_working_day(day) { counted += 1; }
        }
        prop_assert_eq!(counted, n);
        for run in &computed.explanation.skipped {
            let mut d = run.from;
            while d <= run.to {
                prop_assert!(!cal.is_working_day(d));
                d = d.tomorrow().expect("day");
            }
        }
    }

    #[test]
    fn school_days_are_always_working_days(offset in 0i64..1000, n in 1i64..40) {
        let cal = example_school();
        let from = date(2025, 9, 1).saturating_add(jiff::Span::new().days(offset));
        let due = cal.add(n, Unit::SchoolDays, from, DayOne::After).expect("count").due;
        prop_assert!(cal.is_school_day(due));
        prop_assert!(cal.is_working_day(due));
    }
}
