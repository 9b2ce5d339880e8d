//! The minutes check asked for by hand, on the command line or the minutes page: which
//! meeting, the minutes' words, and who a request to correct them goes to. Read here
//! once, so both refuse the same things with the same sentence.

use casebook_domain::{EntryId, Facts, Relation};
use casebook_letters::{Letter, Match, PointCheck, Templates};
use casebook_store::{BlobStore, CaseStore};

use crate::letters::{LetterRequest, minutes_recipient};
use crate::record::CaseFile;
use crate::timeline::{Filter, TimelineItem};
use crate::{AppError, find_person};

/// What was asked: the meeting as typed (its entry), the minutes' text, and who the
/// request goes to when not someone who was there.
#[derive(Debug, Clone, Default)]
pub struct MinutesForm {
    pub meeting: String,
    pub minutes: String,
    pub to: Option<String>,
}

/// Which thing asked a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinutesField {
    Meeting,
    Minutes,
    To,
}

/// Why the minutes cannot be checked: where, and one plain sentence naming no flag.
#[derive(Debug)]
pub enum MinutesRefused {
    At(MinutesField, String),
    Failed(AppError),
}

impl From<AppError> for MinutesRefused {
    fn from(e: AppError) -> Self {
        MinutesRefused::Failed(e)
    }
}

/// The answer: each point raised and how the minutes record it, and a request to
/// correct them when any is missing or in other words.
pub struct MinutesChecked {
    pub meeting: TimelineItem,
    pub checks: Vec<PointCheck>,
    pub request: Option<Letter>,
    /// The person the request goes to, when the family chose someone who was not there.
    pub absent: Option<String>,
}

impl<S: CaseStore, B: BlobStore> CaseFile<'_, S, B> {
    pub fn minutes_check(
        &self,
        form: &MinutesForm,
        templates: &Templates,
        family: &str,
    ) -> Result<MinutesChecked, MinutesRefused> {
        let refuse = |field, sentence: &str| MinutesRefused::At(field, sentence.to_owned());
        let items = self.timeline(&Filter::default())?;
        let meeting = form
            .meeting
            .trim()
            .parse::<EntryId>()
            .ok()
            .and_then(|id| items.iter().find(|i| i.id == id))
            .ok_or_else(|| {
                refuse(
                    MinutesField::Meeting,
                    "Choose the meeting the minutes are of.",
                )
            })?;
        let Some(Facts::Meeting(facts)) = &meeting.facts else {
            return Err(refuse(
                MinutesField::Meeting,
                "That entry is not a meeting: choose the meeting the minutes are of.",
            ));
        };
        if facts.points_raised.is_empty() {
            return Err(refuse(
                MinutesField::Meeting,
                "This meeting has no points raised recorded, so there is nothing to look for: correct the meeting to add the points you raised.",
            ));
        }
        if form.minutes.trim().is_empty() {
            return Err(refuse(
                MinutesField::Minutes,
                "Paste the minutes, or choose the file they came in.",
            ));
        }
        let checks = self.check_minutes(&facts.points_raised, &form.minutes)?;
        let of = |wanted: Match| -> Vec<String> {
            checks
                .iter()
                .filter(|c| c.result == wanted)
                .map(|c| c.point.clone())
                .collect()
        };
        let (missing, weak) = (of(Match::Missing), of(Match::CheckWording));
        let people = self.store.people(self.case.id).map_err(AppError::from)?;
        // The request goes to someone who was there (whoever issued the minutes, when
        // known), unless the family names someone else, who is then told they were not.
        let issued_by = items
            .iter()
            .filter(|i| {
                i.links
                    .iter()
                    .any(|l| l.rel == Relation::MinutesOf && l.target == meeting.id)
            })
            .find_map(|i| match &i.facts {
                Some(Facts::Document(d)) => d.issued_by.clone(),
                _ => None,
            });
        let mut absent = None;
        let to = match form.to.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(name) => {
                let chosen = find_person(&people, name)
                    .map_err(|e| MinutesRefused::At(MinutesField::To, e.to_string()))?;
                if !facts.attendees.iter().any(|a| a.person == chosen.id) {
                    absent = Some(chosen.name.clone());
                }
                Some(chosen)
            }
            None => minutes_recipient(facts, &people, issued_by.as_deref()),
        };
        let request = if missing.is_empty() && weak.is_empty() {
            None
        } else {
            let Some(to) = to else {
                return Err(refuse(
                    MinutesField::To,
                    "Nobody from the school or the council is recorded at this meeting, so casebook cannot tell who the request to correct the minutes goes to.",
                ));
            };
            let template = templates
                .get("amend-minutes")
                .map_err(|e| AppError::Invalid(e.to_string()))?;
            let about = [meeting.id];
            let request = LetterRequest {
                to: Some(to),
                about: &about,
                family,
                missing: &missing,
                weak: &weak,
                wants_mediation: false,
                ..Default::default()
            };
            Some(self.draft(template, &request, self.clock.today())?.letter)
        };
        Ok(MinutesChecked {
            meeting: meeting.clone(),
            checks,
            request,
            absent,
        })
    }
}
