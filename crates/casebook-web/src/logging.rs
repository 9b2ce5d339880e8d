//! Writing something down: an incident, a call or conversation, a meeting, something
//! seen at home, an absence, a document. One form whose fields follow the kind, files
//! attached in the same form, refused forms shown again with every word kept.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use casebook_app::{AppError, EntryForm, Field, NotWritten, Problem, check_upload, find_person};
use casebook_domain::{AbsenceReason, Category, DocumentType, EntryId, Need, Person, Sign};
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

pub(crate) type Errors = Vec<(&'static str, String)>;

#[derive(Template)]
#[template(path = "log.html")]
pub(crate) struct LogPage {
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
    /// The date is a day a date picker can show; a week, a month or a term is typed.
    date_is_day: bool,
    /// The entry this form corrects, when it corrects one.
    correcting: Option<String>,
}

fn kind(slug: &str) -> Result<(&'static str, &'static str, &'static str), AppError> {
    KINDS.into_iter().find(|k| k.0 == slug).ok_or_else(|| {
        AppError::NotFound(format!(
            "casebook has no form for \"{slug}\": choose incident, call, meeting, observation, absence or document."
        ))
    })
}

pub(crate) fn log_page<S, B>(
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
        date_is_day: form.get("date").is_empty()
            || form.get("date").parse::<jiff::civil::Date>().is_ok(),
        correcting: None,
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
                let asked = filled(new_entry(), &path.kind, &form.fields);
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
                                .map(shown),
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

/// A problem at its field, with how to answer it on this page where that is not plain.
pub(crate) fn shown(problem: Problem) -> (&'static str, String) {
    let sentence = match problem.field {
        Field::Future => format!(
            "{} If it is right, tick \"The date is right\" and save again.",
            problem.sentence
        ),
        _ => problem.sentence,
    };
    (field_name(problem.field), sentence)
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
        Field::Collected => "collected",
        Field::AskedBy => "asked_by",
        Field::ReasonGiven => "reason_given",
        Field::FormalLetter => "formal_letter",
        Field::Review => "review",
        Field::Signs => "sign",
        Field::DocumentType => "document_type",
        Field::Title => "title",
        Field::IssuedBy => "issued_by",
        Field::WhyCorrected => "why",
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

/// The form of an entry's kind, to correct `id` with: the fields as given, and a box
/// for why.
pub(crate) fn correction_page<S, B>(
    p: &Page<'_, S, B>,
    slug: &str,
    form: Fields,
    errors: Errors,
    id: EntryId,
) -> Result<LogPage, AppError> {
    let mut page = log_page(p, slug, form, errors)?;
    page.heading = "Correct this entry";
    page.advice = "Change what is wrong and say why. The correction is added beside the entry; what was first written stays, and both are shown.";
    page.correcting = Some(id.to_string());
    Ok(page)
}

/// A new entry written on this site.
fn new_entry() -> EntryForm {
    EntryForm {
        sources: vec!["written down in casebook".into()],
        ..EntryForm::default()
    }
}

/// The form of a kind, as this site has one: incidents, calls and conversations,
/// meetings, what was seen at home, absences and documents.
pub(crate) fn form_kind(asked: &EntryForm) -> Option<&'static str> {
    match asked.kind.as_str() {
        "call" | "in-person" => Some("call"),
        other => KINDS.iter().map(|k| k.0).find(|k| *k == other),
    }
}

/// `asked` with what this kind's form gives put in; anything else posted is not read,
/// and what the form does not show (a correction's prejudice or sessions) is kept.
pub(crate) fn filled(asked: EntryForm, slug: &str, form: &Fields) -> EntryForm {
    let when = match form.get("time") {
        "" => form.get("date").to_owned(),
        time => format!("{} {time}", form.get("date")),
    };
    let mut asked = EntryForm {
        kind: slug.to_owned(),
        when,
        summary: form.get("summary").to_owned(),
        details: form.text("details"),
        date_after_today_is_right: form.is("future", "yes"),
        new_names_join: true,
        ..asked
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
                asked.from = None;
                asked.to = who.into_iter().collect();
            } else {
                asked.direction = Some("received".into());
                asked.from = who;
                asked.to = vec![];
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
            asked.collected = form.text("collected");
            asked.asked_by = form.text("asked_by");
            asked.reason_given = form.text("reason_given");
            asked.formal_letter = form.text("formal_letter");
            asked.review = form.text("review");
        }
        _ => {}
    }
    asked
}

/// The fields of this kind's form that say what `asked` says: a correction's form
/// starts from the entry as it reads now.
pub(crate) fn fields_of(asked: &EntryForm, people: &[Person]) -> Fields {
    let mut form = Fields::default();
    let (date, time) = asked
        .when
        .split_once('T')
        .unwrap_or((asked.when.as_str(), ""));
    form.push("date", date);
    form.push("time", time);
    form.push("summary", &asked.summary);
    let text = |form: &mut Fields, name: &str, value: &Option<String>| {
        form.push(name, value.as_deref().unwrap_or_default());
    };
    text(&mut form, "details", &asked.details);
    for c in &asked.categories {
        form.push("category", c);
    }
    text(&mut form, "place", &asked.place);
    form.push("involved", &asked.involved.join(", "));
    form.push("witnesses", &asked.witnesses.join(", "));
    text(&mut form, "harm", &asked.harm);
    text(&mut form, "child_words", &asked.child_words);
    // The list of people is chosen by id.
    let reported_to = asked
        .reported_to
        .as_deref()
        .and_then(|name| find_person(people, name).ok())
        .map(|person| person.id.to_string());
    text(&mut form, "reported_to", &reported_to);
    text(&mut form, "school_response", &asked.school_response);
    text(&mut form, "school_word", &asked.school_word);
    if asked.kind == "in-person" {
        form.push("channel", "in-person");
    }
    if asked.direction.as_deref() == Some("sent") {
        form.push("direction", "sent");
        form.push("who", &asked.to.join(", "));
    } else {
        text(&mut form, "who", &asked.from);
    }
    form.push("attendees", &asked.attendees.join(", "));
    text(&mut form, "purpose", &asked.purpose);
    form.push("points", &asked.points.join("\n"));
    form.push("actions", &asked.actions.join("\n"));
    if asked.requested {
        form.push("requested_only", "yes");
    }
    for sign in &asked.signs {
        form.push("sign", sign);
    }
    text(&mut form, "document_type", &asked.document_type);
    text(&mut form, "title", &asked.title);
    text(&mut form, "issued_by", &asked.issued_by);
    text(&mut form, "reason", &asked.reason);
    text(&mut form, "until", &asked.until);
    if asked.ongoing {
        form.push("ongoing", "yes");
    }
    text(&mut form, "authorised", &asked.authorised);
    text(&mut form, "evidence", &asked.evidence);
    text(&mut form, "collected", &asked.collected);
    text(&mut form, "asked_by", &asked.asked_by);
    text(&mut form, "reason_given", &asked.reason_given);
    text(&mut form, "formal_letter", &asked.formal_letter);
    text(&mut form, "review", &asked.review);
    form
}
