//! Settings of the case that are not evidence: the family's name and address for its
//! letters, the school's term dates (for counting school days) and the school's own
//! time limits where its policy sets them.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use casebook_app::{
    AppError, family, parse_limit, rule_pack, school_limits, set_family, set_school_limit,
    set_term_dates, term_dates,
};
use casebook_calendar::TermCalendar;
use casebook_domain::{Need, uk_date};
use casebook_store::{AccountStore, BlobStore, CaseStore};
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

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    saved: bool,
    terms: Vec<String>,
    closures: Vec<String>,
    terms_text: String,
    limits: Vec<Limit>,
    family_name: String,
    family_address: String,
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
        terms_text: match form.text("terms_text") {
            Some(typed) => typed,
            None => terms.map(|t| t.to_toml()).unwrap_or_default(),
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
        form,
        errors,
    })
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

/// Term dates from the council's or school's .ics file, or casebook's own form typed
/// into the page.
pub async fn terms<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    form: Form,
) -> Response {
    visit
        .run(Need::Write, "changed the term dates", move |p| {
            let (field, text) = match form.files("terms_file").into_iter().next() {
                Some(file) => match String::from_utf8(file.bytes) {
                    Ok(text) => ("terms_file", text),
                    Err(_) => {
                        let why = format!("{} is not a calendar file (.ics).", file.name);
                        return shown_again(&settings_page(
                            p,
                            form.fields,
                            vec![("terms_file".to_owned(), why)],
                            false,
                        )?);
                    }
                },
                None => ("terms_text", form.fields.get("terms_text").to_owned()),
            };
            let parsed = if text.contains("BEGIN:VCALENDAR") {
                TermCalendar::from_ics(&text)
            } else {
                TermCalendar::from_toml(&text)
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
                        field.to_owned(),
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
