//! Letters: choose one, see it drafted from the case with the tone check and its reply
//! date, download it as text, an email, a Word document or a PDF, and record it as
//! sent.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use casebook_app::{AppError, Draft, Filter, LetterRequest, SentLetter, TimelineItem};
use casebook_domain::{
    Channel, EntryId, Facts, Need, Person, PersonId, Side, check_long_text, parse_date, uk_date,
};
use casebook_letters::{Envelope, Finding, Templates, to_docx, to_eml};
use casebook_store::{AccountStore, BlobStore, CaseStore};
use serde::Deserialize;

use crate::forms::Form;
use crate::requests::recipients;
use crate::visit::{Chrome, Page, Visit, download as file, format_named, letter_named, page, see};

pub fn templates() -> Result<Templates, AppError> {
    Templates::load(None).map_err(|e| AppError::Invalid(e.to_string()))
}

#[derive(Template)]
#[template(path = "letters.html")]
struct LettersPage {
    chrome: Chrome,
    templates: Vec<(String, String, String)>,
}

pub async fn list<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
) -> Response {
    visit
        .run(Need::Read, "viewed the letters", |p| {
            page(&LettersPage {
                chrome: p.chrome.clone(),
                templates: templates()?
                    .list()
                    .map(|t| (t.id.clone(), t.title.clone(), t.when.clone()))
                    .collect(),
            })
        })
        .await
}

#[derive(Deserialize, Default, Clone)]
pub struct Choice {
    #[serde(default)]
    to: String,
    #[serde(default)]
    about: String,
    #[serde(default)]
    format: String,
    /// The family's own address, for the email file.
    #[serde(default)]
    from_email: String,
}

impl Choice {
    /// The person the letter goes to and the entry it is about, as chosen.
    fn chosen<'p, S, B>(&self, p: &'p Page<'_, S, B>) -> (Option<&'p Person>, Vec<EntryId>) {
        let to = self
            .to
            .parse::<PersonId>()
            .ok()
            .and_then(|id| p.people.iter().find(|person| person.id == id));
        (to, self.about.parse().into_iter().collect())
    }
}

#[derive(Template)]
#[template(path = "letter.html")]
struct LetterPage {
    chrome: Chrome,
    today: String,
    id: String,
    title: String,
    when: String,
    choice: Choice,
    people: Vec<(String, String)>,
    entries: Vec<(String, String)>,
    problem: String,
    subject: String,
    body: Vec<String>,
    reply_by: String,
    findings: Vec<Finding>,
    pdf: bool,
    /// The whole draft, to change before it is recorded as sent.
    text: String,
    /// The draft opened in the phone's own mail app, when the recipient has an address.
    mailto: String,
}

#[derive(Deserialize)]
pub struct LetterPath {
    id: String,
}

/// The draft for the chosen person and entry as of `date`, or why there is none yet.
fn draft<S: CaseStore, B: BlobStore>(
    p: &Page<'_, S, B>,
    id: &str,
    choice: &Choice,
    date: jiff::civil::Date,
) -> Result<Result<Draft, String>, AppError> {
    let templates = templates()?;
    let template = templates
        .get(id)
        .map_err(|e| AppError::NotFound(e.to_string()))?;
    let (to, about) = choice.chosen(p);
    let request = LetterRequest {
        to,
        about: &about,
        family: &p.author,
        missing: &[],
        weak: &[],
        wants_mediation: false,
        ..Default::default()
    };
    match p.file.draft(template, &request, date) {
        Ok(draft) => Ok(Ok(draft)),
        Err(AppError::Invalid(why)) => Ok(Err(why)),
        Err(other) => Err(other),
    }
}

pub async fn show<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Path(path): Path<LetterPath>,
    Query(choice): Query<Choice>,
) -> Response {
    let what = format!("drafted the letter {}", letter_named(&path.id));
    visit
        .run(Need::Read, what, move |p| {
            let templates = templates()?;
            let template = templates
                .get(&path.id)
                .map_err(|e| AppError::NotFound(e.to_string()))?;
            let today = p.file.clock.today();
            let items = p.file.timeline(&Filter::default())?;
            let mut choice = choice;
            // The letter goes to the person the entry it is about involves, unless the
            // parent chose someone else.
            if choice.to.is_empty()
                && let Some(person) = choice
                    .about
                    .parse::<EntryId>()
                    .ok()
                    .and_then(|id| items.iter().find(|i| i.id == id))
                    .and_then(|item| person_of(item, &p.people))
            {
                choice.to = person.to_string();
            }
            let drafted = draft(p, &path.id, &choice, today)?;
            let entries = items
                .iter()
                .rev()
                .filter_map(|i| {
                    Some((
                        i.id.to_string(),
                        format!(
                            "{}: {}",
                            uk_date(i.occurred.earliest()),
                            i.summary.as_deref()?
                        ),
                    ))
                })
                .collect();
            let mut shown = LetterPage {
                chrome: p.chrome.clone(),
                today: today.to_string(),
                id: template.id.clone(),
                title: template.title.clone(),
                when: template.when.clone(),
                choice,
                people: recipients(&p.people),
                entries,
                problem: String::new(),
                subject: String::new(),
                body: vec![],
                reply_by: String::new(),
                findings: vec![],
                pdf: p.web.typesetter.is_some(),
                text: String::new(),
                mailto: String::new(),
            };
            match drafted {
                Ok(draft) => {
                    if let Some(address) = shown.choice.chosen(p).0.and_then(|to| to.email.clone())
                    {
                        shown.mailto = format!(
                            "mailto:{}?subject={}&body={}",
                            encoded(&address),
                            encoded(&draft.letter.subject),
                            encoded(&draft.letter.body)
                        );
                    }
                    shown.text = draft.letter.body.clone();
                    shown.subject = draft.letter.subject;
                    shown.body = draft.letter.body.split("\n\n").map(str::to_owned).collect();
                    shown.reply_by = draft.reply_by.map(uk_date).unwrap_or_default();
                    shown.findings = draft.findings;
                }
                Err(why) => shown.problem = why,
            }
            page(&shown)
        })
        .await
}

fn download_letter<S: CaseStore, B: BlobStore>(
    p: &Page<'_, S, B>,
    id: &str,
    choice: &Choice,
) -> Result<Response, AppError> {
    let today = p.file.clock.today();
    let draft = draft(p, id, choice, today)?.map_err(AppError::Invalid)?;
    let letter = &draft.letter;
    let date = uk_date(today);
    let (kind, extension, bytes) = match choice.format.as_str() {
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            to_docx(letter, &date).map_err(|e| AppError::Invalid(e.to_string()))?,
        ),
        "eml" => {
            let to = choice
                .chosen(p)
                .0
                .ok_or_else(|| AppError::Invalid("Choose who the email is to.".into()))?;
            let address = to.email.as_deref().ok_or_else(|| {
                AppError::Invalid(format!(
                    "{} has no email address in the case: add one on the People page, or download the letter as text.",
                    to.name
                ))
            })?;
            let from = choice.from_email.trim();
            if !from.contains('@') {
                return Err(AppError::Invalid(
                    "Give your own email address, so the email says who it is from.".into(),
                ));
            }
            // Dated at the start of the day, so the same draft gives the same file.
            let seconds = today
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp().as_second())
                .unwrap_or(0);
            (
                "message/rfc822",
                "eml",
                to_eml(
                    letter,
                    &Envelope {
                        from: (p.author.clone(), from.to_owned()),
                        to: vec![(to.name.clone(), address.to_owned())],
                        cc: vec![],
                        date: seconds,
                        attachments: vec![],
                    },
                )
                .map_err(|e| AppError::Invalid(e.to_string()))?
                .into_bytes(),
            )
        }
        "pdf" => {
            let typesetter = p.web.typesetter.as_ref().ok_or_else(|| {
                AppError::Invalid(
                    "This server cannot make PDF files: download the letter for Word instead."
                        .into(),
                )
            })?;
            (
                "application/pdf",
                "pdf",
                (typesetter.letter)(letter, &date).map_err(AppError::Invalid)?,
            )
        }
        _ => (
            "text/plain; charset=utf-8",
            "txt",
            format!("{date}\n\nSubject: {}\n\n{}", letter.subject, letter.body).into_bytes(),
        ),
    };
    file(kind, &format!("{id}.{extension}"), bytes)
}

pub async fn download<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Path(path): Path<LetterPath>,
    Query(choice): Query<Choice>,
) -> Response {
    let what = format!(
        "downloaded the letter {} as {}",
        letter_named(&path.id),
        format_named(&choice.format)
    );
    visit
        .run(Need::Read, what, move |p| {
            download_letter(p, &path.id, &choice)
        })
        .await
}

/// Records the letter as sent on the date given, drafted as of that date.
pub async fn sent<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Path(path): Path<LetterPath>,
    form: Form,
) -> Response {
    let what = format!("recorded the letter {} as sent", letter_named(&path.id));
    visit
        .run(Need::Write, what, move |p| {
            let form = form.fields;
            let choice = Choice {
                to: form.get("to").to_owned(),
                about: form.get("about").to_owned(),
                ..Choice::default()
            };
            let date = parse_date(form.get("sent"))?;
            let mut drafted = draft(p, &path.id, &choice, date)?.map_err(AppError::Invalid)?;
            // The words the parent changed are the letter that was sent.
            let edited = form.get("body").replace("\r\n", "\n");
            if !edited.trim().is_empty() {
                check_long_text("letter", &edited)?;
                drafted.letter.body = edited;
            }
            let (to, about) = choice.chosen(p);
            let ids = p.file.record_letter_sent(&SentLetter {
                draft: &drafted,
                to,
                about: &about,
                date,
                channel: if form.is("channel", "letter") {
                    Channel::Letter
                } else {
                    Channel::Email
                },
                author: &p.author,
            })?;
            match ids.first() {
                Some(first) => see(&p.link(&format!("/entries/{first}?saved=1"))),
                None => see(&p.link("/")),
            }
        })
        .await
}

/// The person an entry involves on the other side: who a request or message went to or
/// came from, the first there for the school or council at a meeting.
fn person_of(item: &TimelineItem, people: &[Person]) -> Option<PersonId> {
    match &item.facts {
        Some(Facts::Request(r)) => r.to,
        Some(Facts::Communication(c)) => c.to.first().copied().or(c.from),
        Some(Facts::Meeting(m)) => m
            .attendees
            .iter()
            .find(|a| matches!(a.side, Side::School | Side::LocalAuthority))
            .map(|a| a.person),
        Some(Facts::Incident(i)) if i.reported_to.is_some() => i.reported_to,
        // Someone on the school's or the council's side: never another child or a
        // witness, whom a letter about an incident must not go to.
        _ => item.people.iter().copied().find(|id| {
            people.iter().any(|p| {
                p.id == *id && matches!(p.role.usual_side(), Side::School | Side::LocalAuthority)
            })
        }),
    }
}

/// Text for a mailto address, every byte but letters, digits and `-._~` escaped.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}
