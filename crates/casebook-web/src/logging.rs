//! Writing something down: an incident, a call or conversation, a meeting, something
//! seen at home, an absence, a document. One form whose fields follow the kind, files
//! attached in the same form, refused forms shown again with every word kept.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use casebook_app::{AppError, EntryForm, Field, NotWritten, Problem, check_upload};
use casebook_domain::{AbsenceReason, Category, DocumentType, Need, Sign};
use casebook_store::{AccountStore, BlobStore, CaseStore};
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
                let asked = entry_form(&path.kind, &form.fields);
                // A file from a browser is checked for being what its name says, as
                // every upload is; the command line attaches the family's own files.
                let refused_files: Errors = files
                    .iter()
                    .filter_map(|file| check_upload(file).err())
                    .map(|e| ("files", e.to_string()))
                    .collect();
                let written = if refused_files.is_empty() {
                    asked.write(&p.file, files, &p.author)
                } else {
                    Err(NotWritten::Refused(vec![]))
                };
                let mut errors: Errors = match written {
                    Ok(written) => {
                        let added = match written.added.as_slice() {
                            [] => String::new(),
                            people => format!(
                                "&added={}",
                                people
                                    .iter()
                                    .map(|person| person.id.to_string())
                                    .collect::<Vec<_>>()
                                    .join(",")
                            ),
                        };
                        return see(&p.link(&format!(
                            "/entries/{}?saved=1{added}",
                            written.record.id()
                        )));
                    }
                    Err(NotWritten::Failed(e)) => return Err(e),
                    Err(NotWritten::Refused(problems)) => refused_files
                        .into_iter()
                        .chain(
                            problems
                                .into_iter()
                                .map(|problem| (field_name(problem.field), said(problem))),
                        )
                        .collect(),
                };
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

/// A problem's sentence, and how to answer it on this page where that is not plain.
fn said(problem: Problem) -> String {
    match problem.field {
        Field::Future => format!(
            "{} If it is right, tick \"The date is right\" and save again.",
            problem.sentence
        ),
        _ => problem.sentence,
    }
}

/// The field of the form where a problem is shown; what the form does not ask for is
/// shown at the summary.
fn field_name(field: Field) -> &'static str {
    match field {
        Field::When => "date",
        Field::Future => "future",
        Field::Details => "details",
        Field::Files => "files",
        Field::Place => "place",
        Field::Category => "category",
        Field::Involved => "involved",
        Field::Witnesses => "witnesses",
        Field::Harm => "harm",
        Field::ChildWords => "child_words",
        Field::ReportedTo => "reported_to",
        Field::SchoolResponse => "school_response",
        Field::SchoolWord => "school_word",
        Field::From | Field::To => "who",
        Field::Attendees => "attendees",
        Field::Purpose => "purpose",
        Field::Points => "points",
        Field::Actions => "actions",
        Field::Requested => "requested_only",
        Field::Reason => "reason",
        Field::Until => "until",
        Field::Ongoing => "ongoing",
        Field::Authorised => "authorised",
        Field::Evidence => "evidence",
        Field::Signs => "sign",
        Field::DocumentType => "document_type",
        Field::Title => "title",
        Field::IssuedBy => "issued_by",
        _ => "summary",
    }
}

/// Names typed into a box, separated by commas or lines.
fn names(form: &Fields, field: &str) -> Vec<String> {
    form.get(field)
        .split([',', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
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

/// The form every interface fills in, from the fields this kind's form has; anything
/// else posted is not read.
fn entry_form(slug: &str, form: &Fields) -> EntryForm {
    let when = match form.get("time") {
        "" => form.get("date").to_owned(),
        time => format!("{} {time}", form.get("date")),
    };
    let mut asked = EntryForm {
        kind: slug.to_owned(),
        when,
        summary: form.get("summary").to_owned(),
        details: form.text("details"),
        sources: vec!["written down in casebook".into()],
        date_after_today_is_right: form.is("future", "yes"),
        new_names_join: true,
        ..EntryForm::default()
    };
    match slug {
        "incident" => {
            asked.categories = form.all("category").map(str::to_owned).collect();
            asked.place = form.text("place");
            asked.involved = names(form, "involved");
            asked.witnesses = names(form, "witnesses");
            asked.harm = form.text("harm");
            asked.child_words = form.text("child_words");
            asked.reported_to = form.text("reported_to");
            asked.school_response = form.text("school_response");
            asked.school_word = form.text("school_word");
        }
        "call" => {
            if form.is("channel", "in-person") {
                asked.kind = "in-person".into();
            }
            let who = form.text("who");
            if form.is("direction", "sent") {
                asked.direction = Some("sent".into());
                asked.to = who.into_iter().collect();
            } else {
                asked.direction = Some("received".into());
                asked.from = who;
            }
        }
        "meeting" => {
            asked.attendees = names(form, "attendees");
            asked.purpose = form.text("purpose");
            asked.points = lines(form, "points");
            asked.actions = lines(form, "actions");
            asked.requested = form.is("requested_only", "yes");
        }
        "observation" => {
            asked.signs = form.all("sign").map(str::to_owned).collect();
            asked.child_words = form.text("child_words");
        }
        "document" => {
            asked.document_type = Some(form.get("document_type").to_owned());
            asked.title = form.text("title");
            asked.issued_by = form.text("issued_by");
        }
        "absence" => {
            asked.reason = Some(form.get("reason").to_owned());
            asked.until = form.text("until");
            asked.ongoing = form.is("ongoing", "yes");
            asked.authorised = form.text("authorised");
            asked.evidence = form.text("evidence");
        }
        _ => {}
    }
    asked
}
