//! Writing down a call or conversation, something seen at home, or an absence: one
//! form whose fields follow the kind, refused forms shown again with every word kept.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, RawForm, State};
use axum::response::{IntoResponse, Redirect, Response};
use casebook_app::{AppError, NewEntry, find_person};
use casebook_domain::{AbsenceReason, Channel, Direction, Facts, Occurred, Person, Sign, facts};
use casebook_store::{BlobStore, CaseStore};

use crate::Web;
use crate::pages::{answer, refused, shown_again, with_case};

/// The kinds this form writes, with the page's heading and a line of advice.
const KINDS: [(&str, &str, &str); 3] = [
    (
        "call",
        "A call or conversation",
        "Write down what was said while you remember it. It stays marked as not confirmed until you send a written confirmation.",
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
];

/// The form as typed: every field, repeated ones included, in order.
#[derive(Default)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// A new form with one field filled in, such as today's date.
    pub fn with(name: &str, value: &str) -> Fields {
        Fields(vec![(name.to_owned(), value.to_owned())])
    }

    pub fn read(bytes: &[u8]) -> Fields {
        Fields(
            form_urlencoded::parse(bytes)
                .filter(|(name, _)| name != "token")
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.trim())
    }

    pub fn is(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(n, v)| n == name && v == value)
    }

    fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self, name: &str) -> Option<String> {
        Some(self.get(name).to_owned()).filter(|t| !t.is_empty())
    }
}

#[derive(Template)]
#[template(path = "log.html")]
struct LogPage<'a> {
    child: String,
    setting: String,
    kind: &'static str,
    heading: &'static str,
    advice: &'static str,
    token: &'a str,
    form: Fields,
    errors: Vec<(&'static str, String)>,
    reasons: Vec<(&'static str, &'static str)>,
    signs: Vec<(&'static str, &'static str)>,
}

fn kind(slug: &str) -> Result<(&'static str, &'static str, &'static str), AppError> {
    KINDS.into_iter().find(|k| k.0 == slug).ok_or_else(|| {
        AppError::Invalid(format!(
            "casebook has no form for \"{slug}\": choose incident, call, observation or absence."
        ))
    })
}

fn log_page<'a, S, B>(
    web: &'a Web<S, B>,
    case: &casebook_domain::Case,
    slug: &str,
    form: Fields,
    errors: Vec<(&'static str, String)>,
) -> Result<LogPage<'a>, AppError> {
    let (kind, heading, advice) = kind(slug)?;
    Ok(LogPage {
        child: case.child.name.clone(),
        setting: case.setting.name.clone(),
        kind,
        heading,
        advice,
        token: &web.token,
        form,
        errors,
        reasons: AbsenceReason::ALL
            .iter()
            .map(|r| (r.slug(), r.phrase()))
            .collect(),
        signs: Sign::ALL.iter().map(|s| (s.slug(), s.phrase())).collect(),
    })
}

pub async fn form<S: CaseStore, B: BlobStore>(
    State(web): State<Arc<Web<S, B>>>,
    Path(slug): Path<String>,
) -> Response {
    let today = web.clock.today().to_string();
    answer(with_case(&web, |file, _| {
        log_page(
            &web,
            &file.case,
            &slug,
            Fields::with("date", &today),
            vec![],
        )
    }))
}

pub async fn save<S: CaseStore, B: BlobStore>(
    State(web): State<Arc<Web<S, B>>>,
    Path(slug): Path<String>,
    RawForm(bytes): RawForm,
) -> Response {
    let form = Fields::read(&bytes);
    let result = with_case(&web, |file, people| {
        kind(&slug)?;
        let (entry, errors) = entry(&slug, &form, people, &web.author);
        match entry {
            Some(new) if errors.is_empty() => match file.log(new) {
                Ok(record) => Ok(Ok(record.id())),
                Err(AppError::Invalid(why)) => Ok(Err(vec![("summary", why)])),
                Err(other) => Err(other),
            },
            _ => Ok(Err(errors)),
        }
    });
    match result {
        Err(e) => refused(&e),
        Ok(Ok(id)) => Redirect::to(&format!("/entries/{id}?saved=1")).into_response(),
        Ok(Err(errors)) => shown_again(with_case(&web, |file, _| {
            log_page(&web, &file.case, &slug, form, errors)
        })),
    }
}

/// The entry the form describes, and what is wrong with it, field by field.
fn entry(
    slug: &str,
    form: &Fields,
    people: &[Person],
    author: &str,
) -> (Option<NewEntry>, Vec<(&'static str, String)>) {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let when = match form.get("time") {
        "" => form.get("date").to_owned(),
        time => format!("{}T{time}", form.get("date")),
    };
    let occurred = Occurred::parse(&when)
        .map_err(|_| errors.push(("date", "Enter the date, for example 3 March 2026.".into())))
        .ok();
    if form.get("summary").is_empty() {
        errors.push(("summary", "Write a few words about what happened.".into()));
    }
    let facts = match slug {
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
            })
        }
        "observation" => Facts::Observation(facts::Observation {
            signs: form
                .all("sign")
                .filter_map(|s| Sign::parse(s).ok())
                .collect(),
            child_words: form.text("child_words"),
        }),
        _ => {
            let until = match form.get("until") {
                "" => None,
                day => casebook_domain::parse_date(day)
                    .map_err(|_| {
                        errors.push((
                            "until",
                            "Enter the last day away as a date, or leave it empty.".into(),
                        ))
                    })
                    .ok(),
            };
            let reason = AbsenceReason::parse(form.get("reason")).unwrap_or(AbsenceReason::Other);
            Facts::Absence(facts::Absence {
                reason,
                until,
                sessions: None,
                authorised: None,
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
        attachments: vec![],
    });
    (entry, errors)
}
