//! Settings of the case that are not evidence: the family's name and address for its
//! letters, the school's term dates (for counting school days) and the school's own
//! time limits where its policy sets them.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use casebook_app::{
    AppError, SchoolDay, family, parse_limit, rule_pack, school_limits, set_family,
    set_school_limit, set_term_dates, term_dates,
};
use casebook_calendar::{Closure, Term, TermCalendar};
use casebook_domain::{Need, parse_date, uk_date};
use casebook_store::{AccountStore, BlobStore, CaseStore};
use jiff::civil::Date;
use serde::Deserialize;

use crate::forms::{Fields, Form};
use crate::visit::{Chrome, Page, Visit, page, see, shown_again};

pub struct Limit {
    rule: String,
    what: String,
    usual: String,
    source: String,
    own: String,
}

/// One row of the form of term dates: its field names' prefix ("term2") and what it
/// shows (as typed, else as saved, else the usual name and no dates).
struct DateRow {
    prefix: String,
    /// What the row is called while it has no name of its own ("Term 2").
    legend: String,
    /// "Name" for a term, "What it is" for a closure.
    name_label: &'static str,
    name: String,
    start: String,
    end: String,
}

/// A school year's usual six half-terms, the names the form offers.
const HALF_TERMS: [&str; 6] = [
    "Autumn term, first half",
    "Autumn term, second half",
    "Spring term, first half",
    "Spring term, second half",
    "Summer term, first half",
    "Summer term, second half",
];

/// Closures the form has room for (INSET days and the like); more come from a file.
const CLOSURE_ROWS: usize = 5;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    saved: bool,
    terms: Vec<String>,
    closures: Vec<String>,
    /// The rows of the form of dates: each term or closure with its first and last day.
    term_rows: Vec<DateRow>,
    closure_rows: Vec<DateRow>,
    limits: Vec<Limit>,
    family_name: String,
    family_address: String,
    /// The school day's times as typed, else as saved: morning start and end,
    /// afternoon start and end.
    school_day: [String; 4],
    form: Fields,
    errors: Vec<(String, String)>,
}

fn settings_page<S: CaseStore, B: BlobStore>(
    p: &Page<'_, S, B>,
    form: Fields,
    errors: Vec<(String, String)>,
    saved: bool,
) -> Result<SettingsPage, AppError> {
    let case = &p.file.case;
    let terms = term_dates(p.file.store, case)?;
    let span = |name: &str, start, end| {
        if start == end {
            format!("{name}: {}", uk_date(start))
        } else {
            format!("{name}: {} to {}", uk_date(start), uk_date(end))
        }
    };
    let own = school_limits(p.file.store, case)?;
    let family = family(p.file.store, case)?;
    let limits = rule_pack(&case.jurisdiction)?
        .rules
        .iter()
        .filter(|r| r.set_by == "school-policy")
        .map(|r| Limit {
            rule: r.id.clone(),
            what: format!("{}: {}", r.procedure, r.step),
            usual: r.limit_text(),
            source: r.source.clone(),
            own: own
                .0
                .get(&r.id)
                .map(|(count, unit)| format!("{count} {}", unit.slug()))
                .unwrap_or_default(),
        })
        .collect();
    Ok(SettingsPage {
        chrome: p.chrome.clone(),
        saved,
        terms: terms
            .iter()
            .flat_map(|t| t.terms())
            .map(|t| span(&t.name, t.start, t.end))
            .collect(),
        closures: terms
            .iter()
            .flat_map(|t| t.closures())
            .map(|c| span(&c.name, c.start, c.end))
            .collect(),
        term_rows: {
            let saved: Vec<(String, Date, Date)> = terms
                .iter()
                .flat_map(|t| t.terms())
                .map(|t| (t.name.clone(), t.start, t.end))
                .collect();
            (0..saved.len().max(HALF_TERMS.len()))
                .map(|n| {
                    date_row(
                        &form,
                        &format!("term{}", n + 1),
                        saved.get(n),
                        HALF_TERMS.get(n),
                    )
                })
                .collect()
        },
        closure_rows: {
            let saved: Vec<(String, Date, Date)> = terms
                .iter()
                .flat_map(|t| t.closures())
                .map(|c| (c.name.clone(), c.start, c.end))
                .collect();
            (0..saved.len().max(CLOSURE_ROWS))
                .map(|n| date_row(&form, &format!("closure{}", n + 1), saved.get(n), None))
                .collect()
        },
        limits,
        family_name: form
            .text("family_name")
            .unwrap_or_else(|| family.as_ref().map(|f| f.name.clone()).unwrap_or_default()),
        family_address: form.text("family_address").unwrap_or_else(|| {
            family
                .as_ref()
                .and_then(|f| f.address.clone())
                .unwrap_or_default()
        }),
        school_day: {
            let saved = SchoolDay::read(p.file.store, case)?;
            let time = |t: Option<jiff::civil::Time>| {
                t.map(|t| t.strftime("%H:%M").to_string())
                    .unwrap_or_default()
            };
            let times = [
                saved.map(|s| s.morning.0),
                saved.map(|s| s.morning.1),
                saved.map(|s| s.afternoon.0),
                saved.map(|s| s.afternoon.1),
            ];
            std::array::from_fn(|n| {
                form.text(SCHOOL_DAY_FIELDS[n])
                    .unwrap_or_else(|| time(times[n]))
            })
        },
        form,
        errors,
    })
}

/// The school day's fields, in the order of `SettingsPage::school_day`.
const SCHOOL_DAY_FIELDS: [&str; 4] = [
    "morning_start",
    "morning_end",
    "afternoon_start",
    "afternoon_end",
];

fn date_row(
    form: &Fields,
    prefix: &str,
    saved: Option<&(String, Date, Date)>,
    usual: Option<&&str>,
) -> DateRow {
    // As sent, when the form came back refused; else as saved.
    let field = |part: &str, otherwise: String| {
        let name = format!("{prefix}_{part}");
        match form.all(&name).next() {
            Some(_) => form.get(&name).to_owned(),
            None => otherwise,
        }
    };
    let (legend, name_label) = match prefix.strip_prefix("term") {
        Some(n) => (format!("Term {n}"), "Name"),
        None => (
            format!("Closed day {}", prefix.trim_start_matches("closure")),
            "What it is",
        ),
    };
    DateRow {
        prefix: prefix.to_owned(),
        legend,
        name_label,
        name: field(
            "name",
            saved.map_or_else(
                || usual.map(|u| (*u).to_owned()).unwrap_or_default(),
                |s| s.0.clone(),
            ),
        ),
        start: field("start", saved.map(|s| s.1.to_string()).unwrap_or_default()),
        end: field("end", saved.map(|s| s.2.to_string()).unwrap_or_default()),
    }
}

/// The term dates typed into the form of dates, or `None` when the form was not used
/// (a file or the text was sent instead). A row with a name but no dates is left out;
/// a row with one date of two is refused at that field.
fn typed_dates(fields: &Fields) -> Option<Result<TermCalendar, (String, String)>> {
    // Not this form: a file was sent instead.
    fields.all("term1_start").next()?;
    let mut terms = Vec::new();
    let mut closures = Vec::new();
    for kind in ["term", "closure"] {
        // As many rows as the page sent.
        for n in (1..).take_while(|n| fields.all(&format!("{kind}{n}_start")).next().is_some()) {
            let prefix = format!("{kind}{n}");
            let get = |part: &str| fields.get(&format!("{prefix}_{part}")).to_owned();
            let (name, start, end) = (get("name"), get("start"), get("end"));
            if start.is_empty() && end.is_empty() {
                continue;
            }
            let what = if name.is_empty() {
                format!("{kind} {n}")
            } else {
                name.clone()
            };
            let day = |text: &str, part: &str| {
                parse_date(text).map_err(|_| {
                    (
                        format!("{prefix}_{part}"),
                        format!(
                            "Enter the {} day of \"{what}\" as a date, such as 2 September 2026.",
                            if part == "start" { "first" } else { "last" }
                        ),
                    )
                })
            };
            let start = match day(&start, "start") {
                Ok(d) => d,
                Err(e) => return Some(Err(e)),
            };
            // A closure of one day needs only its first.
            let end = match (kind, end.is_empty()) {
                ("closure", true) => start,
                _ => match day(&end, "end") {
                    Ok(d) => d,
                    Err(e) => return Some(Err(e)),
                },
            };
            let name = if name.is_empty() { what } else { name };
            if kind == "term" {
                terms.push(Term { name, start, end });
            } else {
                closures.push(Closure { name, start, end });
            }
        }
    }
    Some(TermCalendar::new(terms, closures).map_err(|e| ("term1_start".to_owned(), e.to_string())))
}

#[derive(Deserialize, Default)]
pub struct SettingsQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub async fn show<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Query(query): Query<SettingsQuery>,
) -> Response {
    visit
        .run(Need::Read, "viewed the settings", move |p| {
            page(&settings_page(
                p,
                Fields::default(),
                vec![],
                query.saved.is_some(),
            )?)
        })
        .await
}

/// Term dates from the council's or school's .ics file (or casebook's own text form of
/// them, as `casebook export` writes it), or typed into the form of dates.
pub async fn terms<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    form: Form,
) -> Response {
    visit
        .run(Need::Write, "changed the term dates", move |p| {
            let Some(file) = form.files("terms_file").into_iter().next() else {
                return match typed_dates(&form.fields) {
                    Some(Ok(terms)) => {
                        set_term_dates(p.file.store, &p.file.case, &terms)?;
                        see(&p.link("/settings?saved=1"))
                    }
                    Some(Err(error)) => {
                        shown_again(&settings_page(p, form.fields, vec![error], false)?)
                    }
                    None => shown_again(&settings_page(
                        p,
                        form.fields,
                        vec![(
                            "terms_file".to_owned(),
                            "Choose the calendar file, or type the dates in the form.".to_owned(),
                        )],
                        false,
                    )?),
                };
            };
            let parsed = match String::from_utf8(file.bytes) {
                Ok(text) if text.contains("BEGIN:VCALENDAR") => TermCalendar::from_ics(&text),
                Ok(text) => TermCalendar::from_toml(&text),
                Err(_) => {
                    let why = format!("{} is not a calendar file (.ics).", file.name);
                    return shown_again(&settings_page(
                        p,
                        form.fields,
                        vec![("terms_file".to_owned(), why)],
                        false,
                    )?);
                }
            };
            match parsed {
                Ok(terms) => {
                    set_term_dates(p.file.store, &p.file.case, &terms)?;
                    see(&p.link("/settings?saved=1"))
                }
                Err(e) => shown_again(&settings_page(
                    p,
                    form.fields,
                    vec![(
                        "terms_file".to_owned(),
                        format!("The term dates cannot be read: {e}"),
                    )],
                    false,
                )?),
            }
        })
        .await
}

/// The school's own figure for one of its policy's limits; empty goes back to the
/// common figure.
pub async fn limits<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    form: Form,
) -> Response {
    visit
        .run(Need::Write, "changed the school's time limits", move |p| {
            let form = form.fields;
            let rule = form.get("rule").to_owned();
            let field = format!("limit-{rule}");
            let limit = match form.get("limit") {
                "" => Ok(None),
                text => parse_limit(text).map(Some),
            };
            let saved =
                limit.and_then(|limit| set_school_limit(p.file.store, &p.file.case, &rule, limit));
            match saved {
                Ok(()) => see(&p.link("/settings?saved=1")),
                Err(AppError::Invalid(why)) => {
                    shown_again(&settings_page(p, form, vec![(field, why)], false)?)
                }
                Err(other) => Err(other),
            }
        })
        .await
}

/// The school day's sessions, so time out of school is counted in hours.
pub async fn school_day<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    form: Form,
) -> Response {
    visit
        .run(Need::Write, "changed the school day", move |p| {
            let form = form.fields;
            let [ms, me, afs, afe] = SCHOOL_DAY_FIELDS.map(|f| form.get(f).to_owned());
            let parsed = match SCHOOL_DAY_FIELDS.iter().find(|f| form.get(f).is_empty()) {
                Some(empty) => Err((
                    (*empty).to_owned(),
                    "Give the start and end of both sessions.".to_owned(),
                )),
                None => {
                    SchoolDay::parse(&format!("{ms}-{me}"), &format!("{afs}-{afe}")).map_err(|e| {
                        let at = if e.to_string().contains("afternoon") {
                            "afternoon_start"
                        } else {
                            "morning_start"
                        };
                        (at.to_owned(), e.to_string())
                    })
                }
            };
            match parsed {
                Ok(day) => {
                    day.save(p.file.store, &p.file.case)?;
                    see(&p.link("/settings?saved=1#school-day"))
                }
                Err(error) => shown_again(&settings_page(p, form, vec![error], false)?),
            }
        })
        .await
}

/// The name and address the family's letters are signed with.
pub async fn family_details<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    form: Form,
) -> Response {
    visit
        .run(Need::Write, "changed the name for letters", move |p| {
            let form = form.fields;
            match set_family(
                p.file.store,
                &p.file.case,
                form.get("family_name"),
                form.get("family_address"),
            ) {
                Ok(_) => see(&p.link("/settings?saved=1")),
                Err(AppError::Invalid(why)) => shown_again(&settings_page(
                    p,
                    form,
                    vec![("family_name".to_owned(), why)],
                    false,
                )?),
                Err(other) => Err(other),
            }
        })
        .await
}
