//! What to do now, and the timeline with its search and filters.

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use casebook_app::{Filter, Item, Step, Suggested, TimelineItem, person_name};
use casebook_domain::{EntryKind, Need, Person, PersonId, parse_date, uk_date};
use casebook_store::{AccountStore, BlobStore, CaseStore};
use serde::Deserialize;

use crate::visit::{Chrome, Visit, page};

pub struct Section {
    pub title: &'static str,
    pub items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    chrome: Chrome,
    today: String,
    /// What the family just answered about something found in the mail.
    answered: &'static str,
    found: Vec<Found>,
    sections: Vec<Section>,
    steps: Vec<Step>,
    nothing: bool,
}

/// A decision found in the mail, as the home page shows it.
pub struct Found {
    pub headline: String,
    pub suggested: Suggested,
}

impl Found {
    fn of(suggested: Suggested) -> Found {
        let mut label = suggested.label.chars();
        let label: String = label
            .next()
            .map(|c| c.to_uppercase().chain(label).collect())
            .unwrap_or_default();
        Found {
            headline: format!("{label}, {}", suggested.when),
            suggested,
        }
    }
}

#[derive(Deserialize, Default)]
pub struct HomeQuery {
    #[serde(default)]
    answered: String,
}

pub async fn home<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Query(query): Query<HomeQuery>,
) -> Response {
    let answered = match query.answered.as_str() {
        "written" => "Written down. What it starts is under \"Steps open now\".",
        "set-aside" => "Set aside: casebook noted that it was not what it seemed.",
        _ => "",
    };
    visit
        .run(Need::Read, "viewed what to do now", |p| {
            let next = p.file.what_to_do_now()?;
            let sections: Vec<Section> = [
                ("Late", next.late),
                ("Due soon", next.due),
                ("Confirm in writing", next.confirm),
                ("Asked for and still waiting", next.waiting),
            ]
            .into_iter()
            .filter(|(_, items)| !items.is_empty())
            .map(|(title, items)| Section { title, items })
            .collect();
            page(&Home {
                chrome: p.chrome.clone(),
                today: uk_date(next.today),
                answered,
                nothing: sections.is_empty()
                    && next.steps.is_empty()
                    && next.suggestions.is_empty(),
                found: next.suggestions.into_iter().map(Found::of).collect(),
                sections,
                steps: next.steps,
            })
        })
        .await
}

pub struct Row {
    pub id: String,
    pub date: String,
    pub kind: String,
    pub summary: String,
    pub notes: String,
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct Timeline {
    chrome: Chrome,
    query: TimelineQuery,
    kinds: Vec<(&'static str, &'static str)>,
    people: Vec<(String, String)>,
    rows: Vec<Row>,
    problem: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct TimelineQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

pub async fn timeline<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Query(query): Query<TimelineQuery>,
) -> Response {
    visit
        .run(Need::Read, "viewed the timeline", move |p| {
            let mut filter = Filter {
                unreadable: true,
                ..Filter::default()
            };
            let mut problem = Vec::new();
            if !query.kind.is_empty() {
                match EntryKind::parse(&query.kind) {
                    Ok(kind) => filter.kinds.push(kind),
                    Err(e) => problem.push(e.to_string()),
                }
            }
            filter.person = query.person.parse::<PersonId>().ok();
            for (text, into, what) in [
                (&query.from, &mut filter.from, "from"),
                (&query.to, &mut filter.to, "up to"),
            ] {
                if !text.trim().is_empty() {
                    match parse_date(text) {
                        Ok(day) => *into = Some(day),
                        Err(_) => problem.push(format!(
                            "The \"{what}\" date is not a date: enter one such as 3 March 2026."
                        )),
                    }
                }
            }
            let wanted = query.q.trim().to_lowercase();
            // The store's own text search finds the words; the names of the people an
            // entry names are matched here, since entries hold them as ids.
            let found: BTreeSet<u64> = match wanted.is_empty() {
                true => BTreeSet::new(),
                false => p
                    .file
                    .store
                    .search(p.file.case.id, &wanted, usize::MAX)?
                    .into_iter()
                    .collect(),
            };
            let rows = p
                .file
                .timeline(&filter)?
                .iter()
                .filter(|item| {
                    wanted.is_empty()
                        || found.contains(&item.id.0)
                        || item.amended_by.iter().any(|a| found.contains(&a.0))
                        || names(item, &p.people, &wanted)
                })
                // Newest first: what happened last is what a parent looks for.
                .rev()
                .map(row)
                .collect();
            page(&Timeline {
                chrome: p.chrome.clone(),
                kinds: EntryKind::ALL
                    .iter()
                    .filter(|k| {
                        !matches!(
                            k,
                            EntryKind::Amendment | EntryKind::Redaction | EntryKind::Timestamp
                        )
                    })
                    .map(|k| (k.slug(), k.phrase()))
                    .collect(),
                people: p
                    .people
                    .iter()
                    .map(|person| (person.id.to_string(), shown_name(person)))
                    .collect(),
                query,
                rows,
                problem: problem.join(" "),
            })
        })
        .await
}

/// Another child by pseudonym, with the real name beside it: this page is the family's.
pub fn shown_name(person: &Person) -> String {
    match &person.pseudonym {
        Some(pseudonym) => format!("{pseudonym} ({})", person.name),
        None => person.name.clone(),
    }
}

/// Whether someone the entry names is who was searched for.
fn names(item: &TimelineItem, people: &[Person], wanted: &str) -> bool {
    item.people.iter().any(|p| {
        person_name(people, *p, false)
            .to_lowercase()
            .contains(wanted)
    })
}

/// An entry as a list to choose from names it: its id for the form, and its date and
/// what happened for the person choosing. None for an entry with nothing to show.
pub fn entry_choice(item: &TimelineItem) -> Option<(String, String)> {
    Some((
        item.id.to_string(),
        format!(
            "{}: {}",
            uk_date(item.occurred.earliest()),
            item.summary.as_deref()?
        ),
    ))
}

pub fn row(item: &TimelineItem) -> Row {
    let mut notes = Vec::new();
    if item.unconfirmed {
        notes.push("not yet confirmed in writing".to_owned());
    }
    if !item.amended_by.is_empty() {
        notes.push("corrected".to_owned());
    }
    if !item.attachments.is_empty() {
        notes.push(format!("{} attached", item.attachments.len()));
    }
    if item.unreadable.is_some() {
        notes.push("cannot be read: open it to correct it".to_owned());
    }
    Row {
        id: item.id.to_string(),
        date: item.occurred_text.clone(),
        kind: item
            .channel
            .map_or(item.kind.phrase(), |c| c.phrase())
            .to_owned(),
        summary: item
            .summary
            .clone()
            .unwrap_or_else(|| match item.unreadable {
                Some(_) => "[cannot be read]".into(),
                None => "[removed]".into(),
            }),
        notes: notes.join(", "),
    }
}
