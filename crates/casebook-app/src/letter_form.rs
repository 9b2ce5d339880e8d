//! A letter asked for, as typed on the command line or the letter page: which letter,
//! who it goes to and who is copied in, what in the log it is about or encloses, dates
//! proposed, what a reply is needed before, and the day it is dated. Read here once, so
//! both refuse the same words with the same sentence.

use casebook_domain::{EntryId, Person, parse_date};
use casebook_letters::Templates;
use casebook_store::{BlobStore, CaseStore};
use jiff::civil::Date;

use crate::letters::{Before, Draft, LetterRequest};
use crate::record::CaseFile;
use crate::{AppError, find_person};

#[derive(Debug, Clone, Default)]
pub struct LetterForm {
    pub template: String,
    /// The first is the person the letter is addressed to; the rest receive it too.
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub about: Vec<String>,
    pub enclose: Vec<String>,
    /// Dates proposed for a meeting, or "next week" for its school days.
    pub propose: Vec<String>,
    /// A day the reply is needed before, and what happens then.
    pub before: Option<String>,
    pub before_what: String,
    pub mediation: bool,
    /// The day the letter is dated (sent); today when not given.
    pub dated: Option<String>,
}

/// Which thing asked a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterField {
    Template,
    To,
    Cc,
    About,
    Enclose,
    Propose,
    Before,
    Dated,
}

/// Why no letter was drafted: where, and one plain sentence naming no flag; or the
/// store failed.
#[derive(Debug)]
pub enum LetterNotDrafted {
    At(LetterField, String),
    Failed(AppError),
}

impl From<AppError> for LetterNotDrafted {
    fn from(e: AppError) -> Self {
        LetterNotDrafted::Failed(e)
    }
}

/// The draft, with who it goes to, what it is about and the day it is dated.
pub struct Drafted {
    pub draft: Draft,
    pub recipients: Vec<Person>,
    pub about: Vec<EntryId>,
    pub dated: Date,
}

impl<S: CaseStore, B: BlobStore> CaseFile<'_, S, B> {
    pub fn draft_letter(
        &self,
        form: &LetterForm,
        templates: &Templates,
        family: &str,
    ) -> Result<Drafted, LetterNotDrafted> {
        let at = |field| move |e: String| LetterNotDrafted::At(field, e);
        let template = templates
            .get(form.template.trim())
            .map_err(|e| at(LetterField::Template)(e.to_string()))?;
        let given = |list: &[String]| {
            list.iter()
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
        };
        let (to, cc, about, enclose) = (
            given(&form.to),
            given(&form.cc),
            given(&form.about),
            given(&form.enclose),
        );
        let day = |text: &str, field| parse_date(text.trim()).map_err(|e| at(field)(e.to_string()));
        let dated = match form
            .dated
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(text) => day(text, LetterField::Dated)?,
            None => self.clock.today(),
        };
        if template.needs.iter().any(|n| n == "to") && to.is_empty() {
            return Err(at(LetterField::To)(
                "This letter is addressed to someone: choose who it goes to.".into(),
            ));
        }
        if template.needs.iter().any(|n| n == "about") && about.is_empty() {
            return Err(at(LetterField::About)(
                "This letter is about something in the log: choose which entry.".into(),
            ));
        }
        let entries = |ids: &[String], field| {
            ids.iter()
                .map(|id| id.parse::<EntryId>().map_err(|e| at(field)(e.to_string())))
                .collect::<Result<Vec<_>, _>>()
        };
        let about = entries(&about, LetterField::About)?;
        let enclose = entries(&enclose, LetterField::Enclose)?;
        let people = self.store.people(self.case.id).map_err(AppError::from)?;
        let found = |names: &[String], field| {
            names
                .iter()
                .map(|name| find_person(&people, name).map_err(|e| at(field)(e.to_string())))
                .collect::<Result<Vec<_>, _>>()
        };
        let recipients = found(&to, LetterField::To)?;
        let cc = found(&cc, LetterField::Cc)?;
        let mut propose = Vec::new();
        for text in given(&form.propose) {
            match text.as_str() {
                "next-week" | "next week" => propose.extend(self.school_days_next_week(dated)?),
                text => propose.push(day(text, LetterField::Propose)?),
            }
        }
        let before = match form
            .before
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(text) => Some(Before {
                date: day(text, LetterField::Before)?,
                what: form.before_what.trim().to_owned(),
            }),
            None => None,
        };
        let request = LetterRequest {
            to: recipients.first().copied(),
            also_to: recipients.iter().skip(1).copied().collect(),
            cc,
            about: &about,
            family,
            wants_mediation: form.mediation,
            propose,
            enclose,
            before,
            ..Default::default()
        };
        let draft = match self.draft(template, &request, dated) {
            Ok(draft) => draft,
            Err(AppError::Invalid(why)) => return Err(at(LetterField::Template)(why)),
            Err(other) => return Err(other.into()),
        };
        Ok(Drafted {
            draft,
            recipients: recipients.into_iter().cloned().collect(),
            about,
            dated,
        })
    }
}
