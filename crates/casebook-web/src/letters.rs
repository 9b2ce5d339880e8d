//! Letters: choose one, see it drafted from the case with the tone check and its reply
//! date, download it as text, an email, a Word document or a PDF, and record it as
//! sent.

use askama::Template;
use axum::extract::{Path, RawQuery};
use axum::response::Response;
use casebook_app::{
    AppError, Drafted, Filter, LetterField, LetterForm, LetterNotDrafted, SentLetter, TimelineItem,
};
use casebook_domain::{
    Channel, EntryId, Facts, Need, Person, PersonId, Side, check_long_text, uk_date,
};
use casebook_letters::{Envelope, Finding, Templates, to_docx, to_eml};
use casebook_store::{AccountStore, BlobStore, CaseStore};
use serde::Deserialize;

use crate::forms::{Fields, Form};
use crate::home::entry_choice;
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

/// What the family chose on the letter page, as the page's fields give it.
#[derive(Default, Clone)]
pub struct Choice {
    to: String,
    about: String,
    cc: Vec<String>,
    propose: Vec<String>,
    before: String,
    before_what: String,
    enclose: Vec<String>,
    format: String,
    /// The family's own address, for the email file.
    from_email: String,
}

impl Choice {
    fn read(fields: &Fields) -> Choice {
        let all = |name| fields.all(name).map(str::to_owned).collect();
        Choice {
            to: fields.get("to").to_owned(),
            about: fields.get("about").to_owned(),
            cc: all("cc"),
            propose: all("propose"),
            before: fields.get("before").to_owned(),
            before_what: fields.get("before_what").to_owned(),
            enclose: all("enclose"),
            format: fields.get("format").to_owned(),
            from_email: fields.get("from_email").to_owned(),
        }
    }

    fn from_query(query: Option<String>) -> Choice {
        Choice::read(&Fields::read(query.unwrap_or_default().as_bytes()))
    }

    /// The letter asked for, in the words every interface uses.
    fn form(&self, template: &str, dated: Option<String>) -> LetterForm {
        let one = |text: &str| {
            Some(text.to_owned())
                .filter(|t| !t.is_empty())
                .into_iter()
                .collect()
        };
        LetterForm {
            template: template.to_owned(),
            to: one(&self.to),
            cc: self.cc.clone(),
            about: one(&self.about),
            enclose: self.enclose.clone(),
            propose: self.propose.clone(),
            before: Some(self.before.clone()),
            before_what: self.before_what.clone(),
            mediation: false,
            dated,
        }
    }

    /// The choice as fields of a form or an address, to carry it to the downloads and
    /// to the form that records the letter as sent.
    fn pairs(&self) -> Vec<(&'static str, &str)> {
        let mut pairs = vec![("to", self.to.as_str()), ("about", self.about.as_str())];
        pairs.extend(self.cc.iter().map(|v| ("cc", v.as_str())));
        pairs.extend(self.propose.iter().map(|v| ("propose", v.as_str())));
        pairs.extend(self.enclose.iter().map(|v| ("enclose", v.as_str())));
        pairs.push(("before", self.before.as_str()));
        pairs.push(("before_what", self.before_what.as_str()));
        pairs.retain(|(_, v)| !v.is_empty());
        pairs
    }

    /// The same, as the query of an address.
    fn query(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.pairs())
            .finish()
    }

    fn proposed(&self, n: usize) -> &str {
        self.propose.get(n).map_or("", String::as_str)
    }

    fn copies(&self, id: &str) -> bool {
        self.cc.iter().any(|c| c == id)
    }

    fn encloses(&self, id: &str) -> bool {
        self.enclose.iter().any(|e| e == id)
    }

    /// Anything chosen beyond who and what about, so the page shows those fields open.
    fn has_more(&self) -> bool {
        self.pairs()
            .iter()
            .any(|(name, _)| !matches!(*name, "to" | "about"))
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
    /// Entries with files, which can go with the letter.
    enclosable: Vec<(String, String)>,
    problem: String,
    /// The field the problem is at.
    problem_at: &'static str,
    /// What letters are signed with while the family has not given its name.
    unsigned: Option<String>,
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

/// The draft for what was chosen, dated `dated` (today when None), or why there is none
/// yet and at which field.
fn draft<S: CaseStore, B: BlobStore>(
    p: &Page<'_, S, B>,
    id: &str,
    choice: &Choice,
    dated: Option<String>,
) -> Result<Result<Drafted, (&'static str, String)>, AppError> {
    match p
        .file
        .draft_letter(&choice.form(id, dated), &templates()?, &p.author)
    {
        Ok(drafted) => Ok(Ok(drafted)),
        Err(LetterNotDrafted::Failed(e)) => Err(e),
        Err(LetterNotDrafted::At(field, why)) => Ok(Err((
            match field {
                LetterField::Cc => "cc",
                LetterField::About => "about",
                LetterField::Enclose => "enclose",
                LetterField::Propose => "propose",
                LetterField::Before => "before",
                LetterField::Dated => "sent",
                LetterField::To | LetterField::Template => "to",
            },
            why,
        ))),
    }
}

pub async fn show<S: CaseStore + AccountStore + 'static, B: BlobStore + 'static>(
    visit: Visit<S, B>,
    Path(path): Path<LetterPath>,
    RawQuery(query): RawQuery,
) -> Response {
    let choice = Choice::from_query(query);
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
            let drafted = draft(p, &path.id, &choice, None)?;
            let enclosable = items
                .iter()
                .rev()
                .filter(|i| !i.attachments.is_empty())
                .filter_map(entry_choice)
                .collect();
            let entries = items.iter().rev().filter_map(entry_choice).collect();
            let mut shown = LetterPage {
                chrome: p.chrome.clone(),
                today: today.to_string(),
                id: template.id.clone(),
                title: template.title.clone(),
                when: template.when.clone(),
                choice,
                people: recipients(&p.people),
                entries,
                enclosable,
                problem: String::new(),
                problem_at: "to",
                unsigned: casebook_app::family(p.file.store, &p.file.case)?
                    .is_none()
                    .then(|| p.author.clone()),
                subject: String::new(),
                body: vec![],
                reply_by: String::new(),
                findings: vec![],
                pdf: p.web.typesetter.is_some(),
                text: String::new(),
                mailto: String::new(),
            };
            match drafted {
                Ok(drafted) => {
                    let draft = drafted.draft;
                    if let Some(address) =
                        drafted.recipients.first().and_then(|to| to.email.clone())
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
                Err((field, why)) => {
                    // Before anything is chosen, what the letter needs is guidance, not
                    // an error.
                    shown.problem_at = if shown.choice.pairs().is_empty() {
                        ""
                    } else {
                        field
                    };
                    shown.problem = why;
                }
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
    let drafted = draft(p, id, choice, None)?.map_err(|(_, why)| AppError::Invalid(why))?;
    let today = drafted.dated;
    let letter = &drafted.draft.letter;
    let date = uk_date(today);
    let (kind, extension, bytes) = match choice.format.as_str() {
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            to_docx(letter, &date).map_err(|e| AppError::Invalid(e.to_string()))?,
        ),
        "eml" => {
            if drafted.recipients.is_empty() {
                return Err(AppError::Invalid("Choose who the email is to.".into()));
            }
            let address = |to: &Person| -> Result<(String, String), AppError> {
                match to.email.as_deref() {
                    Some(address) => Ok((to.name.clone(), address.to_owned())),
                    None => Err(AppError::Invalid(format!(
                        "{} has no email address in the case: add one on the People page, or download the letter as text.",
                        to.name
                    ))),
                }
            };
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
                        to: drafted
                            .recipients
                            .iter()
                            .map(address)
                            .collect::<Result<_, _>>()?,
                        cc: drafted
                            .draft
                            .cc
                            .iter()
                            .map(address)
                            .collect::<Result<_, _>>()?,
                        date: seconds,
                        attachments: p.file.enclosure_files(&drafted.draft)?,
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
    RawQuery(query): RawQuery,
) -> Response {
    let choice = Choice::from_query(query);
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
            let choice = Choice::read(&form);
            let mut drafted = draft(p, &path.id, &choice, Some(form.get("sent").to_owned()))?
                .map_err(|(_, why)| AppError::Invalid(why))?;
            // The words the parent changed are the letter that was sent.
            let edited = form.get("body").replace("\r\n", "\n");
            if !edited.trim().is_empty() {
                check_long_text("letter", &edited)?;
                drafted.draft.letter.body = edited;
            }
            let ids = p.file.record_letter_sent(&SentLetter {
                draft: &drafted.draft,
                to: drafted.recipients.first(),
                about: &drafted.about,
                date: drafted.dated,
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
