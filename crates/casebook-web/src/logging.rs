//! Writing something down: an incident, a call or conversation, a meeting, something
//! seen at home, an absence, a document. One form whose fields follow the kind, files
//! attached in the same form, refused forms shown again with every word kept.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use casebook_app::{
    AppError, NewAttachment, NewEntry, NewPerson, add_person, check_upload, find_person,
};
use casebook_domain::{
    AbsenceReason, Attendee, CaseDate, Category, Channel, Direction, DocumentType, Facts, Need,
    Occurred, Person, PersonId, Role, Sign, facts, uk_date,
};
use casebook_store::{AccountStore, BlobStore, CaseStore};
use jiff::civil::Date;
use serde::Deserialize;

use crate::forms::{Fields, Form};
use crate::visit::{Chrome, Page, Visit, page, see, shown_again};

/// The kinds of entry the log form writes, as its addresses name them
/// (`/cases/SLUG/log/KIND`).
pub fn log_kinds() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|(slug, _, _)| *slug)
}

/// The kinds of entry this form writes: (slug, heading, a line of advice).
const KINDS: [(&str, &str, &str); 6] = [
    (
        "incident",
        "Something happened",
        "Write it down now, in your own words. You can add more later.",
    ),
    (
        "call",
        "A call or conversation",
        "Write down what was said while you remember it. It stays marked as not confirmed until you send a written confirmation.",
    ),
    (
        "meeting",
        "A meeting",
        "Who was there, what you raised and what was agreed. When the minutes arrive, the minutes check compares them with the points you raised.",
    ),
    (
        "observation",
        "What you saw at home",
        "How your child was before or after school: it shows the effect of what happens there.",
    ),
    (
        "absence",
        "An absence",
        "A day or days your child was not at school, and why.",
    ),
    (
        "document",
        "A document",
        "A policy, a report, a plan, a letter or minutes: attach the file so it is kept with the case.",
    ),
];

type Errors = Vec<(&'static str, String)>;

#[derive(Template)]
#[template(path = "log.html")]
struct LogPage {
    chrome: Chrome,
    kind: &'static str,
    heading: &'static str,
    advice: &'static str,
    form: Fields,
    errors: Errors,
    categories: Vec<(&'static str, &'static str)>,
    reasons: Vec<(&'static str, &'static str)>,
    signs: Vec<(&'static str, &'static str)>,
    documents: Vec<(&'static str, &'static str)>,
    people: Vec<(String, String)>,
    /// What can be typed into a name field: names, and other children's pseudonyms.
    names: Vec<String>,
    /// The date is after today: ask whether it is right.
    ask_future: bool,
}

fn kind(slug: &str) -> Result<(&'static str, &'static str, &'static str), AppError> {
    KINDS.into_iter().find(|k| k.0 == slug).ok_or_else(|| {
        AppError::NotFound(format!(
            "casebook has no form for \"{slug}\": choose incident, call, meeting, observation, absence or document."
        ))
    })
}

fn log_page<S, B>(
    p: &Page<'_, S, B>,
    slug: &str,
    form: Fields,
    errors: Errors,
) -> Result<LogPage, AppError> {
    let (kind, heading, advice) = kind(slug)?;
    Ok(LogPage {
        chrome: p.chrome.clone(),
        kind,
        heading,
        advice,
        ask_future: errors.iter().any(|(field, _)| *field == "future"),
        form,
        errors,
        categories: Category::ALL
            .iter()
            .map(|c| (c.slug(), c.phrase()))
            .collect(),
        reasons: AbsenceReason::ALL
            .iter()
            .map(|r| (r.slug(), r.phrase()))
            .collect(),
        signs: Sign::ALL.iter().map(|s| (s.slug(), s.phrase())).collect(),
        documents: DocumentType::ALL
            .iter()
            .map(|d| (d.slug(), d.phrase()))
            .collect(),
        people: p
            .people
            .iter()
            .map(|person| (person.id.to_string(), crate::home::shown_name(person)))
            .collect(),
        names: p
            .people
            .iter()
            .map(|person| {
                person
                    .pseudonym
                    .clone()
                    .unwrap_or_else(|| person.name.clone())
            })
            .collect(),
    })
}

#[derive(Deserialize)]
pub struct KindPath {
    kind: String,
}

pub async fn form<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Path(path): Path<KindPath>,
) -> Response {
    visit
        .run(
            Need::Write,
            format!("opened the {} form", path.kind),
            move |p| {
                let today = p.file.clock.today().to_string();
                page(&log_page(
                    p,
                    &path.kind,
                    Fields::with("date", &today),
                    vec![],
                )?)
            },
        )
        .await
}

pub async fn save<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Path(path): Path<KindPath>,
    form: Form,
) -> Response {
    visit
        .run(
            Need::Write,
            format!("logged a new {}", path.kind),
            move |p| {
                kind(&path.kind)?;
                let files = form.files("files");
                let chose_files = !files.is_empty();
                let today = p.file.clock.today();
                let (mut entry, mut errors, unknown) = entry(
                    &path.kind,
                    &form.fields,
                    files.clone(),
                    &p.people,
                    &p.author,
                    today,
                );
                // Names the case does not know yet join it as new people, so one save
                // is enough: another child under a pseudonym, anyone else as a witness.
                let mut added = Vec::new();
                if errors.is_empty() && !unknown.is_empty() {
                    for (name, role) in &unknown {
                        let new = NewPerson {
                            name: name.clone(),
                            role: *role,
                            organisation: None,
                            email: None,
                            phone: None,
                        };
                        match add_person(p.file.store, &p.file.case, new) {
                            Ok(person) => added.push(person.id.to_string()),
                            Err(AppError::Invalid(why)) => errors.push(("involved", why)),
                            Err(other) => return Err(other),
                        }
                    }
                    let people = p.file.store.people(p.file.case.id)?;
                    (entry, errors, _) =
                        self::entry(&path.kind, &form.fields, files, &people, &p.author, today);
                }
                if let Some(new) = entry.filter(|_| errors.is_empty()) {
                    match p.file.log(new) {
                        Ok(record) => {
                            let added = match added.as_slice() {
                                [] => String::new(),
                                ids => format!("&added={}", ids.join(",")),
                            };
                            return see(
                                &p.link(&format!("/entries/{}?saved=1{added}", record.id())),
                            );
                        }
                        Err(AppError::Invalid(why)) => errors.push(("summary", why)),
                        Err(other) => return Err(other),
                    }
                }
                if chose_files && !errors.iter().any(|(field, _)| *field == "files") {
                    errors.push((
                        "files",
                        "Choose the photos or files again: a browser cannot keep them when a form comes back.".into(),
                    ));
                }
                shown_again(&log_page(p, &path.kind, form.fields, errors)?)
            },
        )
        .await
}

/// Names typed into a field, separated by commas or lines, each found in the case. A
/// name nobody in the case has goes into `unknown` with `role` when the field can add
/// people, and is an error at the field when it cannot.
fn people_named(
    form: &Fields,
    field: &'static str,
    people: &[Person],
    errors: &mut Errors,
    unknown: Option<(&mut Vec<(String, Role)>, Role)>,
) -> Vec<PersonId> {
    let mut found = Vec::new();
    let mut unknown = unknown;
    for name in form
        .get(field)
        .split([',', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        match (find_person(people, name), unknown.as_mut()) {
            (Ok(person), _) => found.push(person.id),
            (Err(_), Some((new, role))) if !people.iter().any(|p| p.name == name) => {
                if !new.iter().any(|(n, _)| n == name) {
                    new.push((name.to_owned(), *role));
                }
            }
            (Err(e), _) => errors.push((field, e.to_string())),
        }
    }
    found
}

/// Lines of a text box, each one a point or an action.
fn lines(form: &Fields, field: &str) -> Vec<String> {
    form.get(field)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The entry the form describes, what is wrong with it field by field, and the names
/// it gives that the case does not know yet, with the role each would join as.
fn entry(
    slug: &str,
    form: &Fields,
    files: Vec<NewAttachment>,
    people: &[Person],
    author: &str,
    today: Date,
) -> (Option<NewEntry>, Errors, Vec<(String, Role)>) {
    let mut errors: Errors = Vec::new();
    let mut unknown = Vec::new();
    let when = match form.get("time") {
        "" => form.get("date").to_owned(),
        time => format!("{}T{time}", form.get("date")),
    };
    let occurred = match Occurred::parse_near(&when, today) {
        Ok(o) => Some(o),
        Err(_) if form.get("date").trim().is_empty() => {
            errors.push(("date", "Enter the date, for example 3 March 2026.".into()));
            None
        }
        Err(e) => {
            errors.push(("date", e.to_string()));
            None
        }
    };
    // A date after today is almost always a slip of the finger: asked about once.
    if let Some(o) = &occurred
        && o.earliest() > today
        && !form.is("future", "yes")
    {
        errors.push((
            "future",
            format!(
                "The date is after today, {}. Check it; if it is right, tick \"The date is right\" and save again.",
                uk_date(today)
            ),
        ));
    }
    if form.get("summary").is_empty() {
        errors.push(("summary", "Write a few words about what happened.".into()));
    }
    for file in &files {
        if let Err(e) = check_upload(file) {
            errors.push(("files", e.to_string()));
        }
    }
    let facts = match slug {
        "incident" => {
            let mut categories = Vec::new();
            for slug in form.all("category") {
                match Category::parse(slug) {
                    Ok(c) => categories.push(c),
                    Err(e) => errors.push(("category", e.to_string())),
                }
            }
            // Refused as the command line refuses them, never quietly dropped.
            let reported_to = match form.text("reported_to") {
                None => None,
                Some(id) => match id
                    .parse::<PersonId>()
                    .ok()
                    .filter(|id| people.iter().any(|p| p.id == *id))
                {
                    Some(id) => Some(id),
                    None => {
                        errors.push((
                            "reported_to",
                            "Choose who you reported it to from the list.".into(),
                        ));
                        None
                    }
                },
            };
            Facts::Incident(facts::Incident {
                place: form.text("place"),
                categories,
                prejudice: None,
                involved: people_named(
                    form,
                    "involved",
                    people,
                    &mut errors,
                    Some((&mut unknown, Role::OtherChild)),
                ),
                witnesses: people_named(
                    form,
                    "witnesses",
                    people,
                    &mut errors,
                    Some((&mut unknown, Role::Witness)),
                ),
                harm: form.text("harm"),
                child_words: form.text("child_words"),
                reported_to,
                reported_on: None,
                school_response: form.text("school_response"),
                school_word: form.text("school_word"),
            })
        }
        "call" => {
            let who = match find_person(people, form.get("who")) {
                Ok(person) => Some(person.id),
                Err(e) => {
                    errors.push(("who", e.to_string()));
                    None
                }
            };
            let sent = form.is("direction", "sent");
            Facts::Communication(facts::Communication {
                channel: if form.is("channel", "in-person") {
                    Channel::InPerson
                } else {
                    Channel::Phone
                },
                direction: if sent {
                    Direction::Sent
                } else {
                    Direction::Received
                },
                from: if sent { None } else { who },
                to: if sent {
                    who.into_iter().collect()
                } else {
                    vec![]
                },
                cc: vec![],
                subject: None,
                message_id: None,
                sent: None,
                dated_by: None,
                content_digest: None,
            })
        }
        "meeting" => {
            let attendees = people_named(form, "attendees", people, &mut errors, None)
                .into_iter()
                .filter_map(|id| people.iter().find(|p| p.id == id))
                .map(|p| Attendee {
                    person: p.id,
                    side: p.role.usual_side(),
                })
                .collect();
            Facts::Meeting(facts::Meeting {
                attendees,
                purpose: form.text("purpose"),
                points_raised: lines(form, "points"),
                actions: lines(form, "actions")
                    .into_iter()
                    .map(|what| facts::Action {
                        who: None,
                        what,
                        by: None,
                    })
                    .collect(),
                requested_only: form.is("requested_only", "yes"),
            })
        }
        "observation" => {
            let mut signs = Vec::new();
            for slug in form.all("sign") {
                match Sign::parse(slug) {
                    Ok(sign) => signs.push(sign),
                    Err(e) => errors.push(("sign", e.to_string())),
                }
            }
            Facts::Observation(facts::Observation {
                signs,
                child_words: form.text("child_words"),
            })
        }
        "document" => {
            let document_type = DocumentType::parse(form.get("document_type"))
                .map_err(|e| errors.push(("document_type", e.to_string())))
                .ok();
            match document_type {
                Some(document_type) => Facts::Document(facts::Document {
                    document_type,
                    title: form.text("title"),
                    issued_by: form.text("issued_by"),
                }),
                None => Facts::Note,
            }
        }
        _ => {
            let until = match form.get("until") {
                "" => None,
                day => day
                    .parse::<CaseDate>()
                    .map_err(|_| {
                        errors.push((
                            "until",
                            "Enter the last day away as a date, or leave it empty.".into(),
                        ))
                    })
                    .ok(),
            };
            let reason = match form.get("reason") {
                "" => AbsenceReason::Other,
                slug => AbsenceReason::parse(slug).unwrap_or_else(|e| {
                    errors.push(("reason", e.to_string()));
                    AbsenceReason::Other
                }),
            };
            Facts::Absence(facts::Absence {
                reason,
                until,
                ongoing: form.is("ongoing", "yes"),
                sessions: None,
                authorised: match form.get("authorised") {
                    "yes" => Some(true),
                    "no" => Some(false),
                    _ => None,
                },
                evidence: form.text("evidence"),
            })
        }
    };
    let entry = occurred.map(|occurred| NewEntry {
        occurred,
        author: author.to_owned(),
        summary: form.get("summary").to_owned(),
        details: form.text("details"),
        sources: vec!["written down in casebook".into()],
        facts,
        links: vec![],
        attachments: files,
    });
    (entry, errors, unknown)
}
